# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "Basic COW after fork()",
# run "... with swapped-out THP (2048 kB)" (test_cow_in_parent()).
# The child reads (copies) the range; the parent then writes 0xff over it; the
# child must still read the old content (no leak from parent into child).

# ... with swapped-out THP (2048 kB)
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp 2M always
proc P2048
mmap P2048 0x100000000000 4096K   # twice the THP size
madvise P2048 0x100000200000 2048K hugepage
poke P2048 0x100000200000 1
expect present P2048 0x1000003ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100000200000 2048K byte=1
madvise P2048 0x100000200000 2048K pageout
expect swapped P2048 0x100000200000 == yes
fork P2048 C2048
read C2048 0x100000200000 2048K               # child_memcmp_fn(): memcpy(old, mem)
write P2048 0x100000200000 2048K byte=0xff      # memset(mem, 0xff, size)
expect byte C2048 0x100000200000 == 1
expect byte C2048 0x1000003fffff == 1
expect byte P2048 0x100000200000 == 255
expect byte P2048 0x1000003fffff == 255
expect same_frame P2048 0x100000200000 C2048 0x100000200000 == no
exit C2048
exit P2048
