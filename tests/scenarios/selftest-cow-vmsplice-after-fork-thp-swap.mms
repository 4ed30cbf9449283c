# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "vmsplice() + unmap in parent after fork()",
# run "... with swapped-out THP (2048 kB)" (test_vmsplice_after_fork()).
# Setup as in selftest-cow-basic-thp-swap.mms (scripts/gen-cow-gup-scenarios.py).

# ... with swapped-out THP (2048 kB)
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp 2M always
proc P2048
mmap P2048 0x100000000000 4096K   # twice the THP size
madvise P2048 0x100000200000 2048K hugepage
poke P2048 0x100000200000 1
expect present P2048 0x1000003ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100000200000 2048K byte=1
madvise P2048 0x100000200000 2048K pageout
expect swapped P2048 0x100000200000 == yes
fork P2048 C2048
vmsplice P2048 0x100000200000 2048K        # vmsplice() after fork()
munmap P2048 0x100000200000 2048K
write C2048 0x100000200000 2048K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C2048 0x100000200000 == 255
expect exclusive C2048 0x100000200000 == yes
expect kpagecount C2048 0x100000200000 == 1
expect folio_order C2048 0x100000200000 == 0
exit C2048
pipe_read P2048                  # read(fds[0], new, transferred)
expect pipe_byte P2048 0 == 1
expect pipe_byte P2048 65535 == 1
exit P2048
