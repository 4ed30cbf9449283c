# Fork of merged pages: the child maps the same KSM frame (kpagecount counts both mms,
# the KSM flag is set, no side maps it exclusively); the child's items join as sharing
# at the next pass.
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2f
ksm scan 2
expect kpagecount A 0x100000000000 == 4
fork A B
expect kpagecount A 0x100000000000 == 8
expect kpagecount B 0x100000003000 == 8
expect same_frame A 0x100000000000 B 0x100000003000 == yes
expect kpageflags B 0x100000000000 KSM == yes
expect exclusive A 0x100000000000 == no
expect exclusive B 0x100000000000 == no
expect smaps B KSM == 16
expect smaps A Pss == 2
expect ksm.pages_sharing == 3
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm_stat B ksm_merging_pages == 4
expect ksm_stat B ksm_rmap_items == 4
