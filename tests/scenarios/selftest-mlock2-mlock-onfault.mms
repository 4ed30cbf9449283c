# Linux 7.3.4 tools/testing/selftests/mm/mlock2-tests.c, test_mlock_onfault():
# mlock2(MLOCK_ONFAULT): "lo" (and "lf") at once, but only the page touched
# afterwards is faulted in and mlocked (Rss < Size); after munlock() neither
# page is lock-on-fault.
proc P
mmap P 0x100000000000 8K
mlock P 0x100000000000 8K onfault
expect smaps P Rss == 0
poke P 0x100000000000 0x61
expect vmflag P 0x100000000000 lo == yes
expect vmflag P 0x100000000000 lf == yes
expect smaps P Rss == 4
expect smaps P Locked == 4
expect kpageflags P 0x100000000000 MLOCKED == yes
expect present P 0x100000001000 == no
munlock P 0x100000000000 8K
expect vmflag P 0x100000000000 lo == no
expect vmflag P 0x100000001000 lo == no
expect vmflag P 0x100000000000 lf == no
expect kpageflags P 0x100000000000 MLOCKED == no
