# After fork the PARENT writes first into a shared PMD-mapped THP: the
# parent's PMD is split and one page copied, while the child keeps the PMD;
# the child's page 5 is then mapped once, yet pagemap (head page) says shared.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
write P 0x100000005000 4K byte=2
expect folio_order P 0x100000005000 == 0
expect exclusive P 0x100000005000 == yes
expect folio_order P 0x100000006000 == 9
expect kpagecount P 0x100000006000 == 2
expect exclusive P 0x100000006000 == no
expect same_frame P 0x100000006000 C 0x100000006000 == yes
expect kpagecount C 0x100000005000 == 1
expect exclusive C 0x100000005000 == no   # PMD: pagemap asks the head (count 2)
expect folio_order C 0x100000005000 == 9
expect smaps P AnonHugePages == 0
expect smaps C AnonHugePages == 2048
expect smaps P Pss == 1026
expect smaps C Private_Dirty == 4
expect byte C 0x100000005000 == 0
expect byte P 0x100000005000 == 2
