# Linux 7.3.4 tools/testing/selftests/mm/mlock2-tests.c, test_mlock_lock():
# mlock2(0) of a fresh two-page mapping: the VMA is VM_LOCKED ("lo") and all
# of it is faulted in (Rss == Size); munlock() takes "lo" away, the pages stay.
# The pages are mlocked and unevictable (mlock() drains the CPU's mlock batch;
# a page mlocked by a later fault shows UNEVICTABLE only after a drain, which
# the simulator does not model: docs/kernel-selftests.md, "mlock").
proc P
mmap P 0x100000000000 8K
mlock P 0x100000000000 8K
expect vmflag P 0x100000000000 lo == yes
expect vmflag P 0x100000000000 lf == no
expect smaps P Rss == 8
expect smaps P Locked == 8
expect kpageflags P 0x100000000000 MLOCKED == yes
expect kpageflags P 0x100000001000 MLOCKED == yes
expect kpageflags P 0x100000001000 UNEVICTABLE == yes
expect vma_end P 0x100000000000 == 0x100000002000
munlock P 0x100000000000 8K
expect vmflag P 0x100000000000 lo == no
expect smaps P Rss == 8
expect smaps P Locked == 0
expect kpageflags P 0x100000000000 MLOCKED == no
expect kpageflags P 0x100000000000 UNEVICTABLE == no
