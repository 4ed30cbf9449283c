# KSM over 256M: half unique pages, half in four contents, three passes.
# Expected values are the live kernel's (Linux 6.18.44-fc-v1272), from mmsim run --kernel.
memory 288M
proc A
mmap A 0x100000000000 256M
madvise A 0x100000000000 256M mergeable
write A 0x100000000000 128M unique
write A 0x100008000000 32M byte=1
write A 0x10000a000000 32M byte=2
write A 0x10000c000000 32M byte=3
write A 0x10000e000000 32M byte=4
ksm scan 3
expect ksm.pages_shared == 128
expect ksm.pages_sharing == 32640
expect ksm.pages_unshared == 32768
expect ksm.pages_volatile == 0
expect ksm.full_scans == 3
expect ksm_stat A ksm_merging_pages == 32768
expect ksm_stat A ksm_rmap_items == 65536
expect smaps A Rss == 262144
