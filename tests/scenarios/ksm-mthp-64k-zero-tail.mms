# A 64K mTHP of 4 unique and 12 zero-filled subpages: when KSM splits it (two zero
# subpages met in the unstable tree), the split maps the zero subpages to the shared zero
# page (not KSM pages, not KSM zero pages), so RSS falls to the 4 unique pages.
thp 64K always
proc A
mmap A 0x100000000000 64K
madvise A 0x100000000000 64K mergeable
write A 0x100000000000 16K unique
write A 0x100000004000 48K zero
expect folio_order A 0x100000000000 == 4
ksm scan 2
expect folio_order A 0x100000000000 == 0
expect folio_order A 0x100000008000 == 0
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_unshared == 5
expect kpageflags A 0x100000004000 KSM == no
expect kpageflags A 0x100000000000 KSM == no
expect kpageflags A 0x100000000000 ANON == yes
expect smaps A Rss == 16
