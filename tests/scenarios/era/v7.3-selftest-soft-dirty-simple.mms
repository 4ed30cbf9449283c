# Linux 7.3.4 tools/testing/selftests/mm/soft-dirty.c, test_simple: a page is
# soft-dirty after each write and clean after each clear_refs 4 (the selftest
# goes round 10000 times; three rounds here).
# The live kernel (6.18.44) is built without CONFIG_MEM_SOFT_DIRTY; Debian's 7.3.4
# has it, so this runs on 7.3 under qemu (tests/era) and on the simulator in profile 7.3.
kernel 7.3
proc P
mmap P 0x100000000000 4K
write P 0x100000000000 4K byte=1        # aligned_alloc()'s page, touched before
clear_refs P 4                           # clear_softdirty()
expect soft_dirty P 0x100000000000 == no
clear_refs P 4
poke P 0x100000000000 2                  # map[0]++
expect soft_dirty P 0x100000000000 == yes
clear_refs P 4
expect soft_dirty P 0x100000000000 == no
clear_refs P 4
poke P 0x100000000000 3
expect soft_dirty P 0x100000000000 == yes
clear_refs P 4
expect soft_dirty P 0x100000000000 == no
clear_refs P 4
poke P 0x100000000000 4
expect soft_dirty P 0x100000000000 == yes
clear_refs P 4
expect present P 0x100000000000 == yes
expect vmflag P 0x100000000000 sd == no
