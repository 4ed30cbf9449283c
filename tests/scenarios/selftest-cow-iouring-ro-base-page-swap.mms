# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "R/O-mapping a page registered as iouring fixed buffer",
# run "... with swapped out base page" (test_iouring_ro()).
# Setup as in selftest-cow-basic-base-page-swap.mms (scripts/gen-cow-gup-scenarios.py).
swap 64M                                   # MADV_PAGEOUT needs a swap device
proc P
mmap P 0x100000000000 4K
madvise P 0x100000000000 4K nohugepage
write P 0x100000000000 4K byte=1
madvise P 0x100000000000 4K pageout
expect swapped P 0x100000000000 == yes
pin P 0x100000000000 4K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
mprotect P 0x100000000000 4K r
clear_refs P 4                # clear_softdirty(): keeps mprotect() from making it writable
mprotect P 0x100000000000 4K rw
write P 0x100000000000 4K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P 4095 == 255
expect byte P 0x100000000000 == 255
expect exclusive P 0x100000000000 == yes
expect kpagecount P 0x100000000000 == 1
expect folio_order P 0x100000000000 == 0
unpin P
exit P
