# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_max_ptes_shared, khugepaged_context, anon_ops):
# alloc_hpage(), shared over fork(); khugepaged enforces max_ptes_shared
# (256): with 255 pages CoW'd in the child, 257 stay shared and the child's
# range is not collapsed; with 256 CoW'd it is. The parent keeps its THP.
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
expect errno madvise P 0x100000000000 2M collapse == 0   # alloc_hpage()
madvise P 0x100000000000 2M hugepage
fork P C
expect smaps C AnonHugePages == 2048       # "Share huge page over fork()"
write C 0x100000000000 1020K byte=0x5a     # "Trigger CoW on page 255 of 512"
expect smaps C AnonHugePages == 0
khugepaged scan 2                          # "Maybe collapse with max_ptes_shared exceeded"
expect smaps C AnonHugePages == 0          # enforced: not collapsed
write C 0x100000000000 1M byte=0x5a        # "Trigger CoW on page 256 of 512"
khugepaged scan 2                          # "Collapse with max_ptes_shared PTEs shared"
expect smaps C AnonHugePages == 2048
expect byte C 0x1000000fffff == 90
expect byte C 0x100000100000 == 152
expect same_frame P 0x100000100000 C 0x100000100000 == no
exit C
expect smaps P AnonHugePages == 2048       # "Check if parent still has huge page"
