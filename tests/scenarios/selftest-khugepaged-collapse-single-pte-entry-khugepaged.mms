# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_single_pte_entry, khugepaged_context, anon_ops):
# a 2 MiB range with one page written collapses under khugepaged (max_ptes_none
# 511: 511 empty entries are allowed) into a PMD-mapped THP; the page keeps
# its content, the rest reads zeroes.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K unique
expect smaps P AnonHugePages == 0          # "Unexpected huge page"
madvise P 0x100000000000 2M hugepage
khugepaged scan 2
expect smaps P AnonHugePages == 2048       # check_huge(): collapsed
expect folio_order P 0x100000000000 == 9
expect byte P 0x100000000000 == 193
expect byte P 0x100000001000 == 0
expect smaps P Rss == 2048
