# Linux 7.3.4 tools/testing/selftests/mm/mremap_test.c, mremap_move_within_range():
# 20 MiB zeroed, a 2 MiB pattern at a 2 MiB-aligned src; the upper MiB of src
# moved (MREMAP_FIXED) into the range below: src's lower MiB must be intact.
# (The selftest's rand() pattern is the language's unique fill here; of its
# memset(0) of all 20 MiB only the MiB the move replaces is written, to keep
# the simulator's per-page verification short.)
proc P
mmap P 0x100000000000 20M
write P 0x100000500000 1M zero
write P 0x100000600000 2M unique
mremap P 0x100000700000 1M 0x100000500000
expect byte P 0x100000600000 == 193
expect byte P 0x1000006007ff == 102
expect byte P 0x100000601000 == 25
expect byte P 0x1000006017ff == 185
expect byte P 0x100000680000 == 111
expect byte P 0x1000006807ff == 136
expect byte P 0x1000006ff000 == 51
expect byte P 0x1000006ff7ff == 113
expect present P 0x100000700000 == no
expect vma_end P 0x100000600000 == 0x100000700000
expect byte P 0x100000500000 == 152
expect byte P 0x1000005007ff == 7
expect byte P 0x1000005ff000 == 29
expect byte P 0x1000005ff7ff == 175
