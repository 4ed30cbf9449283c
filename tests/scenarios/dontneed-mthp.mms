# MADV_DONTNEED of two pages of a 64 KiB folio: they go, the rest stays
# mapped from the same order-4 folio; reading them again gives zero pages.
thp 64K always
proc A
mmap A 0x100000000000 64K
write A 0x100000000000 64K byte=1
madvise A 0x100000004000 8K dontneed
expect present A 0x100000004000 == no
expect kpagecount A 0x100000003000 == 1
expect folio_order A 0x100000003000 == 4
expect folio_order A 0x100000006000 == 4
expect smaps A Rss == 56
read A 0x100000004000 8K
expect kpageflags A 0x100000004000 ZERO_PAGE == yes
expect byte A 0x100000005000 == 0
expect smaps A Rss == 56
