# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_max_ptes_none, madvise_context, anon_ops):
# khugepaged's max_ptes_none at 256, 255 pages written: MADV_COLLAPSE does not
# enforce the limit ("Maybe collapse with max_ptes_none exceeded" expects a
# THP in the madvise context), and the written pages keep their content.
thp top never
khugepaged max_ptes_none=256
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 1020K unique
madvise P 0x100000000000 2M hugepage
expect errno madvise P 0x100000000000 2M collapse == 0
expect smaps P AnonHugePages == 2048
expect byte P 0x100000000000 == 193
expect byte P 0x1000000fe000 == 171
expect byte P 0x1000000ff000 == 0
