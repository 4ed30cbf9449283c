# A page that changes between scans stays volatile: 2 equal pages, one rewritten with
# the same content as the other only after pass 1, merges one pass later than the pair.
proc A
mmap A 0x100000000000 12K
madvise A 0x100000000000 12K mergeable
write A 0x100000000000 8K byte=0x61
write A 0x100000002000 4K byte=0x62
ksm scan 1
write A 0x100000002000 4K byte=0x61
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 1
expect ksm.pages_volatile == 1
expect kpageflags A 0x100000002000 KSM == no
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 2
expect ksm.pages_volatile == 0
expect kpageflags A 0x100000002000 KSM == yes
