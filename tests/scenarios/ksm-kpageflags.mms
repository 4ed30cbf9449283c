# /proc/kpageflags of KSM frames: KSM and ANON set, COMPOUND clear; a KSM zero page
# shows ZERO_PAGE but not KSM; unique unmerged pages are ANON only.
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 8K byte=0x3
write A 0x100000002000 4K zero
write A 0x100000003000 4K unique
ksm scan 2
expect kpageflags A 0x100000000000 KSM == yes
expect kpageflags A 0x100000000000 ANON == yes
expect kpageflags A 0x100000000000 COMPOUND_HEAD == no
expect kpageflags A 0x100000000000 ZERO_PAGE == no
expect kpageflags A 0x100000002000 KSM == no
expect kpageflags A 0x100000002000 ZERO_PAGE == yes
expect kpageflags A 0x100000002000 ANON == no
expect kpageflags A 0x100000003000 KSM == no
expect kpageflags A 0x100000003000 ANON == yes
expect present A 0x100000002000 == yes
expect kpagecount A 0x100000000000 == 2
