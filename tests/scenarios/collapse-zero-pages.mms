# MADV_COLLAPSE of a range only read (shared zero pages) but for one written page:
# zero pages count as holes, and the THP holds zeroes there.
proc A
mmap A 0x100000000000 2M
read A 0x100000100000 64K
write A 0x100000000000 4K byte=9
expect kpageflags A 0x100000100000 ZERO_PAGE == yes
expect smaps A Rss == 4
madvise A 0x100000000000 2M collapse
expect folio_order A 0x100000100000 == 9
expect kpageflags A 0x100000100000 ZERO_PAGE == no
expect smaps A Rss == 2048
expect byte A 0x100000100000 == 0
expect byte A 0x100000000000 == 9
