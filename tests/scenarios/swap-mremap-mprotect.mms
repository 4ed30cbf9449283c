# Swap entries move with mremap and keep through mprotect: a read-only
# range swaps in read-only, and once writable again a write needs no copy.
swap 64M                                   # MADV_PAGEOUT needs a swap device
proc P
mmap P 0x100000000000 16K
write P 0x100000000000 16K byte=0x21
madvise P 0x100000000000 16K pageout
mremap P 0x100000000000 16K 0x100000100000
expect swapped P 0x100000100000 == yes
expect vma.pgoff P 0x100000100000 == 0x100000000
mprotect P 0x100000100000 16K r
expect swapped P 0x100000101000 == yes
expect byte P 0x100000101000 == 0x21
mprotect P 0x100000100000 16K rw
poke P 0x100000102000 0x22
expect byte P 0x100000102000 == 0x22
expect rmap.reaches P 0x100000102000 == yes
expect rmap.mappings P 0x100000102000 == 1
