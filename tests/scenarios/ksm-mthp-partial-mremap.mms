# Half of a 64K mTHP moved elsewhere by mremap: two VMAs map parts of one folio; KSM
# splits it and merges 15 of the 16 equal pages across both (the one that met a page of
# its own folio in the unstable tree waits a pass).
thp 64K always
proc A
mmap A 0x100000000000 64K
write A 0x100000000000 64K byte=0x3c
mremap A 0x100000008000 32K 0x100000100000
expect folio_order A 0x100000100000 == 4
expect kpageflags A 0x100000100000 COMPOUND_TAIL == yes
madvise A 0x100000000000 32K mergeable
madvise A 0x100000100000 32K mergeable
ksm scan 2
expect folio_order A 0x100000000000 == 0
expect folio_order A 0x100000100000 == 0
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 14
expect same_frame A 0x100000000000 A 0x100000107000 == yes
expect smaps A Rss == 64
