# After fork of a KSM page the parent rewrites one page with the same bytes: it gets a
# private copy (a KSM folio is never reused on a write fault); since its checksum did not
# change, the next pass merges it straight back into the stable node.
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2f
ksm scan 2
fork A B
ksm scan 1
write A 0x100000000000 4K byte=0x2f
expect kpageflags A 0x100000000000 KSM == no
expect kpagecount A 0x100000000000 == 1
expect exclusive A 0x100000000000 == yes
expect kpagecount B 0x100000000000 == 7
expect same_frame A 0x100000000000 B 0x100000000000 == no
expect ksm.pages_sharing == 7
ksm scan 1
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 7
expect ksm_stat A ksm_merging_pages == 4
expect kpageflags A 0x100000000000 KSM == yes
ksm scan 1
expect ksm.pages_sharing == 7
expect kpageflags A 0x100000000000 KSM == yes
expect same_frame A 0x100000000000 B 0x100000000000 == yes
