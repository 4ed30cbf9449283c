# simulator-only: seed 000's rejected patch (ksm skip=compound) on ksm-skip-partial.mms,
# whose skip=none values are the live kernel's. Expected values from the patch's rule:
# each scan of a process finds its folio's head at 0x100000000000 and steps
# compound_nr() = 16 pages, to the end of the VMA, without looking at the PTEs between.
# So a pass visits 4 pages (one per process) and jumps 60, of which 16 map another folio
# (C's 4 COW copies, A's 8 new pages, M's 4 moved pages): none of those is ever scanned
# and not one merge happens, where the kernel makes 3 KSM pages with 13 sharers.
ksm skip=compound
thp 64K always
# COW: P's 64K folio F1 is forked; the child C writes pages 4..7, which get small copies.
proc P
mmap P 0x100000000000 64K
madvise P 0x100000000000 64K mergeable
write P 0x100000000000 64K unique
fork P C
write C 0x100000004000 16K byte=0x71
expect folio_order C 0x100000000000 == 4
expect folio_order C 0x100000004000 == 0
expect folio_order C 0x100000008000 == 4
# Partial munmap: A's folio F2 loses its second half; a new mapping fills the hole.
proc A
mmap A 0x100000000000 64K
write A 0x100000000000 64K unique
munmap A 0x100000008000 32K
mmap A 0x100000008000 32K
madvise A 0x100000000000 64K mergeable
write A 0x100000008000 32K byte=0x72
expect folio_order A 0x100000000000 == 4
expect folio_order A 0x100000008000 == 0
# mremap: small pages of M's moved over pages 4..7 of M's folio F3.
proc M
mmap M 0x100000000000 64K
write M 0x100000000000 64K unique
mmap M 0x100000100000 16K
write M 0x100000100000 16K byte=0x73
mremap M 0x100000100000 16K 0x100000004000
madvise M 0x100000000000 64K mergeable
expect folio_order M 0x100000000000 == 4
expect folio_order M 0x100000004000 == 0
expect folio_order M 0x100000008000 == 4
ksm scan 1
expect ksm.pages_scanned == 4
expect ksm.pages_jumped == 60
expect ksm.pages_jumped_other == 16
expect ksm.tail_pages_found == 0
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm_stat C ksm_merging_pages == 0
expect ksm_stat A ksm_merging_pages == 0
expect ksm_stat M ksm_merging_pages == 0
expect ksm_stat P ksm_rmap_items == 1
expect ksm_stat C ksm_rmap_items == 1
expect ksm_stat A ksm_rmap_items == 1
expect ksm_stat M ksm_rmap_items == 1
ksm scan 1
expect ksm.pages_sharing == 0
expect ksm.pages_scanned == 12
expect ksm.pages_jumped_other == 48
expect kpageflags C 0x100000004000 KSM == no
expect kpageflags A 0x100000008000 KSM == no
expect kpageflags M 0x100000004000 KSM == no
