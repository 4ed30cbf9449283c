# Unmapping half of a PMD-mapped THP splits the PMD, not the folio: the
# remaining pages stay mapped by PTEs of an order-9 folio.
thp 2M always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 4K byte=1
munmap A 0x100000100000 1M
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x1000000ff000 == 9
expect kpagecount A 0x1000000ff000 == 1
expect exclusive A 0x100000000000 == yes
expect present A 0x100000100000 == no
expect smaps A Rss == 1024
expect smaps A AnonHugePages == 0
