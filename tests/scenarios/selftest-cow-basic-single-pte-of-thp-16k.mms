# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "Basic COW after fork()",
# run "with single PTE of THP (16 kB)" (do_run_with_thp() then test_cow_in_parent()).
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
madvise P 0x100000005000 12K dontneed   # keep one PTE
fork P C
read C 0x100000004000 4K               # child_memcmp_fn: memcpy(old, mem)
write P 0x100000004000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C 0x100000004000 == 1
expect byte C 0x100000004fff == 1
expect byte P 0x100000004000 == 255
expect byte P 0x100000004fff == 255
expect same_frame P 0x100000004000 C 0x100000004000 == no
expect exclusive P 0x100000004000 == yes
expect exclusive P 0x100000004000 == yes
expect kpagecount C 0x100000004000 == 1
expect folio_order P 0x100000004000 == 0
expect folio_order C 0x100000004000 == 2
expect smaps P Rss == 4
expect smaps C Rss == 4
expect smaps C Pss == 4
