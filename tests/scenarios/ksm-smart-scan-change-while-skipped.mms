# Smart scan keeps skipping an aged page even after it changes (age resets only when the
# item is freed): unique pages aged over 6 passes, then rewritten equal, are seen volatile
# at pass 9 and, after 4 more skipped passes, merge only at pass 14.
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K unique
ksm scan 6
expect ksm.pages_skipped == 4
write A 0x100000000000 16K byte=0x99
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_skipped == 8
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_skipped == 12
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_skipped == 12
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_skipped == 16
ksm scan 3
expect ksm.pages_shared == 0
expect ksm.pages_skipped == 28
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm.pages_skipped == 28
expect ksm.full_scans == 14
