# simulator-only: ksm skip=batch on ksm-skip-zero-tail.mms, whose skip=none values are
# the live kernel's. Expected values from the policy's rule: each folio's 16 PTEs map its
# 16 pages in order, so folio_pte_batch() steps the whole folio from its header page,
# exactly as skip=compound does here. The zero and duplicate pages the kernel reclaims
# are inside the large folio the batch skips: only a page that merges would split the
# folio and expose them, and the headers never merge. So batch loses all of it too: 48
# visits (8 smart-scan skips), 720 pages jumped, none of another folio, RSS stays 512K.
ksm skip=batch
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
expect ksm.pages_scanned == 8
ksm scan 1
expect ksm.pages_sharing == 0
expect smaps A Rss == 512
ksm scan 4
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_scanned == 40
expect ksm.pages_skipped == 8
expect ksm_stat A ksm_rmap_items == 8
expect ksm_stat A ksm_merging_pages == 0
expect smaps A Rss == 512
expect smaps A KSM == 0
expect ksm.general_profit == -512
expect folio_order A 0x100000030000 == 4
expect kpageflags A 0x100000031000 ZERO_PAGE == no
expect ksm.pages_jumped == 720
expect ksm.pages_jumped_other == 0
expect ksm.tail_pages_found == 0
