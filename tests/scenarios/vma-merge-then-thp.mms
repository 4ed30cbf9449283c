# Two adjacent 1 MiB mmaps merge into one 2 MiB VMA, so a fault there can
# take a whole PMD-mapped THP spanning both original mappings.
thp 2M always
proc A
mmap A 0x100000000000 1M
mmap A 0x100000100000 1M
write A 0x1000000ff000 8K byte=1
expect folio_order A 0x100000000000 == 9
expect folio_order A 0x1000001ff000 == 9
expect smaps A AnonHugePages == 2048
expect same_frame A 0x1000000ff000 A 0x100000100000 == no
expect byte A 0x100000100000 == 1
expect byte A 0x100000101000 == 0
