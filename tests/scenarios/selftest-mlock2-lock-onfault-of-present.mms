# Linux 7.3.4 tools/testing/selftests/mm/mlock2-tests.c, test_lock_onfault_of_present():
# A page already present when mlock2(MLOCK_ONFAULT) comes is locked (and
# mlocked) as it is; the other page stays out (Rss < Size).
proc P
mmap P 0x100000000000 8K
poke P 0x100000000000 0x61
mlock P 0x100000000000 8K onfault
expect vmflag P 0x100000000000 lo == yes
expect vmflag P 0x100000000000 lf == yes
expect smaps P Rss == 4
expect smaps P Locked == 4
expect kpageflags P 0x100000000000 MLOCKED == yes
expect present P 0x100000001000 == no
