# Mirrors ksm_tests check_ksm_zero_page_merge with use_zero_pages=0: empty pages merge
# with each other into one ordinary KSM page (not the zero page); ksm_zero_pages stays 0.
proc A
mmap A 0x100000000000 40K
madvise A 0x100000000000 40K mergeable
write A 0x100000000000 40K zero
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 9
expect ksm.ksm_zero_pages == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == no
expect kpageflags A 0x100000000000 KSM == yes
expect same_frame A 0x100000000000 A 0x100000009000 == yes
expect ksm_stat A ksm_zero_pages == 0
expect ksm_stat A ksm_merging_pages == 10
expect smaps A KSM == 40
