# With 2M and 64K enabled, a VMA too small for a 2 MiB block gets 64 KiB
# folios instead; a 2 MiB-aligned VMA next to it gets a PMD-mapped THP.
thp 2M always
thp 64K always
proc A
mmap A 0x100000000000 1M
mmap A 0x100000400000 2M
write A 0x100000000000 4K byte=1
write A 0x100000400000 4K byte=2
expect folio_order A 0x100000000000 == 4
expect folio_order A 0x100000400000 == 9
expect present A 0x100000010000 == no
expect smaps A Rss == 2112
expect smaps A AnonHugePages == 2048
