# Mirrors ksm_functional_tests test_prctl: PR_SET_MEMORY_MERGE on sets ksm_merge_any and
# merges the window's equal pages; off clears it and unmerges them; on again merges again.
# Only the window is asserted: the executor's own pages may merge too.
proc A
mmap A 0x100000000000 32K
write A 0x100000000000 32K byte=0x5a
expect ksm_stat A ksm_merge_any == no
expect ksm_stat A ksm_mergeable == no
prctl A merge on
expect ksm_stat A ksm_merge_any == yes
expect ksm_stat A ksm_mergeable == yes
ksm scan 2
expect kpageflags A 0x100000000000 KSM == yes
expect same_frame A 0x100000000000 A 0x100000007000 == yes
expect smaps A KSM == 32
prctl A merge off
expect ksm_stat A ksm_merge_any == no
expect ksm_stat A ksm_mergeable == no
expect kpageflags A 0x100000000000 KSM == no
expect same_frame A 0x100000000000 A 0x100000007000 == no
expect smaps A KSM == 0
prctl A merge on
expect ksm_stat A ksm_merge_any == yes
ksm scan 2
expect kpageflags A 0x100000003000 KSM == yes
expect same_frame A 0x100000000000 A 0x100000007000 == yes
expect smaps A KSM == 32
