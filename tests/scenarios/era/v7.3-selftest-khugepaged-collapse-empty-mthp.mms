# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_empty, mthp_khugepaged_context, anon_ops):
# khugepaged makes no mTHP of a 2 MiB range nothing was written to ("Do not
# collapse empty PTE table").
# run_vmtests.sh runs it as "khugepaged -c 4 mthp_khugepaged:anon": collapse_order
# 4 (64K). 7.3 collapses to mTHP orders (profile khugepaged_mthp); it runs on
# 7.3.4 under qemu and on the simulator in profile 7.3.
kernel 7.3
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
thp top never                              # mthp_khugepaged_collapse(): THP_NEVER,
thp 64K madvise                            # and hugepages-64kB at madvise
madvise P 0x100000000000 2M hugepage
khugepaged scan 2
expect present P 0x100000000000 == no
expect smaps P Rss == 0
