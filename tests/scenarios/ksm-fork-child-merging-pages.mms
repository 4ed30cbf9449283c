# Mirrors ksm_functional_tests test_fork_ksm_merging_page_count: a child forked from an mm
# with merged pages starts with ksm_merging_pages 0 and no rmap_items (6.18 no longer
# copies the counters); its mappings of the KSM page join as sharing at its first scan.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K byte=0xcf
ksm scan 2
expect ksm_stat A ksm_merging_pages == 8
expect ksm_stat A ksm_rmap_items == 8
fork A B
expect ksm_stat B ksm_merging_pages == 0
expect ksm_stat B ksm_rmap_items == 0
expect ksm_stat B ksm_zero_pages == 0
expect ksm_stat B ksm_process_profit == 0
expect ksm_stat B ksm_mergeable == yes
expect ksm_stat B ksm_merge_any == no
expect ksm.pages_sharing == 7
ksm scan 1
expect ksm_stat B ksm_merging_pages == 8
expect ksm_stat B ksm_rmap_items == 8
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 15
