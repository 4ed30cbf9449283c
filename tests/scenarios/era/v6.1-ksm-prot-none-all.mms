# 6.1: 8 equal PROT_NONE pages: items are made (page walk ignores protnone),
# but get_mergeable_page() (follow_page, no FOLL_FORCE) fails for the tree item.
kernel 6.1
proc A
mmap A 0x100000000000 32K
write A 0x100000000000 32K byte=0x11
mprotect A 0x100000000000 32K none
madvise A 0x100000000000 32K mergeable
ksm scan 1
expect ksm.pages_volatile == 8
expect ksm.pages_unshared == 0
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_unshared == 1
expect ksm.pages_volatile == 7
expect ksm_stat A ksm_rmap_items == 8
ksm scan 3
expect ksm.pages_shared == 0
expect ksm.pages_unshared == 1
expect ksm.pages_volatile == 7
