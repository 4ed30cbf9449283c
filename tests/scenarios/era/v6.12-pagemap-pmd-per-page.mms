# 6.10-6.14 ask each page of a PMD mapping whether it is exclusive (its own
# page_mapcount() == 1); 6.1 and 6.18 report the head page's answer for all
# 512 (tests/scenarios/exclusive-pmd-head-quirk.mms).
kernel 6.12
thp 2M always
proc P
mmap P 0x100000000000 2M
write P 0x100000000000 4K byte=1
fork P C
write C 0x100000000000 4K byte=2
expect kpagecount P 0x100000000000 == 1
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000001000 == 2
expect exclusive P 0x100000001000 == no
expect exclusive C 0x100000001000 == no
expect smaps P AnonHugePages == 2048
