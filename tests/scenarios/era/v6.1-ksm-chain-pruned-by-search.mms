# 6.1: the first non-KSM page visited after the dups went stale searches the stable tree
# and frees the emptied chain in the same pass.
kernel 6.1
ksm max_page_sharing=2
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2a
ksm scan 2
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 2
write A 0x100000000000 16K unique
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 2
ksm scan 1
expect ksm.stable_node_chains == 0
expect ksm.stable_node_dups == 0
expect ksm.pages_volatile == 4
expect ksm.pages_unshared == 0
ksm scan 1
expect ksm.pages_volatile == 0
expect ksm.pages_unshared == 4
ksm scan 5
expect ksm.pages_unshared == 4
