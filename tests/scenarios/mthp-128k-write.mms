# A 128 KiB mTHP (order 5): one write fills the aligned 128 KiB block,
# and all 32 pages are distinct frames of that one folio.
thp 128K always
proc A
mmap A 0x100000000000 256K
write A 0x10000002f000 4K byte=4
expect folio_order A 0x100000020000 == 5
expect folio_order A 0x10000003f000 == 5
expect present A 0x10000001f000 == no
expect present A 0x100000040000 == no
expect same_frame A 0x100000020000 A 0x100000021000 == no
expect kpageflags A 0x100000020000 COMPOUND_HEAD == yes
expect kpagecount A 0x10000003f000 == 1
expect smaps A Rss == 128
expect byte A 0x10000002f000 == 4
expect byte A 0x100000020000 == 0
