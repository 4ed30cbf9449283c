# A fork's mappings of a full KSM page join it even past max_page_sharing (the page is
# already KSM; cmp_and_merge_page bypasses the limit): 4 pages at mps=4, then a child,
# give 1 shared and 7 sharing.
ksm max_page_sharing=4
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x44
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
fork A B
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm.stable_node_chains == 0
expect kpagecount A 0x100000000000 == 8
expect ksm_stat B ksm_merging_pages == 4
