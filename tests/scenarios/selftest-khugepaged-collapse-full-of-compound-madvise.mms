# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_full_of_compound, madvise_context, anon_ops):
# alloc_hpage(), then MADV_NOHUGEPAGE of its first page splits the PMD (the
# VMA splits, then merges back with the second MADV_NOHUGEPAGE): a PTE table
# full of the large folio's pages; MADV_COLLAPSE makes a THP of it again.
thp top madvise
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
expect errno madvise P 0x100000000000 2M collapse == 0
madvise P 0x100000000000 2M hugepage
madvise P 0x100000000000 4K nohugepage
madvise P 0x100000000000 2M nohugepage
expect smaps P AnonHugePages == 0          # the PMD split, the folio kept
expect folio_order P 0x100000001000 == 9
expect vma_end P 0x100000000000 == 0x100000200000   # merged back
thp top never
madvise P 0x100000000000 2M hugepage
expect errno madvise P 0x100000000000 2M collapse == 0
expect smaps P AnonHugePages == 2048
expect byte P 0x100000000000 == 193
expect byte P 0x1000001ff000 == 29
