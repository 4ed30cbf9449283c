# On 6.12 (and on 7.3) the private copy that unmerging maps is clean: an unshare
# fault only makes the page exclusive, so wp_page_copy() leaves its PTE clean
# and read-only. 6.18.y (6.18.44) maps the same copy with a dirty PTE, still
# read-only: ksm-prctl, ksm-zero-pages and ksm-prctl-off-unmerges expect
# Private_Dirty there. KSM pages and KSM zero pages alike.
kernel 6.12
ksm use_zero_pages=1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 16K byte=3
write A 0x100000004000 16K zero
ksm scan 2
expect ksm.pages_sharing == 3
expect ksm.ksm_zero_pages == 4
madvise A 0x100000000000 32K unmergeable
expect ksm.ksm_zero_pages == 0
expect smaps A Rss == 32
expect smaps A Private_Clean == 32
expect smaps A Private_Dirty == 0
expect exclusive A 0x100000000000 == yes
