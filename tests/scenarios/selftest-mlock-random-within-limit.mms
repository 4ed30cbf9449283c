# Linux 7.3.4 tools/testing/selftests/mm/mlock-random-test.c, test_mlock_within_limit(),
# in part: its random mlock()/mlock2(MLOCK_ONFAULT) calls inside one chunk,
# here three fixed ones, page-aligned as the language wants them (the
# rounding of unaligned ones is tests/test_mlock.c's). mlock() faults its pages in,
# MLOCK_ONFAULT does not; the VMAs split where the lock changes and merge where
# it agrees. (The selftest reads VmLck of /proc/self/status, which the
# language has no query for; smaps' Locked stands in.)
proc P
mmap P 0x100000000000 32K
mlock P 0x100000001000 12K
mlock P 0x100000004000 8K onfault
mlock P 0x100000000000 4K
expect vma_start P 0x100000000000 == 0x100000000000
expect vma_end P 0x100000000000 == 0x100000004000
expect vma_end P 0x100000004000 == 0x100000006000
expect vma_end P 0x100000006000 == 0x100000008000
expect vmflag P 0x100000004000 lf == yes
expect vmflag P 0x100000006000 lo == no
expect smaps P Locked == 16
expect smaps P Rss == 16
poke P 0x100000004000 1
expect smaps P Locked == 20
expect kpageflags P 0x100000004000 MLOCKED == yes
