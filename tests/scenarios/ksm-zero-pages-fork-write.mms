# KSM zero pages shared into a child: each page the child writes (a zero-page COW) leaves
# the child's and the global count; the parent keeps its own; the child's exit removes the rest.
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K zero
ksm scan 2
fork A B
expect ksm.ksm_zero_pages == 8
write B 0x100000000000 8K byte=4
expect ksm_stat B ksm_zero_pages == 2
expect ksm.ksm_zero_pages == 6
expect ksm_stat A ksm_zero_pages == 4
expect smaps B Rss == 8
ksm scan 2
expect ksm.ksm_zero_pages == 6
expect ksm_stat B ksm_zero_pages == 2
expect ksm_stat B ksm_rmap_items == 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 1
exit B
expect ksm.ksm_zero_pages == 4
