# Linux 6.1 has no PR_SET_MEMORY_MERGE (6.4+): merging a whole process
# stops the scenario there; what follows answers SKIP on both sides.
kernel 6.1
proc A
mmap A 0x100000000000 16K
write A 0x100000000000 16K byte=7
expect ksm_stat A ksm_rmap_items == 0
prctl A merge on
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
