# Two passes merge equal pages (the scanned page becomes the KSM page);
# a fork's KSM pages join the node as sharing at the child's first scan;
# a write copies (COW) and leaves the node at the next pass; run=2 resets all.
# Expected values are the live kernel's (6.18) answers.
proc A
mmap A 0x100000000000 64K
madvise A 0x100000000000 64K mergeable
write A 0x100000000000 32K byte=7
write A 0x100000008000 32K unique
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm.pages_unshared == 8
expect ksm.pages_volatile == 0
expect ksm.full_scans == 2
expect ksm.pages_scanned == 32
expect ksm_stat A ksm_rmap_items == 16
expect ksm_stat A ksm_merging_pages == 8
expect ksm.general_profit == 27648
expect smaps A KSM == 32
expect kpageflags A 0x100000000000 KSM == yes
fork A B
ksm scan 1
expect ksm.pages_sharing == 15
expect ksm_stat B ksm_merging_pages == 8
write A 0x100000000000 4K byte=9
ksm scan 1
expect ksm.pages_sharing == 14
ksm unmerge
expect ksm.pages_shared == 0
expect ksm.full_scans == 0
show ksm
