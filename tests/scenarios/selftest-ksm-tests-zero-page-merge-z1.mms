# Linux 7.3.4 tools/testing/selftests/mm/ksm_tests.c, "ksm_tests -Z -p 10 -z 1" (check_ksm_zero_page_merge()):
# with use_zero_pages 1, ten zero-filled pages merge with the kernel's zero
# page instead: assert_ksm_pages_count(0), pages_shared 0, pages_sharing 0.
ksm use_zero_pages=1
proc P
mmap P 0x100000000000 40K
write P 0x100000000000 40K zero
madvise P 0x100000000000 40K mergeable
ksm scan 2
expect ksm.pages_shared == 0
expect ksm.pages_sharing == 0
expect ksm.ksm_zero_pages == 10
expect kpageflags P 0x100000000000 ZERO_PAGE == yes
