# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "vmsplice() before fork(), unmap in parent after fork()",
# run "... with swapped out base page" (test_vmsplice_before_fork()).
# Setup as in selftest-cow-basic-base-page-swap.mms (scripts/gen-cow-gup-scenarios.py).
swap 64M                                   # MADV_PAGEOUT needs a swap device
proc P
mmap P 0x100000000000 4K
madvise P 0x100000000000 4K nohugepage
write P 0x100000000000 4K byte=1
madvise P 0x100000000000 4K pageout
expect swapped P 0x100000000000 == yes
vmsplice P 0x100000000000 4K        # vmsplice() before fork()
fork P C
munmap P 0x100000000000 4K
write C 0x100000000000 4K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C 0x100000000000 == 255
expect exclusive C 0x100000000000 == yes
expect kpagecount C 0x100000000000 == 1
expect folio_order C 0x100000000000 == 0
exit C
pipe_read P                  # read(fds[0], new, transferred)
expect pipe_byte P 0 == 1
expect pipe_byte P 4095 == 1
exit P
