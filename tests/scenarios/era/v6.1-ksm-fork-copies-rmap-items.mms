# 6.1: dup_mm() memcpy()s mm->ksm_rmap_items into the child and ksm_fork() does not reset it.
kernel 6.1
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 8K byte=0x2f
write A 0x100000002000 8K unique
ksm scan 1
expect ksm_stat A ksm_rmap_items == 4
fork A B
expect ksm_stat B ksm_rmap_items == 4
ksm scan 1
expect ksm_stat A ksm_rmap_items == 4
expect ksm_stat B ksm_rmap_items == 8
madvise B 0x100000000000 16K unmergeable
ksm scan 1
expect ksm_stat B ksm_rmap_items == 4
expect ksm_stat A ksm_rmap_items == 4
fork B C
expect ksm_stat C ksm_rmap_items == 4
