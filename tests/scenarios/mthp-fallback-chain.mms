# With 1M, 256K and 16K enabled, the fault takes the largest size whose
# aligned block is empty and inside the VMA: a zero-page PTE rules out 1M
# and 256K around it, so the writes fall to 256K, then 16K, then one page.
thp 1M always
thp 256K always
thp 16K always
proc A
mmap A 0x100000000000 1M
read A 0x100000044000 4K
write A 0x100000000000 4K byte=1
expect folio_order A 0x100000000000 == 6
write A 0x100000040000 4K byte=2
expect folio_order A 0x100000040000 == 2
write A 0x100000048000 4K byte=3
expect folio_order A 0x100000048000 == 2
write A 0x100000045000 4K byte=4
expect folio_order A 0x100000045000 == 0
expect kpageflags A 0x100000044000 ZERO_PAGE == yes
expect present A 0x100000046000 == no
expect smaps A Rss == 292
