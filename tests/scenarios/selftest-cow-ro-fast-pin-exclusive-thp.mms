# Linux runs it only with gup_test (CONFIG_GUP_TEST), which distributions leave out:
# scripts/build-gup-kernel.sh builds Debian's 7.3.4 with it, for the qemu runs
# (tests/era); elsewhere the kernel run stops at the pin, "not on this machine".
# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "R/O GUP-fast pin on R/O-mapped exclusive page",
# run "... with THP (2048 kB)" (test_ro_fast_pin_on_ro_exclusive()).
# Setup as in selftest-cow-basic-thp.mms (scripts/gen-cow-gup-scenarios.py).

# ... with THP (2048 kB)
thp 2M always
proc P2048
mmap P2048 0x100000000000 4096K   # twice the THP size
madvise P2048 0x100000200000 2048K hugepage
poke P2048 0x100000200000 1
expect present P2048 0x1000003ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100000200000 2048K byte=1
mprotect P2048 0x100000200000 2048K r
clear_refs P2048 4                # clear_softdirty()
mprotect P2048 0x100000200000 2048K rw
pin P2048 0x100000200000 2048K ro fast        # PIN_LONGTERM_TEST_START: should trigger unsharing
write P2048 0x100000200000 2048K byte=0xff      # memset(mem, 0xff, size)
expect pinned_byte P2048 0 == 255    # PIN_LONGTERM_TEST_READ sees the write
expect pinned_byte P2048 2097151 == 255
expect byte P2048 0x100000200000 == 255
expect exclusive P2048 0x100000200000 == yes
expect kpagecount P2048 0x100000200000 == 1
expect folio_order P2048 0x100000200000 == 9
unpin P2048
exit P2048
