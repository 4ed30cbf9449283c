# 6.10-6.14's kpageflags tests the folio's mapping bits for KSM with "&", so
# every anonymous page reads as KSM; the zero page (not anon) does not.
kernel 6.12
thp 2M always
proc A
mmap A 0x100000000000 2M
mmap A 0x100000200000 8K
write A 0x100000200000 4K byte=1
read A 0x100000201000 4K
write A 0x100000000000 4K byte=1
expect kpageflags A 0x100000200000 ANON == yes
expect kpageflags A 0x100000200000 KSM == yes
expect kpageflags A 0x100000201000 KSM == no
expect kpageflags A 0x100000000000 KSM == yes
expect kpageflags A 0x100000000000 THP == yes
expect ksm.pages_shared == 0
