# Seed 000, reviewers' point 2, the kernel's walk (skip=none; every value from the live
# kernel). In three processes a 64K mTHP of unique pages has its head mapped but some
# PTEs after it map other folios: small COW copies in a forked child, a new mapping in
# the hole of a partial munmap, small pages moved in by mremap. Those small pages are
# equal within each process (4, 8 and 4 of them) and merge; the unique ones never do.
# ksm-skip-partial-compound.mms and -batch.mms run the same with the skip policies.
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
expect ksm.pages_scanned == 64
ksm scan 1
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 13
expect ksm_stat C ksm_merging_pages == 4
expect ksm_stat A ksm_merging_pages == 8
expect ksm_stat M ksm_merging_pages == 4
expect ksm_stat P ksm_rmap_items == 16
expect ksm_stat C ksm_rmap_items == 16
expect ksm_stat A ksm_rmap_items == 16
expect ksm_stat M ksm_rmap_items == 16
ksm scan 1
expect ksm.pages_sharing == 13
expect ksm.pages_scanned == 192
expect folio_order C 0x100000000000 == 4
expect folio_order A 0x100000000000 == 4
expect folio_order M 0x100000000000 == 4
