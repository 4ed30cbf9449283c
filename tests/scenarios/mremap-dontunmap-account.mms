# MREMAP_DONTUNMAP of a whole faulted VMA: the VMA that stays loses its
# anon_vma (unlink_anon_vmas) and keeps its flags (VM_ACCOUNT too, since the
# 2025 stable fix), so a new read-write neighbour merges with it; the moved
# VMA keeps its anon_vma and so its pages' place.
proc P
mmap P 0x100000000000 16K
write P 0x100000000000 16K byte=3
mremap P 0x100000000000 16K 0x100000100000 dontunmap
mmap P 0x100000004000 16K
expect vma_start P 0x100000004000 == 0x100000000000
expect vma_end P 0x100000000000 == 0x100000008000
write P 0x100000000000 4K byte=4
expect byte P 0x100000100000 == 3
expect kpagecount P 0x100000100000 == 1
expect exclusive P 0x100000000000 == yes
