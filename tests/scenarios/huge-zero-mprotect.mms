# mprotect r of a whole huge zero PMD keeps it; of part of one splits it
# into small zero-page PTEs; writes after rw give small pages there.
thp 2M always
proc A
mmap A 0x100000000000 2M
mmap A 0x100000400000 2M
read A 0x100000000000 4K
read A 0x100000400000 4K
mprotect A 0x100000000000 2M r
mprotect A 0x100000400000 1M r
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x100000400000 == 0
expect folio_order A 0x100000500000 == 0
expect kpageflags A 0x100000500000 ZERO_PAGE == yes
mprotect A 0x100000400000 1M rw
write A 0x100000400000 4K byte=1
expect folio_order A 0x100000400000 == 0
mprotect A 0x100000000000 2M rw
write A 0x100000000000 4K byte=2
expect folio_order A 0x100000000000 == 9
expect smaps A Rss == 2052
expect smaps A AnonHugePages == 2048
