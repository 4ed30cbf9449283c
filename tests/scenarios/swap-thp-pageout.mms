# A PMD-mapped THP is swapped out whole (512 contiguous slots) after its
# PMD is split into PTEs, as try_to_unmap(TTU_SPLIT_HUGE_PMD) does; it
# comes back a page at a time (order-0: the device is not synchronous).
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp 2M always
thp top always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 2M byte=0x3c
expect folio_order P 0x100000000000 == 9
madvise P 0x100000000000 2M pageout
expect swapped P 0x100000000000 == yes
expect swapped P 0x1000001ff000 == yes
expect smaps P Swap == 2048
expect smaps P AnonHugePages == 0
expect byte P 0x100000010000 == 0x3c
expect folio_order P 0x100000010000 == 0
expect smaps P Swap == 2044
