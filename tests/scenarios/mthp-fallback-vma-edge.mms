# A 96 KiB VMA with 64K and 32K enabled: the first 64 KiB block fits, the
# block after it does not, so a write there falls back to 32 KiB.
thp 64K always
thp 32K always
proc A
mmap A 0x100000000000 96K
write A 0x100000000000 4K byte=1
expect folio_order A 0x100000000000 == 4
write A 0x100000014000 4K byte=2
expect folio_order A 0x100000014000 == 3
expect folio_order A 0x100000010000 == 3
expect present A 0x100000018000 == no
expect smaps A Rss == 96
