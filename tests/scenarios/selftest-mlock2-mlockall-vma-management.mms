# Linux 7.3.4 tools/testing/selftests/mm/mlock2-tests.c, test_mlockall():
# test_vma_management(false) under mlockall(MCL_CURRENT | MCL_ONFAULT |
# MCL_FUTURE): the new mapping is lock-on-fault from mm->def_flags, nothing
# faulted in; the munlock()s split and merge it as before.
proc P
mlockall P current onfault future
mmap P 0x100000000000 12K
expect vmflag P 0x100000000000 lo == yes
expect vmflag P 0x100000000000 lf == yes
expect present P 0x100000000000 == no
expect vma_start P 0x100000000000 == 0x100000000000
expect vma_end P 0x100000002000 == 0x100000003000
munlock P 0x100000001000 4K
expect vma_end P 0x100000000000 == 0x100000001000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000002000
expect vma_start P 0x100000002000 == 0x100000002000
munlock P 0x100000000000 12K
expect vma_start P 0x100000002000 == 0x100000000000
expect vma_end P 0x100000000000 == 0x100000003000
munlockall P
