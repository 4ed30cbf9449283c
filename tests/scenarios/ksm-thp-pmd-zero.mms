# A 2M THP written full of zeroes, use_zero_pages=0: KSM splits the folio when two of its
# subpages meet in the unstable tree, and the split maps all 512 zero subpages to the
# shared zero page: no KSM page, RSS 0.
thp 2M always
proc A
mmap A 0x100000000000 2M
madvise A 0x100000000000 2M mergeable
write A 0x100000000000 2M zero
expect folio_order A 0x100000000000 == 9
ksm scan 2
expect folio_order A 0x100000000000 == 0
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.ksm_zero_pages == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect kpageflags A 0x100000100000 KSM == no
expect smaps A Rss == 0
expect smaps A AnonHugePages == 0
