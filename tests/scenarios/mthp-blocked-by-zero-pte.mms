# Any populated PTE in the aligned block rules that size out, even one that
# maps the zero page: the next write falls back to the next enabled size.
thp 64K always
thp 16K always
proc A
mmap A 0x100000000000 128K
read A 0x100000008000 4K
write A 0x100000000000 4K byte=1
expect folio_order A 0x100000000000 == 2
expect present A 0x100000003000 == yes
expect present A 0x100000004000 == no
write A 0x100000008000 4K byte=2
expect folio_order A 0x100000008000 == 0
expect kpageflags A 0x100000009000 ZERO_PAGE == no
write A 0x100000010000 4K byte=3
expect folio_order A 0x100000010000 == 4
expect smaps A Rss == 84
