# Mirrors ksm_tests check_ksm_zero_page_merge with use_zero_pages=1: empty pages are
# replaced by the shared zero page, so no KSM page exists (shared and sharing 0),
# ksm_zero_pages counts them and they leave RSS.
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 40K
madvise A 0x100000000000 40K mergeable
write A 0x100000000000 40K zero
ksm scan 1
expect ksm.ksm_zero_pages == 0
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.ksm_zero_pages == 10
expect ksm_stat A ksm_zero_pages == 10
expect ksm_stat A ksm_merging_pages == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect kpageflags A 0x100000000000 KSM == no
expect same_frame A 0x100000000000 A 0x100000009000 == yes
expect smaps A Rss == 0
expect smaps A KSM == 0
expect ksm.general_profit == 40320
