# A huge zero PMD needs the whole aligned 2 MiB inside the VMA: a VMA that
# misses the alignment reads the small zero page instead.
thp 2M always
proc A
mmap A 0x100000001000 2M
read A 0x100000001000 4K
read A 0x100000200000 4K
expect folio_order A 0x100000001000 == 0
expect folio_order A 0x100000200000 == 0
expect kpageflags A 0x100000200000 ZERO_PAGE == yes
expect present A 0x100000002000 == no
expect smaps A Rss == 0
