# The smaps KSM field counts the kB of KSM pages the mm maps; a KSM page mapped 4 times in
# one mm is Shared_Dirty (mapcount above 1, folio dirty) with a Pss of a quarter each.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 16K byte=0xa5
write A 0x100000004000 16K unique
expect smaps A KSM == 0
ksm scan 2
expect smaps A KSM == 16
expect smaps A Rss == 32
expect smaps A Pss == 20
expect smaps A Private_Clean == 0
expect smaps A Private_Dirty == 16
expect smaps A Shared_Clean == 0
expect smaps A Shared_Dirty == 16
fork A B
expect smaps A Shared_Clean == 0
expect smaps A Shared_Dirty == 32
expect smaps B KSM == 16
expect smaps B Pss == 10
