# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, mremap_correct_placed_faulted):
# A faulted 15-page VMA cut in three by mremap away and back; each piece put
# back where its vm_pgoff says merges again, in whatever order.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000001000 60K
mmap P 0x100000001000 60K rw
poke P 0x100000001000 0x78
mremap P 0x10000000b000 20K 0x1000007db000
mremap P 0x100000006000 20K 0x1000003ee000
mremap P 0x1000003ee000 20K 0x100000006000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x10000000b000
mremap P 0x100000001000 20K 0x1000003e9000
mremap P 0x1000003e9000 20K 0x100000001000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x10000000b000
mremap P 0x100000001000 20K 0x1000003e9000
mremap P 0x1000007db000 20K 0x10000000b000
expect vma_start P 0x100000006000 == 0x100000006000
expect vma_end P 0x100000006000 == 0x100000010000
mremap P 0x1000003e9000 20K 0x100000001000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000010000
mremap P 0x100000006000 20K 0x1000003ee000
mremap P 0x1000003ee000 20K 0x100000006000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000010000
mremap P 0x10000000b000 20K 0x1000003f3000
mremap P 0x1000003f3000 20K 0x10000000b000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000010000
