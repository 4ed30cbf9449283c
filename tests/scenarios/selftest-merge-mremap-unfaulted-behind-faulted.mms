# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, mremap_unfaulted_behind_faulted):
# The same, moved in front of the faulted VMA: one VMA of 10 pages.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000006000 20K
mmap P 0x100000006000 20K rw
munmap P 0x10000000e000 20K
mmap P 0x10000000e000 20K rw
mremap P 0x10000000e000 20K 0x1000003f6000
poke P 0x100000006000 0x78
mremap P 0x1000003f6000 20K 0x100000001000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x10000000b000
