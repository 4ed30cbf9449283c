// SPDX-License-Identifier: MIT
/*
 * mprotect(2) on private anonymous memory, after mm/mprotect.c
 * (do_mprotect_pkey, mprotect_fixup): split, change the entries, merge.
 */
#include "mm.h"

#include "vma.h"

/*
 * mprotect_fixup()'s accounting: memory that becomes writable is charged
 * (VM_ACCOUNT), and an anonymous VMA that never faulted gives its charge
 * back when it stops being writable (6.2+), which lets it merge with
 * read-only neighbours again. A MAP_NORESERVE mapping is never charged.
 */
static unsigned long account_flags(const struct mmsim *sim, const struct vm_area_struct *vma,
				   unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;

	if (newflags & VM_WRITE) {
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_NORESERVE)))
			newflags |= VM_ACCOUNT;
	} else if ((oldflags & VM_ACCOUNT) && !vma->anon_vma &&
		   !sim->profile->mprotect_keeps_account) {
		newflags &= ~VM_ACCOUNT;
	}
	return newflags;
}

int do_mprotect(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		unsigned long len, int prot)
{
	unsigned long end, pos, newflags, oldflags;
	struct vm_area_struct *vma;
	int err;

	/* do_mprotect_pkey(): these checks come in this order (len 0 wins over prot). */
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!len)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(MMSIM_PROT_READ | MMSIM_PROT_WRITE))
		return -EINVAL;
	for (pos = start; pos < end; pos = vma->vm_end) {
		unsigned long e;

		/*
		 * A hole stops it, with what came before already changed (as
		 * Linux does); a hole at start changes nothing.
		 */
		vma = find_vma(mm, pos);
		if (!vma || vma->vm_start > pos)
			return -ENOMEM;
		e = MIN(end, vma->vm_end);
		newflags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | calc_vm_prot_bits(prot);
		if (newflags == vma->vm_flags)
			continue;	/* no split, no merge attempt */
		newflags = account_flags(sim, vma, newflags);
		oldflags = vma->vm_flags;
		vma = vma_modify_flags(sim, vma, pos, e, newflags, &err);
		if (err)
			return err;
		change_protection(sim, vma, pos, e);
		/*
		 * mprotect_fixup(): a locked private VMA made writable breaks COW
		 * at once, so that no later write faults (populate's write faults).
		 */
		if ((oldflags & (VM_WRITE | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE))
			populate_vma_page_range(sim, vma, pos, e);
		/*
		 * vma may have merged with the next VMA: carry on after it
		 * (vma_iter_end()), which already has the new protection.
		 */
	}
	return 0;
}
