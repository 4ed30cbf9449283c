# Linux 7.3.4 tools/testing/selftests/mm/madv_populate.c, test_prot_read(), in part:
# MADV_POPULATE_READ of a PROT_READ mapping succeeds and populates it. The
# second half of the case, MADV_POPULATE_WRITE failing with EINVAL, needs a
# way to expect a failed call, which the language lacks.
proc P
mmap P 0x100000000000 2M r
madvise P 0x100000000000 2M populate_read
expect present P 0x100000000000 == yes
expect present P 0x1000001ff000 == yes
expect kpageflags P 0x1000001ff000 ZERO_PAGE == yes
expect smaps P Rss == 0
