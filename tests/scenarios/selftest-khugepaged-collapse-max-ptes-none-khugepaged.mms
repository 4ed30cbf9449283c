# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_max_ptes_none, khugepaged_context, anon_ops):
# khugepaged enforces max_ptes_none (256 here): 255 written pages leave 257
# empty entries and no collapse ("Maybe collapse with max_ptes_none
# exceeded", expected not to); 256 written pages leave 256 and collapse.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=256 max_ptes_swap=64 max_ptes_shared=256   # hpage_pmd_nr / 2
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 1020K unique        # 255 pages
madvise P 0x100000000000 2M hugepage
khugepaged scan 2
expect smaps P AnonHugePages == 0          # not collapsed: 257 empty entries
expect folio_order P 0x100000000000 == 0
expect smaps P Rss == 1020
munmap P 0x100000000000 2M                 # cleanup_area(), setup_area()
mmap P 0x100000000000 2M
write P 0x100000000000 1M unique           # 256 pages
madvise P 0x100000000000 2M hugepage
khugepaged scan 2
expect smaps P AnonHugePages == 2048       # "Collapse with max_ptes_none PTEs empty"
expect folio_order P 0x100000000000 == 9
expect byte P 0x1000000ff000 == 54
expect byte P 0x100000100000 == 0
