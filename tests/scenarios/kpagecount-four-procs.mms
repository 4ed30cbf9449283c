# kpagecount counts the mappings of every process: four after two
# generations of forks, and one less each time a process exits or copies.
proc P
mmap P 0x100000000000 8K
write P 0x100000000000 8K byte=1
fork P C1
fork P C2
fork C1 G
expect kpagecount P 0x100000000000 == 4
expect kpagecount G 0x100000001000 == 4
expect smaps G Pss == 2
exit C1
expect kpagecount P 0x100000000000 == 3
write G 0x100000000000 4K byte=2
expect kpagecount P 0x100000000000 == 2
expect kpagecount G 0x100000000000 == 1
expect smaps P Pss == 3
expect smaps C2 Pss == 3
