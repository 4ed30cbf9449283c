# mprotect r on part of a 64 KiB folio splits the VMA but not the folio;
# back to rw the VMAs merge and the write hits the same frame (the pages
# were exclusive, so they were made writable again, no copy).
thp 64K always
proc A
mmap A 0x100000000000 64K
write A 0x100000000000 64K byte=1
mprotect A 0x100000004000 16K r
expect folio_order A 0x100000004000 == 4
expect kpagecount A 0x100000004000 == 1
expect exclusive A 0x100000004000 == yes
expect smaps A Rss == 64
expect byte A 0x100000004000 == 1
mprotect A 0x100000004000 16K rw
write A 0x100000005000 4K byte=2
expect folio_order A 0x100000005000 == 4
expect kpagecount A 0x100000005000 == 1
expect exclusive A 0x100000005000 == yes
expect same_frame A 0x100000005000 A 0x100000006000 == no
expect smaps A Rss == 64
expect smaps A Private_Dirty == 64
expect byte A 0x100000005000 == 2
expect byte A 0x100000006000 == 1
