# mlock-ksm, then munlock() of half the range: the VMA splits and only the
# locked half counts in Locked (its share of the KSM page: 2 kB). Whether
# the KSM page, still mapped by the locked half, keeps PG_mlocked is not
# asserted: munlock() hands the folio to the CPU's mlock batch, and its
# PG_mlocked changes only when that batch
# drains (mlock_folio_batch()), so a read of kpageflags right after the call
# gave yes in one run of Linux 6.18.44 and no in the next. (On 6.1, once
# drained, the page is munlocked: try_to_merge_one_page() gave the KSM page
# one mlock_count for all its mappings.) The simulator reads PG_mlocked from
# the VMAs and has no mlock_count, so this file holds for 6.18 only.
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
expect vma_end P 0x100000002000 == 0x100000004000
expect smaps P Locked == 2
munlock P 0x100000000000 16K
madvise P 0x100000000000 16K unmergeable
