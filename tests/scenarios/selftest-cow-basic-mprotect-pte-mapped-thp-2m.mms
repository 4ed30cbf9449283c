# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "Basic COW after fork() with mprotect() optimization",
# run "with PTE-mapped THP (2048 kB)" (do_run_with_thp() then test_cow_in_parent_mprotect()).
# The child reads (copies) the range; the parent then writes 0xff over it; the
# child must still read the old content (no leak from parent into child).
thp 2M always
proc P
mmap P 0x100000000000 4096K   # twice the THP size, for alignment
madvise P 0x100000200000 2048K hugepage
poke P 0x100000200000 1
expect present P 0x1000003ff000 == yes   # else the selftest skips: no THP
write P 0x100000200000 2048K byte=1
expect folio_order P 0x100000200000 == 9
mprotect P 0x100000201000 4K r   # PTE-map the THP
mprotect P 0x100000201000 4K rw
fork P C
read C 0x100000200000 2048K               # child_memcmp_fn: memcpy(old, mem)
mprotect P 0x100000200000 2048K r
mprotect P 0x100000200000 2048K rw
write P 0x100000200000 2048K byte=0xff      # memset(mem, 0xff, size)
expect byte C 0x100000200000 == 1
expect byte C 0x1000003fffff == 1
expect byte P 0x100000200000 == 255
expect byte P 0x1000003fffff == 255
expect same_frame P 0x100000200000 C 0x100000200000 == no
expect exclusive P 0x100000200000 == yes
expect exclusive P 0x1000003ff000 == yes
expect kpagecount C 0x100000200000 == 1
expect folio_order P 0x100000200000 == 0
expect folio_order C 0x100000200000 == 9
expect smaps P Rss == 2048
expect smaps C Rss == 2048
expect smaps C Pss == 2048
