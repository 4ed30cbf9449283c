# 6.1: stable_tree_search() runs before the checksum test: a new page equal to a KSM page
# merges at its first visit (6.18: volatile for one pass).
kernel 6.1
proc A
mmap A 0x100000000000 12K
madvise A 0x100000000000 12K mergeable
write A 0x100000000000 8K byte=0x61
ksm scan 2
expect ksm.pages_sharing == 1
write A 0x100000002000 4K byte=0x61
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 2
expect ksm.pages_volatile == 0
expect kpageflags A 0x100000002000 KSM == yes
