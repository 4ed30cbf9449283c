# Linux 7.3.4 tools/testing/selftests/mm/madv_populate.c, test_prot_read():
# MADV_POPULATE_READ of a PROT_READ mapping succeeds and populates it (with
# the shared zero page); MADV_POPULATE_WRITE of it fails with EINVAL.
proc P
mmap P 0x100000000000 2M r
expect errno madvise P 0x100000000000 2M populate_read == 0
expect present P 0x100000000000 == yes
expect present P 0x1000001ff000 == yes
expect kpageflags P 0x1000001ff000 ZERO_PAGE == yes
expect smaps P Rss == 0
expect errno madvise P 0x100000000000 2M populate_write == EINVAL
expect kpageflags P 0x100000000000 ZERO_PAGE == yes
expect smaps P Rss == 0
