# A swap device of 64K holds 15 pages: its first page is the header. Of 20
# pages MADV_PAGEOUT writes out 15 in address order; the other 5 stay
# resident (pageout does not fail, it just leaves what does not fit).
swap 64K
proc P
mmap P 0x100000000000 80K
madvise P 0x100000000000 80K nohugepage
write P 0x100000000000 80K unique
madvise P 0x100000000000 80K pageout
expect smaps P Swap == 60
expect smaps P Rss == 20
expect swapped P 0x100000000000 == yes
expect swapped P 0x10000000e000 == yes
expect swapped P 0x10000000f000 == no
expect present P 0x100000013000 == yes
