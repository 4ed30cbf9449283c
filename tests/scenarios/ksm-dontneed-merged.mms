# MADV_DONTNEED of merged pages drops their mappings at once; their items are freed at the
# next pass (no page there any more), leaving the rest of the node.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K byte=0x50
ksm scan 2
madvise A 0x100000000000 12K dontneed
expect kpagecount A 0x100000004000 == 5
expect ksm.pages_sharing == 7
expect ksm_stat A ksm_rmap_items == 8
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 4
expect ksm_stat A ksm_rmap_items == 5
expect ksm_stat A ksm_merging_pages == 5
read A 0x100000000000 12K
ksm scan 2
expect ksm.pages_sharing == 4
expect ksm_stat A ksm_rmap_items == 5
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
