# simulator-only: seed 004's anon_pgoff zero with seed 003's ksm rmap_walk= variants.
# Seed 003's narrowed rmap_walk_ksm() assumed vm_pgoff == vm_start >>
# PAGE_SHIFT. With anonymous vm_pgoff 0 every VMA looks moved: `address`
# (rmap_item->address >> PAGE_SHIFT) finds none of a KSM page's mappings
# even without mremap; `pgoff` (saved at merge) finds all four; `remapped`
# finds them by falling back to the full walk.
anon_pgoff zero
ksm rmap_walk=address
proc P
mmap P 0x100000000000 8K
madvise P 0x100000000000 8K mergeable
write P 0x100000000000 8K byte=0x4d
proc Q
mmap Q 0x100000000000 8K
madvise Q 0x100000000000 8K mergeable
write Q 0x100000000000 8K byte=0x4d
ksm scan 2
expect ksm.pages_sharing == 3
expect rmap.reaches P 0x100000000000 == no
expect rmap.mappings Q 0x100000000000 == 0
# reclaim cannot unmap what the walk misses: the KSM page stays.
reclaim P 0x100000000000 4K
expect swapped P 0x100000000000 == no
expect kpageflags P 0x100000000000 KSM == yes
ksm unmerge
ksm rmap_walk=pgoff
ksm scan 2
expect rmap.reaches P 0x100000000000 == yes
expect rmap.mappings Q 0x100000000000 == 4
ksm unmerge
ksm rmap_walk=remapped
ksm scan 2
expect rmap.mappings Q 0x100000000000 == 4
reclaim P 0x100000000000 4K
expect swapped Q 0x100000001000 == yes
expect byte Q 0x100000001000 == 0x4d
