# Linux 7.3.4 tools/testing/selftests/mm/madv_populate.c, test_softdirty: after
# clear_refs 4 nothing is soft-dirty; MADV_POPULATE_READ (the zero page)
# leaves it so, MADV_POPULATE_WRITE (write faults) makes every page soft-dirty.
# The live kernel (6.18.44) is built without CONFIG_MEM_SOFT_DIRTY; Debian's 7.3.4
# has it, so this runs on 7.3 under qemu (tests/era) and on the simulator in profile 7.3.
kernel 7.3
proc P
mmap P 0x100000000000 2M
clear_refs P 4                             # clear_softdirty()
expect soft_dirty P 0x100000000000 == no   # cleared range is not softdirty
expect soft_dirty P 0x1000001ff000 == no
expect errno madvise P 0x100000000000 2M populate_read == 0
expect soft_dirty P 0x100000000000 == no   # not softdirty after MADV_POPULATE_READ
expect soft_dirty P 0x1000001ff000 == no
expect errno madvise P 0x100000000000 2M populate_write == 0
expect soft_dirty P 0x100000000000 == yes  # softdirty after MADV_POPULATE_WRITE
expect soft_dirty P 0x1000001ff000 == yes
expect kpageflags P 0x100000000000 ZERO_PAGE == no
expect smaps P Rss == 2048
