# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_unmerge_zero_pages():
# with use_zero_pages, 2 MiB of zeroed pages merge into the zero page and
# ksm_stat counts ksm_zero_pages = 512; MADV_UNMERGEABLE of half leaves 256;
# a write to each page of the other half leaves 0, and no duplicates remain.
ksm use_zero_pages=1
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M nohugepage
write P 0x100000000000 2M zero
madvise P 0x100000000000 2M mergeable
ksm scan 2
expect ksm_stat P ksm_zero_pages == 512
madvise P 0x100000000000 1M unmergeable
expect ksm_stat P ksm_zero_pages == 256
write P 0x100000100000 1M unique           # *(unsigned int *)&map[offs] = offs
expect ksm_stat P ksm_zero_pages == 0
expect same_frame P 0x100000000000 P 0x100000001000 == no
expect same_frame P 0x100000000000 P 0x1000000ff000 == no
expect same_frame P 0x100000100000 P 0x1000001ff000 == no
expect kpageflags P 0x100000000000 ZERO_PAGE == no
expect kpagecount P 0x100000000000 == 1
expect ksm.ksm_zero_pages == 0
