# MADV_UNMERGEABLE then MADV_MERGEABLE again before a pass: pages are private copies with
# the old content, so the next pass (same checksums) merges them back at once.
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x17
ksm scan 2
madvise A 0x100000000000 16K unmergeable
madvise A 0x100000000000 16K mergeable
expect kpageflags A 0x100000000000 KSM == no
expect ksm.pages_sharing == 3
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm.pages_volatile == 0
expect kpageflags A 0x100000000000 KSM == yes
