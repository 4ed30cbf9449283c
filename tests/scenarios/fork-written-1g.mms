# fork over 1G of written memory: the child writes a quarter (COW), the parent
# another quarter, then the child exits. Expected values
# are the live kernel's (Linux 6.18.44-fc-v1272), from mmsim run --kernel.
memory 2112M
proc A
mmap A 0x100000000000 1G
write A 0x100000000000 512M unique
write A 0x100020000000 512M byte=5
fork A B
write B 0x100000000000 256M byte=6
write A 0x100020000000 256M unique
expect smaps A Rss == 1048576
expect smaps A Pss == 786432
expect smaps A Private_Dirty == 524288
expect smaps A Shared_Dirty == 524288
expect smaps B Rss == 1048576
expect smaps B Pss == 786432
expect smaps B Private_Dirty == 524288
expect smaps B Shared_Dirty == 524288
expect kpagecount A 0x100000000000 == 1
expect exclusive A 0x100000000000 == yes
expect same_frame A 0x100000000000 B 0x100000000000 == no
expect byte B 0x100000000000 == 6
expect kpagecount A 0x100010000000 == 2
expect exclusive A 0x100010000000 == no
expect same_frame A 0x100010000000 B 0x100010000000 == yes
expect byte B 0x100010000000 == 122
expect kpagecount A 0x100020000000 == 1
expect exclusive A 0x100020000000 == yes
expect same_frame A 0x100020000000 B 0x100020000000 == no
expect byte B 0x100020000000 == 5
expect kpagecount A 0x100030000000 == 2
expect exclusive A 0x100030000000 == no
expect same_frame A 0x100030000000 B 0x100030000000 == yes
expect byte B 0x100030000000 == 5
expect kpagecount A 0x10003ffff000 == 2
expect exclusive A 0x10003ffff000 == no
expect same_frame A 0x10003ffff000 B 0x10003ffff000 == yes
expect byte B 0x10003ffff000 == 5
exit B
expect smaps A Rss == 1048576
expect smaps A Pss == 1048576
expect smaps A Private_Dirty == 1048576
expect kpagecount A 0x100030000000 == 1
expect exclusive A 0x100030000000 == yes
