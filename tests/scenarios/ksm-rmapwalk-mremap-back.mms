# Seed 003: the range is moved back. mremap to 0x200000000000 and back puts
# P's VMA where its vm_pgoff (0x100000000) says again; each move breaks P's
# KSM pages and ksmd merges them once more, so every rmap_item is made anew
# and the "remapped" bit is worked out at that merge: set after the first
# move, clear after the move back. The unsharing is temporary, as Lorenzo
# Stoakes put it; what matters is where the VMA is when the page merges.
#
#   P: 0x100000000000 --mremap--> 0x200000000000 --mremap--> 0x100000000000
#   Q: 0x100000000000
#
# rmap.* are simulator-only: `address` misses P's pages while they are
# away and reaches them again once back; the other variants always do.
proc P
mmap P 0x100000000000 8K
madvise P 0x100000000000 8K mergeable
write P 0x100000000000 8K byte=0x4d
proc Q
mmap Q 0x100000000000 8K
madvise Q 0x100000000000 8K mergeable
write Q 0x100000000000 8K byte=0x4d
ksm rmap_walk=address
ksm scan 2
expect ksm.pages_sharing == 3
expect rmap.reaches P 0x100000000000 == yes
mremap P 0x100000000000 8K 0x200000000000
ksm scan 2
expect ksm.pages_sharing == 3
expect same_frame P 0x200000000000 Q 0x100000000000 == yes
expect rmap.reaches P 0x200000000000 == no
expect rmap.mappings Q 0x100000000000 == 2
mremap P 0x200000000000 8K 0x100000000000
expect kpageflags P 0x100000000000 KSM == no
expect ksm.pages_sharing == 3
ksm scan 2
expect ksm.pages_sharing == 3
expect same_frame P 0x100000000000 Q 0x100000000000 == yes
expect rmap.reaches P 0x100000000000 == yes
expect rmap.mappings Q 0x100000000000 == 4

# The same moves under the remapped bit: all four reached throughout.
ksm unmerge
ksm rmap_walk=remapped
ksm scan 2
expect ksm.pages_sharing == 3
mremap P 0x100000000000 8K 0x200000000000
ksm scan 2
expect same_frame P 0x200000000000 Q 0x100000000000 == yes
expect rmap.reaches P 0x200000000000 == yes
expect rmap.mappings Q 0x100000000000 == 4
mremap P 0x200000000000 8K 0x100000000000
ksm scan 2
expect same_frame P 0x100000000000 Q 0x100000000000 == yes
expect rmap.reaches P 0x100000000000 == yes
expect rmap.mappings Q 0x100000000000 == 4

# And under the saved pgoff.
ksm unmerge
ksm rmap_walk=pgoff
ksm scan 2
mremap P 0x100000000000 8K 0x200000000000
ksm scan 2
expect same_frame P 0x200000000000 Q 0x100000000000 == yes
expect rmap.reaches P 0x200000000000 == yes
expect rmap.mappings Q 0x100000000000 == 4
mremap P 0x200000000000 8K 0x100000000000
ksm scan 2
expect same_frame P 0x100000000000 Q 0x100000000000 == yes
expect rmap.reaches P 0x100000000000 == yes
expect rmap.mappings Q 0x100000000000 == 4
