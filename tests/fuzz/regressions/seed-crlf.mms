proc A
mmap A 0x100000000000 4K
