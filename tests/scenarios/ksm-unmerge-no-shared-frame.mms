# Mirrors ksm_functional_tests test_unmerge: 8 equal pages merge into one KSM page;
# MADV_UNMERGEABLE breaks them at once, so no frame is mapped twice afterwards,
# while pages_shared/pages_sharing fall only at ksmd's next pass.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K byte=0xcf
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect same_frame A 0x100000000000 A 0x100000007000 == yes
expect kpagecount A 0x100000000000 == 8
madvise A 0x100000000000 32K unmergeable
expect same_frame A 0x100000000000 A 0x100000001000 == no
expect same_frame A 0x100000000000 A 0x100000007000 == no
expect same_frame A 0x100000003000 A 0x100000004000 == no
expect kpagecount A 0x100000000000 == 1
expect kpagecount A 0x100000007000 == 1
expect kpageflags A 0x100000000000 KSM == no
expect kpageflags A 0x100000007000 KSM == no
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect smaps A KSM == 0
expect byte A 0x100000005000 == 207
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_volatile == 0
expect ksm_stat A ksm_rmap_items == 0
expect ksm_stat A ksm_merging_pages == 0
