# Mirrors ksm_functional_tests test_prot_none: pages made PROT_NONE before MADV_MERGEABLE
# still merge (ksmd needs no access rights); unmerging half of them gives that half
# private frames while the other half stays merged.
proc A
mmap A 0x100000000000 32K
write A 0x100000000000 32K byte=0x11
mprotect A 0x100000000000 32K none
madvise A 0x100000000000 32K mergeable
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm_stat A ksm_merging_pages == 8
expect kpageflags A 0x100000000000 KSM == yes
expect smaps A KSM == 32
madvise A 0x100000004000 16K unmergeable
expect kpageflags A 0x100000004000 KSM == no
expect same_frame A 0x100000004000 A 0x100000005000 == no
expect same_frame A 0x100000000000 A 0x100000003000 == yes
expect kpagecount A 0x100000000000 == 4
expect kpagecount A 0x100000004000 == 1
mprotect A 0x100000000000 32K rw
expect byte A 0x100000000000 == 17
expect byte A 0x100000007000 == 17
