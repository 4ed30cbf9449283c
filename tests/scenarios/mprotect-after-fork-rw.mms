# After fork, mprotect r then rw in the parent does not make the shared
# pages writable: the next write still copies, leaving the child's frame.
proc P
mmap P 0x100000000000 16K
write P 0x100000000000 16K byte=1
fork P C
mprotect P 0x100000000000 16K r
mprotect P 0x100000000000 16K rw
expect same_frame P 0x100000000000 C 0x100000000000 == yes
write P 0x100000000000 4K byte=2
expect same_frame P 0x100000000000 C 0x100000000000 == no
expect kpagecount C 0x100000000000 == 1
expect exclusive C 0x100000000000 == yes
expect kpagecount P 0x100000001000 == 2
expect byte C 0x100000000000 == 1
expect byte P 0x100000000000 == 2
