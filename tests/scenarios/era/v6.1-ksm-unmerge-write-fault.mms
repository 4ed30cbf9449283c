# Before 6.2 break_ksm() breaks a KSM page with a write fault
# (FAULT_FLAG_WRITE; 6cce3314b928 made it FAULT_FLAG_UNSHARE in 6.2): the
# copy unmerging gives back is writable and dirty, Private_Dirty in smaps.
# 6.12 and 7.3 leave it clean and read-only (v6.12-ksm-unshare-clean);
# 6.18.44 read-only but dirty (ksm-unshare-dirty). 6.1 has no KSM zero pages:
# all-zero pages merge into an ordinary KSM page, unmerged the same way.
kernel 6.1
proc A
mmap A 0x100000000000 32K
madvise A 0x100000000000 32K mergeable
write A 0x100000000000 16K byte=3
write A 0x100000004000 16K unique
ksm scan 2
expect ksm.pages_sharing == 3
madvise A 0x100000000000 32K unmergeable
expect ksm.pages_sharing == 3
expect smaps A Rss == 32
expect smaps A Private_Clean == 0
expect smaps A Private_Dirty == 32
expect exclusive A 0x100000000000 == yes
expect kpageflags A 0x100000000000 KSM == no
