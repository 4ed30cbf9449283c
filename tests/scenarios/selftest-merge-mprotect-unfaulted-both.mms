# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, mprotect_unfaulted_both):
# Both outer thirds PROT_READ and unfaulted; the middle third faulted then
# PROT_READ merges with both: one VMA of 9 pages.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
# The expects are 6.18's; before 6.16 a faulted VMA does not merge into an unfaulted neighbour (profile
# anon_merge_unfaulted_target): there the VMAs stay apart.
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
