# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, mremap_unfaulted_between_correctly_placed_faulted):
# A faulted 15-page VMA with its middle unmapped; an unfaulted VMA moved into
# the hole merges with both sides (same anon_vma, pgoffs line up): 15 pages.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000001000 60K
mmap P 0x100000001000 60K rw
poke P 0x100000001000 0x78
munmap P 0x100000006000 20K
munmap P 0x100000014000 20K
mmap P 0x100000014000 20K rw
mremap P 0x100000014000 20K 0x100000006000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000010000
