# With only two mms both fit the owner slots: once the other one goes, the
# survivor owns every mapping and its write reuses the 64 KiB folio.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C1
exit P
write C1 0x100000001000 4K byte=2
expect folio_order C1 0x100000001000 == 4
expect kpagecount C1 0x100000001000 == 1
expect smaps C1 Rss == 64
