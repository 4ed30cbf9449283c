# Mirrors ksm_functional_tests test_prctl_unmerge: PR_SET_MEMORY_MERGE 0 unmerges every page
# of the process at once (private copies, read-only; their PTEs dirty on 6.18.y); its stable items go at the next pass,
# after which the process merges nothing.
proc A
mmap A 0x100000000000 64K
prctl A merge on
write A 0x100000000000 64K pattern=0x77
ksm scan 2
expect kpageflags A 0x100000000000 KSM == yes
expect kpagecount A 0x100000000000 == 16
expect smaps A KSM == 64
prctl A merge off
expect kpageflags A 0x100000000000 KSM == no
expect kpagecount A 0x100000000000 == 1
expect same_frame A 0x100000000000 A 0x10000000f000 == no
expect smaps A KSM == 0
expect smaps A Private_Clean == 0
expect smaps A Private_Dirty == 64
ksm scan 1
expect ksm_stat A ksm_merging_pages == 0
expect ksm_stat A ksm_rmap_items == 0
expect ksm_stat A ksm_mergeable == no
ksm scan 2
expect kpageflags A 0x100000000000 KSM == no
