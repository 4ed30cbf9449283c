# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_empty, khugepaged_context, anon_ops):
# khugepaged does not collapse a 2 MiB MADV_HUGEPAGE range nothing was written
# to ("Do not collapse empty PTE table": the selftest expects the wait to time
# out), and nothing gets mapped.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M hugepage
khugepaged scan 2
expect smaps P AnonHugePages == 0
expect present P 0x100000000000 == no
expect smaps P Rss == 0
