# 6.1/6.12: VM_SOFTDIRTY is not sticky on merge. soft-dirty.c's test_merge,
# which 7.3 passes (v7.3-selftest-soft-dirty-merge.mms), fails here: the VMA
# that mremap() grows keeps its own clean flags, and mprotect_fixup() sets the
# changed VMA's clean flags on the merged one (before "mm: propagate
# VM_SOFTDIRTY on merge" made it sticky, profile vma_softdirty_sticky).
kernel 6.12
proc P
mmap P 0x100000000000 20K none           # reserved: 5 pages
munmap P 0x100000000000 16K
mmap P 0x100000001000 4K                 # map, at reserved[1]
clear_refs P 4                           # clears VM_SOFTDIRTY too
expect soft_dirty P 0x100000001000 == no
mmap P 0x100000003000 4K                 # map2, soft-dirty, at reserved[3]
mremap P 0x100000003000 4K 0x100000002000   # next to map: they merge
expect vma_start P 0x100000002000 == 0x100000001000
expect soft_dirty P 0x100000001000 == no   # the selftest wants yes (after remap merge 1st pg)
expect soft_dirty P 0x100000002000 == no   # the selftest wants yes (after remap merge 2nd pg)
munmap P 0x100000001000 8K
mmap P 0x100000001000 4K                 # map again
clear_refs P 4
mmap P 0x100000002000 4K r               # map2, soft-dirty and incompatible
expect vma_start P 0x100000002000 == 0x100000002000
mprotect P 0x100000001000 4K r           # compatible now: they merge
expect vma_start P 0x100000002000 == 0x100000001000
expect soft_dirty P 0x100000001000 == no   # the selftest wants yes (after mprotect merge 1st pg)
expect soft_dirty P 0x100000002000 == no   # the selftest wants yes (after mprotect merge 2nd pg)
