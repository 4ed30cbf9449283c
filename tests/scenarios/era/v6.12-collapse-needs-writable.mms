# Before 6.18 a 2M block collapses only if one of its PTEs is writable (SCAN_PAGE_RO,
# EINVAL): not a read-only VMA, not PROT_NONE, not a range just forked (every PTE
# write-protected for COW) until one page is written again. 6.18 collapses them all
# ("mm: enable khugepaged to operate on non-writable VMAs").
kernel 6.12
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=1
mprotect A 0x100000000000 2M r
expect madvise_collapse A 0x100000000000 2M == -22
expect folio_order A 0x100000000000 == 0
# mprotect back to rw makes the exclusive pages' PTEs writable at once.
mprotect A 0x100000000000 2M rw
expect madvise_collapse A 0x100000000000 2M == 0
expect folio_order A 0x100000000000 == 9
mmap A 0x100000400000 2M
write A 0x100000400000 2M byte=3
fork A B
expect madvise_collapse A 0x100000400000 2M == -22
write A 0x100000400000 4K byte=4
expect madvise_collapse A 0x100000400000 2M == 0
expect folio_order A 0x100000400000 == 9
expect folio_order B 0x100000400000 == 0
