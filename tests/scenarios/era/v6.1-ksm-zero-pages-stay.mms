# 6.1: use_zero_pages: zero pages merged to ZERO_PAGE, not counted in shared/sharing; their
# rmap_items stay (volatile) until the next pass frees them; MADV_UNMERGEABLE and run=2 keep them.
kernel 6.1
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K zero
ksm scan 2
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect smaps A Rss == 0
expect ksm.pages_shared == 0
expect ksm.pages_volatile == 4
expect ksm_stat A ksm_rmap_items == 4
ksm scan 1
expect ksm.pages_volatile == 0
expect ksm_stat A ksm_rmap_items == 0
madvise A 0x100000000000 8K unmergeable
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect smaps A Rss == 0
ksm unmerge
expect kpageflags A 0x100000002000 ZERO_PAGE == yes
expect smaps A Rss == 0
write A 0x100000002000 4K byte=3
expect smaps A Rss == 4
expect smaps A Private_Dirty == 4
