# A swap device of 64K holds 15 pages: its first page is the header. Of 20
# pages MADV_PAGEOUT writes out 15 in address order; the other 5 stay
# resident (pageout does not fail, it just leaves what does not fit).
# Linux 6.18.44 and 7.3.4 (under qemu, on a loaded machine too) give these
# values every time, now that a scenario's processes stay on one CPU: a page
# faulted on the other CPU waited in its lru_add batch, where MADV_PAGEOUT
# skipped it (on a loaded machine, before that, 9 of 180 expects failed in
# six 7.3.4 boots of five runs each; none after).
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
