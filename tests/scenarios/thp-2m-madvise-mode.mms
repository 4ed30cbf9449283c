# 2M in "madvise" mode: only the half of a 4 MiB mapping that was given
# MADV_HUGEPAGE faults in a PMD-mapped THP; the VMA is split in two.
thp 2M madvise
proc A
mmap A 0x100000000000 4M
madvise A 0x100000200000 2M hugepage
write A 0x100000000000 4K byte=1
write A 0x100000200000 4K byte=2
expect folio_order A 0x100000000000 == 0
expect folio_order A 0x100000200000 == 9
expect present A 0x100000001000 == no
expect smaps A AnonHugePages == 2048
expect smaps A Rss == 2052
