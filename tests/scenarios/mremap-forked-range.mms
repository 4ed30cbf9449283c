# The parent moves a range it shares with its child: the moved PTEs still
# map the child's frames (kpagecount 2), and a write there still copies.
proc P
mmap P 0x100000000000 16K
write P 0x100000000000 16K byte=1
fork P C
mremap P 0x100000000000 16K 0x100000200000
expect same_frame P 0x100000200000 C 0x100000000000 == yes
expect kpagecount P 0x100000200000 == 2
expect exclusive P 0x100000200000 == no
write P 0x100000200000 4K byte=2
expect same_frame P 0x100000200000 C 0x100000000000 == no
expect kpagecount C 0x100000000000 == 1
expect exclusive C 0x100000000000 == yes
expect byte C 0x100000000000 == 1
expect byte P 0x100000201000 == 1
