# 7.3: the parent's write fault on a KSM page shared with its child copies the
# page; the copy keeps the bytes, but its rmap_item left the stable tree with
# the checksum reset to 0, so the next pass finds it volatile and only the
# pass after merges it back (6.18 merged it on the first pass).
kernel 7.3
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2f
ksm scan 2
fork A B
ksm scan 1
write A 0x100000000000 4K byte=0x2f
expect kpageflags A 0x100000000000 KSM == no
expect ksm.pages_sharing == 7
ksm scan 1
expect ksm.pages_sharing == 6
expect ksm.pages_volatile == 1
expect ksm_stat A ksm_merging_pages == 3
expect kpageflags A 0x100000000000 KSM == no
ksm scan 1
expect ksm.pages_sharing == 7
expect ksm.pages_volatile == 0
expect ksm_stat A ksm_merging_pages == 4
expect same_frame A 0x100000000000 B 0x100000000000 == yes
