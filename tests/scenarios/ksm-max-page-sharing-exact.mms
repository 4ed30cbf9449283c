# Mirrors ksm_tests check_ksm_merge with max_page_sharing=4 and 12 equal pages
# (n % mps == 0): n/mps = 3 KSM pages each full with mps-1 = 3 sharing (9 in all).
ksm max_page_sharing=4
proc A
mmap A 0x100000000000 48K
madvise A 0x100000000000 48K mergeable
write A 0x100000000000 48K byte=0x33
ksm scan 3
expect ksm.pages_shared == 3
expect ksm.pages_sharing == 9
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 3
expect ksm.pages_unshared == 0
expect kpagecount A 0x100000000000 == 4
expect kpagecount A 0x10000000b000 == 4
