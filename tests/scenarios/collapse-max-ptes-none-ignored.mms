# MADV_COLLAPSE ignores max_ptes_none: 3 written pages, the rest holes and zero pages.
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 4K byte=1
write A 0x100000100000 4K byte=2
read A 0x100000080000 64K
write A 0x1000001ff000 4K byte=3
madvise A 0x100000000000 2M collapse
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x100000080000 == 9
expect byte A 0x100000100000 == 2
expect byte A 0x100000080000 == 0
expect byte A 0x100000040000 == 0
expect smaps A Rss == 2048
expect smaps A AnonHugePages == 2048
