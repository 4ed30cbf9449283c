# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_max_ptes_swap, madvise_context, anon_ops):
# 65 of 512 pages swapped out, one more than max_ptes_swap (64): MADV_COLLAPSE
# does not enforce the limit ("Maybe collapse with max_ptes_swap exceeded",
# expected to collapse) and reads them all back.
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp top never
khugepaged max_ptes_none=511 max_ptes_swap=64 max_ptes_shared=256   # default_settings
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
madvise P 0x100000000000 260K pageout      # "Swapout 65 of 512 pages"
expect swapped P 0x100000040000 == yes     # check_swap()
expect smaps P Swap == 260
madvise P 0x100000000000 2M hugepage
expect errno madvise P 0x100000000000 2M collapse == 0
expect smaps P AnonHugePages == 2048
expect smaps P Swap == 0
expect byte P 0x100000000000 == 193        # validate_memory()
expect byte P 0x100000040000 == 172        # the fill's byte, as Linux 6.18.44 reads it unswapped
