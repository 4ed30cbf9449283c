# A KSM page left with a single mapping is still copied on a write fault (never reused):
# two merged pages, one rewritten; then the other, now the only mapper, is written too.
proc A
mmap A 0x100000000000 8K
madvise A 0x100000000000 8K mergeable
write A 0x100000000000 8K byte=0x1
ksm scan 2
expect kpagecount A 0x100000000000 == 2
write A 0x100000000000 4K byte=0x2
expect kpagecount A 0x100000001000 == 1
expect kpageflags A 0x100000001000 KSM == yes
poke A 0x100000001000 3
expect kpageflags A 0x100000001000 KSM == no
expect exclusive A 0x100000001000 == yes
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_volatile == 2
