# A VMA that was only read has no anon_vma: fork copies none of its page
# table entries, so the child finds nothing present there.
proc P
mmap P 0x100000000000 16K
mmap P 0x100000100000 16K
read P 0x100000000000 16K
write P 0x100000100000 4K byte=1
read P 0x100000101000 4K
fork P C
expect present C 0x100000000000 == no
expect present C 0x100000100000 == yes
expect present C 0x100000101000 == yes
expect kpageflags C 0x100000101000 ZERO_PAGE == yes
expect kpagecount P 0x100000100000 == 2
