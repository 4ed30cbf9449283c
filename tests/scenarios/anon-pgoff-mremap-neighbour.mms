# Seed 004: mremap keeps a faulted VMA's vm_pgoff, so the moved half of P's
# range still has the offsets of its old place; a new mmap right below it
# gets its own address as offset, which does not continue them: two VMAs.
# (Under anon_pgoff zero they would merge: anon-pgoff-zero-lined-up.mms.)
proc P
mmap P 0x100000000000 32K
write P 0x100000000000 32K pattern=3
mremap P 0x100000004000 16K 0x100000100000
expect vma_start P 0x100000100000 == 0x100000100000
expect vma.pgoff P 0x100000100000 == 0x100000004
mmap P 0x1000000fc000 16K
write P 0x1000000fc000 4K pattern=3
expect vma_end P 0x1000000fc000 == 0x100000100000
expect vma_start P 0x100000100000 == 0x100000100000
expect folio.index P 0x1000000fc000 == 0x1000000fc
expect rmap.mappings P 0x100000000000 == 1
