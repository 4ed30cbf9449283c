# A 32 KiB mTHP: a write maps the aligned 32 KiB block (order 3). A VMA
# whose end cuts the next block leaves that block to single pages.
thp 32K always
proc A
mmap A 0x100000000000 56K
write A 0x100000001000 4K byte=1
expect folio_order A 0x100000000000 == 3
expect folio_order A 0x100000007000 == 3
expect present A 0x100000008000 == no
write A 0x100000008000 4K byte=2
expect folio_order A 0x100000008000 == 0
expect present A 0x100000009000 == no
expect smaps A Rss == 36
