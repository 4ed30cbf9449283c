# Before 6.9 MADV_POPULATE_READ/WRITE went through madvise's VMA walk
# (madvise_walk_vmas() calling madvise_populate() for each VMA): every mapped
# part of the range is populated and a hole answers -ENOMEM only at the end.
# 6.9 ("mm/madvise: don't perform madvise VMA walk for
# MADV_POPULATE_(READ|WRITE)") stops at the hole, with the pages before it
# populated: selftest-madv-populate-holes, where 6.12, 6.18 and 7.3 leave the
# pages after the hole empty (Rss 4 kB). Profile switch populate_walks_vmas.
kernel 6.1
proc P
mmap P 0x100000000000 2M
munmap P 0x100000001000 4K
expect errno madvise P 0x100000000000 2M populate_read == ENOMEM
expect present P 0x100000000000 == yes
expect present P 0x100000002000 == yes
expect present P 0x1000001ff000 == yes
expect kpageflags P 0x100000002000 ZERO_PAGE == yes
expect smaps P Rss == 0
expect errno madvise P 0x100000000000 2M populate_write == ENOMEM
expect kpageflags P 0x100000002000 ZERO_PAGE == no
expect smaps P Rss == 2044
