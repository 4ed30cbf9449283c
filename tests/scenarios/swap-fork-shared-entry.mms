# simulator-only: its second half uses `reclaim`, the simulator's kswapd aimed at
# chosen pages, which no run on Linux can aim; MADV_PAGEOUT skips shared pages.
# A fork copies swap entries (swap_duplicate): parent and child name the
# same slot. Both read the page back into one folio (same anon_vma root,
# same index: no copy), shared and so not exclusive; a write copies.
proc P
mmap P 0x100000000000 8K
write P 0x100000000000 8K byte=0x33
madvise P 0x100000000000 8K pageout
fork P C
expect swapped C 0x100000000000 == yes
expect swapped P 0x100000001000 == yes
expect smaps C Swap == 8
expect byte P 0x100000000000 == 0x33
expect byte C 0x100000000000 == 0x33
expect same_frame P 0x100000000000 C 0x100000000000 == yes
expect exclusive P 0x100000000000 == no
expect kpagecount P 0x100000000000 == 2
poke C 0x100000000000 0x44
expect byte P 0x100000000000 == 0x33
expect same_frame P 0x100000000000 C 0x100000000000 == no
# MADV_PAGEOUT skips what another process maps; the simulator's reclaim does not.
read P 0x100000001000 4K
read C 0x100000001000 4K
madvise P 0x100000001000 4K pageout
expect swapped P 0x100000001000 == no
reclaim P 0x100000001000 4K
expect swapped P 0x100000001000 == yes
expect swapped C 0x100000001000 == yes
exit P
expect byte C 0x100000001000 == 0x33
