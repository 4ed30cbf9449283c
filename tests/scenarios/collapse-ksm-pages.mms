# MADV_COLLAPSE of KSM pages. One KSM page mapped by every PTE of the block:
# __collapse_huge_page_isolate() locks it at the first PTE, fails at the second
# (EAGAIN), and the THP it allocated is freed again.
proc A
mmap A 0x100000000000 2M
madvise A 0x100000000000 2M mergeable
write A 0x100000000000 2M byte=0x33
ksm scan 2
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 510
expect madvise_collapse A 0x100000000000 2M == -11
expect folio_order A 0x100000000000 == 0
expect kpageflags A 0x100000000000 KSM == yes
# A KSM page mapped once in the block (the other mapping in B) is copied like any page.
proc B
mmap B 0x100000400000 16K
madvise B 0x100000400000 16K mergeable
write B 0x100000400000 16K byte=0x66
mmap A 0x100000800000 2M
madvise A 0x100000800000 2M mergeable
write A 0x100000800000 2M unique
write A 0x100000800000 4K byte=0x66
ksm scan 2
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 514
expect kpageflags A 0x100000800000 KSM == yes
expect same_frame A 0x100000800000 B 0x100000400000 == yes
expect madvise_collapse A 0x100000800000 2M == 0
expect folio_order A 0x100000800000 == 9
expect kpageflags A 0x100000800000 KSM == no
expect byte A 0x100000800000 == 102
expect same_frame A 0x100000800000 B 0x100000400000 == no
expect kpagecount B 0x100000400000 == 4
expect ksm.pages_sharing == 514
ksm scan 1
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 514
expect ksm_stat A ksm_merging_pages == 513
expect ksm_stat B ksm_merging_pages == 4
