# fork over 256M of written memory: the child writes a quarter (COW), the parent
# another quarter, then the child exits. Expected values
# are the live kernel's (Linux 6.18.44-fc-v1272), from mmsim run --kernel.
memory 576M
proc A
mmap A 0x100000000000 256M
write A 0x100000000000 128M unique
write A 0x100008000000 128M byte=5
fork A B
write B 0x100000000000 64M byte=6
write A 0x100008000000 64M unique
expect smaps A Rss == 262144
expect smaps A Pss == 196608
expect smaps A Private_Dirty == 131072
expect smaps A Shared_Dirty == 131072
expect smaps B Rss == 262144
expect smaps B Pss == 196608
expect smaps B Private_Dirty == 131072
expect smaps B Shared_Dirty == 131072
expect kpagecount A 0x100000000000 == 1
expect exclusive A 0x100000000000 == yes
expect same_frame A 0x100000000000 B 0x100000000000 == no
expect byte B 0x100000000000 == 6
expect kpagecount A 0x100004000000 == 2
expect exclusive A 0x100004000000 == no
expect same_frame A 0x100004000000 B 0x100004000000 == yes
expect byte B 0x100004000000 == 135
expect kpagecount A 0x100008000000 == 1
expect exclusive A 0x100008000000 == yes
expect same_frame A 0x100008000000 B 0x100008000000 == no
expect byte B 0x100008000000 == 5
expect kpagecount A 0x10000c000000 == 2
expect exclusive A 0x10000c000000 == no
expect same_frame A 0x10000c000000 B 0x10000c000000 == yes
expect byte B 0x10000c000000 == 5
expect kpagecount A 0x10000ffff000 == 2
expect exclusive A 0x10000ffff000 == no
expect same_frame A 0x10000ffff000 B 0x10000ffff000 == yes
expect byte B 0x10000ffff000 == 5
exit B
expect smaps A Rss == 262144
expect smaps A Pss == 262144
expect smaps A Private_Dirty == 262144
expect kpagecount A 0x10000c000000 == 1
expect exclusive A 0x10000c000000 == yes
