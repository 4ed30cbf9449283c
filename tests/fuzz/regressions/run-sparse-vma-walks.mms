# fuzz_run timed out (a slow input, not a crash): every walk over a huge
# unpopulated VMA visited each PMD or page, and `ksm scan 100000` made that
# many passes. Walks now skip PGD and PUD entries that are none, and the
# harness caps an input's scan passes (FUZZ_PASSES_MAX): this runs in
# milliseconds.
proc A
mmap A 0x100000000000 0x100000000000 rw noreserve
madvise A 0x100000000000 0x100000000000 mergeable
write A 0x100000000000 8K byte=0x11
write A 0x1ffffffff000 4K byte=0x11
ksm scan 100000
fork A B
mprotect A 0x100000000000 0x100000000000 r
madvise A 0x100000000000 0x100000000000 pageout
reclaim B 0x100000000000 0x100000000000
madvise A 0x100000000000 0x100000000000 dontneed
khugepaged scan 100000
show ptes B 0x100000000000 0x100000000000
ksm unmerge
munmap B 0x100000000000 0x100000000000
madvise A 0x100000000000 0x100000000000 collapse
