# MM-owner tracking (6.15+) keeps two owner slots per large folio. Mapped by
# a third mm, the folio is "maybe shared"; when the two tracked mms go, the
# untracked survivor is the only user, yet the bit stays set: its write
# copies one page instead of reusing the folio (a false "shared").
thp 64K always
proc P
mmap P 0x100000000000 64K
write P 0x100000000000 64K byte=1
fork P C1
fork P C2
exit P
exit C1
expect kpagecount C2 0x100000000000 == 1
expect exclusive C2 0x100000000000 == yes
write C2 0x100000001000 4K byte=2
expect folio_order C2 0x100000001000 == 0
expect folio_order C2 0x100000002000 == 4
expect smaps C2 Rss == 64
