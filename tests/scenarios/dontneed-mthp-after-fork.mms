# The child drops half of a shared 64 KiB folio: its refault is a single
# page (the block is not empty), and the parent's now unshared half is
# exclusive but still copied on write, as the child maps the other half.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
madvise C 0x100000000000 32K dontneed
expect present C 0x100000000000 == no
expect smaps C Rss == 32
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
write C 0x100000000000 4K byte=2
expect folio_order C 0x100000000000 == 0
expect kpagecount C 0x100000000000 == 1
write P 0x100000001000 4K byte=3
expect folio_order P 0x100000001000 == 0
expect byte C 0x100000001000 == 0
expect smaps P Pss == 48
