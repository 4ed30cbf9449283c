proc P
mmap P 0x100000000000 4K
madvise P 0x100000000000 4K nohugepage
write P 0x100000000000 4K byte=1
pin P 0x100000000000 4K rw
fork P C
write P 0x100000000000 4K byte=0xff
probe pinned_byte P 0
probe pinned_byte P 4095
probe byte C 0x100000000000
probe same_frame P 0x100000000000 C 0x100000000000
probe exclusive P 0x100000000000
probe exclusive C 0x100000000000
probe kpagecount P 0x100000000000
probe smaps C Rss
unpin P
probe kpagecount P 0x100000000000
