# Once the child unmaps its copy of the range, the parent's writes reuse
# the pages of its 64 KiB folio in place, no copy (large-folio reuse, 6.15+).
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
expect exclusive P 0x100000004000 == no
munmap C 0x100000000000 64K
expect kpagecount P 0x100000004000 == 1
expect exclusive P 0x100000004000 == yes
write P 0x100000004000 4K byte=2
expect folio_order P 0x100000004000 == 4
expect same_frame P 0x100000004000 P 0x100000005000 == no
write P 0x100000005000 8K byte=3
expect folio_order P 0x100000006000 == 4
expect smaps P Rss == 64
expect smaps P Pss == 64
expect smaps P Private_Dirty == 64
