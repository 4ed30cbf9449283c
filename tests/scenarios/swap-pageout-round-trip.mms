# MADV_PAGEOUT writes a process's own pages to the swap device: pagemap
# shows swap entries (PM_SWAP), smaps counts them as Swap, and reads bring
# the bytes back through the swap cache, order-0, exclusive as they left.
swap 64M                                   # MADV_PAGEOUT needs a swap device
proc P
mmap P 0x100000000000 32K
write P 0x100000000000 32K pattern=7
expect smaps P Rss == 32
madvise P 0x100000000000 32K pageout
expect swapped P 0x100000000000 == yes
expect swapped P 0x100000007000 == yes
expect present P 0x100000000000 == no
expect smaps P Rss == 0
expect smaps P Swap == 32
read P 0x100000000000 16K
expect swapped P 0x100000000000 == no
expect present P 0x100000003000 == yes
expect exclusive P 0x100000003000 == yes
expect smaps P Swap == 16
expect smaps P Rss == 16
# A write fault on a swap entry: the page comes back writable, the slot goes.
poke P 0x100000007000 0x5a
expect byte P 0x100000007000 == 0x5a
expect smaps P Swap == 12
munmap P 0x100000004000 16K
expect smaps P Swap == 0
