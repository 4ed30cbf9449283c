# MADV_COLLAPSE over a range with a PROT_NONE part: no VMA holds a whole aligned 2M
# block, so collapse_possible() says no: EINVAL. A 4M range keeps one whole block.
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=0x44
mprotect A 0x100000100000 4K none
expect madvise_collapse A 0x100000000000 2M == -22
expect folio_order A 0x100000000000 == 0
mmap A 0x100000400000 4M
write A 0x100000400000 4M byte=0x45
mprotect A 0x100000700000 4K none
expect madvise_collapse A 0x100000400000 4M == -22
expect folio_order A 0x100000400000 == 9
expect folio_order A 0x100000600000 == 0
expect madvise_collapse A 0x100000400000 2M == 0
expect folio_order A 0x100000400000 == 9
mprotect A 0x100000400000 2M none
expect folio_order A 0x100000400000 == 9
mmap A 0x100000a00000 2M
write A 0x100000a00000 2M byte=0x46
mprotect A 0x100000a00000 2M none
expect madvise_collapse A 0x100000a00000 2M == 0
expect folio_order A 0x100000a00000 == 9
expect smaps A AnonHugePages == 4096
