# simulator-only: `reclaim`, the simulator's kswapd aimed at chosen pages, which
# no run on Linux can aim (MADV_PAGEOUT skips a KSM page another process maps).
# A KSM page mapped by two processes: MADV_PAGEOUT leaves it (another
# process maps it), reclaim writes it once for both. Swap-in loses the KSM
# flag: P reads a plain page, and Q, whose VMA has another anon_vma root,
# gets a copy (ksm_might_need_to_copy); ksmd merges them again.
proc P
mmap P 0x100000000000 4K
madvise P 0x100000000000 4K mergeable
write P 0x100000000000 4K byte=0x4d
proc Q
mmap Q 0x100000000000 4K
madvise Q 0x100000000000 4K mergeable
write Q 0x100000000000 4K byte=0x4d
ksm scan 2
expect ksm.pages_sharing == 1
madvise P 0x100000000000 4K pageout
expect swapped P 0x100000000000 == no
reclaim P 0x100000000000 4K
expect swapped P 0x100000000000 == yes
expect swapped Q 0x100000000000 == yes
expect byte P 0x100000000000 == 0x4d
expect kpageflags P 0x100000000000 KSM == no
expect folio.index P 0x100000000000 == 0x100000000
expect byte Q 0x100000000000 == 0x4d
expect same_frame P 0x100000000000 Q 0x100000000000 == no
ksm scan 3
expect same_frame P 0x100000000000 Q 0x100000000000 == yes
expect kpageflags Q 0x100000000000 KSM == yes
