# Linux 7.3.4 tools/testing/selftests/mm/ksm_tests.c, "ksm_tests -Z -p 10 -z 0" (check_ksm_zero_page_merge()):
# with use_zero_pages 0, ten zero-filled pages merge with each other as any
# equal pages: assert_ksm_pages_count(10), pages_shared 1, pages_sharing 9.
ksm use_zero_pages=0
proc P
mmap P 0x100000000000 40K
write P 0x100000000000 40K zero
madvise P 0x100000000000 40K mergeable
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 9
expect ksm.ksm_zero_pages == 0
