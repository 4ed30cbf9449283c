# A 64K mTHP full of zeroes with use_zero_pages=1: the split KSM does before placing a
# zero page already maps every subpage to the shared zero page, so ksm_zero_pages stays 0
# and no KSM page is created.
thp 64K always
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 64K
madvise A 0x100000000000 64K mergeable
write A 0x100000000000 64K zero
expect folio_order A 0x100000000000 == 4
ksm scan 2
expect folio_order A 0x100000000000 == 0
expect ksm.ksm_zero_pages == 0
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect kpageflags A 0x10000000f000 ZERO_PAGE == yes
expect smaps A Rss == 0
