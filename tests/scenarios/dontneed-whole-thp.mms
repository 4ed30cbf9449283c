# MADV_DONTNEED of a whole PMD-mapped THP drops it: nothing present, Rss 0;
# a read then maps the huge zero folio and a write a fresh THP.
thp 2M always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=5
madvise A 0x100000000000 2M dontneed
expect present A 0x100000000000 == no
expect folio_order A 0x100000000000 == -1
expect smaps A Rss == 0
expect byte A 0x100000001000 == 0
expect folio_order A 0x100000000000 == 9
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect smaps A Rss == 0
write A 0x100000002000 4K byte=6
expect folio_order A 0x100000000000 == 9
expect kpageflags A 0x100000000000 ZERO_PAGE == no
expect smaps A AnonHugePages == 2048
expect byte A 0x100000000000 == 0
expect byte A 0x100000002000 == 6
