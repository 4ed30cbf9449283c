# pagemap's exclusive bit on small pages after fork, after a COW on either
# side, and after the other side unmaps: it follows each page's mapcount.
proc P
mmap P 0x100000000000 16K
write P 0x100000000000 16K byte=1
fork P C
expect exclusive P 0x100000000000 == no
expect exclusive C 0x100000000000 == no
write C 0x100000000000 4K byte=2
write P 0x100000001000 4K byte=3
expect exclusive P 0x100000000000 == yes
expect exclusive C 0x100000000000 == yes
expect exclusive P 0x100000001000 == yes
expect exclusive C 0x100000001000 == yes
expect exclusive P 0x100000002000 == no
munmap C 0x100000002000 4K
expect exclusive P 0x100000002000 == yes
expect exclusive P 0x100000003000 == no
exit C
expect exclusive P 0x100000003000 == yes
