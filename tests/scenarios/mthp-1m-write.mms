# A 1 MiB mTHP (order 8) is still not a PMD mapping: smaps shows it in
# Rss but not in AnonHugePages.
thp 1M always
proc A
mmap A 0x100000000000 2M
write A 0x100000100000 4K byte=1
expect folio_order A 0x100000100000 == 8
expect folio_order A 0x1000001ff000 == 8
expect present A 0x1000000ff000 == no
expect kpagecount A 0x100000180000 == 1
expect smaps A Rss == 1024
expect smaps A AnonHugePages == 0
