# PROT_NONE keeps the pages: they stay present in pagemap, counted in
# kpagecount and Rss, and come back intact after mprotect rw. (Reading a
# PROT_NONE page would be SIGSEGV, so only pagemap-style queries here.)
proc A
mmap A 0x100000000000 16K
write A 0x100000000000 16K byte=3
mprotect A 0x100000000000 8K none
expect present A 0x100000000000 == yes
expect kpagecount A 0x100000000000 == 1
expect exclusive A 0x100000000000 == yes
expect kpageflags A 0x100000000000 ANON == yes
expect smaps A Rss == 16
expect same_frame A 0x100000000000 A 0x100000001000 == no
mprotect A 0x100000000000 8K rw
expect byte A 0x100000001000 == 3
expect smaps A Rss == 16
