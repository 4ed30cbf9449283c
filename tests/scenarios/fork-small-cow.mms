# fork shares small pages read-only; the child's write copies one page; the
# parent's page is then mapped once again (exclusive) and its write reuses it.
proc P
mmap P 0x100000000000 16K
write P 0x100000000000 16K byte=5
fork P C
expect kpagecount P 0x100000000000 == 2
expect exclusive P 0x100000000000 == no
expect exclusive C 0x100000000000 == no
expect same_frame P 0x100000000000 C 0x100000000000 == yes
write C 0x100000000000 4K byte=6
expect same_frame P 0x100000000000 C 0x100000000000 == no
expect kpagecount C 0x100000000000 == 1
expect exclusive C 0x100000000000 == yes
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000001000 == 2
write P 0x100000000000 4K byte=7
expect kpagecount P 0x100000000000 == 1
expect byte C 0x100000000000 == 6
expect byte P 0x100000000000 == 7
expect byte C 0x100000001000 == 5
expect smaps P Rss == 16
expect smaps P Pss == 10
expect smaps C Shared_Dirty == 12
expect smaps C Private_Dirty == 4
