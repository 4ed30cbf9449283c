# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_full, khugepaged_context, anon_ops):
# four fully written 2 MiB blocks, faulted as small pages (THP switch at
# madvise, no MADV_HUGEPAGE yet), are collapsed by khugepaged once the range
# is MADV_HUGEPAGE (wait_for_scan(): two full scans) into four THPs with
# their content.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 8M
write P 0x100000000000 8M unique
expect smaps P AnonHugePages == 0          # "Unexpected huge page"
madvise P 0x100000000000 8M hugepage
khugepaged scan 2
expect smaps P AnonHugePages == 8192       # check_huge(): four THPs
expect folio_order P 0x100000600000 == 9
expect byte P 0x100000000000 == 193
expect byte P 0x1000007ff000 == 171
