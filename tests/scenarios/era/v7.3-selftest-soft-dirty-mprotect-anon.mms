# Linux 7.3.4 tools/testing/selftests/mm/soft-dirty.c, test_mprotect_anon: a
# written page is soft-dirty; clear_refs 4 cleans it, and mprotect() read-only
# then read-write leaves it clean (the write access must not come back without
# a fault); the next write makes it soft-dirty again.
# The live kernel (6.18.44) is built without CONFIG_MEM_SOFT_DIRTY; Debian's 7.3.4
# has it, so this runs on 7.3 under qemu (tests/era) and on the simulator in profile 7.3.
kernel 7.3
proc P
mmap P 0x100000000000 4K
poke P 0x100000000000 1                  # *map = 1
expect soft_dirty P 0x100000000000 == yes   # dirty bit of new written page
clear_refs P 4
expect soft_dirty P 0x100000000000 == no    # soft-dirty clear after clear_refs
mprotect P 0x100000000000 4K r
expect soft_dirty P 0x100000000000 == no    # soft-dirty clear after marking RO
mprotect P 0x100000000000 4K rw
expect soft_dirty P 0x100000000000 == no    # soft-dirty clear after marking RW
poke P 0x100000000000 2                  # *map = 2
expect soft_dirty P 0x100000000000 == yes   # soft-dirty after rewritten
expect byte P 0x100000000000 == 2
