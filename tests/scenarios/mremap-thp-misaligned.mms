# mremap of a THP to an address off the 2 MiB alignment splits the PMD: the
# order-9 folio is mapped by PTEs at the new place (no AnonHugePages).
thp 2M always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=7
mremap A 0x100000000000 2M 0x100000401000
expect folio_order A 0x100000401000 == 9
expect kpagecount A 0x100000401000 == 1
expect exclusive A 0x100000401000 == yes
expect smaps A AnonHugePages == 0
expect smaps A Rss == 2048
expect byte A 0x100000600fff == 7
