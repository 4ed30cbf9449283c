# Mirrors ksm_functional_tests test_fork_global_ksm_zero_pages_count: a child inherits the
# KSM zero pages (added to the global count), the child unmerging removes only its own,
# and unmerging all (run=2) brings the global count back to its value before the test.
ksm use_zero_pages=1
expect ksm.ksm_zero_pages == 0
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 32K zero
ksm scan 2
expect ksm.ksm_zero_pages == 8
fork A B
expect ksm.ksm_zero_pages == 16
expect ksm_stat B ksm_zero_pages == 8
madvise B 0x100000000000 32K unmergeable
expect ksm_stat B ksm_zero_pages == 0
expect ksm.ksm_zero_pages == 8
expect ksm_stat A ksm_zero_pages == 8
ksm unmerge
expect ksm.ksm_zero_pages == 0
expect ksm_stat A ksm_zero_pages == 0
expect kpageflags A 0x100000000000 ZERO_PAGE == no
expect smaps A Rss == 32
