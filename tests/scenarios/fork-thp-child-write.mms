# A child writes one page of a PMD-mapped THP it shares with its parent: only
# the child's PMD is split and one 4 KiB page copied; smaps counts each page.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
expect kpagecount C 0x100000005000 == 2
expect exclusive P 0x100000005000 == no
write C 0x100000005000 4K byte=2
expect folio_order C 0x100000005000 == 0
expect folio_order C 0x100000000000 == 9
expect folio_order P 0x100000005000 == 9
expect kpagecount P 0x100000005000 == 1
expect exclusive P 0x100000005000 == no
expect kpagecount P 0x100000000000 == 2
expect same_frame P 0x100000000000 C 0x100000000000 == yes
expect smaps P Rss == 2048
expect smaps P Pss == 1026
expect smaps P AnonHugePages == 2048
expect smaps P Shared_Dirty == 2044
expect smaps P Private_Dirty == 4
expect smaps C Pss == 1026
expect smaps C AnonHugePages == 0
expect smaps C Private_Dirty == 4
