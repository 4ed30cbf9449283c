# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, forked_target_vma):
# In a forked child, the VMA that came from the parent (its anon_vma chains to
# the parent's) must not merge with a new adjacent VMA: it stays 5 pages.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000001000 20K
mmap P 0x100000001000 20K rw
poke P 0x100000001000 0x78
fork P K
write K 0x100000001000 20K byte=0x78
munmap K 0x100000006000 20K
mmap K 0x100000006000 20K rw
expect vma_start K 0x100000001000 == 0x100000001000
expect vma_end K 0x100000001000 == 0x100000006000
expect vma_start K 0x100000006000 == 0x100000006000
expect vma_end K 0x100000006000 == 0x10000000b000
