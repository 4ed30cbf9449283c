# ksm_process_profit per mm = (ksm_merging_pages + ksm_zero_pages) * 4096 - rmap_items * 64;
# two processes merge 8 equal pages into one KSM page; each counts its own items.
proc A
proc B
mmap A 0x100000000000 16K
mmap B 0x100000000000 24K
madvise A 0x100000000000 16K mergeable
madvise B 0x100000000000 24K mergeable
write A 0x100000000000 16K byte=0xee
write B 0x100000000000 16K byte=0xee
write B 0x100000004000 8K unique
ksm scan 2
expect ksm_stat A ksm_merging_pages == 4
expect ksm_stat A ksm_rmap_items == 4
expect ksm_stat A ksm_process_profit == 16128
expect ksm_stat B ksm_merging_pages == 4
expect ksm_stat B ksm_rmap_items == 6
expect ksm_stat B ksm_process_profit == 16000
expect ksm.general_profit == 28032
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
