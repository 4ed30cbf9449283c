# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_fork, khugepaged_context, anon_ops):
# one small page shared over fork(); the child writes a second page, and
# khugepaged collapses the child's 2 MiB MADV_HUGEPAGE range (max_ptes_shared
# 256 allows the shared page): the child gets a THP holding the shared page's
# content, the parent keeps its small page.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K unique
expect smaps P AnonHugePages == 0          # "Allocate small page"
fork P C
expect smaps C AnonHugePages == 0          # "Share small page over fork()"
write C 0x100000001000 4K unique
madvise C 0x100000000000 2M hugepage
khugepaged scan 2
expect smaps C AnonHugePages == 2048       # the child's range collapsed
expect smaps P AnonHugePages == 0          # "Check if parent still has small page"
expect byte C 0x100000000000 == 193
expect byte P 0x100000000000 == 193
expect same_frame P 0x100000000000 C 0x100000000000 == no
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
exit C
expect byte P 0x100000000000 == 193
