# Linux 7.3.4 tools/testing/selftests/mm/merge.c, TEST_F(merge_with_fork, mremap_faulted_to_unfaulted_prev/unforked):
# A faulted 3-page VMA moved away, an unfaulted one mapped before its old
# place, then the faulted one moved back with MREMAP_DONTUNMAP: it merges
# with the unfaulted one in front (6 pages) unless forked (3).
# Variant forked: the rest runs in a child of the fork (do_fork()), whose
# VMA chains to its parent's anon_vma and so may not merge into an unfaulted
# neighbour; unforked: the same in the parent, which merges.
# The fixture's carveout: 30 PROT_NONE pages; a MAP_FIXED mmap over part of it
# is munmap + mmap here (the language maps with MAP_FIXED_NOREPLACE).
# The expects are 6.18's; before 6.16 a moved faulted VMA does not merge into an unfaulted neighbour (profile
# anon_merge_unfaulted_target): there it stays apart.
proc P
mmap P 0x100000000000 120K none
munmap P 0x100000004000 12K
mmap P 0x100000004000 12K rw
poke P 0x100000004000 0x78
mremap P 0x100000004000 12K 0x100000014000
munmap P 0x100000001000 12K
mmap P 0x100000001000 12K
mremap P 0x100000014000 12K 0x100000004000 dontunmap
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000007000
