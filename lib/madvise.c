// SPDX-License-Identifier: MIT
/*
 * madvise(2) for anonymous memory, after mm/madvise.c: every VMA in the
 * range is advised, holes are skipped and reported as -ENOMEM at the end.
 */
#include "mm.h"

#include "khugepaged.h"
#include "ksm.h"
#include "page_alloc.h"
#include "swap.h"
#include "vma.h"

/*
 * PT_RECLAIM (6.14+, x86-64): MADV_DONTNEED frees a PTE table whose whole
 * 2M span it zapped once every entry is none (zap_details.reclaim_pt).
 * munmap frees tables by the floor/ceiling rule instead.
 */
static void reclaim_pt(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	for (unsigned long a = pmd_table_next(sim, mm, ALIGN_UP(start, PMD_SIZE), end);
	     a + PMD_SIZE <= end; a = pmd_table_next(sim, mm, a + PMD_SIZE, end)) {
		pmd_t *pmd = pmd_lookup(sim, mm, a);
		const pte_t *pte;
		int i;

		if (!pmd || !pmd_table(*pmd))
			continue;
		pte = (const pte_t *)table_entries(sim, pte_pfn(*pmd));
		for (i = 0; i < PTRS_PER_TABLE && pte_none(pte[i]); i++)
			;
		if (i < PTRS_PER_TABLE)
			continue;
		pte_free(sim, mm, pte_pfn(*pmd));
		*pmd = 0;
	}
}

static unsigned long advised_flags(unsigned long flags, enum mmsim_advice advice)
{
	switch (advice) {
	case MMSIM_MADV_HUGEPAGE:
		return (flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
	case MMSIM_MADV_NOHUGEPAGE:
		return (flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
	case MMSIM_MADV_DONTFORK:
		return flags | VM_DONTCOPY;
	case MMSIM_MADV_DOFORK:
		return flags & ~VM_DONTCOPY;
	case MMSIM_MADV_MERGEABLE:
	case MMSIM_MADV_UNMERGEABLE:	/* ksm_madvise() decides */
	case MMSIM_MADV_DONTNEED:
	case MMSIM_MADV_PAGEOUT:
	case MMSIM_MADV_POPULATE_READ:
	case MMSIM_MADV_POPULATE_WRITE:
	case MMSIM_MADV_COLLAPSE:
		break;
	}
	return flags;
}

static int madvise_vma(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		       unsigned long end, enum mmsim_advice advice)
{
	unsigned long newflags;
	int err = 0;

	if (advice == MMSIM_MADV_DONTNEED) {
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		zap_vma_range(sim, vma, start, end);
		reclaim_pt(sim, vma->vm_mm, start, end);
		return 0;
	}
	if (advice == MMSIM_MADV_PAGEOUT) {
		unsigned long written = 0;
		int err2;

		/* madvise_pageout(): locked VMAs are left alone; a full swap device is no error. */
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		err2 = reclaim_range(sim, vma->vm_mm, start, end, false, &written);
		return err2 == -ENOMEM ? 0 : err2;
	}
	if (advice == MMSIM_MADV_COLLAPSE)
		return madvise_collapse(sim, vma, start, end);
	newflags = advised_flags(vma->vm_flags, advice);
	/* KSM registers the mm, or unmerges the range, before the flags change. */
	if (advice == MMSIM_MADV_MERGEABLE || advice == MMSIM_MADV_UNMERGEABLE)
		err = ksm_madvise(sim, vma, start, end, (int)advice, &newflags);
	if (!err)
		vma = vma_modify_flags(sim, vma, start, end, newflags, &err);
	/* hugepage_madvise(): a VMA now advised may make the mm khugepaged's. */
	if (!err && advice == MMSIM_MADV_HUGEPAGE)
		khugepaged_enter_vma(sim, vma);
	/* Kernel resources short (a split, a merge, a KSM slot) read as "try again". */
	return err == -ENOMEM ? -EAGAIN : err;
}

int do_madvise(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
	       unsigned long len, enum mmsim_advice advice)
{
	unsigned long end, pos = start, len_in = len;
	bool populate = advice == MMSIM_MADV_POPULATE_READ || advice == MMSIM_MADV_POPULATE_WRITE;
	struct vm_area_struct *vma;
	int unmapped = 0;

	if (!IS_ALIGNED(start, PAGE_SIZE) || advice > MMSIM_MADV_DOFORK)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len_in && !len)
		return -EINVAL;		/* the length wrapped when rounded up */
	end = start + len;
	if (end < start || end > TASK_SIZE)
		return -EINVAL;
	/* madvise_populate() walks the range itself and stops at a hole (6.9+). */
	if (populate && !sim->profile->populate_walks_vmas)
		return faultin_page_range(sim, mm, start, end, advice == MMSIM_MADV_POPULATE_WRITE);
	while (pos < end) {
		unsigned long e;
		int err;

		vma = find_vma(mm, pos);
		if (!vma || vma->vm_start >= end) {
			unmapped = -ENOMEM;
			break;
		}
		if (vma->vm_start > pos)
			unmapped = -ENOMEM;
		pos = MAX(pos, vma->vm_start);
		e = MIN(end, vma->vm_end);
		/* Before 6.9, madvise_populate() VMA by VMA: faultin_vma_page_range(). */
		err = populate ? faultin_page_range(sim, mm, pos, e,
						    advice == MMSIM_MADV_POPULATE_WRITE) :
				 madvise_vma(sim, vma, pos, e, advice);
		if (err)
			return err;
		pos = e;
	}
	return unmapped;
}
