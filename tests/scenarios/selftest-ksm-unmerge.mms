# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_unmerge():
# 2 MiB of equal pages (0xcf, MADV_NOHUGEPAGE) merged with MADV_MERGEABLE, then
# MADV_UNMERGEABLE: no two pages of the range may map the same frame
# (range_maps_duplicates() false, "Pages were unmerged").
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M nohugepage
write P 0x100000000000 2M byte=0xcf
madvise P 0x100000000000 2M mergeable
ksm scan 2
expect ksm_stat P ksm_merging_pages > 0      # else "No pages got merged"
expect ksm_stat P ksm_merging_pages == 512
expect ksm.pages_shared == 2
expect ksm.pages_sharing == 510
expect same_frame P 0x100000000000 P 0x100000001000 == yes   # two KSM pages: max_page_sharing 256
madvise P 0x100000000000 2M unmergeable
expect same_frame P 0x100000000000 P 0x100000001000 == no
expect same_frame P 0x100000000000 P 0x1000001ff000 == no
expect same_frame P 0x100000100000 P 0x1000001ff000 == no
expect kpagecount P 0x100000000000 == 1
expect kpageflags P 0x100000100000 KSM == no
expect ksm_stat P ksm_merging_pages == 512   # its rmap_items go only at the next scan
expect byte P 0x1000001fffff == 0xcf
