/* SPDX-License-Identifier: MIT */
/*
 * Collapse of small pages into a PMD-mapped THP (mm/khugepaged.c):
 * MADV_COLLAPSE's madvise_collapse(), and khugepaged: its list of mms, its
 * tunables and its scan, which share the collapse.
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

/* khugepaged_init(): the kernel's defaults, an empty list. */
void khugepaged_init(struct mmsim *sim);
void khugepaged_destroy(struct mmsim *sim);

/*
 * Does the khugepaged thread run? hugepage_pmd_enabled() until 7.3: may
 * anonymous memory get 2M THPs anywhere (the 2M switch always or madvise,
 * or inherit with the top-level one); 7.3's hugepage_enabled(): any
 * anonymous size, or the top-level switch.
 */
bool hugepage_enabled(const struct mmsim *sim);

/*
 * khugepaged_enter_vma(): registers the mm with khugepaged when vma may get
 * a 2M THP there (any THP size on 7.3) (mmap, MADV_HUGEPAGE, a huge fault). An mm is registered
 * once, at the end of the list; a failed allocation leaves it out, as the
 * kernel's failed mm_slot_alloc().
 */
void khugepaged_enter_vma(struct mmsim *sim, struct vm_area_struct *vma);
/* khugepaged_fork(): a child of a registered mm is registered too. */
void khugepaged_fork(struct mmsim *sim, struct mm_struct *mm, struct mm_struct *oldmm);
/* khugepaged_exit(): the mm leaves the list. */
void khugepaged_exit(struct mmsim *sim, struct mm_struct *mm);

/*
 * start_stop_khugepaged(): called after a THP switch changed; was_enabled
 * is hugepage_enabled() before. A thread that starts scans at once: one
 * full pass when any mm is registered (its first batch; the kernel executor
 * makes pages_to_scan cover a whole pass).
 */
void start_stop_khugepaged(struct mmsim *sim, bool was_enabled);

/*
 * full_scans full passes of khugepaged over its list, each mm's VMAs in
 * address order, each 2M block tried once with the max_ptes_* limits.
 * Nothing happens while the thread is stopped or the list is empty.
 */
int khugepaged_do_full_scans(struct mmsim *sim, unsigned long full_scans);

/*
 * /sys/kernel/mm/transparent_hugepage/khugepaged/NAME: the tunables
 * (pages_to_scan, max_ptes_none, max_ptes_swap, max_ptes_shared,
 * scan_sleep_millisecs) and the counters (full_scans, pages_collapsed).
 * Set: -EINVAL as the kernel's store functions (pages_to_scan 0 or above
 * UINT_MAX, a max_ptes_* above 511), -ENOENT for an unknown name.
 */
/* The tunables of from, for an instance that replaces it (no version differs in them). */
void khugepaged_copy_tunables(struct mmsim *to, const struct mmsim *from);
int khugepaged_set_tunable(struct mmsim *sim, const char *key, unsigned long value);
int khugepaged_read_counter(struct mmsim *sim, const char *name, long *value);

#endif /* MMSIM_KHUGEPAGED_H */
