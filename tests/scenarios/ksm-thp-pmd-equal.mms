# A PMD-mapped 2M THP whose 512 subpages are equal: the first pass sees each subpage
# (all volatile, the folio intact); in the second it is split and 511 subpages merge
# (max_page_sharing 256: 2 KSM pages, 509 sharing; one waits a pass); no AnonHugePages.
thp 2M always
proc A
mmap A 0x100000000000 2M
madvise A 0x100000000000 2M mergeable
write A 0x100000000000 2M byte=0x21
expect folio_order A 0x100000000000 == 9
expect smaps A AnonHugePages == 2048
ksm scan 1
expect folio_order A 0x100000000000 == 9
expect ksm.pages_volatile == 512
expect ksm.pages_scanned == 512
ksm scan 1
expect folio_order A 0x100000000000 == 0
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 509
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 1
expect kpageflags A 0x100000000000 KSM == yes
expect kpageflags A 0x100000000000 THP == no
expect kpagecount A 0x1000001ff000 == 255
expect smaps A AnonHugePages == 0
expect smaps A KSM == 2044
expect smaps A Rss == 2048
