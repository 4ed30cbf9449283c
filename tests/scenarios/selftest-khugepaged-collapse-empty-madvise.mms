# Linux 7.3.4 tools/testing/selftests/mm/khugepaged.c, TEST(collapse_empty, madvise_context, anon_ops):
# MADV_COLLAPSE of a 2 MiB range nothing was written to fails (the selftest
# expects a failure: "Do not collapse empty PTE table") and makes no THP.
thp top never
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M hugepage
expect errno madvise P 0x100000000000 2M collapse == EINVAL
expect smaps P AnonHugePages == 0
expect present P 0x100000000000 == no
