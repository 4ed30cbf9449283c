# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "vmsplice() + unmap in child",
# run "... with swapped out base page" (test_vmsplice_in_child()).
# Setup as in selftest-cow-basic-base-page-swap.mms (scripts/gen-cow-gup-scenarios.py).
swap 64M                                   # MADV_PAGEOUT needs a swap device
proc P
mmap P 0x100000000000 4K
madvise P 0x100000000000 4K nohugepage
write P 0x100000000000 4K byte=1
madvise P 0x100000000000 4K pageout
expect swapped P 0x100000000000 == yes
fork P C
vmsplice C 0x100000000000 4K        # child_vmsplice_memcmp_fn(): a R/O reference per page
munmap C 0x100000000000 4K
write P 0x100000000000 4K byte=0xff      # memset(mem, 0xff, size)
pipe_read C                  # read(fds[0], new, transferred)
expect pipe_byte C 0 == 1
expect pipe_byte C 4095 == 1
expect byte P 0x100000000000 == 255
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000000000 == 1
expect folio_order P 0x100000000000 == 0
exit C
exit P
