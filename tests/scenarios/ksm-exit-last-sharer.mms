# When every process mapping a KSM page exits, the stable node is pruned at the next
# pass: all counters go back to 0.
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x71
ksm scan 2
fork A B
ksm scan 1
expect ksm.pages_sharing == 7
exit A
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect kpagecount B 0x100000000000 == 4
exit B
expect ksm.pages_sharing == 3
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_volatile == 0
expect ksm.pages_unshared == 0
expect ksm.general_profit == 0
