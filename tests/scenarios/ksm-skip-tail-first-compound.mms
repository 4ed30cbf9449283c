# simulator-only: seed 000's rejected patch (ksm skip=compound) on ksm-skip-tail-first.mms,
# whose skip=none values are the live kernel's. Expected values from the patch's rule:
# compound_nr() is 1 for a tail page, so F's tails at 0x...200000-0x...207000 are
# visited one by one, each a tail page where the patch's VM_WARN_ON(PageTail()) fires
# (tail_pages_found). The head at 0x...208000 then steps 16 pages, to 0x...218000: past
# F's 8 remaining pages and over G's first 8 pages, another folio each. So a pass visits
# 17 pages (8 tails, the head, G's last 8) and jumps 15 (7 of F, 8 of G). G's last 8
# merge (1 shared, 7 sharing); G's first 8 are never visited, in any pass: 8 merges lost.
ksm skip=compound
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
expect kpageflags A 0x100000208000 COMPOUND_HEAD == yes
ksm scan 1
expect ksm.pages_scanned == 17
expect ksm_stat A ksm_rmap_items == 17
expect ksm.tail_pages_found == 8
expect ksm.pages_jumped == 15
expect ksm.pages_jumped_other == 8
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm.pages_unshared == 9
expect ksm_stat A ksm_merging_pages == 8
expect kpageflags A 0x100000210000 KSM == no
expect kpageflags A 0x100000218000 KSM == yes
ksm scan 1
expect ksm.pages_scanned == 51
expect ksm.pages_sharing == 7
expect ksm.pages_jumped_other == 24
expect kpageflags A 0x100000217000 KSM == no
expect smaps A Rss == 128
