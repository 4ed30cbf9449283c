# MADV_COLLAPSE of a fully written 2M range: one THP, whatever the THP switches say.
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=0x11
expect folio_order A 0x100000000000 == 0
madvise A 0x100000000000 2M collapse
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x1000001ff000 == 9
expect kpageflags A 0x100000000000 THP == yes
expect smaps A AnonHugePages == 2048
expect smaps A Rss == 2048
expect exclusive A 0x100000001000 == yes
expect byte A 0x100000123000 == 17
expect kpagecount A 0x100000000000 == 1
