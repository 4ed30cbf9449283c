# Linux runs it only with gup_test (CONFIG_GUP_TEST), which distributions leave out:
# scripts/build-gup-kernel.sh builds Debian's 7.3.4 with it, for the qemu runs
# (tests/era); elsewhere the kernel run stops at the pin, "not on this machine".
# Linux 7.3.4 tools/testing/selftests/mm/cow.c, non_anon_test_cases[] row
# "R/O longterm GUP pin", run "with huge zeropage" (run_with_huge_zeropage(),
# test_ro_pin()): a R/O longterm pin of the huge zero folio must unshare
# it first, or the pin would not see the write that follows.
thp 2M madvise
proc P
mmap P 0x100000000000 4M            # mmap_mem, twice the PMD size
mmap P 0x100000400000 4M r          # mmap_smem, PROT_READ
madvise P 0x100000200000 2M hugepage
madvise P 0x100000600000 2M hugepage
read P 0x100000200000 4K
read P 0x100000600000 4K
expect present P 0x100000201000 == yes   # else "Did not get THPs populated"
expect present P 0x100000601000 == yes
expect kpageflags P 0x100000200000 ZERO_PAGE == yes
pin P 0x100000200000 2M ro       # PIN_LONGTERM_TEST_START
write P 0x100000200000 2M byte=0xff    # memset(mem, 0xff, size)
expect pinned_byte P 0 == 255          # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P 2097151 == 255
unpin P
