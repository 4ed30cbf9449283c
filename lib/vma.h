/* SPDX-License-Identifier: MIT */
/*
 * VMAs of an mm: the tree, splitting and merging of private anonymous VMAs
 * (mm/vma.c). The kernel keeps VMAs in a maple tree; a red-black tree by
 * address gives the same order and lookups.
 */
#ifndef MMSIM_VMA_H
#define MMSIM_VMA_H

#include "sim.h"

struct vm_area_struct *vm_area_alloc(struct mmsim *sim, struct mm_struct *mm);
void vm_area_free(struct mmsim *sim, struct vm_area_struct *vma);

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);

/* find_vma(): the first VMA that ends above addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The VMA containing addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_next(struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct vm_area_struct *vma);
struct vm_area_struct *vma_first(struct mm_struct *mm);
#define for_each_vma(mm, vma) \
	for (vma = vma_first(mm); vma; vma = vma_next(vma))

/* Is [start, end) covered by VMAs with no hole? */
bool range_fully_mapped(struct mm_struct *mm, unsigned long start, unsigned long end);

/*
 * __split_vma(): vma becomes [vm_start, addr) and a new VMA [addr, vm_end) is
 * linked after it; a PMD mapping across addr is split first. -ENOMEM.
 */
int split_vma(struct mmsim *sim, struct vm_area_struct *vma, unsigned long addr);
/* Splits VMAs at start and end so that [start, end) is made of whole VMAs. */
int split_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		unsigned long end);

/*
 * vma_merge_new_range(): extend a neighbour over [start, end) instead of a new
 * VMA. src is the VMA whose pages the range will hold (mremap), or NULL.
 */
struct vm_area_struct *vma_merge_new_range(struct mmsim *sim, struct mm_struct *mm,
					   unsigned long start, unsigned long end,
					   unsigned long vm_flags, unsigned long pgoff,
					   struct vm_area_struct *src);
/* vma_modify_flags(): [start, end) inside one VMA gets new flags; returns its VMA. */
struct vm_area_struct *vma_modify_flags(struct mmsim *sim, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long newflags, int *err);
/* After vma's flags changed: merge it with its neighbours where they now match. */
struct vm_area_struct *vma_merge_neighbours(struct mmsim *sim, struct vm_area_struct *vma);

#endif /* MMSIM_VMA_H */
