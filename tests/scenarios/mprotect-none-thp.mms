# PROT_NONE over a whole PMD-mapped THP keeps the PMD (AnonHugePages) and
# every page present; over half of it the PMD is split but the folio stays.
thp 2M always
proc A
mmap A 0x100000000000 2M
mmap A 0x100000400000 2M
write A 0x100000000000 4K byte=1
write A 0x100000400000 4K byte=1
mprotect A 0x100000000000 2M none
mprotect A 0x100000400000 1M none
expect present A 0x100000000000 == yes
expect kpagecount A 0x100000001000 == 1
expect folio_order A 0x100000001000 == 9
expect exclusive A 0x100000001000 == yes
expect present A 0x100000400000 == yes
expect folio_order A 0x100000500000 == 9
expect kpagecount A 0x100000400000 == 1
expect smaps A Rss == 4096
expect smaps A AnonHugePages == 2048
mprotect A 0x100000000000 2M rw
expect byte A 0x100000000000 == 1
expect smaps A AnonHugePages == 2048
