# The parent of a forked PMD-mapped THP exits: the child's PMD then holds
# the only mapping, every page exclusive, and its write reuses the folio.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
write P 0x100000000000 4K byte=2
exit P
expect kpagecount C 0x100000000000 == 1
expect exclusive C 0x100000000000 == yes
expect exclusive C 0x100000100000 == yes
expect smaps C AnonHugePages == 2048
write C 0x100000100000 4K byte=3
expect folio_order C 0x100000100000 == 9
expect smaps C AnonHugePages == 2048
expect smaps C Pss == 2048
expect byte C 0x100000000000 == 1
