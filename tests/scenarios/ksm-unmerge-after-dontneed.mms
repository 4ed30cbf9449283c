# Mirrors ksm_functional_tests test_unmerge_discarded: after MADV_DONTNEED of half of a
# merged range, MADV_UNMERGEABLE of the whole range still succeeds; the discarded half
# stays unpopulated and the rest gets private frames.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K byte=0xcf
ksm scan 2
expect ksm.pages_sharing == 7
madvise A 0x100000004000 16K dontneed
expect present A 0x100000004000 == no
expect kpagecount A 0x100000000000 == 4
expect ksm.pages_sharing == 7
madvise A 0x100000000000 32K unmergeable
expect present A 0x100000004000 == no
expect present A 0x100000000000 == yes
expect same_frame A 0x100000000000 A 0x100000003000 == no
expect kpageflags A 0x100000000000 KSM == no
expect smaps A Rss == 16
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm_stat A ksm_rmap_items == 0
