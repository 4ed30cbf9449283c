# 7.3: khugepaged collapses into mTHP sizes (mthp_collapse()). With only 64K
# enabled the thread runs (6.18's only for 2M) and the mm registers; a pass
# walks each 2M block's 64K ranges: with max_ptes_none=0 only a full range
# becomes a 64K folio, with 511 (scaled to 15 for 64K) a range with one page
# does too; empty ranges stay empty.
kernel 7.3
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 4K byte=0x11
write A 0x100000010000 64K byte=0x22
write A 0x100000040000 4K byte=0x33
thp 64K always
madvise A 0x100000000000 2M hugepage
khugepaged max_ptes_none=0
khugepaged scan 1
expect folio_order A 0x100000000000 == 0
expect folio_order A 0x100000010000 == 4
expect folio_order A 0x100000040000 == 0
expect smaps A Rss == 72
khugepaged max_ptes_none=511
khugepaged scan 1
expect folio_order A 0x100000000000 == 4
expect folio_order A 0x10000000f000 == 4
expect folio_order A 0x100000010000 == 4
expect folio_order A 0x100000040000 == 4
expect folio_order A 0x100000080000 == -1
expect smaps A Rss == 192
expect byte A 0x100000000000 == 17
expect byte A 0x100000001000 == 0
expect byte A 0x10000001f000 == 34
expect byte A 0x100000040000 == 51
