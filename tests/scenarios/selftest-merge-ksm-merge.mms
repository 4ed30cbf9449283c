# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge, ksm_merge):
# Two adjacent one-page VMAs merge; after PR_SET_MEMORY_MERGE (VM_MERGEABLE on
# every VMA, new ones too) they still merge, also when both are mapped anew.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
# The expects are 6.18's; before 6.16 PR_SET_MEMORY_MERGE marks a new mapping VM_MERGEABLE only after its
# merge attempt (profile ksm_flags_before_merge): there the one-page VMAs stay apart.
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000001000 4K
mmap P 0x100000001000 4K rw
munmap P 0x100000002000 4K
mmap P 0x100000002000 4K rw
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000003000
munmap P 0x100000002000 4K
prctl P merge on
mmap P 0x100000002000 4K
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000003000
munmap P 0x100000001000 8K
mmap P 0x100000001000 4K
mmap P 0x100000002000 4K
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000003000
prctl P merge off
