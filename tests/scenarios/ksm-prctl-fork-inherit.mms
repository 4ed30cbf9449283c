# Mirrors ksm_functional_tests test_prctl_fork: merge-any is inherited by a child, which
# merges its own new memory; a child that turns it off keeps its memory apart while the
# parent's still merges. Only the window is asserted.
proc A
prctl A merge on
fork A B
fork A C
expect ksm_stat B ksm_merge_any == yes
expect ksm_stat C ksm_merge_any == yes
prctl C merge off
expect ksm_stat C ksm_merge_any == no
expect ksm_stat A ksm_merge_any == yes
mmap B 0x100000000000 16K
write B 0x100000000000 16K byte=0x42
mmap C 0x100000000000 16K
write C 0x100000000000 16K byte=0x42
mmap A 0x100000000000 16K
write A 0x100000000000 16K byte=0x42
ksm scan 2
expect kpageflags B 0x100000000000 KSM == yes
expect same_frame A 0x100000000000 B 0x100000003000 == yes
expect kpageflags C 0x100000000000 KSM == no
expect same_frame C 0x100000000000 C 0x100000001000 == no
expect smaps C KSM == 0
expect smaps B KSM == 16
expect ksm_stat C ksm_merging_pages == 0
expect ksm_stat C ksm_mergeable == no
