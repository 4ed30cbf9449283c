# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_swapin_single_pte, madvise_context, anon_ops):
# a written 2 MiB range of small pages with one page swapped out collapses with
# MADV_COLLAPSE (THP switch at never), which reads the page back first.
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp top never
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
madvise P 0x100000000000 4K pageout        # "Swapout one page"
expect swapped P 0x100000000000 == yes     # check_swap()
madvise P 0x100000000000 2M hugepage
expect errno madvise P 0x100000000000 2M collapse == 0
expect smaps P AnonHugePages == 2048       # "Collapse with swapping in single PTE entry"
expect smaps P Swap == 0
expect byte P 0x100000000000 == 193        # validate_memory()
expect byte P 0x1000001ff000 == 29        # the fill's byte, as Linux 6.18.44 reads it unswapped
