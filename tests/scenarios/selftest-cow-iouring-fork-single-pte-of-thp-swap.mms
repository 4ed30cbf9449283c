# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "fork() with an iouring fixed buffer",
# run "... with single PTE of swapped-out THP (SIZE kB)" for every THP size, one section each (test_iouring_fork()).
# Setup as in selftest-cow-basic-single-pte-of-thp-swap.mms (scripts/gen-cow-gup-scenarios.py).

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
pin P16 0x100000004000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P16 C16                   # the pinned pages must not be shared with the child
write P16 0x100000004000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P16 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P16 4095 == 255
expect byte P16 0x100000004000 == 255
expect exclusive P16 0x100000004000 == yes
expect kpagecount P16 0x100000004000 == 1
expect folio_order P16 0x100000004000 == 0
expect byte C16 0x100000004000 == 1
expect same_frame P16 0x100000004000 C16 0x100000004000 == no
expect smaps C16 Rss == 4
exit C16
unpin P16
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
pin P32 0x100001008000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P32 C32                   # the pinned pages must not be shared with the child
write P32 0x100001008000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P32 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P32 4095 == 255
expect byte P32 0x100001008000 == 255
expect exclusive P32 0x100001008000 == yes
expect kpagecount P32 0x100001008000 == 1
expect folio_order P32 0x100001008000 == 0
expect byte C32 0x100001008000 == 1
expect same_frame P32 0x100001008000 C32 0x100001008000 == no
expect smaps C32 Rss == 4
exit C32
unpin P32
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
pin P64 0x100002010000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P64 C64                   # the pinned pages must not be shared with the child
write P64 0x100002010000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P64 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P64 4095 == 255
expect byte P64 0x100002010000 == 255
expect exclusive P64 0x100002010000 == yes
expect kpagecount P64 0x100002010000 == 1
expect folio_order P64 0x100002010000 == 0
expect byte C64 0x100002010000 == 1
expect same_frame P64 0x100002010000 C64 0x100002010000 == no
expect smaps C64 Rss == 4
exit C64
unpin P64
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
pin P128 0x100003020000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P128 C128                   # the pinned pages must not be shared with the child
write P128 0x100003020000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P128 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P128 4095 == 255
expect byte P128 0x100003020000 == 255
expect exclusive P128 0x100003020000 == yes
expect kpagecount P128 0x100003020000 == 1
expect folio_order P128 0x100003020000 == 0
expect byte C128 0x100003020000 == 1
expect same_frame P128 0x100003020000 C128 0x100003020000 == no
expect smaps C128 Rss == 4
exit C128
unpin P128
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
pin P256 0x100004040000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P256 C256                   # the pinned pages must not be shared with the child
write P256 0x100004040000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P256 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P256 4095 == 255
expect byte P256 0x100004040000 == 255
expect exclusive P256 0x100004040000 == yes
expect kpagecount P256 0x100004040000 == 1
expect folio_order P256 0x100004040000 == 0
expect byte C256 0x100004040000 == 1
expect same_frame P256 0x100004040000 C256 0x100004040000 == no
expect smaps C256 Rss == 4
exit C256
unpin P256
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
pin P512 0x100005080000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P512 C512                   # the pinned pages must not be shared with the child
write P512 0x100005080000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P512 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P512 4095 == 255
expect byte P512 0x100005080000 == 255
expect exclusive P512 0x100005080000 == yes
expect kpagecount P512 0x100005080000 == 1
expect folio_order P512 0x100005080000 == 0
expect byte C512 0x100005080000 == 1
expect same_frame P512 0x100005080000 C512 0x100005080000 == no
expect smaps C512 Rss == 4
exit C512
unpin P512
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
pin P1024 0x100006100000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P1024 C1024                   # the pinned pages must not be shared with the child
write P1024 0x100006100000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P1024 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P1024 4095 == 255
expect byte P1024 0x100006100000 == 255
expect exclusive P1024 0x100006100000 == yes
expect kpagecount P1024 0x100006100000 == 1
expect folio_order P1024 0x100006100000 == 0
expect byte C1024 0x100006100000 == 1
expect same_frame P1024 0x100006100000 C1024 0x100006100000 == no
expect smaps C1024 Rss == 4
exit C1024
unpin P1024
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
pin P2048 0x100007200000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
fork P2048 C2048                   # the pinned pages must not be shared with the child
write P2048 0x100007200000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P2048 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P2048 4095 == 255
expect byte P2048 0x100007200000 == 255
expect exclusive P2048 0x100007200000 == yes
expect kpagecount P2048 0x100007200000 == 1
expect folio_order P2048 0x100007200000 == 0
expect byte C2048 0x100007200000 == 1
expect same_frame P2048 0x100007200000 C2048 0x100007200000 == no
expect smaps C2048 Rss == 4
exit C2048
unpin P2048
exit P2048
