# mlock() of a read-only mapping faults it in with read faults: the shared
# zero page, nothing allocated. mprotect() making the locked VMA writable
# breaks COW at once (mprotect_fixup()'s populate): private pages, mlocked,
# before any write. The lock survives the mprotect()s and their splits.
# Expected values are the live kernel's.
proc P
mmap P 0x100000000000 8K r
mlock P 0x100000000000 8K
expect present P 0x100000000000 == yes
expect kpageflags P 0x100000000000 ZERO_PAGE == yes
expect smaps P Rss == 0
expect smaps P Locked == 0
mprotect P 0x100000000000 4K rw
expect kpageflags P 0x100000000000 ZERO_PAGE == no
expect kpageflags P 0x100000000000 MLOCKED == yes
expect kpageflags P 0x100000001000 ZERO_PAGE == yes
expect vma_end P 0x100000000000 == 0x100000001000
expect vmflag P 0x100000001000 lo == yes
expect smaps P Locked == 4
mprotect P 0x100000001000 4K rw
expect vma_end P 0x100000000000 == 0x100000002000
expect kpageflags P 0x100000001000 MLOCKED == yes
expect byte P 0x100000001000 == 0
