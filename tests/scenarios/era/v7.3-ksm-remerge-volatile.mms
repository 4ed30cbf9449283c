# 7.3: an rmap_item that leaves the stable tree comes back with its checksum,
# age and skip count at 0 (they share a union with the linear_page_index the
# stable item keeps for rmap_walk_ksm()). Pages made private again by
# MADV_UNMERGEABLE, with their old bytes, are volatile for one pass and merge
# on the next; 6.18 kept the old checksum and merged them on the first.
kernel 7.3
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x17
ksm scan 2
expect ksm.pages_sharing == 3
madvise A 0x100000000000 16K unmergeable
madvise A 0x100000000000 16K mergeable
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_volatile == 4
expect kpageflags A 0x100000000000 KSM == no
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect ksm.pages_volatile == 0
expect kpageflags A 0x100000000000 KSM == yes
