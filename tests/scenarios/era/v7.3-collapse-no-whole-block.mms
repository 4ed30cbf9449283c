# 7.3: MADV_COLLAPSE of a range that holds no whole 2M block returns 0 (madvise_collapse()
# returns early when hstart >= hend). 6.18 counted blocks as (hend - hstart) >> 21, which
# wraps when the range ends before the 2M boundary after its start: EINVAL.
kernel 7.3
proc A
mmap A 0x100000000000 4M
write A 0x100000000000 4M byte=1
expect madvise_collapse A 0x100000001000 4K == 0
expect madvise_collapse A 0x100000001000 0x1fe000 == 0
expect madvise_collapse A 0x100000001000 2M == 0
expect folio_order A 0x100000000000 == 0
expect madvise_collapse A 0x100000000000 2M == 0
expect folio_order A 0x100000000000 == 9
