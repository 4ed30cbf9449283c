# MADV_DONTNEED of private anonymous pages throws their content away: the
# next read sees zeroes (the zero page), and Rss drops.
proc A
mmap A 0x100000000000 16K
write A 0x100000000000 16K pattern=0x1111111111111111
madvise A 0x100000001000 8K dontneed
expect present A 0x100000001000 == no
expect smaps A Rss == 8
expect byte A 0x100000001000 == 0
expect byte A 0x100000002fff == 0
expect byte A 0x100000003000 == 17
expect kpageflags A 0x100000002000 ZERO_PAGE == yes
expect same_frame A 0x100000001000 A 0x100000002000 == yes
expect smaps A Rss == 8
