# For a PMD mapping pagemap reports the head page's state for all 512
# entries: after the child copies page 0 (the head), the parent's PMD
# reads as exclusive everywhere although pages 1..511 are still shared.
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
write C 0x100000000000 4K byte=2
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000001000 == 2
expect exclusive P 0x100000001000 == yes   # kpagecount 2, yet "exclusive": the head says so
expect exclusive C 0x100000001000 == no
expect smaps P AnonHugePages == 2048
expect smaps C AnonHugePages == 0
