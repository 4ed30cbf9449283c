# Linux 7.3.4 tools/testing/selftests/mm/prctl_thp_disable.c, TEST_F(prctl_thp_disable_completely, nofork),
# variant never, in part: the global THP policy is never (2M inherits it); with
# PR_SET_THP_DISABLE 1 set, then cleared, a 2 MiB range written
# whole (plain, MADV_NOHUGEPAGE, MADV_HUGEPAGE) is a THP or not (AnonHugePages
# of the range, made its own VMA by mprotect), and MADV_COLLAPSE makes one where
# it may. PR_GET_THP_DISABLE answers 1, and MADV_COLLAPSE fails with EINVAL
# while THPs are disabled completely (the selftest checks only that no THP
# comes of it; Linux 6.18.44 answers EINVAL).
thp top never
thp 2M inherit
proc P
prctl P thp_disable on
expect thp_disable P == 1   # PR_GET_THP_DISABLE
# test_mmap_thp(THP_COLLAPSE_NONE) == 0
mmap P 0x100000000000 4M
write P 0x100000200000 2M byte=1
mprotect P 0x100000200000 2M r
expect smaps P AnonHugePages == 0   # check_huge_anon()
munmap P 0x100000000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_NOHUGEPAGE) == 0
mmap P 0x100001000000 4M
madvise P 0x100001200000 2M nohugepage
write P 0x100001200000 2M byte=1
mprotect P 0x100001200000 2M r
expect smaps P AnonHugePages == 0   # check_huge_anon()
munmap P 0x100001000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_HUGEPAGE) == 0
mmap P 0x100002000000 4M
madvise P 0x100002200000 2M hugepage
write P 0x100002200000 2M byte=1
mprotect P 0x100002200000 2M r
expect smaps P AnonHugePages == 0   # check_huge_anon()
munmap P 0x100002000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_COLLAPSE) == 0: MADV_COLLAPSE fails
mmap P 0x100003000000 4M
write P 0x100003200000 2M byte=1
expect errno madvise P 0x100003200000 2M collapse == EINVAL
mprotect P 0x100003200000 2M r
expect smaps P AnonHugePages == 0   # check_huge_anon()
munmap P 0x100003000000 4M
prctl P thp_disable off
# test_mmap_thp(THP_COLLAPSE_NONE) == 0
mmap P 0x100004000000 4M
write P 0x100004200000 2M byte=1
mprotect P 0x100004200000 2M r
expect smaps P AnonHugePages == 0   # check_huge_anon()
munmap P 0x100004000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_NOHUGEPAGE) == 0
mmap P 0x100005000000 4M
madvise P 0x100005200000 2M nohugepage
write P 0x100005200000 2M byte=1
mprotect P 0x100005200000 2M r
expect smaps P AnonHugePages == 0   # check_huge_anon()
munmap P 0x100005000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_HUGEPAGE) == 0
mmap P 0x100006000000 4M
madvise P 0x100006200000 2M hugepage
write P 0x100006200000 2M byte=1
mprotect P 0x100006200000 2M r
expect smaps P AnonHugePages == 0   # check_huge_anon()
munmap P 0x100006000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_COLLAPSE) == 1
mmap P 0x100007000000 4M
write P 0x100007200000 2M byte=1
madvise P 0x100007200000 2M collapse
mprotect P 0x100007200000 2M r
expect smaps P AnonHugePages == 2048   # check_huge_anon()
munmap P 0x100007000000 4M
