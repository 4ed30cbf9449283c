# MADV_COLLAPSE of a range of PTE-mapped 64K folios, one of them shared with a child.
thp 64K always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=0x55
expect folio_order A 0x100000000000 == 4
fork A B
munmap B 0x100000010000 0x1f0000
expect madvise_collapse A 0x100000000000 2M == 0
expect folio_order A 0x100000000000 == 9
expect folio_order B 0x100000000000 == 4
expect kpagecount B 0x100000000000 == 1
expect exclusive B 0x100000000000 == yes
expect smaps A Rss == 2048
expect smaps B Rss == 64
expect smaps A AnonHugePages == 2048
