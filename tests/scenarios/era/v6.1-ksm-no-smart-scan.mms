# 6.1 (no smart scan): unique pages: pass 1 volatile (oldchecksum 0), then unshared every pass.
kernel 6.1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K unique
ksm scan 1
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 8
ksm scan 1
expect ksm.pages_unshared == 8
expect ksm.pages_volatile == 0
ksm scan 8
expect ksm.pages_unshared == 8
expect ksm.pages_volatile == 0
expect ksm.full_scans == 10
