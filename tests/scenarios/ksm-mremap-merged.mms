# mremap of merged pages breaks KSM in the moved range at once (private copies at the new
# address); ksmd drops the old items at its next pass, finds the moved pages volatile,
# and merges them again one pass later.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K byte=0x4d
ksm scan 2
expect ksm.pages_sharing == 7
mremap A 0x100000004000 16K 0x100000200000
expect kpageflags A 0x100000200000 KSM == no
expect kpagecount A 0x100000200000 == 1
expect same_frame A 0x100000200000 A 0x100000201000 == no
expect kpagecount A 0x100000000000 == 4
expect byte A 0x100000203000 == 77
expect ksm.pages_sharing == 7
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm.pages_volatile == 4
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm.pages_volatile == 0
expect kpageflags A 0x100000200000 KSM == yes
expect same_frame A 0x100000000000 A 0x100000203000 == yes
