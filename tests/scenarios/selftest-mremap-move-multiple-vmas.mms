# Linux 7.3.4 tools/testing/selftests/mm/mremap_test.c, mremap_move_multiple_vmas():
# An 11-page range with holes at pages 1, 3, 7 and 9 (five VMAs) moved whole
# to an empty target, then next to itself, then over a PROT_NONE mapping:
# each time every page keeps its pattern. Not the [dontunnmap] variant.
# The expects are 6.18's; mremap across several VMAs is 6.17+ (profile mremap_move_multiple_vmas): before,
# the first one fails with EFAULT and the run stops there.
proc P
mmap P 0x100000000000 44K
munmap P 0x100000001000 4K
munmap P 0x100000003000 4K
munmap P 0x100000007000 4K
munmap P 0x100000009000 4K
write P 0x100000000000 4K unique
write P 0x100000002000 4K unique
write P 0x100000004000 4K unique
write P 0x100000005000 4K unique
write P 0x100000006000 4K unique
write P 0x100000008000 4K unique
write P 0x10000000a000 4K unique
mremap P 0x100000000000 44K 0x100000100000
expect byte P 0x100000100000 == 193
expect byte P 0x1000001007ff == 102
expect byte P 0x100000102000 == 25
expect byte P 0x1000001027ff == 185
expect byte P 0x100000104000 == 245
expect byte P 0x1000001047ff == 206
expect byte P 0x100000105000 == 190
expect byte P 0x1000001057ff == 119
expect byte P 0x100000106000 == 37
expect byte P 0x1000001067ff == 85
expect byte P 0x100000108000 == 223
expect byte P 0x1000001087ff == 229
expect byte P 0x10000010a000 == 95
expect byte P 0x10000010a7ff == 205
expect present P 0x100000101000 == no
expect present P 0x100000000000 == no
mremap P 0x100000100000 44K 0x10000010b000
expect byte P 0x10000010b000 == 193
expect byte P 0x10000010b7ff == 102
expect byte P 0x10000010d000 == 25
expect byte P 0x10000010d7ff == 185
expect byte P 0x10000010f000 == 245
expect byte P 0x10000010f7ff == 206
expect byte P 0x100000110000 == 190
expect byte P 0x1000001107ff == 119
expect byte P 0x100000111000 == 37
expect byte P 0x1000001117ff == 85
expect byte P 0x100000113000 == 223
expect byte P 0x1000001137ff == 229
expect byte P 0x100000115000 == 95
expect byte P 0x1000001157ff == 205
mmap P 0x100000100000 44K none
mremap P 0x10000010b000 44K 0x100000100000
expect byte P 0x100000100000 == 193
expect byte P 0x1000001007ff == 102
expect byte P 0x100000102000 == 25
expect byte P 0x1000001027ff == 185
expect byte P 0x100000104000 == 245
expect byte P 0x1000001047ff == 206
expect byte P 0x100000105000 == 190
expect byte P 0x1000001057ff == 119
expect byte P 0x100000106000 == 37
expect byte P 0x1000001067ff == 85
expect byte P 0x100000108000 == 223
expect byte P 0x1000001087ff == 229
expect byte P 0x10000010a000 == 95
expect byte P 0x10000010a7ff == 205
expect vma_end P 0x100000100000 == 0x100000101000
expect vma_start P 0x100000104000 == 0x100000104000
expect vma_end P 0x100000104000 == 0x100000107000
