# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "Basic COW after fork() with mprotect() optimization",
# run "with partially mremap()'ed THP (16 kB)" (do_run_with_thp() then test_cow_in_parent_mprotect()).
# The child reads (copies) the range; the parent then writes 0xff over it; the
# child must still read the old content (no leak from parent into child).
thp 16K always
proc P
mmap P 0x100000000000 32K   # twice the THP size, for alignment
madvise P 0x100000004000 16K hugepage
poke P 0x100000004000 1
expect present P 0x100000007000 == yes   # else the selftest skips: no THP
write P 0x100000004000 16K byte=1
expect folio_order P 0x100000004000 == 2
mremap P 0x100000006000 8K 0x100010000000   # move the upper half away
fork P C
read C 0x100000004000 8K               # child_memcmp_fn: memcpy(old, mem)
mprotect P 0x100000004000 8K r
mprotect P 0x100000004000 8K rw
write P 0x100000004000 8K byte=0xff      # memset(mem, 0xff, size)
expect byte C 0x100000004000 == 1
expect byte C 0x100000005fff == 1
expect byte P 0x100000004000 == 255
expect byte P 0x100000005fff == 255
expect same_frame P 0x100000004000 C 0x100000004000 == no
expect exclusive P 0x100000004000 == yes
expect exclusive P 0x100000005000 == yes
expect kpagecount C 0x100000004000 == 1
expect folio_order P 0x100000004000 == 0
expect folio_order C 0x100000004000 == 2
expect smaps P Rss == 16
expect smaps C Rss == 16
expect smaps C Pss == 12
