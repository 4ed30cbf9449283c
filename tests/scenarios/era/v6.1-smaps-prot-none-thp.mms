# 6.1: smaps_pmd_entry() uses follow_trans_huge_pmd(FOLL_DUMP), which returns NULL for a
# pmd_protnone() PMD: a PROT_NONE PMD-mapped THP is not counted at all in smaps.
kernel 6.1
thp 2M always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 4K byte=1
expect smaps A Rss == 2048
mprotect A 0x100000000000 2M none
expect smaps A Rss == 0
expect smaps A Pss == 0
expect smaps A Anonymous == 0
expect smaps A AnonHugePages == 0
expect smaps A Private_Dirty == 0
expect present A 0x100000000000 == yes
expect folio_order A 0x100000000000 == 9
mprotect A 0x100000000000 2M r
expect smaps A Rss == 2048
expect smaps A AnonHugePages == 2048
