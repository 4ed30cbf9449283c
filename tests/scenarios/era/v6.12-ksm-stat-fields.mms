# 6.12's /proc/PID/ksm_stat has no ksm_merge_any and ksm_mergeable lines
# (6.13+): those expects answer SKIP, on the kernel and on the profile alike
# (6.18 would say no and yes); the other fields count as in 6.18.
kernel 6.12
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=7
ksm scan 2
expect ksm_stat A ksm_rmap_items == 4
expect ksm_stat A ksm_merging_pages == 4
expect ksm_stat A ksm_merge_any == no
expect ksm_stat A ksm_mergeable == yes
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
