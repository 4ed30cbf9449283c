# A write to a page that maps the zero page replaces it with a private page.
proc A
mmap A 0x100000000000 16K
read A 0x100000000000 16K
write A 0x100000001000 4K byte=1
expect kpageflags A 0x100000001000 ZERO_PAGE == no
expect kpagecount A 0x100000001000 == 1
expect exclusive A 0x100000001000 == yes
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect smaps A Rss == 4
expect smaps A Private_Dirty == 4
expect byte A 0x100000001000 == 1
