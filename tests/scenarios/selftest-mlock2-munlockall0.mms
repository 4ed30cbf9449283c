# Linux 7.3.4 tools/testing/selftests/mm/mlock2-tests.c, test_munlockall0():
# mlockall(MCL_CURRENT) locks and faults in the mapping; munlockall() unlocks it.
proc P
mmap P 0x100000000000 8K
mlockall P current
expect vmflag P 0x100000000000 lo == yes
expect smaps P Rss == 8
expect smaps P Locked == 8
expect kpageflags P 0x100000001000 MLOCKED == yes
munlockall P
expect vmflag P 0x100000000000 lo == no
expect smaps P Locked == 0
expect kpageflags P 0x100000001000 MLOCKED == no
