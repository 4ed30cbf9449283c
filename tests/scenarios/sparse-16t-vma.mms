# One anonymous VMA of 16 TiB (MAP_NORESERVE, never charged) with four pages
# written at its ends and in its middle. fork's copy, mprotect, MADV_DONTNEED,
# smaps and munmap walk the whole VMA and cost only the page tables that
# exist: like the kernel's walks, mmsim's step over a none PGD or PUD entry
# in one go (pmd_table_next()), so this file runs in milliseconds on both; a
# walk that visited every page would take hours.
proc A
mmap A 0x100000000000 0x100000000000 rw noreserve
write A 0x100000000000 4K byte=0x11
write A 0x180000000000 4K byte=0x22
write A 0x1ffffffff000 4K byte=0x33
write A 0x1fffffe00000 4K byte=0x44
expect smaps A Rss == 16
fork A B
expect smaps B Rss == 16
expect same_frame A 0x1ffffffff000 B 0x1ffffffff000 == yes
mprotect B 0x100000000000 0x100000000000 r
expect byte B 0x1fffffe00000 == 0x44
madvise B 0x100000000000 0x100000000000 dontneed
expect smaps B Rss == 0
expect present B 0x180000000000 == no
expect byte B 0x180000000000 == 0
expect byte A 0x180000000000 == 0x22
expect smaps A Rss == 16
munmap A 0x100000000000 0x100000000000
expect present A 0x100000000000 == no
