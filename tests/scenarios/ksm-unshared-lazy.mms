# pages_unshared falls lazily: 4 unique pages in the unstable tree stay counted after two
# of them are unmapped or rewritten, until ksmd's next pass frees or revisits their items.
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K unique
ksm scan 2
expect ksm.pages_unshared == 4
expect ksm_stat A ksm_rmap_items == 4
munmap A 0x100000000000 4K
write A 0x100000001000 4K unique
expect ksm.pages_unshared == 4
expect ksm_stat A ksm_rmap_items == 4
ksm scan 1
expect ksm.pages_unshared == 2
expect ksm.pages_volatile == 1
expect ksm_stat A ksm_rmap_items == 3
ksm scan 1
expect ksm.pages_unshared == 3
expect ksm.pages_volatile == 0
