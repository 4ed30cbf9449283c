# smart_scan=1 (default): unique pages that never merge age, and from their 4th visit
# on are skipped for growing numbers of passes; pages_skipped counts those skips and
# skipped pages are not counted in pages_scanned.
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K unique
ksm scan 3
expect ksm.pages_skipped == 0
expect ksm.pages_scanned == 24
ksm scan 1
expect ksm.pages_skipped == 0
expect ksm.pages_scanned == 32
ksm scan 1
expect ksm.pages_skipped == 8
expect ksm.pages_scanned == 32
ksm scan 5
expect ksm.pages_skipped == 32
expect ksm.pages_scanned == 48
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 8
