# max_page_sharing=2 with 4 equal pages; rewriting two pages of different dups leaves two
# dups of one item each (still a chain): 2 shared, 0 sharing.
ksm max_page_sharing=2
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2a
ksm scan 2
expect same_frame A 0x100000000000 A 0x100000001000 == yes
expect same_frame A 0x100000000000 A 0x100000002000 == no
expect same_frame A 0x100000000000 A 0x100000003000 == no
write A 0x100000000000 4K unique
write A 0x100000003000 4K unique
ksm scan 1
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 0
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 2
ksm scan 2
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 0
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 2
