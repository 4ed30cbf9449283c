# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_full, madvise_context, anon_ops):
# four fully written 2 MiB blocks collapse with one MADV_COLLAPSE (THP switch
# at never, the range MADV_HUGEPAGE) into four THPs with their content.
thp top never
proc P
mmap P 0x100000000000 8M
write P 0x100000000000 8M unique
expect smaps P AnonHugePages == 0
madvise P 0x100000000000 8M hugepage
expect errno madvise P 0x100000000000 8M collapse == 0
expect smaps P AnonHugePages == 8192
expect folio_order P 0x100000600000 == 9
expect byte P 0x100000000000 == 193
expect byte P 0x1000007ff000 == 171
