# Mirrors ksm_tests check_ksm_merge with max_page_sharing=3: 8 equal pages (n % mps == 2)
# give n/mps + 1 = 3 KSM pages and n - shared = 5 sharing, dups of one chain.
ksm max_page_sharing=3
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K pattern=0xabcdef
ksm scan 2
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 5
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 3
ksm scan 1
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 5
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 0
