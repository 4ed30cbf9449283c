# 6.1: an anonymous VMA that never faulted keeps VM_ACCOUNT when mprotect()
# makes it read-only, so it stays apart from a read-only neighbour (6.2 gives
# the charge back and they merge: profile mprotect_keeps_account).
kernel 6.1
proc P
mmap P 0x100000001000 4K                 # writable: charged (VM_ACCOUNT), never faulted
mmap P 0x100000002000 4K r               # read-only: not charged
expect vma_start P 0x100000002000 == 0x100000002000
mprotect P 0x100000001000 4K r
expect vma_start P 0x100000002000 == 0x100000002000
expect vma_end P 0x100000001000 == 0x100000002000
