# Linux 7.3.4 tools/testing/selftests/mm/cow.c, non_anon_test_cases[] row
# "Basic COW", run "with shared zeropage" (run_with_zeropage(), test_cow()):
# two private mappings read so both map the shared zero page; a write to one
# must leave the other reading zeroes ("Other mapping modified" otherwise).
proc P
mmap P 0x100000000000 4K            # mem
mmap P 0x100000100000 4K r          # smem, PROT_READ
read P 0x100000000000 4K
read P 0x100000100000 4K
expect kpageflags P 0x100000000000 ZERO_PAGE == yes
expect same_frame P 0x100000000000 P 0x100000100000 == yes
write P 0x100000000000 4K byte=0xff
expect byte P 0x100000100000 == 0
expect byte P 0x100000100fff == 0
expect byte P 0x100000000000 == 255
expect kpageflags P 0x100000100000 ZERO_PAGE == yes
expect same_frame P 0x100000000000 P 0x100000100000 == no
expect exclusive P 0x100000000000 == yes
expect smaps P Rss == 4
