# Mirrors ksm_tests check_ksm_unmerge: two merged pages, then one byte of each changed
# (a COW copy each); after the next scan nothing is shared and both pages are volatile.
proc A
mmap A 0x100000000000 8K
madvise A 0x100000000000 8K mergeable
write A 0x100000000000 8K byte=0x5e
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 1
poke A 0x100000000000 1
poke A 0x100000001800 2
expect kpageflags A 0x100000000000 KSM == no
expect kpageflags A 0x100000001000 KSM == no
expect byte A 0x100000001000 == 94
expect ksm.pages_shared == 1
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_volatile == 2
expect ksm.pages_unshared == 0
