# khugepaged scans only the mms registered with it (khugepaged_enter_vma()):
# a VMA mapped while 2M THPs were never leaves the mm out, even after
# `thp 2M always`; a huge fault in it registers the mm, and the next pass
# collapses the block written before.
proc A
mmap A 0x100000000000 4M
write A 0x100000000000 4K byte=0x11
thp 2M always
khugepaged max_ptes_none=511
khugepaged scan 1
expect folio_order A 0x100000000000 == 0
write A 0x100000200000 4K byte=0x22
expect folio_order A 0x100000200000 == 9
khugepaged scan 1
expect folio_order A 0x100000000000 == 9
expect smaps A AnonHugePages == 4096
expect byte A 0x100000000000 == 17
expect byte A 0x100000200000 == 34
