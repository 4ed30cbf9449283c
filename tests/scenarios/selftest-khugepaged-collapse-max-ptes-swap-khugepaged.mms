# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_max_ptes_swap, khugepaged_context, anon_ops):
# khugepaged enforces max_ptes_swap (64): with 65 of 512 pages swapped out
# the range is not collapsed; faulted back in and 64 swapped out, it is.
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp top madvise                            # default_settings: THP_MADVISE
thp 2M inherit                             # hugepages[pmd_order]: THP_INHERIT
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
madvise P 0x100000000000 260K pageout      # "Swapout 65 of 512 pages"
expect swapped P 0x100000040000 == yes     # check_swap()
madvise P 0x100000000000 2M hugepage
khugepaged scan 2                          # "Maybe collapse with max_ptes_swap exceeded"
expect smaps P AnonHugePages == 0          # enforced: not collapsed
expect smaps P Swap == 260
write P 0x100000000000 2M unique           # ops->fault(): every page back in
madvise P 0x100000000000 256K pageout      # "Swapout 64 of 512 pages"
expect swapped P 0x10000003f000 == yes
expect swapped P 0x100000040000 == no
khugepaged scan 2                          # "Collapse with max_ptes_swap pages swapped out"
expect smaps P AnonHugePages == 2048
expect smaps P Swap == 0
