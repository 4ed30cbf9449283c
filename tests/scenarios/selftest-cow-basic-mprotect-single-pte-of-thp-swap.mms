# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "Basic COW after fork() with mprotect() optimization",
# run "... with single PTE of swapped-out THP (SIZE kB)" for every THP size, one section each (test_cow_in_parent_mprotect()).
# The child reads (copies) the range; the parent then writes 0xff over it; the
# child must still read the old content (no leak from parent into child).

# ... with single PTE of swapped-out THP (16 kB)
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp 16K always
proc P16
mmap P16 0x100000000000 32K   # twice the THP size
madvise P16 0x100000004000 16K hugepage
poke P16 0x100000004000 1
expect present P16 0x100000007000 == yes   # else "Did not get a THP populated"
write P16 0x100000004000 16K byte=1
madvise P16 0x100000005000 12K dontneed   # keep one PTE
madvise P16 0x100000004000 4K pageout
expect swapped P16 0x100000004000 == yes
fork P16 C16
read C16 0x100000004000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P16 0x100000004000 4K r
mprotect P16 0x100000004000 4K rw
write P16 0x100000004000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C16 0x100000004000 == 1
expect byte C16 0x100000004fff == 1
expect byte P16 0x100000004000 == 255
expect byte P16 0x100000004fff == 255
expect same_frame P16 0x100000004000 C16 0x100000004000 == no
exit C16
exit P16

# ... with single PTE of swapped-out THP (32 kB)
thp 16K never
thp 32K always
proc P32
mmap P32 0x100001000000 64K   # twice the THP size
madvise P32 0x100001008000 32K hugepage
poke P32 0x100001008000 1
expect present P32 0x10000100f000 == yes   # else "Did not get a THP populated"
write P32 0x100001008000 32K byte=1
madvise P32 0x100001009000 28K dontneed   # keep one PTE
madvise P32 0x100001008000 4K pageout
expect swapped P32 0x100001008000 == yes
fork P32 C32
read C32 0x100001008000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P32 0x100001008000 4K r
mprotect P32 0x100001008000 4K rw
write P32 0x100001008000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C32 0x100001008000 == 1
expect byte C32 0x100001008fff == 1
expect byte P32 0x100001008000 == 255
expect byte P32 0x100001008fff == 255
expect same_frame P32 0x100001008000 C32 0x100001008000 == no
exit C32
exit P32

# ... with single PTE of swapped-out THP (64 kB)
thp 32K never
thp 64K always
proc P64
mmap P64 0x100002000000 128K   # twice the THP size
madvise P64 0x100002010000 64K hugepage
poke P64 0x100002010000 1
expect present P64 0x10000201f000 == yes   # else "Did not get a THP populated"
write P64 0x100002010000 64K byte=1
madvise P64 0x100002011000 60K dontneed   # keep one PTE
madvise P64 0x100002010000 4K pageout
expect swapped P64 0x100002010000 == yes
fork P64 C64
read C64 0x100002010000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P64 0x100002010000 4K r
mprotect P64 0x100002010000 4K rw
write P64 0x100002010000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C64 0x100002010000 == 1
expect byte C64 0x100002010fff == 1
expect byte P64 0x100002010000 == 255
expect byte P64 0x100002010fff == 255
expect same_frame P64 0x100002010000 C64 0x100002010000 == no
exit C64
exit P64

# ... with single PTE of swapped-out THP (128 kB)
thp 64K never
thp 128K always
proc P128
mmap P128 0x100003000000 256K   # twice the THP size
madvise P128 0x100003020000 128K hugepage
poke P128 0x100003020000 1
expect present P128 0x10000303f000 == yes   # else "Did not get a THP populated"
write P128 0x100003020000 128K byte=1
madvise P128 0x100003021000 124K dontneed   # keep one PTE
madvise P128 0x100003020000 4K pageout
expect swapped P128 0x100003020000 == yes
fork P128 C128
read C128 0x100003020000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P128 0x100003020000 4K r
mprotect P128 0x100003020000 4K rw
write P128 0x100003020000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C128 0x100003020000 == 1
expect byte C128 0x100003020fff == 1
expect byte P128 0x100003020000 == 255
expect byte P128 0x100003020fff == 255
expect same_frame P128 0x100003020000 C128 0x100003020000 == no
exit C128
exit P128

# ... with single PTE of swapped-out THP (256 kB)
thp 128K never
thp 256K always
proc P256
mmap P256 0x100004000000 512K   # twice the THP size
madvise P256 0x100004040000 256K hugepage
poke P256 0x100004040000 1
expect present P256 0x10000407f000 == yes   # else "Did not get a THP populated"
write P256 0x100004040000 256K byte=1
madvise P256 0x100004041000 252K dontneed   # keep one PTE
madvise P256 0x100004040000 4K pageout
expect swapped P256 0x100004040000 == yes
fork P256 C256
read C256 0x100004040000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P256 0x100004040000 4K r
mprotect P256 0x100004040000 4K rw
write P256 0x100004040000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C256 0x100004040000 == 1
expect byte C256 0x100004040fff == 1
expect byte P256 0x100004040000 == 255
expect byte P256 0x100004040fff == 255
expect same_frame P256 0x100004040000 C256 0x100004040000 == no
exit C256
exit P256

# ... with single PTE of swapped-out THP (512 kB)
thp 256K never
thp 512K always
proc P512
mmap P512 0x100005000000 1024K   # twice the THP size
madvise P512 0x100005080000 512K hugepage
poke P512 0x100005080000 1
expect present P512 0x1000050ff000 == yes   # else "Did not get a THP populated"
write P512 0x100005080000 512K byte=1
madvise P512 0x100005081000 508K dontneed   # keep one PTE
madvise P512 0x100005080000 4K pageout
expect swapped P512 0x100005080000 == yes
fork P512 C512
read C512 0x100005080000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P512 0x100005080000 4K r
mprotect P512 0x100005080000 4K rw
write P512 0x100005080000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C512 0x100005080000 == 1
expect byte C512 0x100005080fff == 1
expect byte P512 0x100005080000 == 255
expect byte P512 0x100005080fff == 255
expect same_frame P512 0x100005080000 C512 0x100005080000 == no
exit C512
exit P512

# ... with single PTE of swapped-out THP (1024 kB)
thp 512K never
thp 1M always
proc P1024
mmap P1024 0x100006000000 2048K   # twice the THP size
madvise P1024 0x100006100000 1024K hugepage
poke P1024 0x100006100000 1
expect present P1024 0x1000061ff000 == yes   # else "Did not get a THP populated"
write P1024 0x100006100000 1024K byte=1
madvise P1024 0x100006101000 1020K dontneed   # keep one PTE
madvise P1024 0x100006100000 4K pageout
expect swapped P1024 0x100006100000 == yes
fork P1024 C1024
read C1024 0x100006100000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P1024 0x100006100000 4K r
mprotect P1024 0x100006100000 4K rw
write P1024 0x100006100000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C1024 0x100006100000 == 1
expect byte C1024 0x100006100fff == 1
expect byte P1024 0x100006100000 == 255
expect byte P1024 0x100006100fff == 255
expect same_frame P1024 0x100006100000 C1024 0x100006100000 == no
exit C1024
exit P1024

# ... with single PTE of swapped-out THP (2048 kB)
thp 1M never
thp 2M always
proc P2048
mmap P2048 0x100007000000 4096K   # twice the THP size
madvise P2048 0x100007200000 2048K hugepage
poke P2048 0x100007200000 1
expect present P2048 0x1000073ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100007200000 2048K byte=1
madvise P2048 0x100007201000 2044K dontneed   # keep one PTE
madvise P2048 0x100007200000 4K pageout
expect swapped P2048 0x100007200000 == yes
fork P2048 C2048
read C2048 0x100007200000 4K               # child_memcmp_fn(): memcpy(old, mem)
mprotect P2048 0x100007200000 4K r
mprotect P2048 0x100007200000 4K rw
write P2048 0x100007200000 4K byte=0xff      # memset(mem, 0xff, size)
expect byte C2048 0x100007200000 == 1
expect byte C2048 0x100007200fff == 1
expect byte P2048 0x100007200000 == 255
expect byte P2048 0x100007200fff == 255
expect same_frame P2048 0x100007200000 C2048 0x100007200000 == no
exit C2048
exit P2048
