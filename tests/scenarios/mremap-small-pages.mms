# mremap moves small pages with their content: the old range is empty, the
# new one holds the same exclusive pages, and Rss is unchanged.
proc A
mmap A 0x100000000000 16K
write A 0x100000000000 16K unique
read A 0x100000000000 4K
mremap A 0x100000000000 16K 0x100000100000
expect present A 0x100000000000 == no
expect present A 0x100000103000 == yes
expect kpagecount A 0x100000100000 == 1
expect exclusive A 0x100000102000 == yes
expect smaps A Rss == 16
expect byte A 0x100000100000 == 193
expect byte A 0x100000103008 == 28   # unique page 3, word 1: splitmix64(1+3*512+1) & 0xff
