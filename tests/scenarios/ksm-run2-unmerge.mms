# run=2 unmerges everything at once: counters and rmap_items drop, full_scans goes back
# to 0, pages get private frames; the mm stays registered so later scans merge again.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 16K byte=0x18
write A 0x100000004000 16K unique
ksm scan 3
expect ksm.full_scans == 3
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm.pages_unshared == 4
ksm unmerge
expect ksm.full_scans == 0
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 0
expect ksm_stat A ksm_rmap_items == 0
expect ksm_stat A ksm_merging_pages == 0
expect ksm_stat A ksm_mergeable == yes
expect kpageflags A 0x100000000000 KSM == no
expect same_frame A 0x100000000000 A 0x100000001000 == no
expect ksm.general_profit == 0
ksm scan 2
expect ksm.full_scans == 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
