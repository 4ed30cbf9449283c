# 7.3: MADV_COLLAPSE goes on past a 2M block that has no PTE table (SCAN_NO_PTE_TABLE,
# which 7.3 made of SCAN_PMD_NULL and SCAN_PMD_NONE, is on the list of results to pass
# over) and collapses the blocks after it; the call still fails with EINVAL. 6.18 stopped
# at the empty block (SCAN_PMD_NONE) and left the next one alone.
kernel 7.3
proc A
mmap A 0x100000000000 6M
write A 0x100000200000 2M byte=5
write A 0x100000400000 4K byte=6
expect madvise_collapse A 0x100000000000 6M == -22
expect folio_order A 0x100000200000 == 9
expect folio_order A 0x100000400000 == 9
expect smaps A AnonHugePages == 4096
expect smaps A Rss == 4096
