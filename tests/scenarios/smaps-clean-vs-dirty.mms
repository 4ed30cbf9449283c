# smaps' Shared/Private split is by mapcount and Clean/Dirty by the page's
# dirty state: written anonymous pages are dirty, zero-page reads count
# nowhere, and shared pages move from Shared_ to Private_ when the other
# side goes away.
proc P
mmap P 0x100000000000 32K
write P 0x100000000000 16K byte=1
read P 0x100000004000 16K
fork P C
expect smaps C Rss == 16
expect smaps C Shared_Dirty == 16
expect smaps C Shared_Clean == 0
expect smaps C Private_Clean == 0
expect smaps C Anonymous == 16
exit P
expect smaps C Shared_Dirty == 0
expect smaps C Private_Dirty == 16
expect smaps C Pss == 16
