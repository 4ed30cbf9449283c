# Two 64K mTHP folios of equal subpages: KSM visits each subpage; at pass 2 the second
# subpage meets the first in the unstable tree inside the same folio, which only splits
# it; the other 30 merge into one KSM page, and the second follows one pass later.
thp 64K always
proc A
mmap A 0x100000000000 128K
madvise A 0x100000000000 128K mergeable
write A 0x100000000000 128K byte=0x64
expect folio_order A 0x100000000000 == 4
expect folio_order A 0x100000010000 == 4
ksm scan 1
expect folio_order A 0x100000000000 == 4
expect ksm.pages_volatile == 32
ksm scan 1
expect folio_order A 0x100000000000 == 0
expect folio_order A 0x10000001f000 == 0
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 30
expect same_frame A 0x100000000000 A 0x10000001f000 == yes
expect kpageflags A 0x100000010000 KSM == yes
expect kpageflags A 0x100000010000 COMPOUND_HEAD == no
expect smaps A Rss == 128
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 31
expect ksm.pages_volatile == 0
expect kpageflags A 0x100000001000 KSM == yes
