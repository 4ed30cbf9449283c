# The child unmaps the second half of a THP shared with its parent: the
# parent keeps its PMD; pagemap reports every entry shared there (it asks
# the head page) although the second half is now mapped once.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
munmap C 0x100000100000 1M
expect kpagecount P 0x100000100000 == 1
expect exclusive P 0x100000100000 == no
expect kpagecount P 0x100000000000 == 2
expect smaps P AnonHugePages == 2048
expect smaps C AnonHugePages == 0
expect folio_order C 0x100000000000 == 9
expect smaps P Pss == 1536
expect smaps C Pss == 512
expect smaps C Rss == 1024
munmap C 0x100000000000 1M
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000000000 == 1
expect smaps P Pss == 2048
