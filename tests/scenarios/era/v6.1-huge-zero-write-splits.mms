# 6.1/6.12: a write fault on the huge zero PMD splits it (512 zero-page PTEs) and
# do_wp_page() then copies one 4K page.
kernel 6.1
thp 2M always
proc A
mmap A 0x100000000000 2M
read A 0x100000000000 4K
expect folio_order A 0x100000000000 == 9
write A 0x100000002000 4K byte=6
expect folio_order A 0x100000002000 == 0
expect folio_order A 0x100000000000 == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == yes
expect kpageflags A 0x100000000000 THP == no
expect present A 0x100000001000 == yes
expect smaps A Rss == 4
expect smaps A AnonHugePages == 0
