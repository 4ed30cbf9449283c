# MADV_COLLAPSE of a range only read (shared zero pages) but for one written page:
# zero pages count as holes, and the THP holds zeroes there.
proc A
mmap A 0x100000000000 2M
read A 0x100000100000 64K
write A 0x100000000000 4K byte=9
probe kpageflags A 0x100000100000 ZERO_PAGE
probe smaps A Rss
madvise A 0x100000000000 2M collapse
probe folio_order A 0x100000100000
probe kpageflags A 0x100000100000 ZERO_PAGE
probe smaps A Rss
probe byte A 0x100000100000
probe byte A 0x100000000000
