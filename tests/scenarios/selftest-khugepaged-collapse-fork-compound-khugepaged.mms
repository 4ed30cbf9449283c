# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_fork_compound, khugepaged_context, anon_ops):
# alloc_hpage(), shared over fork(); the child splits the PMD (MADV_NOHUGEPAGE
# of one page, then of all), writes its first page and, with max_ptes_shared
# at 511, collapses: a THP of its own; the parent keeps the shared THP.
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
fork P C
expect smaps C AnonHugePages == 2048      # "Share huge page over fork()"
madvise C 0x100000000000 4K nohugepage
madvise C 0x100000000000 2M nohugepage
expect smaps C AnonHugePages == 0          # "Split huge page PMD in child process"
write C 0x100000000000 4K unique
khugepaged max_ptes_shared=511
madvise C 0x100000000000 2M hugepage
khugepaged scan 2                          # khugepaged_collapse(): wait_for_scan()
expect smaps C AnonHugePages == 2048
expect byte C 0x100000000000 == 226
expect byte C 0x1000001ff000 == 29
expect same_frame P 0x100000001000 C 0x100000001000 == no
exit C
expect smaps P AnonHugePages == 2048      # "Check if parent still has huge page"
expect byte P 0x100000000000 == 193
expect byte P 0x1000001ff000 == 29
