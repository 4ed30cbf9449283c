# A 256 KiB mTHP (order 6) in a 1 MiB VMA: two writes in different blocks
# give two folios; the untouched blocks stay empty.
thp 256K always
proc A
mmap A 0x100000000000 1M
write A 0x100000000000 4K byte=1
write A 0x1000000c0000 4K byte=2
expect folio_order A 0x10000003f000 == 6
expect folio_order A 0x1000000ff000 == 6
expect present A 0x100000040000 == no
expect present A 0x100000080000 == no
expect smaps A Rss == 512
expect smaps A Private_Dirty == 512
expect smaps A AnonHugePages == 0
