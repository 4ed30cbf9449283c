# khugepaged with max_ptes_none=0: only a block with every page present
# collapses; a block with one page written keeps its small pages.
thp 2M madvise
proc A
mmap A 0x100000000000 4M
write A 0x100000000000 2M byte=0x11
write A 0x100000200000 4K byte=0x22
madvise A 0x100000000000 4M hugepage
khugepaged max_ptes_none=0
khugepaged scan 1
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x100000200000 == 0
expect smaps A AnonHugePages == 2048
expect smaps A Rss == 2052
expect byte A 0x1000001ff000 == 17
khugepaged scan 2
expect folio_order A 0x100000200000 == 0
expect smaps A Rss == 2052
