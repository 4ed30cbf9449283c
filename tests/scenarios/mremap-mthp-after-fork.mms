# The child moves half of a 64 KiB folio it shares with its parent: the
# moved PTEs still map the shared pages, and the parent's view is unchanged.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
mremap C 0x100000008000 32K 0x100000208000
expect same_frame P 0x100000008000 C 0x100000208000 == yes
expect kpagecount P 0x100000008000 == 2
expect folio_order C 0x100000208000 == 4
expect present C 0x100000008000 == no
write C 0x100000208000 4K byte=2
expect folio_order C 0x100000208000 == 0
expect exclusive P 0x100000008000 == yes
expect byte P 0x100000008000 == 1
