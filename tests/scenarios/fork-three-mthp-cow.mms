# A 64 KiB folio mapped by three processes: each write copies one page for
# the writer. Even when the parent's page is mapped only by the parent
# (exclusive), its write copies: other mms still map the folio.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C1
fork P C2
expect kpagecount P 0x100000002000 == 3
write C1 0x100000002000 4K byte=2
expect kpagecount P 0x100000002000 == 2
expect exclusive P 0x100000002000 == no
write C2 0x100000002000 4K byte=3
expect kpagecount P 0x100000002000 == 1
expect exclusive P 0x100000002000 == yes
expect folio_order P 0x100000002000 == 4
write P 0x100000002000 4K byte=4
expect folio_order P 0x100000002000 == 0   # copied, not reused
expect byte C1 0x100000002000 == 2
expect byte C2 0x100000002000 == 3
expect byte P 0x100000002000 == 4
expect smaps P Pss == 23   # 15 pages x 4096/3 truncated per page, then to kB: 23.99 -> 23
