# KSM merges pages of a VM_LOCKED VMA too; the KSM page takes the mlock over
# (try_to_merge_one_page() munlocks the old folio, mlocks the KSM one).
# munlock() of all of it munlocks the KSM page. Expected values are the live
# kernel's. (munlock() of half the range: mlock-ksm-munlock-half.)
proc P
mmap P 0x100000000000 16K
mlock P 0x100000000000 16K
write P 0x100000000000 16K byte=7
madvise P 0x100000000000 16K mergeable
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect same_frame P 0x100000000000 P 0x100000003000 == yes
expect kpageflags P 0x100000000000 KSM == yes
expect kpageflags P 0x100000000000 MLOCKED == yes
expect smaps P Locked == 4
munlock P 0x100000000000 16K
expect kpageflags P 0x100000000000 MLOCKED == no
madvise P 0x100000000000 16K unmergeable
