/* SPDX-License-Identifier: MIT */
/*
 * Collapse of small pages into a PMD-mapped THP (mm/khugepaged.c):
 * MADV_COLLAPSE's madvise_collapse() and the collapse it shares with khugepaged.
 */
#ifndef MMSIM_KHUGEPAGED_H
#define MMSIM_KHUGEPAGED_H

#include "internal.h"

/*
 * madvise_collapse(): collapses every PMD-aligned 2M block of [start, end)
 * (inside vma) into a THP; blocks already PMD-mapped count as done. 0 when
 * every block is a THP afterwards, else the kernel's errno for the last
 * failure: -EINVAL (not eligible, nothing to collapse), -ENOMEM (no THP
 * could be allocated), -EAGAIN (a page is busy), -EBUSY.
 */
int madvise_collapse(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		     unsigned long end);

#endif /* MMSIM_KHUGEPAGED_H */
