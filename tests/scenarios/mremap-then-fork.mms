# A range moved by mremap is copied at fork like any other: the child maps
# the same frames at the new address, and nothing at the old one.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=4
mremap P 0x100000000000 64K 0x100000100000
fork P C
expect present C 0x100000000000 == no
expect same_frame P 0x100000100000 C 0x100000100000 == yes
expect kpagecount C 0x100000108000 == 2
expect folio_order C 0x100000108000 == 4
expect smaps C Pss == 32
write C 0x100000108000 4K byte=5
expect folio_order C 0x100000108000 == 0
expect byte P 0x100000108000 == 4
