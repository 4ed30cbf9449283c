# khugepaged and pages shared with a child (max_ptes_shared). After the fork
# the child writes 300 of 512 pages: 212 stay shared in both processes. With
# max_ptes_shared=200 neither block collapses; with 256 (the default) the
# parent's does, which leaves the child's 212 pages its own, and the child's
# block collapses in the same pass.
thp 2M madvise
proc A
mmap A 0x100000000000 2M
write A 0x100000000000 2M byte=0x11
fork A B
write B 0x100000000000 1200K byte=0x22
madvise A 0x100000000000 2M hugepage
madvise B 0x100000000000 2M hugepage
khugepaged max_ptes_shared=200
khugepaged scan 1
expect folio_order A 0x100000000000 == 0
expect folio_order B 0x100000000000 == 0
expect kpagecount A 0x1000001ff000 == 2
khugepaged max_ptes_shared=256
khugepaged scan 1
expect folio_order A 0x100000000000 == 9
expect folio_order B 0x100000000000 == 9
expect smaps A AnonHugePages == 2048
expect smaps B AnonHugePages == 2048
expect byte A 0x100000000000 == 17
expect byte B 0x100000000000 == 34
expect byte B 0x1000001ff000 == 17
expect exclusive B 0x1000001ff000 == yes
