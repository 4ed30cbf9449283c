# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "Basic COW after fork()",
# run "... with partially mremap()'ed THP (SIZE kB)" for every THP size, one section each (test_cow_in_parent()).
# The child reads (copies) the range; the parent then writes 0xff over it; the
# child must still read the old content (no leak from parent into child).

# ... with partially mremap()'ed THP (16 kB)
thp 16K always
proc P16
mmap P16 0x100000000000 32K   # twice the THP size
madvise P16 0x100000004000 16K hugepage
poke P16 0x100000004000 1
expect present P16 0x100000007000 == yes   # else "Did not get a THP populated"
write P16 0x100000004000 16K byte=1
mremap P16 0x100000006000 8K 0x100000800000   # move the upper half away
fork P16 C16
read C16 0x100000004000 8K               # child_memcmp_fn(): memcpy(old, mem)
write P16 0x100000004000 8K byte=0xff      # memset(mem, 0xff, size)
expect byte C16 0x100000004000 == 1
expect byte C16 0x100000005fff == 1
expect byte P16 0x100000004000 == 255
expect byte P16 0x100000005fff == 255
expect same_frame P16 0x100000004000 C16 0x100000004000 == no
expect exclusive P16 0x100000004000 == yes
expect kpagecount C16 0x100000004000 == 1
expect folio_order P16 0x100000004000 == 0
expect folio_order C16 0x100000004000 == 2
expect smaps C16 Pss == 12
exit C16
exit P16

# ... with partially mremap()'ed THP (32 kB)
thp 16K never
thp 32K always
proc P32
mmap P32 0x100001000000 64K   # twice the THP size
madvise P32 0x100001008000 32K hugepage
poke P32 0x100001008000 1
expect present P32 0x10000100f000 == yes   # else "Did not get a THP populated"
write P32 0x100001008000 32K byte=1
mremap P32 0x10000100c000 16K 0x100001800000   # move the upper half away
fork P32 C32
read C32 0x100001008000 16K               # child_memcmp_fn(): memcpy(old, mem)
write P32 0x100001008000 16K byte=0xff      # memset(mem, 0xff, size)
expect byte C32 0x100001008000 == 1
expect byte C32 0x10000100bfff == 1
expect byte P32 0x100001008000 == 255
expect byte P32 0x10000100bfff == 255
expect same_frame P32 0x100001008000 C32 0x100001008000 == no
expect exclusive P32 0x100001008000 == yes
expect kpagecount C32 0x100001008000 == 1
expect folio_order P32 0x100001008000 == 0
expect folio_order C32 0x100001008000 == 3
expect smaps C32 Pss == 24
exit C32
exit P32

# ... with partially mremap()'ed THP (64 kB)
thp 32K never
thp 64K always
proc P64
mmap P64 0x100002000000 128K   # twice the THP size
madvise P64 0x100002010000 64K hugepage
poke P64 0x100002010000 1
expect present P64 0x10000201f000 == yes   # else "Did not get a THP populated"
write P64 0x100002010000 64K byte=1
mremap P64 0x100002018000 32K 0x100002800000   # move the upper half away
fork P64 C64
read C64 0x100002010000 32K               # child_memcmp_fn(): memcpy(old, mem)
write P64 0x100002010000 32K byte=0xff      # memset(mem, 0xff, size)
expect byte C64 0x100002010000 == 1
expect byte C64 0x100002017fff == 1
expect byte P64 0x100002010000 == 255
expect byte P64 0x100002017fff == 255
expect same_frame P64 0x100002010000 C64 0x100002010000 == no
expect exclusive P64 0x100002010000 == yes
expect kpagecount C64 0x100002010000 == 1
expect folio_order P64 0x100002010000 == 0
expect folio_order C64 0x100002010000 == 4
expect smaps C64 Pss == 48
exit C64
exit P64

# ... with partially mremap()'ed THP (128 kB)
thp 64K never
thp 128K always
proc P128
mmap P128 0x100003000000 256K   # twice the THP size
madvise P128 0x100003020000 128K hugepage
poke P128 0x100003020000 1
expect present P128 0x10000303f000 == yes   # else "Did not get a THP populated"
write P128 0x100003020000 128K byte=1
mremap P128 0x100003030000 64K 0x100003800000   # move the upper half away
fork P128 C128
read C128 0x100003020000 64K               # child_memcmp_fn(): memcpy(old, mem)
write P128 0x100003020000 64K byte=0xff      # memset(mem, 0xff, size)
expect byte C128 0x100003020000 == 1
expect byte C128 0x10000302ffff == 1
expect byte P128 0x100003020000 == 255
expect byte P128 0x10000302ffff == 255
expect same_frame P128 0x100003020000 C128 0x100003020000 == no
expect exclusive P128 0x100003020000 == yes
expect kpagecount C128 0x100003020000 == 1
expect folio_order P128 0x100003020000 == 0
expect folio_order C128 0x100003020000 == 5
expect smaps C128 Pss == 96
exit C128
exit P128

# ... with partially mremap()'ed THP (256 kB)
thp 128K never
thp 256K always
proc P256
mmap P256 0x100004000000 512K   # twice the THP size
madvise P256 0x100004040000 256K hugepage
poke P256 0x100004040000 1
expect present P256 0x10000407f000 == yes   # else "Did not get a THP populated"
write P256 0x100004040000 256K byte=1
mremap P256 0x100004060000 128K 0x100004800000   # move the upper half away
fork P256 C256
read C256 0x100004040000 128K               # child_memcmp_fn(): memcpy(old, mem)
write P256 0x100004040000 128K byte=0xff      # memset(mem, 0xff, size)
expect byte C256 0x100004040000 == 1
expect byte C256 0x10000405ffff == 1
expect byte P256 0x100004040000 == 255
expect byte P256 0x10000405ffff == 255
expect same_frame P256 0x100004040000 C256 0x100004040000 == no
expect exclusive P256 0x100004040000 == yes
expect kpagecount C256 0x100004040000 == 1
expect folio_order P256 0x100004040000 == 0
expect folio_order C256 0x100004040000 == 6
expect smaps C256 Pss == 192
exit C256
exit P256

# ... with partially mremap()'ed THP (512 kB)
thp 256K never
thp 512K always
proc P512
mmap P512 0x100005000000 1024K   # twice the THP size
madvise P512 0x100005080000 512K hugepage
poke P512 0x100005080000 1
expect present P512 0x1000050ff000 == yes   # else "Did not get a THP populated"
write P512 0x100005080000 512K byte=1
mremap P512 0x1000050c0000 256K 0x100005800000   # move the upper half away
fork P512 C512
read C512 0x100005080000 256K               # child_memcmp_fn(): memcpy(old, mem)
write P512 0x100005080000 256K byte=0xff      # memset(mem, 0xff, size)
expect byte C512 0x100005080000 == 1
expect byte C512 0x1000050bffff == 1
expect byte P512 0x100005080000 == 255
expect byte P512 0x1000050bffff == 255
expect same_frame P512 0x100005080000 C512 0x100005080000 == no
expect exclusive P512 0x100005080000 == yes
expect kpagecount C512 0x100005080000 == 1
expect folio_order P512 0x100005080000 == 0
expect folio_order C512 0x100005080000 == 7
expect smaps C512 Pss == 384
exit C512
exit P512

# ... with partially mremap()'ed THP (1024 kB)
thp 512K never
thp 1M always
proc P1024
mmap P1024 0x100006000000 2048K   # twice the THP size
madvise P1024 0x100006100000 1024K hugepage
poke P1024 0x100006100000 1
expect present P1024 0x1000061ff000 == yes   # else "Did not get a THP populated"
write P1024 0x100006100000 1024K byte=1
mremap P1024 0x100006180000 512K 0x100006800000   # move the upper half away
fork P1024 C1024
read C1024 0x100006100000 512K               # child_memcmp_fn(): memcpy(old, mem)
write P1024 0x100006100000 512K byte=0xff      # memset(mem, 0xff, size)
expect byte C1024 0x100006100000 == 1
expect byte C1024 0x10000617ffff == 1
expect byte P1024 0x100006100000 == 255
expect byte P1024 0x10000617ffff == 255
expect same_frame P1024 0x100006100000 C1024 0x100006100000 == no
expect exclusive P1024 0x100006100000 == yes
expect kpagecount C1024 0x100006100000 == 1
expect folio_order P1024 0x100006100000 == 0
expect folio_order C1024 0x100006100000 == 8
expect smaps C1024 Pss == 768
exit C1024
exit P1024

# ... with partially mremap()'ed THP (2048 kB)
thp 1M never
thp 2M always
proc P2048
mmap P2048 0x100007000000 4096K   # twice the THP size
madvise P2048 0x100007200000 2048K hugepage
poke P2048 0x100007200000 1
expect present P2048 0x1000073ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100007200000 2048K byte=1
mremap P2048 0x100007300000 1024K 0x100007800000   # move the upper half away
fork P2048 C2048
read C2048 0x100007200000 1024K               # child_memcmp_fn(): memcpy(old, mem)
write P2048 0x100007200000 1024K byte=0xff      # memset(mem, 0xff, size)
expect byte C2048 0x100007200000 == 1
expect byte C2048 0x1000072fffff == 1
expect byte P2048 0x100007200000 == 255
expect byte P2048 0x1000072fffff == 255
expect same_frame P2048 0x100007200000 C2048 0x100007200000 == no
expect exclusive P2048 0x100007200000 == yes
expect kpagecount C2048 0x100007200000 == 1
expect folio_order P2048 0x100007200000 == 0
expect folio_order C2048 0x100007200000 == 9
expect smaps C2048 Pss == 1536
exit C2048
exit P2048
