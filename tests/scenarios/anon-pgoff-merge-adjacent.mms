# Seed 004: adjacent anonymous mmaps merge into one VMA because an
# anonymous VMA's vm_pgoff is vm_start >> PAGE_SHIFT, so the offsets of the
# new range continue the neighbour's. maps shows one VMA, in the fork too;
# folio->index is the page's address >> PAGE_SHIFT.
proc P
mmap P 0x100000000000 8K
mmap P 0x100000002000 8K
mmap P 0x100000004000 8K
expect vma_start P 0x100000004000 == 0x100000000000
expect vma_end P 0x100000000000 == 0x100000006000
expect vma.pgoff P 0x100000002000 == 0x100000000
write P 0x100000000000 24K byte=1
expect folio.index P 0x100000005000 == 0x100000005
fork P C
expect vma_start C 0x100000005000 == 0x100000000000
expect vma_end C 0x100000000000 == 0x100000006000
# A split by mprotect and its undoing: the pieces merge back.
mprotect P 0x100000002000 4K r
expect vma_end P 0x100000000000 == 0x100000002000
mprotect P 0x100000002000 4K rw
expect vma_end P 0x100000000000 == 0x100000006000
expect vma_start P 0x100000010000 == 0
