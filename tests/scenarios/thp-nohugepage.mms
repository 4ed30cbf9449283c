# MADV_NOHUGEPAGE wins over an "always" size; MADV_HUGEPAGE enables a
# "madvise" size only where advised.
thp 64K always
proc A
mmap A 0x100000000000 128K
madvise A 0x100000000000 64K nohugepage
write A 0x100000000000 4K byte=1
expect folio_order A 0x100000000000 == 0
write A 0x100000010000 4K byte=1
expect folio_order A 0x100000010000 == 4
thp 64K madvise
mmap A 0x100000100000 128K
madvise A 0x100000110000 64K hugepage
write A 0x100000100000 4K byte=1
write A 0x100000110000 4K byte=1
expect folio_order A 0x100000100000 == 0
expect folio_order A 0x100000110000 == 4
