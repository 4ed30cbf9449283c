# Parent and child both write page 5 of a shared THP: both PMDs get split
# and both writers get a 4 KiB copy; the original page 5 is then mapped by
# nobody while the other 511 pages stay shared.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
write C 0x100000005000 4K byte=2
write P 0x100000005000 4K byte=3
expect folio_order P 0x100000005000 == 0
expect folio_order C 0x100000005000 == 0
expect same_frame P 0x100000005000 C 0x100000005000 == no
expect kpagecount P 0x100000006000 == 2
expect smaps P AnonHugePages == 0
expect smaps C AnonHugePages == 0
expect smaps P Pss == 1026
expect smaps P Rss == 2048
expect byte P 0x100000005000 == 3
expect byte C 0x100000005000 == 2
