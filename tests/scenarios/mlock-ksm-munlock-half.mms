# mlock-ksm, then munlock() of half the range: the VMA splits, and the KSM
# page, still mapped by the locked half, stays mlocked on 6.18.44 (and 6.12,
# 7.3). On 6.1 it is munlocked: there try_to_merge_one_page() gave the KSM
# page an mlock_count of one for all its mappings, and the first munlock()
# takes it to 0. The simulator reads PG_mlocked from the VMAs and has no
# mlock_count, so this file holds for 6.18 only (the era diffs leave it out).
kernel 6.18
proc P
mmap P 0x100000000000 16K
mlock P 0x100000000000 16K
write P 0x100000000000 16K byte=7
madvise P 0x100000000000 16K mergeable
ksm scan 2
expect kpageflags P 0x100000000000 MLOCKED == yes
munlock P 0x100000000000 8K
expect vma_end P 0x100000000000 == 0x100000002000
expect kpageflags P 0x100000000000 MLOCKED == yes
expect kpageflags P 0x100000003000 MLOCKED == yes
expect smaps P Locked == 2
munlock P 0x100000000000 16K
madvise P 0x100000000000 16K unmergeable
