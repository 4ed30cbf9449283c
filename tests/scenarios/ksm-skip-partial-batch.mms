# simulator-only: ksm skip=batch on ksm-skip-partial.mms, whose skip=none values are the
# live kernel's. Expected values from the policy's rule: folio_pte_batch() stops where a
# PTE maps another folio, so a pass visits P's head (a batch of 16), C's head (pages
# 0..3), C's 4 copies, C's page 8 (pages 8..15), A's head (0..7) and A's 8 new pages,
# M's head (0..3), M's 4 moved pages and M's page 8 (8..15): 22 pages, 42 jumped, none
# of another folio. Every small page is scanned and the merges are the kernel's.
ksm skip=batch
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
expect ksm.pages_scanned == 22
expect ksm.pages_jumped == 42
expect ksm.pages_jumped_other == 0
ksm scan 1
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 13
expect ksm_stat C ksm_merging_pages == 4
expect ksm_stat A ksm_merging_pages == 8
expect ksm_stat M ksm_merging_pages == 4
expect ksm_stat P ksm_rmap_items == 1
expect ksm_stat C ksm_rmap_items == 6
expect ksm_stat A ksm_rmap_items == 9
expect ksm_stat M ksm_rmap_items == 6
ksm scan 1
expect ksm.pages_sharing == 13
expect ksm.pages_scanned == 66
expect ksm.pages_jumped_other == 0
