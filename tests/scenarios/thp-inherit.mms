# "inherit" follows the top-level switch: always, or madvise with
# MADV_HUGEPAGE; never (top-level) disables it even for madvised ranges.
thp 64K inherit
thp top always
proc A
mmap A 0x100000000000 64K
write A 0x100000000000 4K byte=1
expect folio_order A 0x100000000000 == 4
thp top madvise
mmap A 0x100000100000 64K
write A 0x100000100000 4K byte=1
expect folio_order A 0x100000100000 == 0
mmap A 0x100000200000 64K
madvise A 0x100000200000 64K hugepage
write A 0x100000200000 4K byte=1
expect folio_order A 0x100000200000 == 4
thp top never
mmap A 0x100000300000 64K
madvise A 0x100000300000 64K hugepage
write A 0x100000300000 4K byte=1
expect folio_order A 0x100000300000 == 0
