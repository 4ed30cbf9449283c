# Unmapping part of a huge zero PMD splits it into PTEs that map the small
# zero page: the rest still reads zero, order 0, still nothing in Rss.
thp 2M always
proc A
mmap A 0x100000000000 2M
read A 0x100000000000 4K
munmap A 0x100000100000 4K
expect present A 0x100000100000 == no
expect present A 0x100000000000 == yes
expect folio_order A 0x100000000000 == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect kpageflags A 0x100000000000 COMPOUND_HEAD == no
expect same_frame A 0x100000000000 A 0x100000001000 == yes
expect smaps A Rss == 0
write A 0x100000001000 4K byte=1
expect folio_order A 0x100000001000 == 0
expect smaps A Rss == 4
expect byte A 0x1000001ff000 == 0
