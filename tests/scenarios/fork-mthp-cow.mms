# A 64 KiB folio after fork: a write copies one page while the other mm
# maps any page of the folio, and reuses the folio once it is the only one.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
write C 0x100000001000 4K byte=2
expect folio_order C 0x100000001000 == 0
expect kpagecount P 0x100000001000 == 1
expect exclusive P 0x100000001000 == yes
write P 0x100000002000 4K byte=3
expect folio_order P 0x100000002000 == 0
expect kpagecount C 0x100000002000 == 1
exit C
write P 0x100000003000 4K byte=4
expect folio_order P 0x100000003000 == 4
expect same_frame P 0x100000003000 P 0x100000004000 == no
expect kpagecount P 0x100000003000 == 1
expect smaps P Rss == 64
expect smaps P Pss == 64
