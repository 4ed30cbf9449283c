# Linux 7.3.4 tools/testing/selftests/mm/soft-dirty.c, test_vma_reuse: a new
# mapping is soft-dirty as a whole ("The kernel always marks new regions as
# soft dirty"), also when it reuses the address of one that was cleared.
# The live kernel (6.18.44) is built without CONFIG_MEM_SOFT_DIRTY; Debian's 7.3.4
# has it, so this runs on 7.3 under qemu (tests/era) and on the simulator in profile 7.3.
kernel 7.3
proc P
mmap P 0x100000000000 4K
expect soft_dirty P 0x100000000000 == yes   # dirty bit of allocated page
expect vmflag P 0x100000000000 sd == yes
clear_refs P 4
expect soft_dirty P 0x100000000000 == no
munmap P 0x100000000000 4K
mmap P 0x100000000000 4K
expect soft_dirty P 0x100000000000 == yes   # dirty bit of reused address page
expect present P 0x100000000000 == no
