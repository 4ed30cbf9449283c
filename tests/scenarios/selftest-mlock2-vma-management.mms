# Linux 7.3.4 tools/testing/selftests/mm/mlock2-tests.c, test_vma_management(true):
# mlock2(MLOCK_ONFAULT) of three pages, one VMA; munlock() of the middle page
# splits it in three; munlock() of all three merges them back.
proc P
mmap P 0x100000000000 12K
mlock P 0x100000000000 12K onfault
expect vma_start P 0x100000000000 == 0x100000000000
expect vma_end P 0x100000002000 == 0x100000003000
munlock P 0x100000001000 4K
expect vma_end P 0x100000000000 == 0x100000001000
expect vma_start P 0x100000001000 == 0x100000001000
expect vma_end P 0x100000001000 == 0x100000002000
expect vma_start P 0x100000002000 == 0x100000002000
expect vmflag P 0x100000001000 lo == no
expect vmflag P 0x100000002000 lf == yes
munlock P 0x100000000000 12K
expect vma_start P 0x100000002000 == 0x100000000000
expect vma_end P 0x100000000000 == 0x100000003000
