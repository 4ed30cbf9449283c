# Two processes with equal and unique pages in different orders: merging works across mms
# and within one; each mm's merging pages and items are its own.
proc A
proc B
mmap A 0x100000000000 16K
mmap B 0x100000100000 16K
madvise A 0x100000000000 16K mergeable
madvise B 0x100000100000 16K mergeable
write A 0x100000000000 4K unique
write A 0x100000001000 12K byte=0xb0
write B 0x100000100000 8K byte=0xb0
write B 0x100000102000 4K byte=0xb1
write B 0x100000103000 4K byte=0xb1
ksm scan 2
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 5
expect ksm.pages_unshared == 1
expect ksm_stat A ksm_merging_pages == 3
expect ksm_stat B ksm_merging_pages == 4
expect same_frame A 0x100000001000 B 0x100000101000 == yes
expect kpagecount B 0x100000102000 == 2
exit A
ksm scan 1
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 2
expect ksm.pages_unshared == 0
