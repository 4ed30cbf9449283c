# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "vmsplice() before fork(), unmap in parent after fork()",
# run "... with swapped-out, PTE-mapped THP (SIZE kB)" for every THP size, one section each (test_vmsplice_before_fork()).
# Setup as in selftest-cow-basic-pte-mapped-thp-swap.mms (scripts/gen-cow-gup-scenarios.py).

# ... with swapped-out, PTE-mapped THP (16 kB)
swap 64M                                   # MADV_PAGEOUT needs a swap device
thp 16K always
proc P16
mmap P16 0x100000000000 32K   # twice the THP size
madvise P16 0x100000004000 16K hugepage
poke P16 0x100000004000 1
expect present P16 0x100000007000 == yes   # else "Did not get a THP populated"
write P16 0x100000004000 16K byte=1
mprotect P16 0x100000005000 4K r   # PTE-map the THP
mprotect P16 0x100000005000 4K rw
madvise P16 0x100000004000 16K pageout
expect swapped P16 0x100000004000 == yes
vmsplice P16 0x100000004000 16K        # vmsplice() before fork()
fork P16 C16
munmap P16 0x100000004000 16K
write C16 0x100000004000 16K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C16 0x100000004000 == 255
expect exclusive C16 0x100000004000 == yes
expect kpagecount C16 0x100000004000 == 1
expect folio_order C16 0x100000004000 == 0
exit C16
pipe_read P16                  # read(fds[0], new, transferred)
expect pipe_byte P16 0 == 1
expect pipe_byte P16 16383 == 1
exit P16

# ... with swapped-out, PTE-mapped THP (32 kB)
thp 16K never
thp 32K always
proc P32
mmap P32 0x100001000000 64K   # twice the THP size
madvise P32 0x100001008000 32K hugepage
poke P32 0x100001008000 1
expect present P32 0x10000100f000 == yes   # else "Did not get a THP populated"
write P32 0x100001008000 32K byte=1
mprotect P32 0x100001009000 4K r   # PTE-map the THP
mprotect P32 0x100001009000 4K rw
madvise P32 0x100001008000 32K pageout
expect swapped P32 0x100001008000 == yes
vmsplice P32 0x100001008000 32K        # vmsplice() before fork()
fork P32 C32
munmap P32 0x100001008000 32K
write C32 0x100001008000 32K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C32 0x100001008000 == 255
expect exclusive C32 0x100001008000 == yes
expect kpagecount C32 0x100001008000 == 1
expect folio_order C32 0x100001008000 == 0
exit C32
pipe_read P32                  # read(fds[0], new, transferred)
expect pipe_byte P32 0 == 1
expect pipe_byte P32 32767 == 1
exit P32

# ... with swapped-out, PTE-mapped THP (64 kB)
thp 32K never
thp 64K always
proc P64
mmap P64 0x100002000000 128K   # twice the THP size
madvise P64 0x100002010000 64K hugepage
poke P64 0x100002010000 1
expect present P64 0x10000201f000 == yes   # else "Did not get a THP populated"
write P64 0x100002010000 64K byte=1
mprotect P64 0x100002011000 4K r   # PTE-map the THP
mprotect P64 0x100002011000 4K rw
madvise P64 0x100002010000 64K pageout
expect swapped P64 0x100002010000 == yes
vmsplice P64 0x100002010000 64K        # vmsplice() before fork()
fork P64 C64
munmap P64 0x100002010000 64K
write C64 0x100002010000 64K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C64 0x100002010000 == 255
expect exclusive C64 0x100002010000 == yes
expect kpagecount C64 0x100002010000 == 1
expect folio_order C64 0x100002010000 == 0
exit C64
pipe_read P64                  # read(fds[0], new, transferred)
expect pipe_byte P64 0 == 1
expect pipe_byte P64 65535 == 1
exit P64

# ... with swapped-out, PTE-mapped THP (128 kB)
thp 64K never
thp 128K always
proc P128
mmap P128 0x100003000000 256K   # twice the THP size
madvise P128 0x100003020000 128K hugepage
poke P128 0x100003020000 1
expect present P128 0x10000303f000 == yes   # else "Did not get a THP populated"
write P128 0x100003020000 128K byte=1
mprotect P128 0x100003021000 4K r   # PTE-map the THP
mprotect P128 0x100003021000 4K rw
madvise P128 0x100003020000 128K pageout
expect swapped P128 0x100003020000 == yes
vmsplice P128 0x100003020000 128K        # vmsplice() before fork()
fork P128 C128
munmap P128 0x100003020000 128K
write C128 0x100003020000 128K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C128 0x100003020000 == 255
expect exclusive C128 0x100003020000 == yes
expect kpagecount C128 0x100003020000 == 1
expect folio_order C128 0x100003020000 == 0
exit C128
pipe_read P128                  # read(fds[0], new, transferred)
expect pipe_byte P128 0 == 1
expect pipe_byte P128 65535 == 1
exit P128

# ... with swapped-out, PTE-mapped THP (256 kB)
thp 128K never
thp 256K always
proc P256
mmap P256 0x100004000000 512K   # twice the THP size
madvise P256 0x100004040000 256K hugepage
poke P256 0x100004040000 1
expect present P256 0x10000407f000 == yes   # else "Did not get a THP populated"
write P256 0x100004040000 256K byte=1
mprotect P256 0x100004041000 4K r   # PTE-map the THP
mprotect P256 0x100004041000 4K rw
madvise P256 0x100004040000 256K pageout
expect swapped P256 0x100004040000 == yes
vmsplice P256 0x100004040000 256K        # vmsplice() before fork()
fork P256 C256
munmap P256 0x100004040000 256K
write C256 0x100004040000 256K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C256 0x100004040000 == 255
expect exclusive C256 0x100004040000 == yes
expect kpagecount C256 0x100004040000 == 1
expect folio_order C256 0x100004040000 == 0
exit C256
pipe_read P256                  # read(fds[0], new, transferred)
expect pipe_byte P256 0 == 1
expect pipe_byte P256 65535 == 1
exit P256

# ... with swapped-out, PTE-mapped THP (512 kB)
thp 256K never
thp 512K always
proc P512
mmap P512 0x100005000000 1024K   # twice the THP size
madvise P512 0x100005080000 512K hugepage
poke P512 0x100005080000 1
expect present P512 0x1000050ff000 == yes   # else "Did not get a THP populated"
write P512 0x100005080000 512K byte=1
mprotect P512 0x100005081000 4K r   # PTE-map the THP
mprotect P512 0x100005081000 4K rw
madvise P512 0x100005080000 512K pageout
expect swapped P512 0x100005080000 == yes
vmsplice P512 0x100005080000 512K        # vmsplice() before fork()
fork P512 C512
munmap P512 0x100005080000 512K
write C512 0x100005080000 512K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C512 0x100005080000 == 255
expect exclusive C512 0x100005080000 == yes
expect kpagecount C512 0x100005080000 == 1
expect folio_order C512 0x100005080000 == 0
exit C512
pipe_read P512                  # read(fds[0], new, transferred)
expect pipe_byte P512 0 == 1
expect pipe_byte P512 65535 == 1
exit P512

# ... with swapped-out, PTE-mapped THP (1024 kB)
thp 512K never
thp 1M always
proc P1024
mmap P1024 0x100006000000 2048K   # twice the THP size
madvise P1024 0x100006100000 1024K hugepage
poke P1024 0x100006100000 1
expect present P1024 0x1000061ff000 == yes   # else "Did not get a THP populated"
write P1024 0x100006100000 1024K byte=1
mprotect P1024 0x100006101000 4K r   # PTE-map the THP
mprotect P1024 0x100006101000 4K rw
madvise P1024 0x100006100000 1024K pageout
expect swapped P1024 0x100006100000 == yes
vmsplice P1024 0x100006100000 1024K        # vmsplice() before fork()
fork P1024 C1024
munmap P1024 0x100006100000 1024K
write C1024 0x100006100000 1024K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C1024 0x100006100000 == 255
expect exclusive C1024 0x100006100000 == yes
expect kpagecount C1024 0x100006100000 == 1
expect folio_order C1024 0x100006100000 == 0
exit C1024
pipe_read P1024                  # read(fds[0], new, transferred)
expect pipe_byte P1024 0 == 1
expect pipe_byte P1024 65535 == 1
exit P1024

# ... with swapped-out, PTE-mapped THP (2048 kB)
thp 1M never
thp 2M always
proc P2048
mmap P2048 0x100007000000 4096K   # twice the THP size
madvise P2048 0x100007200000 2048K hugepage
poke P2048 0x100007200000 1
expect present P2048 0x1000073ff000 == yes   # else "Did not get a THP populated"
write P2048 0x100007200000 2048K byte=1
mprotect P2048 0x100007201000 4K r   # PTE-map the THP
mprotect P2048 0x100007201000 4K rw
madvise P2048 0x100007200000 2048K pageout
expect swapped P2048 0x100007200000 == yes
vmsplice P2048 0x100007200000 2048K        # vmsplice() before fork()
fork P2048 C2048
munmap P2048 0x100007200000 2048K
write C2048 0x100007200000 2048K byte=0xff      # the child: memset(mem, 0xff, size)
expect byte C2048 0x100007200000 == 255
expect exclusive C2048 0x100007200000 == yes
expect kpagecount C2048 0x100007200000 == 1
expect folio_order C2048 0x100007200000 == 0
exit C2048
pipe_read P2048                  # read(fds[0], new, transferred)
expect pipe_byte P2048 0 == 1
expect pipe_byte P2048 65535 == 1
exit P2048
