# Smart scan never skips KSM pages: 8 merged pages and 8 unique pages over 10 passes;
# only the unique pages are skipped.
proc A
mmap A 0x100000000000 64K
madvise A 0x100000000000 64K mergeable
write A 0x100000000000 32K byte=0x55
write A 0x100000008000 32K unique
ksm scan 10
expect ksm.pages_skipped == 32
expect ksm.pages_scanned == 128
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
