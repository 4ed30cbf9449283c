# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_prot_none(), in part:
# 2 MiB of 0x11 made PROT_NONE before MADV_MERGEABLE still merges; the
# selftest then writes a distinct value into each page of the lower half
# through /proc/self/mem (FOLL_FORCE), which the language lacks, so here the
# lower half stays merged and only the upper half's MADV_UNMERGEABLE is
# asserted: its pages map no shared frame.
proc P
mmap P 0x100000000000 2M
madvise P 0x100000000000 2M nohugepage
write P 0x100000000000 2M byte=0x11
mprotect P 0x100000000000 2M none
madvise P 0x100000000000 2M mergeable
ksm scan 2
expect ksm_stat P ksm_merging_pages > 0
expect ksm_stat P ksm_merging_pages == 512
madvise P 0x100000100000 1M unmergeable
expect ksm_stat P ksm_merging_pages == 512
expect same_frame P 0x100000100000 P 0x100000101000 == no
expect same_frame P 0x100000100000 P 0x1000001ff000 == no
expect same_frame P 0x100000000000 P 0x100000100000 == no
expect same_frame P 0x100000000000 P 0x100000001000 == yes
