# max_page_sharing=2 with 4 equal pages: a chain of two dups. When all 4 pages are
# rewritten with unique data, both dups go at the next pass (dups 0) while the empty
# chain head stays counted until a later stable-tree search prunes it.
ksm max_page_sharing=2
proc A
mmap A 0x100000000000 16K
madvise A 0x100000000000 16K mergeable
write A 0x100000000000 16K byte=0x2a
ksm scan 2
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 2
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 2
write A 0x100000000000 4K unique
write A 0x100000001000 4K unique
write A 0x100000002000 4K unique
write A 0x100000003000 4K unique
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.stable_node_chains == 1
expect ksm.stable_node_dups == 0
expect ksm.pages_volatile == 4
ksm scan 2
expect ksm.stable_node_chains == 0
expect ksm.stable_node_dups == 0
expect ksm.pages_unshared == 0
