# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_single_pte_entry, madvise_context, anon_ops):
# a 2 MiB range with one page written collapses with MADV_COLLAPSE (the THP
# switch at never, as __madvise_collapse() sets it: MADV_COLLAPSE ignores it)
# into a PMD-mapped THP; the page keeps its content, the rest reads zeroes.
# (fill_memory() writes one int a page; here the page is the unique fill.)
thp top never
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K unique
expect smaps P AnonHugePages == 0          # "Unexpected huge page"
madvise P 0x100000000000 2M hugepage       # clear VM_NOHUGEPAGE
madvise P 0x100000000000 2M collapse
expect smaps P AnonHugePages == 2048       # check_huge(): collapsed
expect folio_order P 0x100000000000 == 9
expect byte P 0x100000000000 == 193
expect byte P 0x100000000ff8 == 102
expect byte P 0x100000001000 == 0
expect byte P 0x1000001fffff == 0
expect smaps P Rss == 2048
