# simulator-only: seed 004's anon_pgoff zero.
# Under vm_pgoff = 0 the moved half keeps offsets 4..7 and a new 16K mmap
# right below it gets 0..3: they continue, so the two merge and share the
# moved half's anon_vma, which also holds P's first half at offsets 0..3.
# Two unrelated pages now have index 0 in one anon_vma. The rmap still
# finds every mapping (the checker walks after each step); it searches one
# more VMA. KSM merges the two equal pages, reclaim swaps the KSM page out,
# and on swap-in ksm_might_need_to_copy() finds index and root equal: the
# second fault shares the folio where Linux would copy.
anon_pgoff zero
proc P
prctl P merge on
mmap P 0x100000000000 32K
write P 0x100000000000 32K pattern=3
mremap P 0x100000004000 16K 0x100000100000
expect vma.pgoff P 0x100000100000 == 4
mmap P 0x1000000fc000 16K
expect vma_start P 0x100000100000 == 0x1000000fc000
expect vma.pgoff P 0x1000000fc000 == 0
write P 0x1000000fc000 4K pattern=3
expect folio.index P 0x1000000fc000 == 0
expect folio.index P 0x100000000000 == 0
expect rmap.mappings P 0x100000000000 == 1
ksm scan 2
expect same_frame P 0x100000000000 P 0x1000000fc000 == yes
reclaim P 0x100000000000 4K
expect swapped P 0x1000000fc000 == yes
expect byte P 0x100000000000 == 3
expect byte P 0x1000000fc000 == 3
expect same_frame P 0x100000000000 P 0x1000000fc000 == yes
expect rmap.mappings P 0x100000000000 == 2
