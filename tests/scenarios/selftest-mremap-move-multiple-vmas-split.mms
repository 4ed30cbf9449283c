# Linux 7.3.4 tools/testing/selftests/mm/mremap_test.c, mremap_move_multiple_vmas_split():
# Ten pages with a hole at page 5; pages 2..8 (two VMAs and the hole) moved to
# an empty target: the patterns of pages 2,3,4 and 6,7,8 arrive at 0..2 and 4..6.
# The expects are 6.18's; mremap across several VMAs is 6.17+ (profile mremap_move_multiple_vmas): before,
# the first one fails with EFAULT and the run stops there.
proc P
mmap P 0x100000000000 40K
munmap P 0x100000005000 4K
write P 0x100000000000 4K unique
write P 0x100000001000 4K unique
write P 0x100000002000 4K unique
write P 0x100000003000 4K unique
write P 0x100000004000 4K unique
write P 0x100000006000 4K unique
write P 0x100000007000 4K unique
write P 0x100000008000 4K unique
write P 0x100000009000 4K unique
mremap P 0x100000002000 28K 0x100000100000
expect byte P 0x100000100000 == 245
expect byte P 0x1000001007ff == 206
expect byte P 0x100000101000 == 190
expect byte P 0x1000001017ff == 119
expect byte P 0x100000102000 == 37
expect byte P 0x1000001027ff == 85
expect byte P 0x100000104000 == 223
expect byte P 0x1000001047ff == 229
expect byte P 0x100000105000 == 95
expect byte P 0x1000001057ff == 205
expect byte P 0x100000106000 == 225
expect byte P 0x1000001067ff == 164
expect present P 0x100000103000 == no
expect vma_end P 0x100000100000 == 0x100000103000
