# MADV_NOHUGEPAGE on memory that already holds a PMD-mapped THP and a
# 64 KiB folio splits nothing; only new faults become single pages.
thp 2M always
thp 64K always
proc A
mmap A 0x100000000000 2M
mmap A 0x100000400000 128K
write A 0x100000000000 4K byte=1
write A 0x100000400000 4K byte=1
madvise A 0x100000000000 2M nohugepage
madvise A 0x100000400000 128K nohugepage
expect folio_order A 0x100000000000 == 9
expect smaps A AnonHugePages == 2048
expect folio_order A 0x100000400000 == 4
write A 0x100000410000 4K byte=2
expect folio_order A 0x100000410000 == 0
expect present A 0x100000411000 == no
expect smaps A Rss == 2116
