/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the VMA-level tests: the layout of an address space checked
 * VMA by VMA (start, end, vm_pgoff, flags), the way tools/testing/vma draws
 * it, with offsets in pages from BASE.
 */
#ifndef MMSIM_TEST_VMA_UTIL_H
#define MMSIM_TEST_VMA_UTIL_H

#include "test_util.h"

#include "internal.h"
#include "vma.h"

struct vma_exp {
	unsigned long start, end;	/* offsets from BASE */
	unsigned long pgoff;		/* absolute vm_pgoff */
	unsigned long flags;		/* compared under VMA_CMP_MASK */
};
#define VMA_CMP_MASK (VM_READ | VM_WRITE | VM_ACCOUNT | VM_HUGEPAGE | VM_NOHUGEPAGE | VM_MERGEABLE | \
		      VM_LOCKED | VM_LOCKONFAULT)
#define PGOFF(off) ((BASE + (off)) >> PAGE_SHIFT)
#define F_RW (VM_READ | VM_WRITE | VM_ACCOUNT)
#define F_R VM_READ

static inline struct mm_struct *mm_of(struct mmsim *sim, int pid)
{
	struct mm_struct *mm = find_mm(sim, pid);

	assert_non_null(mm);
	return mm;
}

static inline struct vm_area_struct *vma_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return vma_lookup(mm_of(sim, pid), addr);
}

/* The whole address space must be exactly these VMAs, in order. */
static inline void check_layout(struct mmsim *sim, int pid, const struct vma_exp *exp, int n)
{
	struct mm_struct *mm = mm_of(sim, pid);
	struct vm_area_struct *vma;
	int i = 0;

	for_each_vma(mm, vma) {
		if (i >= n)
			fail_msg("extra VMA [%#lx, %#lx)", vma->vm_start - BASE, vma->vm_end - BASE);
		if (vma->vm_start != BASE + exp[i].start || vma->vm_end != BASE + exp[i].end ||
		    vma->vm_pgoff != exp[i].pgoff ||
		    (vma->vm_flags & VMA_CMP_MASK) != exp[i].flags)
			fail_msg("VMA %d is [%#lx, %#lx) pgoff %#lx flags %#lx, want [%#lx, %#lx) pgoff %#lx flags %#lx",
				 i, vma->vm_start - BASE, vma->vm_end - BASE, vma->vm_pgoff,
				 vma->vm_flags & VMA_CMP_MASK, exp[i].start, exp[i].end,
				 exp[i].pgoff, exp[i].flags);
		i++;
	}
	assert_int_equal(i, n);
	assert_int_equal(mm->map_count, n);
}
#define CHECK_LAYOUT(sim, pid, ...)						\
	do {									\
		const struct vma_exp e_[] = { __VA_ARGS__ };			\
		check_layout(sim, pid, e_, (int)(sizeof(e_) / sizeof(e_[0])));	\
	} while (0)

static inline struct mmsim_stats stats(struct mmsim *sim)
{
	struct mmsim_stats s;

	mmsim_get_stats(sim, &s);
	return s;
}

#endif /* MMSIM_TEST_VMA_UTIL_H */
