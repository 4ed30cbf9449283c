# general_profit = (pages_sharing + ksm_zero_pages) * 4096 - rmap_items * 64: 6 equal pages,
# 4 zero pages as KSM zero pages and 2 unique pages give 5 sharing, 4 zero and 12 items.
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 48K
madvise A 0x100000000000 48K mergeable
write A 0x100000000000 24K byte=0x90
write A 0x100000006000 16K zero
write A 0x10000000a000 8K unique
ksm scan 1
expect ksm.general_profit == -768
ksm scan 1
expect ksm.general_profit == 36096
expect ksm.pages_sharing == 5
expect ksm.ksm_zero_pages == 4
expect ksm_stat A ksm_rmap_items == 12
expect ksm_stat A ksm_process_profit == 40192
