# mlock of a whole PMD-mapped THP mlocks it; mlock of half of another splits
# the VMA, and with it the PMD: the THP, now PTE-mapped and only half inside
# the locked VMA, is not mlocked (allow_mlock_munlock()). mlock's populate
# does write faults: a fresh locked 2M range gets a THP. Expected values
# are the live kernel's.
thp 2M always
proc P
mmap P 0x100000000000 4M
write P 0x100000000000 4M byte=1
mlock P 0x100000000000 2M
expect folio_order P 0x100000000000 == 9
expect kpageflags P 0x100000000000 MLOCKED == yes
expect kpageflags P 0x100000100000 MLOCKED == yes
expect smaps P Locked == 2048
mlock P 0x100000200000 1M
expect vma_end P 0x100000200000 == 0x100000300000
expect folio_order P 0x100000200000 == 9
expect kpageflags P 0x100000200000 MLOCKED == no
expect kpageflags P 0x100000300000 MLOCKED == no
expect smaps P Locked == 3072
munlock P 0x100000000000 4M
expect kpageflags P 0x100000000000 MLOCKED == no
expect vma_end P 0x100000000000 == 0x100000400000
mmap P 0x100000400000 2M
mlock P 0x100000400000 2M
expect folio_order P 0x100000400000 == 9
expect kpageflags P 0x100000400000 MLOCKED == yes
expect smaps P Rss == 6144
