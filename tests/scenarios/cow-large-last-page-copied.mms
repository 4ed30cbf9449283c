# 6.15+: a write to a no-longer-shared page of a large folio reuses it,
# except when it is the folio's last mapped page: that one is copied out
# (to let the large folio be freed). Order 4 stays vs order 0 after the write.
thp 64K always
proc P
mmap P 0x100000000000 64K
mmap P 0x100000100000 64K
write P 0x100000000000 64K byte=1
write P 0x100000100000 64K byte=1
fork P C
exit C
madvise P 0x100000001000 60K dontneed
madvise P 0x100000102000 56K dontneed
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
write P 0x100000000000 4K byte=2
expect folio_order P 0x100000000000 == 0   # last mapped page: copied
expect kpagecount P 0x100000100000 == 1
write P 0x100000100000 4K byte=2
expect folio_order P 0x100000100000 == 4   # two pages mapped: reused
expect folio_order P 0x100000101000 == 4
expect smaps P Rss == 12
expect byte P 0x100000101000 == 1
