# Mirrors ksm_tests check_ksm_merge with max_page_sharing=2: 7 equal pages (n % mps == 1)
# give n/mps = 3 KSM pages with shared*(mps-1) = 3 sharing, and one page left unshared,
# with the KSM pages as dups of a single chain.
ksm max_page_sharing=2
proc A
mmap A 0x100000000000 28K
madvise A 0x100000000000 28K mergeable
write A 0x100000000000 28K byte=9
ksm scan 2
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 3
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 3
expect ksm.pages_unshared == 1
expect ksm.pages_volatile == 0
ksm scan 1
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 3
expect ksm.pages_unshared == 1
expect ksm_stat A ksm_merging_pages == 6
