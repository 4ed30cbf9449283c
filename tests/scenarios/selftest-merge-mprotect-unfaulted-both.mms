# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, mprotect_unfaulted_both):
# Both outer thirds PROT_READ and unfaulted; the middle third faulted then
# PROT_READ merges with both: one VMA of 9 pages.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
# The expects are 6.18's: 6.12 does not merge a faulted VMA into an unfaulted neighbour on mprotect, a difference
# the profiles do not model yet (docs/kernel-selftests.md, "Versions").
kernel 6.18
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000002000 36K
mmap P 0x100000002000 36K rw noreserve
mprotect P 0x100000002000 12K r
mprotect P 0x100000008000 12K r
poke P 0x100000005000 0x78
mprotect P 0x100000005000 12K r
expect vma_start P 0x100000002000 == 0x100000002000
expect vma_end P 0x100000002000 == 0x10000000b000
