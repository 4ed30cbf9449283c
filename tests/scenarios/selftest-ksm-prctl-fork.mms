# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_prctl_fork():
# PR_SET_MEMORY_MERGE is inherited over fork: the child reads 1 and its own
# new 2 MiB of 0xcf merges without MADV_MERGEABLE (test_child_ksm()).
# Only the window is asserted: the executor's own pages may merge too.
proc P
prctl P merge on
fork P C
expect ksm_stat C ksm_merge_any == yes
mmap C 0x100000000000 2M
madvise C 0x100000000000 2M nohugepage
write C 0x100000000000 2M byte=0xcf
ksm scan 2
expect kpageflags C 0x100000000000 KSM == yes
expect same_frame C 0x100000000000 C 0x100000001000 == yes
expect smaps C KSM == 2048
prctl P merge off
expect ksm_stat P ksm_merge_any == no
