# A 2M THP is split before any of its pages merges (its pages then merge with each other);
# mremap breaks KSM pages in the moved range; an exited mm's items go at ksmd's next pass.
# Expected values are the live kernel's (6.18) answers.
thp 2M always
proc A
mmap A 0x100000000000 4M
madvise A 0x100000000000 4M mergeable
write A 0x100000000000 2M byte=4
write A 0x100000200000 4K byte=4
ksm scan 1
expect folio_order A 0x100000000000 == 9
ksm scan 1
expect folio_order A 0x100000000000 == 0
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 510
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 1
ksm scan 1
expect folio_order A 0x100000000000 == 0
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 510
expect smaps A AnonHugePages == 0
expect smaps A Rss == 2052
mremap A 0x100000000000 64K 0x100001000000
expect ksm.pages_sharing == 510
expect kpageflags A 0x100001000000 KSM == no
ksm scan 2
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 510
expect ksm.pages_volatile == 0
exit A
expect ksm.pages_sharing == 510
ksm scan 1
expect ksm.pages_sharing == 0
expect ksm.pages_shared == 0
