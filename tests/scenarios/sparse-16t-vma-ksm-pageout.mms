# simulator-only: 6.18's unmerge_ksm_pages() calls break_ksm() a page at a
# time (a later kernel series turns it into one range walk): `ksm unmerge`
# of this VMA took 75 s, 73 s of it system time, on Linux 6.18.44; and the
# live machine has no swap device for MADV_PAGEOUT.
# sparse-16t-vma.mms with KSM, MADV_PAGEOUT and reclaim: mmsim's walks skip
# the PGD and PUD entries that are none (ksmd's scan on 6.18 skips holes
# too), so over 16 TiB with four pages written they cost milliseconds; the
# results are what the kernel's per-page loops find, since the holes hold
# nothing.
proc A
mmap A 0x100000000000 0x100000000000 rw noreserve
madvise A 0x100000000000 0x100000000000 mergeable
write A 0x100000000000 4K byte=0x11
write A 0x180000000000 4K byte=0x11
write A 0x1ffffffff000 4K byte=0x33
write A 0x1fffffe00000 4K byte=0x44
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 1
expect ksm.pages_unshared == 2
expect same_frame A 0x100000000000 A 0x180000000000 == yes
show ptes A 0x100000000000 0x100000000000
ksm unmerge
expect ksm.pages_shared == 0
expect same_frame A 0x100000000000 A 0x180000000000 == no
madvise A 0x100000000000 0x100000000000 pageout
expect swapped A 0x1ffffffff000 == yes
expect swapped A 0x180000000000 == yes
expect smaps A Rss == 0
expect byte A 0x1fffffe00000 == 0x44
reclaim A 0x100000000000 0x100000000000
expect swapped A 0x1fffffe00000 == yes
expect byte A 0x100000000000 == 0x11
