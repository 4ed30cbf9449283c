# Linux 7.3.4 tools/testing/selftests/mm/mremap_dontunmap.c, mremap_dontunmap_simple():
# 5 pages of 'a' moved with MREMAP_DONTUNMAP (the selftest lets the kernel
# pick the place; here it is given): the destination holds the 'a's, the
# source VMA stays and reads zeroes (no PTEs left).
proc P
mmap P 0x100000000000 20K
write P 0x100000000000 20K byte=0x61
mremap P 0x100000000000 20K 0x100000100000 dontunmap
expect present P 0x100000000000 == no
expect present P 0x100000004000 == no
expect vma_start P 0x100000000000 == 0x100000000000
expect vma_end P 0x100000000000 == 0x100000005000
expect byte P 0x100000100000 == 0x61
expect byte P 0x100000104fff == 0x61
expect byte P 0x100000000000 == 0
expect byte P 0x100000004fff == 0
expect kpageflags P 0x100000000000 ZERO_PAGE == yes
expect smaps P Rss == 20
