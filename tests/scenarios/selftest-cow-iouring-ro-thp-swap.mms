# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "R/O-mapping a page registered as iouring fixed buffer",
# run "... with swapped-out THP (2048 kB)" (test_iouring_ro()).
# Setup as in selftest-cow-basic-thp-swap.mms (scripts/gen-cow-gup-scenarios.py).

# ... with swapped-out THP (2048 kB)
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp 2M always
proc P2048
mmap P2048 0x100000000000 4096K   # twice the THP size
madvise P2048 0x100000200000 2048K hugepage
poke P2048 0x100000200000 1
expect present P2048 0x1000003ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100000200000 2048K byte=1
madvise P2048 0x100000200000 2048K pageout
expect swapped P2048 0x100000200000 == yes
pin P2048 0x100000200000 2048K rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM
mprotect P2048 0x100000200000 2048K r
clear_refs P2048 4                # clear_softdirty(): keeps mprotect() from making it writable
mprotect P2048 0x100000200000 2048K rw
write P2048 0x100000200000 2048K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P2048 0 == 255    # io_uring_prep_write_fixed(), then pread()
expect pinned_byte P2048 2097151 == 255
expect byte P2048 0x100000200000 == 255
expect exclusive P2048 0x100000200000 == yes
expect kpagecount P2048 0x100000200000 == 1
expect folio_order P2048 0x100000200000 == 0
unpin P2048
exit P2048
