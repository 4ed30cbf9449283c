# simulator-only: ksm skip=batch on ksm-skip-tail-first.mms, whose skip=none values are
# the live kernel's. Expected values from the policy's rule: at F's tail 8
# (0x...200000) folio_pte_batch() finds 8 PTEs mapping F's pages 8..15 in order and
# steps 8; at F's head (0x...208000) it finds pages 0..7 and steps 8 again, to G. G's
# small folios are batches of one, each visited. So a pass visits 18 pages and jumps
# 14, all of F: G merges as in the kernel (1 shared, 15 sharing), no tail page is
# mistaken for a head, and F's 14 other pages get no rmap_item.
ksm skip=batch
thp 64K always
proc A
mmap A 0x100000000000 64K
write A 0x100000000000 64K unique
mremap A 0x100000008000 32K 0x100000200000
mremap A 0x100000000000 32K 0x100000208000
mmap A 0x100000210000 64K
madvise A 0x100000210000 64K nohugepage
write A 0x100000210000 64K byte=0x5a
madvise A 0x100000200000 128K mergeable
expect folio_order A 0x100000200000 == 4
ksm scan 1
expect ksm.pages_scanned == 18
expect ksm_stat A ksm_rmap_items == 18
expect ksm.pages_jumped == 14
expect ksm.pages_jumped_other == 0
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 15
expect ksm.pages_unshared == 2
expect ksm_stat A ksm_merging_pages == 16
expect same_frame A 0x100000210000 A 0x10000021f000 == yes
ksm scan 1
expect ksm.pages_scanned == 54
expect ksm.pages_sharing == 15
expect ksm.pages_jumped_other == 0
expect smaps A Rss == 128
