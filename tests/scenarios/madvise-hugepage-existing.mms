# MADV_HUGEPAGE on a mapping with a "madvise" size changes only later
# faults: pages already faulted stay small, new blocks get 64 KiB folios.
thp 64K madvise
proc A
mmap A 0x100000000000 128K
write A 0x100000000000 4K byte=1
madvise A 0x100000000000 128K hugepage
write A 0x100000001000 4K byte=2
write A 0x100000010000 4K byte=3
expect folio_order A 0x100000000000 == 0
expect folio_order A 0x100000001000 == 0
expect folio_order A 0x100000010000 == 4
expect present A 0x100000002000 == no
expect smaps A Rss == 72
