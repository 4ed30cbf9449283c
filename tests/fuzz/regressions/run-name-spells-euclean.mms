# Pss adds 4096/mapcount per page in fixed point (the fraction truncated
# per page) and truncates each VMA to kB: 3 pages shared three ways give
# 3 kB, not 4; one more page in another VMA adds 1 kB.
proc P
mmap P 0x100000000000 12K
mmap P 0x100000100000 4K
write P 0x100000000000 12K byte=1
write P 0x100000100000 4K byte=1
fork P C1
fork P C2
expect smaps P Rss == 16
expect smaps P Pss == 4   # 3 (12K VMA) + 1 (4K VMA)
expect smaps P Shared_Dirty == 16
expect smaps P Private_Dirty == 0
munmap P 0x100000000000 12K
expect smaps P Pss == 1
expect smaps C1 Pss == 7
write C2 0x100000000000 4K byte=2
expect smaps C1 Pss == 9
expect smaps C2 Pss == 9
expect smaps C2 Private_Dirty == 4
expect smaps C1EUCLEAN Shared_Dirty == 12
