# A write into the huge zero folio allocates a new 2 MiB folio (6.13+):
# no split, the whole range becomes a PMD-mapped THP.
thp 2M always
proc A
mmap A 0x100000000000 2M
read A 0x100000000000 2M
write A 0x100000010000 4K byte=9
expect folio_order A 0x100000000000 == 9
expect kpageflags A 0x100000000000 ZERO_PAGE == no
expect kpagecount A 0x100000100000 == 1
expect exclusive A 0x100000100000 == yes
expect smaps A Rss == 2048
expect smaps A AnonHugePages == 2048
expect byte A 0x100000010000 == 9
expect byte A 0x100000011000 == 0
