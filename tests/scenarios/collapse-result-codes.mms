# MADV_COLLAPSE's result codes, as madvise_collapse() and madvise_collapse_errno()
# give them (values from Linux 6.18; docs/kernel-versions.md for 7.3's changes).
proc A
mmap A 0x100000000000 4M
# Never written: no anon_vma, so the VMA is not eligible.
expect madvise_collapse A 0x100000000000 4M == -22
# The first block collapses, the second has no PTE table (SCAN_PMD_NONE): EINVAL.
write A 0x100000000000 4K byte=1
expect madvise_collapse A 0x100000000000 4M == -22
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x100000200000 == -1
# One page in the second block is enough (max_ptes_none does not apply).
write A 0x100000300000 4K byte=2
expect madvise_collapse A 0x100000000000 4M == 0
expect folio_order A 0x100000200000 == 9
# Blocks already PMD-mapped count as collapsed.
expect madvise_collapse A 0x100000000000 4M == 0
# A range reaching the next 2M boundary but holding no whole block: nothing, 0.
expect madvise_collapse A 0x100000001000 2M == 0
# A range inside one block, short of its end: 6.18's count wraps, EINVAL.
expect madvise_collapse A 0x100000001000 4K == -22
# VM_NOHUGEPAGE: EINVAL; MADV_HUGEPAGE then allows it. A hole in the range: ENOMEM
# after the VMAs around it were collapsed.
mmap A 0x100000600000 2M
write A 0x100000600000 2M byte=3
madvise A 0x100000600000 2M nohugepage
expect madvise_collapse A 0x100000600000 2M == -22
expect folio_order A 0x100000600000 == 0
madvise A 0x100000600000 2M hugepage
expect madvise_collapse A 0x100000400000 4M == -12
expect folio_order A 0x100000600000 == 9
# A VMA smaller than 2M can never hold a THP.
mmap A 0x100000a00000 1M
write A 0x100000a00000 1M byte=4
expect madvise_collapse A 0x100000a00000 1M == -22
# A first block with no PTE table ends the call before the full second block (6.18).
mmap A 0x100000e00000 4M
write A 0x100001000000 2M byte=5
expect madvise_collapse A 0x100000e00000 4M == -22
expect folio_order A 0x100001000000 == 0
