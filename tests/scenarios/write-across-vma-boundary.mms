# A write that runs across two VMAs that cannot merge (different THP
# advice) faults in each one by its own rules: a 64 KiB folio in the first,
# single pages in the second.
thp 64K always
proc A
mmap A 0x100000000000 64K
mmap A 0x100000010000 64K
madvise A 0x100000010000 64K nohugepage
write A 0x10000000e000 16K byte=3
expect folio_order A 0x10000000e000 == 4
expect folio_order A 0x100000010000 == 0
expect present A 0x100000012000 == no
expect present A 0x100000000000 == yes
expect smaps A Rss == 72
expect byte A 0x100000011fff == 3
