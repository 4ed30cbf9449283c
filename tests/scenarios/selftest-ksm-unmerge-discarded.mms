# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_unmerge_discarded():
# merged 2 MiB range, MADV_DONTNEED of the first half (pte_none entries), then
# MADV_UNMERGEABLE of the whole: no duplicates remain ("Pages were unmerged").
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M nohugepage
write P 0x100000000000 2M byte=0xcf
madvise P 0x100000000000 2M mergeable
ksm scan 2
expect ksm_stat P ksm_merging_pages > 0
madvise P 0x100000000000 1M dontneed
expect present P 0x100000000000 == no
expect ksm_stat P ksm_merging_pages == 512
madvise P 0x100000000000 2M unmergeable
expect same_frame P 0x100000100000 P 0x100000101000 == no
expect same_frame P 0x100000100000 P 0x1000001ff000 == no
expect present P 0x100000000000 == no
expect ksm_stat P ksm_merging_pages == 512   # its rmap_items go only at the next scan
