# 6.1: unique pages rewritten equal after 6 passes: volatile one pass, merged the next.
kernel 6.1
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K unique
ksm scan 6
write A 0x100000000000 16K byte=0x99
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_volatile == 4
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
