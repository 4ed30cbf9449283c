# Seed 003: the moved process forks again. P's range was moved by mremap and
# merged again at its new place (vm_pgoff 0x100000000 at 0x200000000000);
# then P forks C. Until ksmd meets C, only P's rmap_items lead to C's
# mappings (rmap_walk_ksm's "new forks" pass over P's anon_vma); after the
# next pass C has items of its own, made with the same VMA as P's.
#
#   P: 0x100000000000 --mremap--> 0x200000000000 --fork--> C at 0x200000000000
#   Q: 0x100000000000
#
# rmap.* and truth.* are simulator-only: `full` (Linux) reaches all six
# mappings, `address` only Q's two, `pgoff` and `remapped` all six, whether
# or not ksmd has met C yet.
proc P
mmap P 0x100000000000 8K
madvise P 0x100000000000 8K mergeable
write P 0x100000000000 8K byte=0x4d
proc Q
mmap Q 0x100000000000 8K
madvise Q 0x100000000000 8K mergeable
write Q 0x100000000000 8K byte=0x4d
ksm scan 2
mremap P 0x100000000000 8K 0x200000000000
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
fork P C
expect same_frame C 0x200000000000 Q 0x100000000000 == yes
expect ksm_stat C ksm_merging_pages == 0
expect truth.mapcount C 0x200000000000 == 6
# full (the default, Linux 6.18)
expect rmap.mappings C 0x200000000000 == 6
expect rmap.reaches C 0x200000000000 == yes
expect rmap.reaches C 0x200000001000 == yes
ksm scan 1
expect ksm.pages_sharing == 5
expect ksm_stat C ksm_merging_pages == 2
expect rmap.mappings Q 0x100000000000 == 6
expect rmap.reaches C 0x200000000000 == yes

exit C
ksm unmerge
ksm rmap_walk=address
ksm scan 2
expect ksm.pages_sharing == 3
fork P C
expect same_frame C 0x200000000000 Q 0x100000000000 == yes
expect rmap.mappings C 0x200000000000 == 2
expect rmap.reaches C 0x200000000000 == no
expect rmap.reaches P 0x200000000000 == no
expect rmap.reaches Q 0x100000000000 == yes
ksm scan 1
expect ksm.pages_sharing == 5
expect rmap.mappings Q 0x100000000000 == 2
expect rmap.reaches C 0x200000000000 == no

exit C
ksm unmerge
ksm rmap_walk=pgoff
ksm scan 2
expect ksm.pages_sharing == 3
fork P C
expect rmap.mappings C 0x200000000000 == 6
expect rmap.reaches C 0x200000000000 == yes
expect rmap.reaches C 0x200000001000 == yes
ksm scan 1
expect ksm.pages_sharing == 5
expect rmap.mappings Q 0x100000000000 == 6
expect rmap.reaches C 0x200000000000 == yes

exit C
ksm unmerge
ksm rmap_walk=remapped
ksm scan 2
expect ksm.pages_sharing == 3
fork P C
expect rmap.mappings C 0x200000000000 == 6
expect rmap.reaches C 0x200000000000 == yes
expect rmap.reaches C 0x200000001000 == yes
ksm scan 1
expect ksm.pages_sharing == 5
expect rmap.mappings Q 0x100000000000 == 6
expect rmap.reaches C 0x200000000000 == yes
