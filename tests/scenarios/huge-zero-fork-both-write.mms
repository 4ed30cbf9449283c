# A huge zero PMD shared by parent and child: each side's write gets its
# own fresh THP, and the two never share a frame.
thp 2M always
proc P
mmap P 0x100000000000 2M
read P 0x100000000000 4K
fork P C
write P 0x100000000000 4K byte=1
expect folio_order P 0x100000000000 == 9
expect kpageflags C 0x100000000000 ZERO_PAGE == yes
expect smaps P AnonHugePages == 2048
expect smaps C Rss == 0
write C 0x100000001000 4K byte=2
expect folio_order C 0x100000000000 == 9
expect same_frame P 0x100000001000 C 0x100000001000 == no
expect kpagecount C 0x100000001000 == 1
expect exclusive C 0x100000001000 == yes
expect byte C 0x100000000000 == 0
expect byte P 0x100000001000 == 0
