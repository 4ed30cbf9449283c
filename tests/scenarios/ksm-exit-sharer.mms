# Two processes merge equal pages with each other; when one exits its mappings go at once
# (kpagecount falls) but the node keeps its items until ksmd's next pass, after which the
# survivor's pages still share one KSM page.
proc A
proc B
mmap A 0x100000000000 16K
mmap B 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
madvise B 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x71
write B 0x100000000000 16K byte=0x71
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect kpagecount A 0x100000000000 == 8
expect same_frame A 0x100000000000 B 0x100000002000 == yes
exit B
expect kpagecount A 0x100000000000 == 4
expect ksm.pages_sharing == 7
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 3
expect kpageflags A 0x100000000000 KSM == yes
expect ksm_stat A ksm_merging_pages == 4
