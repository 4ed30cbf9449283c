# Linux runs it only with gup_test (CONFIG_GUP_TEST), which distributions leave out:
# scripts/build-gup-kernel.sh builds Debian's 7.3.4 with it, for the qemu runs
# (tests/era); elsewhere the kernel run stops at the pin, "not on this machine".
# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "R/O GUP-fast pin on R/O-mapped previously-shared page",
# run "... with swapped out base page" (test_ro_fast_pin_on_ro_previously_shared()).
# Setup as in selftest-cow-basic-base-page-swap.mms (scripts/gen-cow-gup-scenarios.py).
swap 64M                                   # MADV_PAGEOUT needs a swap device
proc P
mmap P 0x100000000000 4K
madvise P 0x100000000000 4K nohugepage
write P 0x100000000000 4K byte=1
madvise P 0x100000000000 4K pageout
expect swapped P 0x100000000000 == yes
fork P C
exit C                      # R/O-mapped, but no longer shared
pin P 0x100000000000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P 0x100000000000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P 4095 == 255
expect byte P 0x100000000000 == 255
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000000000 == 1
expect folio_order P 0x100000000000 == 0
unpin P
exit P
