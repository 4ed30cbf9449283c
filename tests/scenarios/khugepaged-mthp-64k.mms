# khugepaged with only 64K THPs enabled: on 6.18 the thread runs only for 2M
# (hugepage_pmd_enabled()), so nothing registers and a pass changes nothing;
# 7.3 collapses into 64K folios here (era/v7.3-khugepaged-mthp-collapse).
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 4K byte=0x11
write A 0x100000010000 64K byte=0x22
write A 0x100000040000 4K byte=0x33
thp 64K always
madvise A 0x100000000000 2M hugepage
khugepaged max_ptes_none=511
khugepaged scan 1
expect folio_order A 0x100000000000 == 0
expect folio_order A 0x100000010000 == 0
expect folio_order A 0x100000040000 == 0
expect smaps A Rss == 72
