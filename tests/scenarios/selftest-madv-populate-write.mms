# Linux 7.3.4 tools/testing/selftests/mm/madv_populate.c, test_populate_write():
# 2 MiB not populated; MADV_POPULATE_WRITE succeeds and populates every page
# with its own writable, exclusive page.
proc P
mmap P 0x100000000000 2M
expect present P 0x100000000000 == no
expect present P 0x1000001ff000 == no
madvise P 0x100000000000 2M populate_write
expect present P 0x100000000000 == yes
expect present P 0x100000100000 == yes
expect present P 0x1000001ff000 == yes
expect kpageflags P 0x100000000000 ZERO_PAGE == no
expect exclusive P 0x100000000000 == yes
expect same_frame P 0x100000000000 P 0x1000001ff000 == no
expect smaps P Rss == 2048
expect smaps P Private_Dirty == 2048
expect byte P 0x100000001234 == 0
