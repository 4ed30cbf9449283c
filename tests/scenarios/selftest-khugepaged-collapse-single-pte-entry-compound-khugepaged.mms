# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_single_pte_entry_compound, khugepaged_context, anon_ops):
# alloc_hpage(): a written 2 MiB range made a THP by MADV_COLLAPSE; then
# MADV_NOHUGEPAGE and MADV_DONTNEED of all but its first page leave one PTE
# mapping the large folio; MADV_COLLAPSE makes a THP of it again.
# khugepaged_context: the last collapse is khugepaged's (MADV_HUGEPAGE, two full
# scans), with the selftest's default settings; alloc_hpage() still uses MADV_COLLAPSE.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
expect errno madvise P 0x100000000000 2M collapse == 0
expect smaps P AnonHugePages == 2048
madvise P 0x100000000000 2M hugepage
expect byte P 0x100000000000 == 193
madvise P 0x100000000000 2M nohugepage
madvise P 0x100000001000 0x1ff000 dontneed
expect smaps P AnonHugePages == 0          # "Split huge page leaving single PTE"
expect folio_order P 0x100000000000 == 9
expect smaps P Rss == 4
madvise P 0x100000000000 2M hugepage
khugepaged scan 2                          # khugepaged_collapse(): wait_for_scan()
expect smaps P AnonHugePages == 2048
expect byte P 0x100000000000 == 193
