# A 2M THP with half of it unmapped (partially mapped, PTE-mapped): KSM scans only the 256
# mapped subpages; after the split 255 merge (the one that met its own folio waits a pass).
thp 2M always
proc A
mmap A 0x100000000000 2M
madvise A 0x100000000000 2M mergeable
write A 0x100000000000 2M byte=0x7e
munmap A 0x100000100000 1M
expect folio_order A 0x100000000000 == 9
expect smaps A AnonHugePages == 0
expect smaps A Rss == 1024
ksm scan 1
expect ksm.pages_scanned == 256
expect ksm.pages_volatile == 256
ksm scan 1
expect folio_order A 0x100000000000 == 0
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 254
expect ksm.pages_scanned == 512
expect smaps A Rss == 1024
expect smaps A KSM == 1020
