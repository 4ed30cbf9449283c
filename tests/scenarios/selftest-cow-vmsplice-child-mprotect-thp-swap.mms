# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "vmsplice() + unmap in child with mprotect() optimization",
# run "... with swapped-out THP (2048 kB)" (test_vmsplice_in_child_mprotect()).
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
vmsplice C2048 0x100000200000 2048K        # child_vmsplice_memcmp_fn(): a R/O reference per page
munmap C2048 0x100000200000 2048K
mprotect P2048 0x100000200000 2048K r
mprotect P2048 0x100000200000 2048K rw
write P2048 0x100000200000 2048K byte=0xff      # memset(mem, 0xff, size)
pipe_read C2048                  # read(fds[0], new, transferred)
expect pipe_byte C2048 0 == 1
expect pipe_byte C2048 65535 == 1
expect byte P2048 0x100000200000 == 255
expect exclusive P2048 0x100000200000 == yes
expect kpagecount P2048 0x100000200000 == 1
expect folio_order P2048 0x100000200000 == 0
exit C2048
exit P2048
