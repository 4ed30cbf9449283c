# Before 6.15 a write fault never reuses a large folio that is not
# PageAnonExclusive: after the child unmaps its copy, the parent holds every
# mapping of its 64 KiB folio, yet each write copies a 4 KiB page out of it.
kernel 6.12
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
munmap C 0x100000000000 64K
expect kpagecount P 0x100000004000 == 1
expect exclusive P 0x100000004000 == yes
write P 0x100000004000 4K byte=2
expect folio_order P 0x100000004000 == 0
expect folio_order P 0x100000005000 == 4
expect kpagecount P 0x100000005000 == 1
expect byte P 0x100000004000 == 2
expect smaps P Rss == 64
expect smaps P Private_Dirty == 64
