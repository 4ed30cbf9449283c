# The child unmaps half of a 64 KiB folio it shares with its parent: those
# parent pages are then mapped once (exclusive, PTE-mapped), the other half
# stays shared; the folio stays order 4 in both. Writes still copy: the
# child maps other pages of the folio, so it is not reused even for a page
# the parent alone maps.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
munmap C 0x100000008000 32K
expect kpagecount P 0x100000008000 == 1
expect exclusive P 0x100000008000 == yes
expect kpagecount P 0x100000000000 == 2
expect exclusive P 0x100000000000 == no
expect folio_order C 0x100000000000 == 4
expect present C 0x100000008000 == no
expect smaps P Pss == 48
expect smaps C Pss == 16
expect smaps C Rss == 32
write P 0x100000008000 4K byte=2
expect folio_order P 0x100000008000 == 0
write P 0x100000000000 4K byte=2
expect folio_order P 0x100000000000 == 0
