# Seed 000, reviewers' point 1, the kernel's walk (skip=none; every value from the live
# kernel). A 64K mTHP F of unique pages has its halves swapped by two mremaps, so the
# scan meets F's tail pages 8..15 first and F's head only after them; 16 small pages G
# of equal contents follow. ksmd visits every page and merges all of G.
# ksm-skip-tail-first-compound.mms and -batch.mms run the same with the skip policies.
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
expect kpageflags A 0x100000200000 COMPOUND_TAIL == yes
expect kpageflags A 0x100000208000 COMPOUND_HEAD == yes
expect folio_order A 0x100000210000 == 0
ksm scan 1
expect ksm.pages_scanned == 32
expect ksm_stat A ksm_rmap_items == 32
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 15
expect ksm.pages_unshared == 16
expect ksm_stat A ksm_merging_pages == 16
expect same_frame A 0x100000210000 A 0x10000021f000 == yes
ksm scan 1
expect ksm.pages_scanned == 96
expect ksm.pages_sharing == 15
expect folio_order A 0x100000208000 == 4
expect smaps A Rss == 128
