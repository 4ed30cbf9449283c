# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, mprotect_unfaulted_right):
# The mirror image: right half PROT_READ, left half faulted then PROT_READ.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
# The expects are 6.18's; before 6.16 a faulted VMA does not merge into an unfaulted neighbour (profile
# anon_merge_unfaulted_target): there the VMAs stay apart.
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000001000 40K
mmap P 0x100000001000 40K rw noreserve
mprotect P 0x100000006000 20K r
poke P 0x100000001000 0x78
mprotect P 0x100000001000 20K r
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x10000000b000
