# Mirrors ksm_functional_tests test_unmerge_zero_pages: with use_zero_pages every empty
# page becomes a KSM zero page (all counted), MADV_UNMERGEABLE of half leaves half,
# and writing the other half leaves none; no frame is then mapped twice.
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K zero
ksm scan 2
expect ksm.ksm_zero_pages == 8
expect ksm_stat A ksm_zero_pages == 8
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect smaps A Rss == 0
madvise A 0x100000000000 16K unmergeable
expect ksm.ksm_zero_pages == 4
expect ksm_stat A ksm_zero_pages == 4
expect kpageflags A 0x100000000000 ZERO_PAGE == no
expect kpageflags A 0x100000004000 ZERO_PAGE == yes
write A 0x100000004000 16K pattern=0x1234
expect ksm.ksm_zero_pages == 0
expect ksm_stat A ksm_zero_pages == 0
expect same_frame A 0x100000000000 A 0x100000001000 == no
expect same_frame A 0x100000004000 A 0x100000005000 == no
expect smaps A Rss == 32
