# 6.1: first page PROT_NONE, pages 1-7 rw: page 0 goes in the unstable tree; every later
# search stops at it (get_mergeable_page NULL -> return NULL, no insert) -> nothing merges.
kernel 6.1
proc A
mmap A 0x100000000000 32K
write A 0x100000000000 32K byte=0x11
mprotect A 0x100000000000 4K none
madvise A 0x100000000000 32K mergeable
ksm scan 2
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_unshared == 1
expect ksm.pages_volatile == 7
ksm scan 2
expect ksm.pages_shared == 0
expect ksm.pages_unshared == 1
expect ksm.pages_volatile == 7
