# Linux runs it only with gup_test (CONFIG_GUP_TEST), which distributions leave out:
# scripts/build-gup-kernel.sh builds Debian's 7.3.4 with it, for the qemu runs
# (tests/era); elsewhere the kernel run stops at the pin, "not on this machine".
# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "R/O GUP-fast pin on R/O-mapped shared page",
# run "... with single PTE of THP (SIZE kB)" for every THP size, one section each (test_ro_fast_pin_on_shared()).
# Setup as in selftest-cow-basic-single-pte-of-thp.mms (scripts/gen-cow-gup-scenarios.py).

# ... with single PTE of THP (16 kB)
thp 16K always
proc P16
mmap P16 0x100000000000 32K   # twice the THP size
madvise P16 0x100000004000 16K hugepage
poke P16 0x100000004000 1
expect present P16 0x100000007000 == yes   # else "Did not get a THP populated"
write P16 0x100000004000 16K byte=1
madvise P16 0x100000005000 12K dontneed   # keep one PTE
fork P16 C16                   # share the pages with a child that stays
pin P16 0x100000004000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P16 0x100000004000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P16 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P16 4095 == 255
expect byte P16 0x100000004000 == 255
expect exclusive P16 0x100000004000 == yes
expect kpagecount P16 0x100000004000 == 1
expect folio_order P16 0x100000004000 == 0
unpin P16
exit C16
exit P16

# ... with single PTE of THP (32 kB)
thp 16K never
thp 32K always
proc P32
mmap P32 0x100001000000 64K   # twice the THP size
madvise P32 0x100001008000 32K hugepage
poke P32 0x100001008000 1
expect present P32 0x10000100f000 == yes   # else "Did not get a THP populated"
write P32 0x100001008000 32K byte=1
madvise P32 0x100001009000 28K dontneed   # keep one PTE
fork P32 C32                   # share the pages with a child that stays
pin P32 0x100001008000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P32 0x100001008000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P32 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P32 4095 == 255
expect byte P32 0x100001008000 == 255
expect exclusive P32 0x100001008000 == yes
expect kpagecount P32 0x100001008000 == 1
expect folio_order P32 0x100001008000 == 0
unpin P32
exit C32
exit P32

# ... with single PTE of THP (64 kB)
thp 32K never
thp 64K always
proc P64
mmap P64 0x100002000000 128K   # twice the THP size
madvise P64 0x100002010000 64K hugepage
poke P64 0x100002010000 1
expect present P64 0x10000201f000 == yes   # else "Did not get a THP populated"
write P64 0x100002010000 64K byte=1
madvise P64 0x100002011000 60K dontneed   # keep one PTE
fork P64 C64                   # share the pages with a child that stays
pin P64 0x100002010000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P64 0x100002010000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P64 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P64 4095 == 255
expect byte P64 0x100002010000 == 255
expect exclusive P64 0x100002010000 == yes
expect kpagecount P64 0x100002010000 == 1
expect folio_order P64 0x100002010000 == 0
unpin P64
exit C64
exit P64

# ... with single PTE of THP (128 kB)
thp 64K never
thp 128K always
proc P128
mmap P128 0x100003000000 256K   # twice the THP size
madvise P128 0x100003020000 128K hugepage
poke P128 0x100003020000 1
expect present P128 0x10000303f000 == yes   # else "Did not get a THP populated"
write P128 0x100003020000 128K byte=1
madvise P128 0x100003021000 124K dontneed   # keep one PTE
fork P128 C128                   # share the pages with a child that stays
pin P128 0x100003020000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P128 0x100003020000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P128 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P128 4095 == 255
expect byte P128 0x100003020000 == 255
expect exclusive P128 0x100003020000 == yes
expect kpagecount P128 0x100003020000 == 1
expect folio_order P128 0x100003020000 == 0
unpin P128
exit C128
exit P128

# ... with single PTE of THP (256 kB)
thp 128K never
thp 256K always
proc P256
mmap P256 0x100004000000 512K   # twice the THP size
madvise P256 0x100004040000 256K hugepage
poke P256 0x100004040000 1
expect present P256 0x10000407f000 == yes   # else "Did not get a THP populated"
write P256 0x100004040000 256K byte=1
madvise P256 0x100004041000 252K dontneed   # keep one PTE
fork P256 C256                   # share the pages with a child that stays
pin P256 0x100004040000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P256 0x100004040000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P256 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P256 4095 == 255
expect byte P256 0x100004040000 == 255
expect exclusive P256 0x100004040000 == yes
expect kpagecount P256 0x100004040000 == 1
expect folio_order P256 0x100004040000 == 0
unpin P256
exit C256
exit P256

# ... with single PTE of THP (512 kB)
thp 256K never
thp 512K always
proc P512
mmap P512 0x100005000000 1024K   # twice the THP size
madvise P512 0x100005080000 512K hugepage
poke P512 0x100005080000 1
expect present P512 0x1000050ff000 == yes   # else "Did not get a THP populated"
write P512 0x100005080000 512K byte=1
madvise P512 0x100005081000 508K dontneed   # keep one PTE
fork P512 C512                   # share the pages with a child that stays
pin P512 0x100005080000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P512 0x100005080000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P512 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P512 4095 == 255
expect byte P512 0x100005080000 == 255
expect exclusive P512 0x100005080000 == yes
expect kpagecount P512 0x100005080000 == 1
expect folio_order P512 0x100005080000 == 0
unpin P512
exit C512
exit P512

# ... with single PTE of THP (1024 kB)
thp 512K never
thp 1M always
proc P1024
mmap P1024 0x100006000000 2048K   # twice the THP size
madvise P1024 0x100006100000 1024K hugepage
poke P1024 0x100006100000 1
expect present P1024 0x1000061ff000 == yes   # else "Did not get a THP populated"
write P1024 0x100006100000 1024K byte=1
madvise P1024 0x100006101000 1020K dontneed   # keep one PTE
fork P1024 C1024                   # share the pages with a child that stays
pin P1024 0x100006100000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P1024 0x100006100000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P1024 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P1024 4095 == 255
expect byte P1024 0x100006100000 == 255
expect exclusive P1024 0x100006100000 == yes
expect kpagecount P1024 0x100006100000 == 1
expect folio_order P1024 0x100006100000 == 0
unpin P1024
exit C1024
exit P1024

# ... with single PTE of THP (2048 kB)
thp 1M never
thp 2M always
proc P2048
mmap P2048 0x100007000000 4096K   # twice the THP size
madvise P2048 0x100007200000 2048K hugepage
poke P2048 0x100007200000 1
expect present P2048 0x1000073ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100007200000 2048K byte=1
madvise P2048 0x100007201000 2044K dontneed   # keep one PTE
fork P2048 C2048                   # share the pages with a child that stays
pin P2048 0x100007200000 4K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P2048 0x100007200000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P2048 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P2048 4095 == 255
expect byte P2048 0x100007200000 == 255
expect exclusive P2048 0x100007200000 == yes
expect kpagecount P2048 0x100007200000 == 1
expect folio_order P2048 0x100007200000 == 0
unpin P2048
exit C2048
exit P2048
