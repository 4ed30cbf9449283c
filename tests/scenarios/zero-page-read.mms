# Reading untouched anonymous memory maps the shared zero page: present,
# never exclusive, counted by nobody (kpagecount 0) and not in Rss.
proc A
mmap A 0x100000000000 64K
read A 0x100000000000 16K
expect present A 0x100000000000 == yes
expect exclusive A 0x100000000000 == no
expect kpagecount A 0x100000000000 == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect kpageflags A 0x100000000000 ANON == no
expect same_frame A 0x100000000000 A 0x100000001000 == yes
expect folio_order A 0x100000000000 == 0
expect present A 0x100000004000 == no
expect smaps A Rss == 0
expect byte A 0x100000000123 == 0
