# Linux 7.3.4 tools/testing/selftests/mm/rmap.c, TEST_F(migrate, ksm_and_mremap):
# 32 pages of the same bytes, the upper half mremap()ed over the lower half
# (so their rmap_items' addresses are not where their anon_vma puts them),
# merged by KSM into one page, which then moves to the other node: all 16
# pages map the new frame. This is seed 003's walk (rmap_walk_ksm() with the
# item's linear_page_index() on 7.x).
# This machine's kernel has one NUMA node; the qemu guests of tests/era have
# two: it runs on Linux 7.3.4 there and on the simulator in profile 7.3.
kernel 7.3
numa 2
proc P
mmap P 0x100000000000 128K
write P 0x100000000000 128K byte=0x77
mremap P 0x100000010000 64K 0x100000000000     # the second half over the first
madvise P 0x100000000000 64K mergeable
ksm scan 2                     # ksm_start()
expect kpageflags P 0x100000000000 KSM == yes
expect same_frame P 0x100000000000 P 0x100000001000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000002000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000003000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000004000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000005000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000006000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000007000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000008000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x100000009000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x10000000a000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x10000000b000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x10000000c000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x10000000d000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x10000000e000 == yes   # range_maps_the_same_pfn()
expect same_frame P 0x100000000000 P 0x10000000f000 == yes   # range_maps_the_same_pfn()
expect node P 0x100000000000 == 0
move_pages P 0x100000000000 1 all      # try_to_move_page()
expect node P 0x100000000000 == 1
expect same_frame P 0x100000000000 P 0x100000001000 == yes
expect same_frame P 0x100000000000 P 0x100000002000 == yes
expect same_frame P 0x100000000000 P 0x100000003000 == yes
expect same_frame P 0x100000000000 P 0x100000004000 == yes
expect same_frame P 0x100000000000 P 0x100000005000 == yes
expect same_frame P 0x100000000000 P 0x100000006000 == yes
expect same_frame P 0x100000000000 P 0x100000007000 == yes
expect same_frame P 0x100000000000 P 0x100000008000 == yes
expect same_frame P 0x100000000000 P 0x100000009000 == yes
expect same_frame P 0x100000000000 P 0x10000000a000 == yes
expect same_frame P 0x100000000000 P 0x10000000b000 == yes
expect same_frame P 0x100000000000 P 0x10000000c000 == yes
expect same_frame P 0x100000000000 P 0x10000000d000 == yes
expect same_frame P 0x100000000000 P 0x10000000e000 == yes
expect same_frame P 0x100000000000 P 0x10000000f000 == yes
expect byte P 0x10000000ffff == 0x77
