# 6.1: run=2 cannot break PROT_NONE KSM pag]]]]]]]]]]]]]]]]and its stable node is busy).
kernel 6.1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K byte=0x11
ksm scan 2
mprotect A 0x100000000000 32K none
ksm unmerge
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_unshared == 0
expect kpageflags A 0x100000004000 KSM == yes
expect kpagecount A 0x100000000000 == 8
