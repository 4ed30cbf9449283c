# Linux 7.3.4 tools/testing/selftests/mm/soft-dirty.c, test_hugepage: a
# PMD-mapped THP is soft-dirty after each write and clean after each
# clear_refs 4 (the selftest goes round 10000 times; three rounds here).
# The live kernel (6.18.44) is built without CONFIG_MEM_SOFT_DIRTY; Debian's 7.3.4
# has it, so this runs on 7.3 under qemu (tests/era) and on the simulator in profile 7.3.
kernel 7.3
thp 2M madvise
proc P
mmap P 0x100000000000 4M                 # memalign(hpage_len, hpage_len)
madvise P 0x100000200000 2M hugepage
write P 0x100000200000 2M pattern=0x0706050403020100   # map[i] = (char)i
expect smaps P AnonHugePages == 2048     # check_huge_anon(): huge page allocation
expect folio_order P 0x100000200000 == 9
clear_refs P 4
expect soft_dirty P 0x100000200000 == no
clear_refs P 4
poke P 0x100000200000 1                  # map[0]++
expect soft_dirty P 0x100000200000 == yes
clear_refs P 4
expect soft_dirty P 0x100000200000 == no
clear_refs P 4
poke P 0x100000200000 2
expect soft_dirty P 0x100000200000 == yes
clear_refs P 4
expect soft_dirty P 0x100000200000 == no
clear_refs P 4
poke P 0x100000200000 3
expect soft_dirty P 0x100000200000 == yes
expect soft_dirty P 0x1000003ff000 == yes
expect folio_order P 0x100000200000 == 9
clear_refs P 4
expect soft_dirty P 0x1000003ff000 == no
