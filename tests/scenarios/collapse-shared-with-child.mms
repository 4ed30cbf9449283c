# MADV_COLLAPSE of a range shared with a forked child (max_ptes_shared ignored): the
# parent gets a THP copy, the child keeps its small pages, now its own.
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=0x21
fork A B
expect kpagecount B 0x100000000000 == 2
expect madvise_collapse A 0x100000000000 2M == 0
expect folio_order A 0x100000000000 == 9
expect folio_order B 0x100000000000 == 0
expect kpagecount A 0x100000000000 == 1
expect kpagecount B 0x100000000000 == 1
expect same_frame A 0x100000000000 B 0x100000000000 == no
expect exclusive A 0x100000000000 == yes
expect exclusive B 0x100000000000 == yes
expect smaps A Rss == 2048
expect smaps A Pss == 2048
expect smaps B Pss == 2048
expect smaps B Private_Dirty == 2048
expect byte B 0x100000001000 == 33
write B 0x100000001000 4K byte=0x22
expect kpagecount B 0x100000001000 == 1
expect byte A 0x100000001000 == 33
