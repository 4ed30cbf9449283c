# 7.3: smart scan's age goes with the checksum when an item leaves the stable
# tree. Four merged pages rewritten with unique data are volatile for one
# pass, then sit in the unstable tree (unshared 4) until they have aged
# again; 6.18 kept their old age and skipped them at once (unshared 0).
kernel 7.3
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2a
ksm scan 4
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
write A 0x100000000000 16K unique
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_volatile == 4
ksm scan 1
expect ksm.pages_unshared == 4
ksm scan 1
expect ksm.pages_unshared == 4
expect ksm.pages_skipped == 0
# Aged 3 now: from here each page is skipped, then visited once, in turn.
ksm scan 1
expect ksm.pages_unshared == 4
expect ksm.pages_skipped == 0
ksm scan 1
expect ksm.pages_unshared == 1
expect ksm.pages_skipped == 3
ksm scan 2
expect ksm.pages_unshared == 1
expect ksm.pages_skipped == 7
