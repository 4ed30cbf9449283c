# Linux 7.3.4 tools/testing/selftests/mm/mremap_dontunmap.c, mremap_dontunmap_partial_mapping_overwrite():
# 5 pages of 'a' moved with MREMAP_FIXED | MREMAP_DONTUNMAP over the first half
# of 10 pages of 'X': the source reads zeroes, the destination 'a' then 'X'.
proc P
mmap P 0x100000000000 20K
write P 0x100000000000 20K byte=0x61
mmap P 0x100000100000 40K
write P 0x100000100000 40K byte=0x58
mremap P 0x100000000000 20K 0x100000100000 dontunmap
expect byte P 0x100000000000 == 0
expect byte P 0x100000004fff == 0
expect byte P 0x100000100000 == 0x61
expect byte P 0x100000104fff == 0x61
expect byte P 0x100000105000 == 0x58
expect byte P 0x100000109fff == 0x58
expect vma_end P 0x100000100000 == 0x100000105000
