# Linux 7.3.4 tools/testing/selftests/mm/ksm_tests.c, "ksm_tests -M -p 10" (check_ksm_merge(), as run_vmtests.sh runs it):
# 10 pages of '*' (mapped PROT_WRITE, filled, made PROT_READ|PROT_WRITE),
# MADV_MERGEABLE, two full scans: assert_ksm_pages_count(10), i.e. with
# max_page_sharing 256, pages_shared 1 and pages_sharing 9.
proc P
mmap P 0x100000000000 40K
write P 0x100000000000 40K byte=0x2a
madvise P 0x100000000000 40K mergeable
ksm scan 2
expect ksm.pages_shared == 1
expect ksm.pages_sharing == 9
expect ksm.pages_unshared == 0
expect ksm_stat P ksm_merging_pages == 10
