# After fork the parent writes first into a shared 64 KiB folio: it gets a
# 4 KiB copy, and the child's page of the folio, now mapped once, reads as
# exclusive at once (PTE-mapped: pagemap looks at that page's own count).
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
write P 0x100000000000 4K byte=2
expect folio_order P 0x100000000000 == 0
expect exclusive P 0x100000000000 == yes
expect kpagecount C 0x100000000000 == 1
expect exclusive C 0x100000000000 == yes
expect folio_order C 0x100000000000 == 4
expect kpagecount C 0x100000001000 == 2
expect exclusive C 0x100000001000 == no
expect smaps P Pss == 34
expect smaps C Pss == 34
expect smaps C Shared_Dirty == 60
write P 0x100000001000 4K byte=3
expect folio_order P 0x100000001000 == 0
expect smaps C Private_Dirty == 8
