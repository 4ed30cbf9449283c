// SPDX-License-Identifier: MIT
/*
 * mprotect(2) on private anonymous memory, after mm/mprotect.c
 * (do_mprotect_pkey, mprotect_fixup): split, change the entries, merge.
 */
#include "mm.h"

#include "vma.h"

int do_mprotect(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		unsigned long len, int prot)
{
	unsigned long end = start + len, newflags;
	struct vm_area_struct *vma, *next;
	int err;

	if (!range_valid(start, len) || (prot & ~(MMSIM_PROT_READ | MMSIM_PROT_WRITE)))
		return -EINVAL;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	for (; vma && vma->vm_start < end; vma = next) {
		unsigned long s = MAX(start, vma->vm_start), e = MIN(end, vma->vm_end);

		newflags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | calc_vm_prot_bits(prot);
		/* Private writable memory is accounted; mprotect adds the charge. */
		if (prot & MMSIM_PROT_WRITE)
			newflags |= VM_ACCOUNT;
		next = vma_next(vma);
		if (newflags != vma->vm_flags) {
			vma = vma_modify_flags(sim, vma, s, e, newflags, &err);
			if (err)
				return err;
			change_protection(sim, vma, s, e);
			next = vma_next(vma);
		}
		/* A hole stops it, with what came before already changed (as Linux does). */
		if (e < end && (!next || next->vm_start != e))
			return -ENOMEM;
	}
	return 0;
}
