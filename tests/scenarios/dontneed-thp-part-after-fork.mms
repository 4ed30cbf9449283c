# The child drops the first 1 MiB of a shared THP with MADV_DONTNEED: its
# PMD is split, the parent keeps the PMD. Refaults in the child are 4 KiB
# (the PTE table is there): a read maps the zero page, a write a new page.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M byte=1
fork P C
madvise C 0x100000000000 1M dontneed
expect present C 0x100000000000 == no
expect folio_order C 0x100000100000 == 9
expect kpagecount P 0x100000000000 == 1
expect kpagecount P 0x100000100000 == 2
expect smaps P AnonHugePages == 2048
expect smaps C Rss == 1024
expect byte C 0x100000000000 == 0
expect kpageflags C 0x100000000000 ZERO_PAGE == yes
expect folio_order C 0x100000000000 == 0
write C 0x100000001000 4K byte=2
expect folio_order C 0x100000001000 == 0
expect kpagecount C 0x100000001000 == 1
expect kpagecount P 0x100000001000 == 1
expect byte P 0x100000001000 == 1
expect smaps C Rss == 1028
