# The parent exits while its child still maps the pages it forked: they
# are then mapped once, exclusive in the child, and the child's writes
# reuse them (small pages and a 64 KiB folio alike).
thp 64K always
proc P
mmap P 0x100000000000 64K
mmap P 0x100000100000 8K
write P 0x100000000000 64K byte=1
write P 0x100000100000 8K byte=2
fork P C
expect kpagecount C 0x100000000000 == 2
exit P
expect kpagecount C 0x100000000000 == 1
expect exclusive C 0x100000000000 == yes
expect kpagecount C 0x100000100000 == 1
expect exclusive C 0x100000101000 == yes
expect smaps C Pss == 72
write C 0x100000003000 4K byte=3
expect folio_order C 0x100000003000 == 4
write C 0x100000100000 4K byte=4
expect kpagecount C 0x100000100000 == 1
expect byte C 0x100000101000 == 2
expect smaps C Rss == 72
