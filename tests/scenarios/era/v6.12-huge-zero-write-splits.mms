# Before 6.13 a write into the huge zero folio splits the PMD into PTEs of
# the small zero page and copies one 4 KiB page: no new THP.
kernel 6.12
thp 2M always
proc A
mmap A 0x100000000000 2M
read A 0x100000000000 2M
expect folio_order A 0x100000000000 == 9
write A 0x100000010000 4K byte=9
expect folio_order A 0x100000010000 == 0
expect folio_order A 0x100000000000 == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect kpageflags A 0x100000010000 ZERO_PAGE == no
expect exclusive A 0x100000010000 == yes
expect smaps A Rss == 4
expect smaps A AnonHugePages == 0
expect byte A 0x100000010000 == 9
expect byte A 0x100000011000 == 0
