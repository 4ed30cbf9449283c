# After fork of a KSM page the child writes a different value into one page: the child
# gets a private copy and the parent keeps the KSM page; the child's page never merges
# again since nothing else equals it.
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2f
ksm scan 2
fork A B
poke B 0x100000001000 0x30
expect kpageflags B 0x100000001000 KSM == no
expect kpagecount B 0x100000001000 == 1
expect kpagecount A 0x100000001000 == 7
expect byte A 0x100000001000 == 47
expect byte B 0x100000001000 == 48
expect ksm.pages_sharing == 3
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 6
expect ksm_stat B ksm_merging_pages == 3
expect ksm.pages_volatile == 1
ksm scan 1
expect ksm_stat B ksm_merging_pages == 3
expect ksm.pages_unshared == 1
