# Linux 7.3.4 tools/testing/selftests/mm/prctl_thp_disable.c, TEST_F(prctl_thp_disable_except_madvise, fork),
# variant madvise, in part: the global THP policy is madvise (2M inherits it); with
# PR_SET_THP_DISABLE 1, PR_THP_DISABLE_EXCEPT_ADVISED set, then cleared, a 2 MiB range written
# whole (plain, MADV_NOHUGEPAGE, MADV_HUGEPAGE) is a THP or not (AnonHugePages
# of the range, made its own VMA by mprotect), and MADV_COLLAPSE makes one where
# it may. PR_GET_THP_DISABLE answers 3 (1 | PR_THP_DISABLE_EXCEPT_ADVISED).
thp top madvise
thp 2M inherit
proc P
prctl P thp_disable except_advised
fork P C   # the child runs the test: the setting is inherited
expect thp_disable C == 3   # PR_GET_THP_DISABLE
# test_mmap_thp(THP_COLLAPSE_NONE) == 0
mmap C 0x100000000000 4M
write C 0x100000200000 2M byte=1
mprotect C 0x100000200000 2M r
expect smaps C AnonHugePages == 0   # check_huge_anon()
munmap C 0x100000000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_NOHUGEPAGE) == 0
mmap C 0x100001000000 4M
madvise C 0x100001200000 2M nohugepage
write C 0x100001200000 2M byte=1
mprotect C 0x100001200000 2M r
expect smaps C AnonHugePages == 0   # check_huge_anon()
munmap C 0x100001000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_HUGEPAGE) == 1
mmap C 0x100002000000 4M
madvise C 0x100002200000 2M hugepage
write C 0x100002200000 2M byte=1
mprotect C 0x100002200000 2M r
expect smaps C AnonHugePages == 2048   # check_huge_anon()
munmap C 0x100002000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_COLLAPSE) == 1
mmap C 0x100003000000 4M
write C 0x100003200000 2M byte=1
madvise C 0x100003200000 2M collapse
mprotect C 0x100003200000 2M r
expect smaps C AnonHugePages == 2048   # check_huge_anon()
munmap C 0x100003000000 4M
prctl C thp_disable off
# test_mmap_thp(THP_COLLAPSE_NONE) == 0
mmap C 0x100004000000 4M
write C 0x100004200000 2M byte=1
mprotect C 0x100004200000 2M r
expect smaps C AnonHugePages == 0   # check_huge_anon()
munmap C 0x100004000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_NOHUGEPAGE) == 0
mmap C 0x100005000000 4M
madvise C 0x100005200000 2M nohugepage
write C 0x100005200000 2M byte=1
mprotect C 0x100005200000 2M r
expect smaps C AnonHugePages == 0   # check_huge_anon()
munmap C 0x100005000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_HUGEPAGE) == 1
mmap C 0x100006000000 4M
madvise C 0x100006200000 2M hugepage
write C 0x100006200000 2M byte=1
mprotect C 0x100006200000 2M r
expect smaps C AnonHugePages == 2048   # check_huge_anon()
munmap C 0x100006000000 4M
# test_mmap_thp(THP_COLLAPSE_MADV_COLLAPSE) == 1
mmap C 0x100007000000 4M
write C 0x100007200000 2M byte=1
madvise C 0x100007200000 2M collapse
mprotect C 0x100007200000 2M r
expect smaps C AnonHugePages == 2048   # check_huge_anon()
munmap C 0x100007000000 4M
