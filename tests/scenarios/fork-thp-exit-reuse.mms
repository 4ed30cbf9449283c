# Once the child that shared a THP exits, the parent's writes reuse the
# folio in place: the same frames, still order 9 and PMD-mapped.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
write C 0x100000005000 4K byte=2
exit C
write P 0x100000000000 4K byte=3
expect folio_order P 0x100000000000 == 9
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
expect exclusive P 0x100000005000 == yes
expect smaps P AnonHugePages == 2048
expect smaps P Pss == 2048
write P 0x100000005000 4K byte=4
expect folio_order P 0x100000005000 == 9
expect smaps P AnonHugePages == 2048
expect byte P 0x100000000000 == 3
