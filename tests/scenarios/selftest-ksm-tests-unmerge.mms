# Linux 7.3.4 tools/testing/selftests/mm/ksm_tests.c, "ksm_tests -U" (check_ksm_unmerge()): two pages of
# '*' merged; one byte of each changed ('-' and '+'), which breaks COW of the
# KSM page; after one more full scan assert_ksm_pages_count(0): pages_shared
# and pages_sharing are 0.
proc P
mmap P 0x100000000000 8K
write P 0x100000000000 8K byte=0x2a
madvise P 0x100000000000 8K mergeable
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 1
poke P 0x100000000000 0x2d
poke P 0x100000001000 0x2b
ksm scan 1
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.pages_unshared == 0
