# Linux 7.3.4 tools/testing/selftests/mm/rmap.c, TEST_F(migrate, ksm): every
# process of a fork tree maps a page of its own with the same bytes, KSM
# merges them all into one, and that KSM page moves to the other node: every
# process maps the new frame (rmap_walk_ksm()).
# The selftest forks a tree of five levels with one to three children each,
# at random, and picks a worker at a random level; here the tree is fixed:
# two children each (31 processes), the worker L10 at level 3.
# This machine's kernel has one NUMA node; the qemu guests of tests/era have
# two: it runs on Linux 7.3.4 there and on the simulator in profile 7.3.

kernel 7.3
numa 2
proc R
prctl R merge on               # PR_SET_MEMORY_MERGE, inherited
fork R L0
fork R L1
fork L0 L00
fork L0 L01
fork L1 L10
fork L1 L11
fork L00 L000
fork L00 L001
fork L01 L010
fork L01 L011
fork L10 L100
fork L10 L101
fork L11 L110
fork L11 L111
fork L000 L0000
fork L000 L0001
fork L001 L0010
fork L001 L0011
fork L010 L0100
fork L010 L0101
fork L011 L0110
fork L011 L0111
fork L100 L1000
fork L100 L1001
fork L101 L1010
fork L101 L1011
fork L110 L1100
fork L110 L1101
fork L111 L1110
fork L111 L1111
mmap R 0x100000000000 4K
write R 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0 0x100000000000 4K
write L0 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1 0x100000000000 4K
write L1 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L00 0x100000000000 4K
write L00 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L01 0x100000000000 4K
write L01 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L10 0x100000000000 4K
write L10 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L11 0x100000000000 4K
write L11 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L000 0x100000000000 4K
write L000 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L001 0x100000000000 4K
write L001 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L010 0x100000000000 4K
write L010 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L011 0x100000000000 4K
write L011 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L100 0x100000000000 4K
write L100 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L101 0x100000000000 4K
write L101 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L110 0x100000000000 4K
write L110 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L111 0x100000000000 4K
write L111 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0000 0x100000000000 4K
write L0000 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0001 0x100000000000 4K
write L0001 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0010 0x100000000000 4K
write L0010 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0011 0x100000000000 4K
write L0011 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0100 0x100000000000 4K
write L0100 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0101 0x100000000000 4K
write L0101 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0110 0x100000000000 4K
write L0110 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L0111 0x100000000000 4K
write L0111 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1000 0x100000000000 4K
write L1000 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1001 0x100000000000 4K
write L1001 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1010 0x100000000000 4K
write L1010 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1011 0x100000000000 4K
write L1011 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1100 0x100000000000 4K
write L1100 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1101 0x100000000000 4K
write L1101 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1110 0x100000000000 4K
write L1110 0x100000000000 4K byte=0xcf   # prepare_local_region()
mmap L1111 0x100000000000 4K
write L1111 0x100000000000 4K byte=0xcf   # prepare_local_region()
ksm scan 2                     # ksm_start(): two full scans
expect same_frame R 0x100000000000 L10 0x100000000000 == yes
expect kpageflags L10 0x100000000000 KSM == yes
expect node L10 0x100000000000 == 0
move_pages L10 0x100000000000 1 all      # merge_and_migrate(): try_to_move_page()
expect node L10 0x100000000000 == 1
expect same_frame R 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L00 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L01 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L11 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L000 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L001 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L010 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L011 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L100 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L101 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L110 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L111 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0000 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0001 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0010 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0011 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0100 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0101 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0110 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L0111 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1000 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1001 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1010 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1011 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1100 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1101 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1110 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect same_frame L1111 0x100000000000 L10 0x100000000000 == yes   # has_same_pfn()
expect kpageflags R 0x100000000000 KSM == yes
