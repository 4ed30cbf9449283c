# PR_SET_MEMORY_MERGE marks every VMA mergeable (new ones too) and is inherited over fork;
# off unmerges. Only what lies in the window is asserted: the executor's own pages merge too.
# Expected values are the live kernel's (6.18.44) answers; the unshared copies'
# PTEs are dirty there (clean on 6.12 and 7.3: docs/kernel-versions.md).
proc A
mmap A 0x100000000000 32K
prctl A merge on
write A 0x100000000000 32K byte=6
ksm scan 2
expect kpageflags A 0x100000000000 KSM == yes
expect same_frame A 0x100000000000 A 0x100000007000 == yes
expect smaps A KSM == 32
expect ksm_stat A ksm_merge_any == yes
expect ksm_stat A ksm_mergeable == yes
fork A B
expect ksm_stat B ksm_merge_any == yes
expect ksm_stat B ksm_mergeable == yes
expect ksm_stat B ksm_merging_pages == 0
expect same_frame A 0x100000000000 B 0x100000000000 == yes
mmap B 0x100000100000 8K
write B 0x100000100000 8K byte=6
ksm scan 2
expect same_frame A 0x100000000000 B 0x100000101000 == yes
write B 0x100000000000 4K byte=6
expect kpageflags B 0x100000000000 KSM == no
prctl A merge off
expect ksm_stat A ksm_merge_any == no
expect ksm_stat A ksm_mergeable == no
expect kpageflags A 0x100000000000 KSM == no
expect smaps A KSM == 0
expect smaps A Private_Clean == 0
expect smaps A Private_Dirty == 32
