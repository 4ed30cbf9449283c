# Seed 003: rmap_walk_ksm() over a narrowed page-offset range, after mremap.
# A KSM page is mapped by P, by P's child C and by Q, two pages each. Then P
# moves its range far away: mremap breaks P's KSM pages, ksmd merges them
# again at the new place, but P's VMA keeps vm_pgoff 0x100000000, so
# address >> PAGE_SHIFT (0x200000000) is no page offset of it.
#
#   P: 0x100000000000 --mremap--> 0x200000000000   (vm_pgoff 0x100000000)
#   C: 0x100000000000   (forked from P before the move)
#   Q: 0x100000000000
#
# The kernel-observable lines come from Linux 6.18; the rmap.* queries are
# simulator-only: `full` is Linux's walk and must reach all six mappings
# (truth.mapcount), `address` (the series v1-v3) misses P's two, `pgoff` (v4
# on) and `remapped` (one bit per rmap_item) reach all six. A variant
# changes only while no KSM page exists, hence `ksm unmerge` in between.
proc P
mmap P 0x100000000000 8K
madvise P 0x100000000000 8K mergeable
write P 0x100000000000 8K byte=0x4d
proc Q
mmap Q 0x100000000000 8K
madvise Q 0x100000000000 8K mergeable
write Q 0x100000000000 8K byte=0x4d
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
fork P C
mremap P 0x100000000000 8K 0x200000000000
expect kpageflags P 0x200000000000 KSM == no
expect same_frame P 0x200000000000 C 0x100000000000 == no
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 5
expect same_frame P 0x200000000000 Q 0x100000000000 == yes
expect same_frame P 0x200000001000 C 0x100000001000 == yes
expect kpagecount Q 0x100000000000 == 6
expect truth.mapcount Q 0x100000000000 == 6
# full (the default, Linux 6.18)
expect rmap.mappings P 0x200000000000 == 6
expect rmap.reaches P 0x200000000000 == yes
expect rmap.reaches P 0x200000001000 == yes
expect rmap.reaches C 0x100000000000 == yes
expect rmap.reaches Q 0x100000000000 == yes

# The same six mappings, merged again under each variant.
ksm unmerge
ksm rmap_walk=address
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 5
expect same_frame P 0x200000000000 C 0x100000000000 == yes
expect same_frame P 0x200000000000 Q 0x100000000000 == yes
expect rmap.mappings P 0x200000000000 == 4
expect rmap.reaches P 0x200000000000 == no
expect rmap.reaches P 0x200000001000 == no
expect rmap.reaches C 0x100000000000 == yes
expect rmap.reaches Q 0x100000000000 == yes

ksm unmerge
ksm rmap_walk=pgoff
ksm scan 2
expect ksm.pages_sharing == 5
expect same_frame P 0x200000000000 C 0x100000000000 == yes
expect rmap.mappings P 0x200000000000 == 6
expect rmap.reaches P 0x200000000000 == yes
expect rmap.reaches P 0x200000001000 == yes
expect rmap.reaches C 0x100000000000 == yes

ksm unmerge
ksm rmap_walk=remapped
ksm scan 2
expect ksm.pages_sharing == 5
expect same_frame P 0x200000000000 C 0x100000000000 == yes
expect rmap.mappings P 0x200000000000 == 6
expect rmap.reaches P 0x200000000000 == yes
expect rmap.reaches P 0x200000001000 == yes
expect rmap.reaches C 0x100000000000 == yes
