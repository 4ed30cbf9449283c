# Three generations share a 64 KiB folio; the middle one exits, then the
# parent. The grandchild alone maps the folio (kpagecount 1, exclusive),
# yet its write still copies: the folio's two MM-id slots went to the
# parent and the child, never to the grandchild, so "maybe shared" stays set.
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C
fork C G
expect kpagecount G 0x100000000000 == 3
exit C
expect kpagecount G 0x100000000000 == 2
expect exclusive G 0x100000000000 == no
write G 0x100000000000 4K byte=2
expect folio_order G 0x100000000000 == 0
exit P
expect kpagecount G 0x100000001000 == 1
expect exclusive G 0x100000001000 == yes
write G 0x100000001000 4K byte=3
expect folio_order G 0x100000001000 == 0   # copied: maybe_mapped_shared is still set
expect smaps G Pss == 64
