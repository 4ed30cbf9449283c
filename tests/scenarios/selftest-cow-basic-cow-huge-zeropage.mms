# Linux 7.3.4 tools/testing/selftests/mm/cow.c, non_anon_test_cases[] row
# "Basic COW", run "with huge zeropage" (run_with_huge_zeropage(), test_cow()):
# two MADV_HUGEPAGE ranges read so both map the huge zero folio; a write of
# the whole 2 MiB of one must leave the other reading zeroes.
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
expect folio_order P 0x100000200000 == 9
expect kpageflags P 0x100000600000 ZERO_PAGE == yes
expect same_frame P 0x100000200000 P 0x100000600000 == yes
write P 0x100000200000 2M byte=0xff
expect byte P 0x100000600000 == 0
expect byte P 0x1000007fffff == 0
expect byte P 0x1000003fffff == 255
expect folio_order P 0x100000200000 == 9
expect folio_order P 0x100000600000 == 9
expect kpageflags P 0x100000600000 ZERO_PAGE == yes
expect smaps P Rss == 2048
expect smaps P AnonHugePages == 2048
