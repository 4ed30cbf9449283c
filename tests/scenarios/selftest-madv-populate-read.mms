# Linux 7.3.4 tools/testing/selftests/mm/madv_populate.c, test_populate_read():
# 2 MiB of private anonymous memory is not populated; MADV_POPULATE_READ
# succeeds and populates every page (pagemap's present bit), here with the
# shared zero page.
proc P
mmap P 0x100000000000 2M
expect present P 0x100000000000 == no
expect present P 0x1000001ff000 == no
madvise P 0x100000000000 2M populate_read
expect present P 0x100000000000 == yes
expect present P 0x100000100000 == yes
expect present P 0x1000001ff000 == yes
expect kpageflags P 0x100000000000 ZERO_PAGE == yes
expect same_frame P 0x100000000000 P 0x1000001ff000 == yes
expect smaps P Rss == 0
expect byte P 0x100000001234 == 0
