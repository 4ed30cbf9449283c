# Unmerging gives each page a private copy, mapped read-only by an unshare fault.
# On 6.18.y (6.18.44) that copy's PTE is dirty: smaps counts it Private_Dirty,
# where 6.12 and 7.3 count it Private_Clean (era/v6.12-ksm-unshare-clean.mms).
# KSM pages and KSM zero pages alike; the folio itself is not PG_dirty (kpageflags).
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 16K byte=3
write A 0x100000004000 16K zero
ksm scan 2
expect ksm.pages_sharing == 3
expect ksm.ksm_zero_pages == 4
madvise A 0x100000000000 32K unmergeable
expect ksm.ksm_zero_pages == 0
expect smaps A Rss == 32
expect smaps A Private_Clean == 0
expect smaps A Private_Dirty == 32
expect exclusive A 0x100000000000 == yes
