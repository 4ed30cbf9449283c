# smart_scan=0: every page is visited at every pass, so pages_skipped stays 0 and
# pages_scanned grows by the number of pages per pass.
ksm smart_scan=0
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K unique
ksm scan 10
expect ksm.pages_skipped == 0
expect ksm.pages_scanned == 80
expect ksm.pages_unshared == 8
expect ksm.pages_volatile == 0
