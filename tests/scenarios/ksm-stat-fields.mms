# Every /proc/PID/ksm_stat field before and after KSM: a process that never asked for KSM
# reads 0/no; madvise makes it mergeable (merge_any stays no); items, merging pages and
# zero pages follow the scans.
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 32K
write A 0x100000000000 16K byte=0x8
write A 0x100000004000 16K zero
expect ksm_stat A ksm_rmap_items == 0
expect ksm_stat A ksm_merging_pages == 0
expect ksm_stat A ksm_zero_pages == 0
expect ksm_stat A ksm_process_profit == 0
expect ksm_stat A ksm_merge_any == no
expect ksm_stat A ksm_mergeable == no
madvise A 0x100000000000 32K mergeable
expect ksm_stat A ksm_mergeable == yes
expect ksm_stat A ksm_merge_any == no
ksm scan 1
expect ksm_stat A ksm_rmap_items == 8
expect ksm_stat A ksm_merging_pages == 0
expect ksm_stat A ksm_process_profit == -512
ksm scan 1
expect ksm_stat A ksm_rmap_items == 8
expect ksm_stat A ksm_merging_pages == 4
expect ksm_stat A ksm_zero_pages == 4
expect ksm_stat A ksm_process_profit == 32256
