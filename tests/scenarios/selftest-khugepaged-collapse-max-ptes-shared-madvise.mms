# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_max_ptes_shared, madvise_context, anon_ops):
# alloc_hpage(), shared over fork(); the child writes 255 of its 512 pages
# (COW: 257 stay shared, above max_ptes_shared 256), and MADV_COLLAPSE, which
# does not enforce the limit, still makes the child a THP; the parent keeps
# its own.
thp top madvise
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M unique
expect errno madvise P 0x100000000000 2M collapse == 0
madvise P 0x100000000000 2M hugepage
fork P C
expect smaps C AnonHugePages == 2048
write C 0x100000000000 1020K byte=0x5a
expect smaps C AnonHugePages == 0          # "Trigger CoW on page 255 of 512"
expect kpagecount C 0x1000001ff000 == 2
thp top never
madvise C 0x100000000000 2M hugepage
expect errno madvise C 0x100000000000 2M collapse == 0
expect smaps C AnonHugePages == 2048
expect byte C 0x100000000000 == 0x5a
expect byte C 0x1000001ff000 == 29
exit C
expect smaps P AnonHugePages == 2048
expect byte P 0x1000001ff000 == 29
