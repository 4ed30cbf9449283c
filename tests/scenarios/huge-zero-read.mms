# With 2M THP enabled, a read of an untouched aligned 2 MiB maps the huge
# zero folio with one PMD: order 9, counted by nobody, not in Rss.
thp 2M always
proc A
mmap A 0x100000000000 2M
read A 0x100000000000 4K
expect folio_order A 0x100000000000 == 9
expect kpagecount A 0x100000003000 == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect kpageflags A 0x100000000000 COMPOUND_HEAD == yes
expect kpageflags A 0x100000003000 COMPOUND_TAIL == yes
expect kpageflags A 0x100000003000 THP == yes
expect exclusive A 0x100000000000 == no
expect smaps A Rss == 0
expect smaps A AnonHugePages == 0
