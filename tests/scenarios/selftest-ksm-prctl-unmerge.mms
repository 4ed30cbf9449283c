# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_prctl_unmerge():
# 2 MiB of 0xcf merged through PR_SET_MEMORY_MERGE 1; PR_SET_MEMORY_MERGE 0
# unmerges: no duplicates remain ("Pages were unmerged").
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M nohugepage
write P 0x100000000000 2M byte=0xcf
prctl P merge on
ksm scan 2
expect kpageflags P 0x100000000000 KSM == yes
expect smaps P KSM == 2048
prctl P merge off
expect same_frame P 0x100000000000 P 0x100000001000 == no
expect same_frame P 0x100000000000 P 0x1000001ff000 == no
expect kpageflags P 0x100000000000 KSM == no
expect smaps P KSM == 0
