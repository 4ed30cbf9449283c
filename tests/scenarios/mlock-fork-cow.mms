# mlock and fork: the child's VMA is not locked (dup_mmap() drops
# VM_LOCKED), the pages it shares stay mlocked through the parent's VMA; the
# child's COW copy is not mlocked; munlock() in the parent munlocks the
# pages only the parent maps now. Expected values are the live kernel's.
proc P
mmap P 0x100000000000 8K
mlock P 0x100000000000 8K
fork P C
expect vmflag C 0x100000000000 lo == no
expect vmflag P 0x100000000000 lo == yes
expect kpageflags C 0x100000000000 MLOCKED == yes
expect smaps C Locked == 0
expect smaps P Locked == 4
poke C 0x100000000000 1
expect kpageflags C 0x100000000000 MLOCKED == no
expect kpageflags P 0x100000000000 MLOCKED == yes
munlock P 0x100000000000 8K
expect kpageflags P 0x100000000000 MLOCKED == no
expect kpageflags C 0x100000001000 MLOCKED == no
exit C
