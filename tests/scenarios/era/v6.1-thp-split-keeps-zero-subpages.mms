# 6.1: KSM's split_huge_page() of a zero-filled 2M THP leaves 512 anon subpages
# (no remap to the shared zero page before 6.12); they then merge like any equal pages.
kernel 6.1
thp 2M always
proc A
mmap A 0x100000000000 2M
madvise A 0x100000000000 2M mergeable
write A 0x100000000000 2M zero
ksm scan 1
expect folio_order A 0x100000000000 == 9
expect ksm.pages_volatile == 512
ksm scan 1
expect folio_order A 0x100000000000 == 0
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 509
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 1
expect kpageflags A 0x100000000000 ZERO_PAGE == no
expect kpageflags A 0x100000000000 KSM == yes
expect smaps A Rss == 2048
ksm scan 1
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 510
expect ksm.pages_volatile == 0
