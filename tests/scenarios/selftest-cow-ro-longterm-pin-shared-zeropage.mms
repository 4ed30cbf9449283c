# Linux runs it only with gup_test (CONFIG_GUP_TEST), which distributions leave out:
# scripts/build-gup-kernel.sh builds Debian's 7.3.4 with it, for the qemu runs
# (tests/era); elsewhere the kernel run stops at the pin, "not on this machine".
# Linux 7.3.4 tools/testing/selftests/mm/cow.c, non_anon_test_cases[] row
# "R/O longterm GUP pin", run "with shared zeropage" (run_with_zeropage(),
# test_ro_pin()): a R/O longterm pin of a private mapping's zero page must
# unshare it first, or the pin would not see the write that follows.
proc P
mmap P 0x100000000000 4K            # mem
mmap P 0x100000100000 4K r          # smem, PROT_READ
read P 0x100000000000 4K
read P 0x100000100000 4K
expect kpageflags P 0x100000000000 ZERO_PAGE == yes   # the shared zeropage
pin P 0x100000000000 4K ro       # PIN_LONGTERM_TEST_START
write P 0x100000000000 4K byte=0xff    # memset(mem, 0xff, size)
expect pinned_byte P 0 == 255          # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P 4095 == 255
unpin P
