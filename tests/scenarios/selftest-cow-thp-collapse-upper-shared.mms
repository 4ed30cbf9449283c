# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_thp_test_cases[] row
# "Basic COW after fork() when collapsing after fork() (upper shared)" (test_anon_thp_collapse_upper_shared(), do_test_anon_thp_collapse()):
# a PTE-mapped THP is collapsed (MADV_COLLAPSE) before or after a fork that
# COW-shares all, the lower or the upper half of it (MADV_DONTFORK on the rest,
# undone before the collapse); the child reads its part, the parent writes 0xff
# over all of it, and the child must still read 1 there.
thp 2M always
proc P
mmap P 0x100000000000 4M   # twice the PMD size
madvise P 0x100000200000 2M hugepage
poke P 0x100000200000 1
expect present P 0x1000003ff000 == yes   # else "Did not get a THP populated"
write P 0x100000200000 2M byte=1
mprotect P 0x100000201000 4K r   # PTE-map the THP
mprotect P 0x100000201000 4K rw
madvise P 0x100000200000 1M dontfork
fork P C
read C 0x100000300000 1024K               # child_memcmp_fn(): memcpy(old, mem)
madvise P 0x100000200000 2M dofork   # so that the VMAs merge and the range can collapse
madvise P 0x100000200000 2M collapse   # before anyone modified the COW-shared pages
expect folio_order P 0x100000200000 == 9
expect smaps P AnonHugePages == 2048
write P 0x100000200000 2M byte=0xff      # memset(mem, 0xff, size)
expect byte C 0x100000300000 == 1
expect byte C 0x1000003fffff == 1
expect byte P 0x100000200000 == 255
expect byte P 0x1000003fffff == 255
expect same_frame P 0x100000300000 C 0x100000300000 == no
expect exclusive P 0x100000300000 == yes
expect kpagecount C 0x100000300000 == 1
expect folio_order C 0x100000300000 == 9
expect smaps C Pss == 1024
