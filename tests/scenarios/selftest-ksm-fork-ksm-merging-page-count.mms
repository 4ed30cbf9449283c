# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_fork_ksm_merging_page_count():
# a merged 2 MiB range; the child of a fork reads ksm_merging_pages 0
# ("ksm_merging_pages is not inherited after fork"), though it maps the KSM pages.
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M nohugepage
write P 0x100000000000 2M byte=0xcf
madvise P 0x100000000000 2M mergeable
ksm scan 2
expect ksm_stat P ksm_merging_pages > 0
fork P C
expect ksm_stat C ksm_merging_pages == 0
expect ksm_stat P ksm_merging_pages == 512
expect ksm_stat C ksm_rmap_items == 0
expect kpageflags C 0x100000000000 KSM == yes
expect kpagecount C 0x100000000000 == 512
