# mremap of a whole 64 KiB folio to another 64 KiB-aligned address keeps it
# one order-4 folio; a later fault next to it still gets a fresh one.
thp 64K always
proc A
mmap A 0x100000000000 128K
write A 0x100000000000 4K byte=1
mremap A 0x100000000000 64K 0x100000200000
expect folio_order A 0x100000200000 == 4
expect folio_order A 0x10000020f000 == 4
expect kpagecount A 0x100000200000 == 1
expect exclusive A 0x10000020f000 == yes
expect present A 0x100000000000 == no
write A 0x100000010000 4K byte=2
expect folio_order A 0x100000010000 == 4
expect smaps A Rss == 128
expect byte A 0x100000200000 == 1
