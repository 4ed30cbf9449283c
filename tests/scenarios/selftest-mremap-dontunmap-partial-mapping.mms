# Linux 7.3.4 tools/testing/selftests/mm/mremap_dontunmap.c, mremap_dontunmap_partial_mapping():
# the upper 5 of 10 pages of 'a' moved with MREMAP_DONTUNMAP: the lower 5 keep
# their 'a's, the upper 5 read zeroes, the destination holds 5 pages of 'a'.
proc P
mmap P 0x100000000000 40K
write P 0x100000000000 40K byte=0x61
mremap P 0x100000005000 20K 0x100000100000 dontunmap
expect byte P 0x100000000000 == 0x61
expect byte P 0x100000004fff == 0x61
expect byte P 0x100000005000 == 0
expect byte P 0x100000009fff == 0
expect byte P 0x100000100000 == 0x61
expect byte P 0x100000104fff == 0x61
expect vma_end P 0x100000000000 == 0x10000000a000
expect vma_start P 0x100000005000 == 0x100000000000
expect vma_end P 0x100000005000 == 0x10000000a000
