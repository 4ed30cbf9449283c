# Linux 7.3.4 tools/testing/selftests/mm/mremap_dontunmap.c, mremap_dontunmap_simple_fixed():
# MREMAP_FIXED | MREMAP_DONTUNMAP over a mapping full of 'X': the destination
# now holds the source's 'a's, the source reads zeroes.
proc P
mmap P 0x100000000000 20K
write P 0x100000000000 20K byte=0x58
mmap P 0x100000100000 20K
write P 0x100000100000 20K byte=0x61
mremap P 0x100000100000 20K 0x100000000000 dontunmap
expect byte P 0x100000000000 == 0x61
expect byte P 0x100000004fff == 0x61
expect byte P 0x100000100000 == 0
expect byte P 0x100000104fff == 0
expect vma_end P 0x100000100000 == 0x100000105000
expect smaps P Rss == 20
