# simulator-only: seed 004's anon_pgoff zero (no kernel gives vm_pgoff 0).
# The same mmaps as anon-pgoff-merge-adjacent.mms under vm_pgoff = 0: the
# offsets never continue (0 after 0..1), so no mmap merges with its
# neighbour; folio->index is the offset inside the VMA. Pieces of one
# mapping keep their offsets and still merge back after mprotect.
anon_pgoff zero
proc P
mmap P 0x100000000000 8K
mmap P 0x100000002000 8K
mmap P 0x100000004000 8K
expect vma_start P 0x100000004000 == 0x100000004000
expect vma_end P 0x100000000000 == 0x100000002000
expect vma.pgoff P 0x100000002000 == 0
write P 0x100000000000 24K byte=1
expect folio.index P 0x100000005000 == 1
fork P C
expect vma_start C 0x100000005000 == 0x100000004000
mprotect P 0x100000004000 4K r
expect vma_end P 0x100000004000 == 0x100000005000
mprotect P 0x100000004000 4K rw
expect vma_end P 0x100000004000 == 0x100000006000
expect vma.pgoff P 0x100000005000 == 0
expect rmap.mappings P 0x100000005000 == 2
