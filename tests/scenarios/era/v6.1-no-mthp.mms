# Linux 6.1 has no per-size THP controls (6.8+): a scenario that asks for
# 64K folios cannot run there. Its remaining queries answer SKIP on the
# kernel and on the 6.1 profile alike, and the run passes.
kernel 6.1
thp 2M always
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 4K byte=1
expect folio_order A 0x100000000000 == 9
thp 64K always
mmap A 0x100000200000 64K
write A 0x100000200000 4K byte=1
expect folio_order A 0x100000200000 == 4
