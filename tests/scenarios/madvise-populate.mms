# MADV_POPULATE_READ / MADV_POPULATE_WRITE beyond madv_populate.c: a read
# populate maps the zero page (the huge zero folio in a 2M THP range) and
# leaves present pages alone; a write populate breaks COW of pages shared
# with a child, replaces the zero page, and writes nothing.
thp 2M always
proc P
mmap P 0x100000000000 16K
mmap P 0x100000200000 2M
write P 0x100000000000 8K byte=7
fork P C
madvise P 0x100000000000 16K populate_read
expect kpagecount P 0x100000000000 == 2
expect kpageflags P 0x100000002000 ZERO_PAGE == yes
madvise P 0x100000200000 2M populate_read
expect folio_order P 0x100000200000 == 9
expect kpageflags P 0x100000200000 ZERO_PAGE == yes
madvise P 0x100000000000 16K populate_write
expect same_frame P 0x100000000000 C 0x100000000000 == no
expect kpagecount C 0x100000000000 == 1
expect exclusive P 0x100000001000 == yes
expect kpageflags P 0x100000002000 ZERO_PAGE == no
expect byte P 0x100000001000 == 7
expect byte P 0x100000002000 == 0
expect smaps P Rss == 16
madvise P 0x100000200000 2M populate_write
expect folio_order P 0x100000200000 == 9
expect kpageflags P 0x100000200000 ZERO_PAGE == no
expect smaps P AnonHugePages == 2048
expect byte P 0x100000300000 == 0
