# The parent drops a THP it shares with its child: the child's PMD now
# maps the only reference, so pagemap says exclusive and the child's write
# reuses the folio in place (still order 9, PMD-mapped).
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
madvise P 0x100000000000 2M dontneed
expect present P 0x100000000000 == no
expect kpagecount C 0x100000000000 == 1
expect exclusive C 0x100000000000 == yes
write C 0x100000003000 4K byte=2
expect folio_order C 0x100000003000 == 9
expect kpagecount C 0x100000003000 == 1
expect smaps C AnonHugePages == 2048
expect smaps C Pss == 2048
expect byte C 0x100000000000 == 1
