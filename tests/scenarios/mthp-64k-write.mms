# With 64K mTHP enabled a write fault maps the whole aligned 64 KiB block
# with one order-4 folio, even when the faulting address is not aligned.
thp 64K always
proc A
mmap A 0x100000000000 256K
poke A 0x100000013000 1
expect folio_order A 0x100000010000 == 4
expect folio_order A 0x10000001f000 == 4
expect present A 0x10000000f000 == no
expect present A 0x100000020000 == no
expect kpagecount A 0x100000010000 == 1
expect exclusive A 0x10000001f000 == yes
expect kpageflags A 0x100000010000 COMPOUND_HEAD == yes
expect kpageflags A 0x100000011000 THP == yes
expect same_frame A 0x100000010000 A 0x100000013000 == no
expect smaps A Rss == 64
expect smaps A AnonHugePages == 0
