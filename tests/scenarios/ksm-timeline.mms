# The life of 4 equal and 2 unique fresh pages over three scans: pass 1 all volatile
# (checksums stored); pass 2 the equal ones merge, the unique ones enter the unstable
# tree; pass 3 the same, and pages_unshared counts the unique ones again.
proc A
mmap A 0x100000000000 24K
madvise A 0x100000000000 24K mergeable
write A 0x100000000000 16K byte=0x13
write A 0x100000004000 8K unique
ksm scan 1
expect ksm.pages_volatile == 6
expect ksm.pages_unshared == 0
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.full_scans == 1
expect ksm_stat A ksm_rmap_items == 6
ksm scan 1
expect ksm.pages_volatile == 0
expect ksm.pages_unshared == 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm.full_scans == 2
ksm scan 1
expect ksm.pages_volatile == 0
expect ksm.pages_unshared == 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm.full_scans == 3
expect ksm.pages_scanned == 18
