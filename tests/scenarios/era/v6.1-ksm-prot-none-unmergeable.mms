# 6.1: KSM pages made PROT_NONE are not broken by MADV_UNMERGEABLE (break_ksm uses follow_page).
kernel 6.1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K byte=0x11
ksm scan 2
expect ksm.pages_sharing == 7
mprotect A 0x100000000000 32K none
madvise A 0x100000004000 16K unmergeable
expect kpageflags A 0x100000004000 KSM == yes
expect same_frame A 0x100000000000 A 0x100000004000 == yes
expect kpagecount A 0x100000000000 == 8
expect ksm.pages_sharing == 7
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect kpageflags A 0x100000004000 KSM == yes
expect kpagecount A 0x100000000000 == 8
mprotect A 0x100000000000 32K rw
write A 0x100000004000 4K byte=2
expect kpageflags A 0x100000004000 KSM == no
expect kpagecount A 0x100000000000 == 7
