# Linux 7.3.4 tools/testing/selftests/mm/soft-dirty.c, test_merge: a VMA
# that merges with a soft-dirty one is soft-dirty as a whole (7.x's sticky
# VM_SOFTDIRTY), by mremap() and by mprotect(). The selftest makes the
# second pair incompatible with PROT_EXEC, which the language lacks: here it
# is PROT_READ, the merge after mprotect() the same.
# The live kernel (6.18.44) is built without CONFIG_MEM_SOFT_DIRTY; Debian's 7.3.4
# has it, so this runs on 7.3 under qemu (tests/era) and on the simulator in profile 7.3.
kernel 7.3
proc P
mmap P 0x100000000000 20K none           # reserved: 5 pages
munmap P 0x100000000000 16K
mmap P 0x100000001000 4K                 # map, at reserved[1]
clear_refs P 4                           # clears VM_SOFTDIRTY too
expect soft_dirty P 0x100000001000 == no
mmap P 0x100000003000 4K                 # map2, soft-dirty, at reserved[3]
mremap P 0x100000003000 4K 0x100000002000   # next to map: they merge
expect vma_start P 0x100000002000 == 0x100000001000
expect soft_dirty P 0x100000001000 == yes   # after remap merge 1st pg
expect soft_dirty P 0x100000002000 == yes   # after remap merge 2nd pg
munmap P 0x100000001000 8K
mmap P 0x100000001000 4K                 # map again
clear_refs P 4
mmap P 0x100000002000 4K r               # map2, soft-dirty and incompatible
expect vma_start P 0x100000002000 == 0x100000002000
mprotect P 0x100000001000 4K r           # compatible now: they merge
expect vma_start P 0x100000002000 == 0x100000001000
expect soft_dirty P 0x100000001000 == yes   # after mprotect merge 1st pg
expect soft_dirty P 0x100000002000 == yes   # after mprotect merge 2nd pg
