# Seed 000, reviewers' point 3, the kernel's walk (skip=none; every value from the live
# kernel): an allocator that got large folios and used only their first bytes. ksmd
# visits the tail pages: two zero pages of one folio meet in the unstable tree, which
# splits the folio, and the split maps its zero pages to the shared zero page (one
# folio of Z per pass); the 60 pages of 0xa5 in D become one KSM page. After six passes
# RSS is down from 512K to 272K: 4 header pages in Z, 4 in D, D's 60 KSM mappings.
# ksm-skip-zero-tail-compound.mms and -batch.mms run the same with the skip policies.
thp 64K always
proc A
# Z: four 64K mTHPs, each with one byte written at its start (the rest zero-filled).
mmap A 0x100000000000 256K
madvise A 0x100000000000 256K mergeable
poke A 0x100000000000 1
poke A 0x100000010000 2
poke A 0x100000020000 3
poke A 0x100000030000 4
# D: four more, each a one-byte header page and 15 pages of the same fill.
mmap A 0x100000100000 256K
madvise A 0x100000100000 256K mergeable
poke A 0x100000100000 5
write A 0x100000101000 60K byte=0xa5
poke A 0x100000110000 6
write A 0x100000111000 60K byte=0xa5
poke A 0x100000120000 7
write A 0x100000121000 60K byte=0xa5
poke A 0x100000130000 8
write A 0x100000131000 60K byte=0xa5
expect folio_order A 0x100000000000 == 4
expect folio_order A 0x100000130000 == 4
expect smaps A Rss == 512
ksm scan 1
expect ksm.pages_scanned == 128
ksm scan 1
expect ksm.pages_sharing == 58
expect smaps A Rss == 452
ksm scan 4
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 59
expect ksm.pages_scanned == 558
expect ksm.pages_skipped == 23
expect ksm_stat A ksm_rmap_items == 70
expect ksm_stat A ksm_merging_pages == 60
expect smaps A Rss == 272
expect smaps A KSM == 240
expect ksm.general_profit == 237184
expect folio_order A 0x100000030000 == 0
expect kpageflags A 0x100000031000 ZERO_PAGE == yes
