# A 2M THP full of zeroes with use_zero_pages=1: KSM splits the folio before placing the
# first zero page and the split itself maps every subpage to the shared zero page, so
# ksm_zero_pages stays 0 while RSS drops to nothing.
thp 2M always
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 2M
madvise A 0x100000000000 2M mergeable
write A 0x100000000000 2M zero
ksm scan 2
expect folio_order A 0x100000000000 == 0
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.ksm_zero_pages == 0
expect ksm_stat A ksm_zero_pages == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect smaps A Rss == 0
expect smaps A AnonHugePages == 0
