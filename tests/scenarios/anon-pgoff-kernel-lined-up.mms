# simulator-only: `reclaim`, the simulator's kswapd aimed at chosen pages, which
# no run on Linux can aim.
# anon-pgoff-zero-lined-up.mms under Linux's vm_pgoff = vm_start >>
# PAGE_SHIFT: the new mmap below the moved half does not continue its
# offsets, so it stays a VMA of its own with an anon_vma of its own. The
# KSM page the two equal pages become is reclaimed; on swap-in the second
# fault finds the folio indexed for P's first VMA, another index and
# another anon_vma root: ksm_might_need_to_copy() copies.
proc P
prctl P merge on
mmap P 0x100000000000 32K
write P 0x100000000000 32K pattern=3
mremap P 0x100000004000 16K 0x100000100000
mmap P 0x1000000fc000 16K
expect vma_start P 0x100000100000 == 0x100000100000
write P 0x1000000fc000 4K pattern=3
expect folio.index P 0x1000000fc000 == 0x1000000fc
expect folio.index P 0x100000000000 == 0x100000000
ksm scan 2
expect same_frame P 0x100000000000 P 0x1000000fc000 == yes
reclaim P 0x100000000000 4K
expect swapped P 0x1000000fc000 == yes
expect byte P 0x100000000000 == 3
expect byte P 0x1000000fc000 == 3
expect same_frame P 0x100000000000 P 0x1000000fc000 == no
expect rmap.mappings P 0x100000000000 == 1
