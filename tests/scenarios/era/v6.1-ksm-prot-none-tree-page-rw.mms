# 6.1: first page (the one inserted in the unstable tree) accessible, pages 1-7 PROT_NONE:
# the scanned page may be PROT_NONE, only the tree page must be followable -> all merge.
kernel 6.1
proc A
mmap A 0x100000000000 32K
write A 0x100000000000 32K byte=0x11
mprotect A 0x100000001000 28K none
madvise A 0x100000000000 32K mergeable
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 0
expect kpageflags A 0x100000005000 KSM == yes
expect kpagecount A 0x100000005000 == 8
