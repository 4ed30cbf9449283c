# One write to a 2 MiB-aligned range with 2M THP enabled faults in a whole
# PMD-mapped 2 MiB folio: every page exclusive, counted once.
thp 2M always
proc A
mmap A 0x100000000000 4M
poke A 0x100000000100 42
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x1000001ff000 == 9
expect kpagecount A 0x100000005000 == 1
expect exclusive A 0x1000001ff000 == yes
expect kpageflags A 0x100000000000 COMPOUND_HEAD == yes
expect kpageflags A 0x100000001000 COMPOUND_TAIL == yes
expect kpageflags A 0x100000001000 THP == yes
expect smaps A Rss == 2048
expect smaps A AnonHugePages == 2048
expect present A 0x100000200000 == no
expect byte A 0x100000000100 == 42
