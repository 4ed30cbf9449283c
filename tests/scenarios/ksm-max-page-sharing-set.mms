# max_page_sharing may be changed while no KSM page exists (after run=2 unmerged them):
# 6 equal pages give 2 shared + 4 sharing at 3 (n % mps == 0), then 3 + 3 at 2.
proc A
mmap A 0x100000000000 24K
madvise A 0x100000000000 24K mergeable
write A 0x100000000000 24K byte=0x66
ksm max_page_sharing=3
ksm scan 2
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 4
expect ksm.stable_node_chains == 1
ksm unmerge
ksm max_page_sharing=2
ksm scan 2
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 3
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 3
