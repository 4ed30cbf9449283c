# mprotect r then rw of a whole shared THP in the child keeps both PMDs
# (nothing is split); the child's next write still splits its own PMD
# and copies one page, since the folio is shared.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
mprotect C 0x100000000000 2M r
expect smaps C AnonHugePages == 2048
mprotect C 0x100000000000 2M rw
expect smaps C AnonHugePages == 2048
expect kpagecount P 0x100000000000 == 2
write C 0x100000000000 4K byte=2
expect folio_order C 0x100000000000 == 0
expect smaps C AnonHugePages == 0
expect smaps P AnonHugePages == 2048
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000001000 == yes   # PMD: the head's count is 1 now
