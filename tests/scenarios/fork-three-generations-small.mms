# Three generations share small pages: kpagecount counts every mm, and a
# write in the middle generation copies only for itself.
proc P
mmap P 0x100000000000 16K
write P 0x100000000000 16K pattern=7
fork P C
fork C G
expect kpagecount P 0x100000000000 == 3
expect kpagecount G 0x100000003000 == 3
expect exclusive G 0x100000000000 == no
expect same_frame P 0x100000000000 G 0x100000000000 == yes
write C 0x100000000000 4K byte=1
expect kpagecount P 0x100000000000 == 2
expect kpagecount C 0x100000000000 == 1
expect exclusive P 0x100000000000 == no
expect same_frame P 0x100000000000 G 0x100000000000 == yes
expect byte G 0x100000000000 == 7
expect byte C 0x100000000000 == 1
exit P
expect kpagecount G 0x100000000000 == 1
expect exclusive G 0x100000000000 == yes
expect kpagecount G 0x100000001000 == 2
