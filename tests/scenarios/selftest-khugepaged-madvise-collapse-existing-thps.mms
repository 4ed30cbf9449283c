# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(madvise_collapse_existing_thps, madvise_context, anon_ops):
# a fully written 2 MiB range collapses into a THP with its content; a second
# MADV_COLLAPSE of the PMD-mapped THP succeeds too and changes nothing.
thp top never
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
expect smaps P AnonHugePages == 0
madvise P 0x100000000000 2M hugepage
madvise P 0x100000000000 2M collapse
expect smaps P AnonHugePages == 2048
expect byte P 0x100000000000 == 193
expect byte P 0x1000001ff000 == 29
madvise P 0x100000000000 2M collapse       # "Re-collapse PMD-mapped hugepage"
expect smaps P AnonHugePages == 2048
expect byte P 0x100000000000 == 193
expect byte P 0x1000001ff000 == 29
expect folio_order P 0x100000100000 == 9
