# An mTHP block must lie inside the VMA: a 64 KiB block that would cross
# the VMA's end cannot be used, so the fault takes a single page.
thp 64K always
proc A
mmap A 0x100000011000 68K
write A 0x100000011000 4K byte=1
expect folio_order A 0x100000011000 == 0
expect present A 0x100000012000 == no
write A 0x100000020000 4K byte=2
expect folio_order A 0x100000020000 == 0
expect present A 0x10000002f000 == no
expect smaps A Rss == 8
