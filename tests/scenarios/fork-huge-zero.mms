# The huge zero folio is copied into a child at fork (its read fault gave
# the VMA an anon_vma), and is still counted by nobody.
thp 2M always
proc P
mmap P 0x100000000000 2M
read P 0x100000000000 4K
fork P C
expect present C 0x100000000000 == yes
expect folio_order C 0x100000000000 == 9
expect kpageflags C 0x100000000000 ZERO_PAGE == yes
expect same_frame P 0x100000000000 C 0x100000000000 == yes
expect kpagecount C 0x100000000000 == 0
expect smaps C Rss == 0
