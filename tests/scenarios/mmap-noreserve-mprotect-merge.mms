# mmap ... noreserve (MAP_NORESERVE): the VMA is never charged (VM_NORESERVE,
# no VM_ACCOUNT). Without it, mprotect(PROT_READ) of an unfaulted anonymous VMA
# gives its charge back (drops VM_ACCOUNT) while a faulted one keeps it, so the
# two read-only halves differ in flags and stay apart; with it they merge
# (merge.c's mprotect_* cases map with MAP_NORESERVE for that reason).
# The expects are 6.18's; before 6.16 a faulted VMA does not merge into an unfaulted neighbour (profile
# anon_merge_unfaulted_target): there the VMAs stay apart.
proc P
mmap P 0x100000000000 40K
mprotect P 0x100000000000 20K r
poke P 0x100000005000 0x78
mprotect P 0x100000005000 20K r
expect vma_end P 0x100000000000 == 0x100000005000
expect vma_start P 0x100000005000 == 0x100000005000
mmap P 0x100000100000 40K rw noreserve
mprotect P 0x100000100000 20K r
poke P 0x100000105000 0x78
mprotect P 0x100000105000 20K r
expect vma_end P 0x100000100000 == 0x10000010a000
# MAP_NORESERVE and accounted VMAs never merge: their flags differ.
mmap P 0x100000200000 8K rw noreserve
mmap P 0x100000202000 8K rw
expect vma_end P 0x100000200000 == 0x100000202000
expect vma_start P 0x100000202000 == 0x100000202000
