# With only 16K mTHP enabled a write fault maps the aligned 16 KiB block
# around the faulting address with one order-2 folio; neighbours stay empty.
thp 16K always
proc A
mmap A 0x100000000000 64K
poke A 0x100000006000 3
expect folio_order A 0x100000004000 == 2
expect folio_order A 0x100000007000 == 2
expect present A 0x100000003000 == no
expect present A 0x100000008000 == no
expect kpageflags A 0x100000004000 COMPOUND_HEAD == yes
expect kpageflags A 0x100000006000 COMPOUND_TAIL == yes
expect kpagecount A 0x100000005000 == 1
expect exclusive A 0x100000007000 == yes
expect smaps A Rss == 16
expect smaps A AnonHugePages == 0
expect byte A 0x100000006000 == 3
expect byte A 0x100000004000 == 0
