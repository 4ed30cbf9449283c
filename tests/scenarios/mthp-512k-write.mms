# A 512 KiB mTHP (order 7): a write in the middle of a 2 MiB VMA maps its
# aligned 512 KiB block; kpageflags marks every page THP.
thp 512K always
proc A
mmap A 0x100000000000 2M
poke A 0x100000123456 9
expect folio_order A 0x100000100000 == 7
expect folio_order A 0x10000017f000 == 7
expect present A 0x1000000ff000 == no
expect present A 0x100000180000 == no
expect kpageflags A 0x100000150000 THP == yes
expect kpageflags A 0x100000150000 COMPOUND_TAIL == yes
expect exclusive A 0x100000150000 == yes
expect smaps A Rss == 512
expect smaps A AnonHugePages == 0
expect byte A 0x100000123456 == 9
expect byte A 0x100000123457 == 0
