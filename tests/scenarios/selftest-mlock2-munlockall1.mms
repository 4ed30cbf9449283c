# Linux 7.3.4 tools/testing/selftests/mm/mlock2-tests.c, test_munlockall1():
# mlockall(MCL_CURRENT | MCL_ONFAULT): lock on fault, one page touched;
# munlockall(); then mlockall(MCL_CURRENT | MCL_FUTURE) faults the rest in;
# munlockall() again. A mapping made under MCL_FUTURE is locked and faulted
# in from the start.
proc P
mmap P 0x100000000000 8K
mlockall P current onfault
poke P 0x100000000000 0x61
expect vmflag P 0x100000000000 lo == yes
expect vmflag P 0x100000000000 lf == yes
expect smaps P Rss == 4
expect smaps P Locked == 4
munlockall P
expect vmflag P 0x100000000000 lo == no
expect vmflag P 0x100000001000 lo == no
expect kpageflags P 0x100000000000 MLOCKED == no
mlockall P current future
expect vmflag P 0x100000000000 lo == yes
expect vmflag P 0x100000000000 lf == no
expect smaps P Rss == 8
expect smaps P Locked == 8
mmap P 0x100000010000 8K
expect vmflag P 0x100000010000 lo == yes
expect present P 0x100000011000 == yes
expect kpageflags P 0x100000011000 MLOCKED == yes
expect smaps P Locked == 16
munlockall P
expect vmflag P 0x100000000000 lo == no
expect vmflag P 0x100000010000 lo == no
expect smaps P Locked == 0
mmap P 0x100000020000 8K
expect vmflag P 0x100000020000 lo == no
expect present P 0x100000020000 == no
