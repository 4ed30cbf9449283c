# A PMD-mapped THP shared by three generations: every page counted three
# times, Pss a third (rounded down), and a grandchild's write splits only
# the grandchild's PMD.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
fork C G
expect kpagecount G 0x100000000000 == 3
expect kpagecount P 0x1000001ff000 == 3
expect exclusive C 0x100000000000 == no
expect smaps P Pss == 682   # 2048/3 rounded down
expect smaps G Shared_Dirty == 2048
write G 0x100000001000 4K byte=2
expect folio_order G 0x100000001000 == 0
expect kpagecount P 0x100000001000 == 2
expect smaps P AnonHugePages == 2048
expect smaps C AnonHugePages == 2048
expect smaps G AnonHugePages == 0
expect smaps P Pss == 683
expect smaps G Pss == 685
expect smaps G Private_Dirty == 4
