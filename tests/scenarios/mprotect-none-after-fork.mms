# PROT_NONE in the child does not unmap anything: the shared pages keep
# kpagecount 2 in the parent until the child really unmaps them.
proc P
mmap P 0x100000000000 8K
write P 0x100000000000 8K byte=1
fork P C
mprotect C 0x100000000000 8K none
expect present C 0x100000000000 == yes
expect kpagecount P 0x100000000000 == 2
expect exclusive P 0x100000000000 == no
expect smaps C Rss == 8
expect smaps P Pss == 4
munmap C 0x100000000000 4K
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000001000 == 2
