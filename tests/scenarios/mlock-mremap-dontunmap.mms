# MREMAP_DONTUNMAP of part of a locked VMA: the moved pages stay locked in
# their new VMA; the old VMA loses VM_LOCKED. On 6.18.44 all of it does,
# unsplit; 7.3, 6.12 and 6.1 split it first so that only the moved part is
# unlocked (profile mremap_dontunmap_splits_locked). The pages left behind
# keep PG_mlocked on 6.18 until reclaim sees them, which the simulator does
# not model: no query reads them here. Expected values are the live kernel's.
proc P
mmap P 0x100000000000 16K
mlock P 0x100000000000 16K
mremap P 0x100000000000 8K 0x100000100000 dontunmap
expect vmflag P 0x100000000000 lo == no
expect vmflag P 0x100000002000 lo == no
expect vma_end P 0x100000000000 == 0x100000004000
expect vmflag P 0x100000100000 lo == yes
expect kpageflags P 0x100000100000 MLOCKED == yes
expect present P 0x100000000000 == no
mremap P 0x100000100000 8K 0x100000200000 dontunmap
expect vmflag P 0x100000100000 lo == no
expect vmflag P 0x100000200000 lo == yes
expect kpageflags P 0x100000201000 MLOCKED == yes
expect smaps P Locked == 8
