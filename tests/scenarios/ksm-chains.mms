# max_page_sharing=4: 10 equal pages become 3 KSM pages (7 sharing) and 6 empty
# pages 2 (4 sharing), each content a chain of dups (n % mps == 2: n/mps + 1
# shared); KSM pages are never skipped by smart scan, so pages_scanned grows by 16 a pass.
# Expected values are the live kernel's (6.18) answers.
ksm max_page_sharing=4
proc A
mmap A 0x100000000000 64K
madvise A 0x100000000000 64K mergeable
write A 0x100000000000 40K byte=3
write A 0x10000000a000 24K zero
ksm scan 2
expect ksm.pages_shared == 5
expect ksm.pages_sharing == 11
expect ksm.stable_node_chains == 2
expect ksm.stable_node_dups == 5
expect ksm.pages_unshared == 0
expect ksm.pages_volatile == 0
ksm scan 3
expect ksm.pages_shared == 5
expect ksm.pages_sharing == 11
expect ksm.stable_node_chains == 2
expect ksm.stable_node_dups == 5
expect ksm.pages_skipped == 0
expect ksm.pages_scanned == 80
ksm scan 4
expect ksm.pages_skipped == 0
expect ksm.pages_scanned == 144
expect ksm.pages_shared == 5
expect ksm.pages_sharing == 11
