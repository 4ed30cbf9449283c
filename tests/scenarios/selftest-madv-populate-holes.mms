# Linux 7.3.4 tools/testing/selftests/mm/madv_populate.c, test_holes(): over a
# range with a hole (its second page unmapped) MADV_POPULATE_READ and
# MADV_POPULATE_WRITE fail with ENOMEM, whether the hole is in the middle,
# at the end or at the beginning of the range.
proc P
mmap P 0x100000000000 2M
munmap P 0x100000001000 4K
# Hole in the middle
expect errno madvise P 0x100000000000 2M populate_read == ENOMEM
expect errno madvise P 0x100000000000 2M populate_write == ENOMEM
# Hole at the end
expect errno madvise P 0x100000000000 8K populate_read == ENOMEM
expect errno madvise P 0x100000000000 8K populate_write == ENOMEM
# Hole at the beginning
expect errno madvise P 0x100000001000 4K populate_read == ENOMEM
expect errno madvise P 0x100000001000 4K populate_write == ENOMEM
# Linux 6.18.44: the page before the hole is populated, written by the
# write populate; the pages after the hole are not.
expect present P 0x100000000000 == yes
expect kpageflags P 0x100000000000 ZERO_PAGE == no
expect present P 0x100000002000 == no
expect smaps P Rss == 4
