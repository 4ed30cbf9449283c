# mremap of 16 KiB out of a 64 KiB folio moves those PTEs: both ranges map
# pages of the same order-4 folio, each page still mapped once.
thp 64K always
proc A
mmap A 0x100000000000 64K
write A 0x100000000000 64K byte=1
mremap A 0x100000004000 16K 0x100000104000
expect present A 0x100000004000 == no
expect folio_order A 0x100000104000 == 4
expect folio_order A 0x100000000000 == 4
expect kpagecount A 0x100000104000 == 1
expect exclusive A 0x100000107000 == yes
expect smaps A Rss == 64
write A 0x100000104000 4K byte=2
expect folio_order A 0x100000104000 == 4
write A 0x100000000000 4K byte=3
expect folio_order A 0x100000000000 == 4
expect byte A 0x100000105000 == 1
