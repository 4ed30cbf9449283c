# use_zero_pages maps KSM zero pages (dirty zero PTEs): counted per mm and globally,
# inherited over fork, undone at once by MADV_UNMERGEABLE (private copies, dirty on 6.18.y), by writes and exit.
# Expected values are the live kernel's (6.18.44) answers.
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 16K zero
write A 0x100000004000 16K byte=1
ksm scan 2
expect ksm.ksm_zero_pages == 4
expect ksm_stat A ksm_zero_pages == 4
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm_stat A ksm_mergeable == yes
expect smaps A Rss == 16
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
fork A B
expect ksm.ksm_zero_pages == 8
expect ksm_stat B ksm_zero_pages == 4
expect ksm_stat B ksm_merging_pages == 0
expect ksm_stat B ksm_rmap_items == 0
madvise A 0x100000000000 8K unmergeable
expect ksm.ksm_zero_pages == 6
expect ksm_stat A ksm_zero_pages == 2
expect ksm.pages_sharing == 3
expect smaps A Rss == 24
expect smaps A Private_Clean == 0
expect smaps A Private_Dirty == 8
write B 0x100000000000 4K byte=5
expect ksm.ksm_zero_pages == 5
exit B
expect ksm.ksm_zero_pages == 2
ksm scan 1
expect ksm.pages_sharing == 3
expect ksm_stat A ksm_rmap_items == 4
expect ksm.ksm_zero_pages == 2
expect ksm_stat A ksm_mergeable == yes
ksm scan 1
expect ksm.pages_shared == 1
expect ksm_stat A ksm_rmap_items == 4
