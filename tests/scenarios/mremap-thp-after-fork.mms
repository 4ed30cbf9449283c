# The child moves a shared PMD-mapped THP to another 2 MiB-aligned address:
# the PMD moves as a whole, still shared with the parent's PMD.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
mremap C 0x100000000000 2M 0x100000800000
expect same_frame P 0x100000000000 C 0x100000800000 == yes
expect kpagecount P 0x100000001000 == 2
expect folio_order C 0x100000800000 == 9
expect smaps C AnonHugePages == 2048
expect smaps P AnonHugePages == 2048
expect exclusive C 0x100000800000 == no
write C 0x100000800000 4K byte=2
expect folio_order C 0x100000800000 == 0
expect smaps C AnonHugePages == 0
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
