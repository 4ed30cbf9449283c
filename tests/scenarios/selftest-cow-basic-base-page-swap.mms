# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "Basic COW after fork()",
# run "... with swapped out base page" (test_cow_in_parent()).
# The child reads (copies) the range; the parent then writes 0xff over it; the
# child must still read the old content (no leak from parent into child).
swap 64M                                   # MADV_PAGEOUT needs a swap device
proc P
mmap P 0x100000000000 4K
madvise P 0x100000000000 4K nohugepage
write P 0x100000000000 4K byte=1
madvise P 0x100000000000 4K pageout
expect swapped P 0x100000000000 == yes
fork P C
read C 0x100000000000 4K               # child_memcmp_fn(): memcpy(old, mem)
write P 0x100000000000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C 0x100000000000 == 1
expect byte C 0x100000000fff == 1
expect byte P 0x100000000000 == 255
expect byte P 0x100000000fff == 255
expect same_frame P 0x100000000000 C 0x100000000000 == no
