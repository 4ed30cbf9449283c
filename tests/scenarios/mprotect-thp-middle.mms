# mprotect of one page in the middle of a THP splits the VMA and the PMD.
thp 2M always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=1
mprotect A 0x100000100000 4K r
expect folio_order A 0x100000100000 == 9
expect kpagecount A 0x100000100000 == 1
expect present A 0x100000100000 == yes
expect smaps A AnonHugePages == 0
expect smaps A Rss == 2048
expect byte A 0x100000100000 == 1
mprotect A 0x100000100000 4K rw
write A 0x100000100000 4K byte=2
expect same_frame A 0x100000100000 A 0x100000100000 == yes
expect folio_order A 0x100000100000 == 9
