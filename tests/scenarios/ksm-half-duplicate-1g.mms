# KSM over 1G: half unique pages, half in four contents, three passes.
# Expected values are the live kernel's (Linux 6.18.44-fc-v1272), from mmsim run --kernel.
memory 1104M
proc A
mmap A 0x100000000000 1G
madvise A 0x100000000000 1G mergeable
write A 0x100000000000 512M unique
write A 0x100020000000 128M byte=1
write A 0x100028000000 128M byte=2
write A 0x100030000000 128M byte=3
write A 0x100038000000 128M byte=4
ksm scan 3
expect ksm.pages_shared == 512
expect ksm.pages_sharing == 130560
expect ksm.pages_unshared == 131072
expect ksm.pages_volatile == 0
expect ksm.full_scans == 3
expect ksm_stat A ksm_merging_pages == 131072
expect ksm_stat A ksm_rmap_items == 262144
expect smaps A Rss == 1048576
