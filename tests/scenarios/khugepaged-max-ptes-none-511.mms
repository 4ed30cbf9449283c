# khugepaged with max_ptes_none=511 (the kernel's default): a 2M block with one
# page written becomes a whole THP, 511 zeroed pages more: the THP bloat.
# A block with only the zero page mapped stays (512 none or zero, no page used).
thp 2M madvise
proc A
mmap A 0x100000000000 6M
write A 0x100000000000 4K byte=0x11
write A 0x100000200000 32K byte=0x22
read A 0x100000400000 4K
expect smaps A Rss == 36
expect folio_order A 0x100000000000 == 0
madvise A 0x100000000000 6M hugepage
khugepaged max_ptes_none=511
khugepaged scan 1
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x100000200000 == 9
expect folio_order A 0x100000400000 == 0
expect smaps A AnonHugePages == 4096
expect smaps A Rss == 4096
expect byte A 0x100000000000 == 17
expect byte A 0x100000001000 == 0
expect byte A 0x100000207000 == 34
expect byte A 0x100000208000 == 0
expect exclusive A 0x100000000000 == yes
