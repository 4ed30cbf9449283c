# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_full_of_compound, khugepaged_context, anon_ops):
# alloc_hpage(), then MADV_NOHUGEPAGE of its first page splits the PMD (the
# VMA splits, then merges back with the second MADV_NOHUGEPAGE): a PTE table
# full of the large folio's pages; MADV_COLLAPSE makes a THP of it again.
# khugepaged_context: the last collapse is khugepaged's (MADV_HUGEPAGE, two full
# scans), with the selftest's default settings; alloc_hpage() still uses MADV_COLLAPSE.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
expect errno madvise P 0x100000000000 2M collapse == 0
madvise P 0x100000000000 2M hugepage
madvise P 0x100000000000 4K nohugepage
madvise P 0x100000000000 2M nohugepage
expect smaps P AnonHugePages == 0          # the PMD split, the folio kept
expect folio_order P 0x100000001000 == 9
expect vma_end P 0x100000000000 == 0x100000200000   # merged back
madvise P 0x100000000000 2M hugepage
khugepaged scan 2                          # khugepaged_collapse(): wait_for_scan()
expect smaps P AnonHugePages == 2048
expect byte P 0x100000000000 == 193
expect byte P 0x1000001ff000 == 29
