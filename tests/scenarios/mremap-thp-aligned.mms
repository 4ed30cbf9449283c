# mremap of a whole PMD-mapped THP between 2 MiB-aligned addresses moves
# the PMD itself: still one order-9 folio, still AnonHugePages.
thp 2M always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=7
mremap A 0x100000000000 2M 0x100000400000
expect present A 0x100000000000 == no
expect folio_order A 0x100000400000 == 9
expect kpagecount A 0x100000401000 == 1
expect exclusive A 0x100000401000 == yes
expect smaps A AnonHugePages == 2048
expect smaps A Rss == 2048
expect byte A 0x1000005fffff == 7
