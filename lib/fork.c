// SPDX-License-Identifier: MIT
/*
 * fork's copy of an address space, after dup_mmap() (mm/mmap.c since 6.16,
 * kernel/fork.c before): every VMA is duplicated, joins its parent's
 * anon_vmas through anon_vma_fork(), and its page tables are copied.
 */
#include "mm.h"

#include "ksm.h"
#include "khugepaged.h"
#include "rmap.h"
#include "vma.h"

static struct vm_area_struct *vm_area_dup(struct mmsim *sim, struct mm_struct *mm,
					  const struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = vm_area_alloc(sim, mm);

	if (!vma)
		return NULL;
	vma->vm_start = orig->vm_start;
	vma->vm_end = orig->vm_end;
	vma->vm_pgoff = orig->vm_pgoff;
	vma->vm_flags = orig->vm_flags;
	return vma;
}

int dup_mmap(struct mmsim *sim, struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	int err;

	/* MMF_VM_MERGE_ANY and THP-disable are inherited; KSM re-registers the child. */
	mm->flags = oldmm->flags & (MMF_VM_MERGE_ANY | MMF_DISABLE_THP |
				    MMF_DISABLE_THP_EXCEPT_ADVISED);
	err = ksm_fork(sim, mm, oldmm);
	if (err)
		return err;
	khugepaged_fork(sim, mm, oldmm);
	for_each_vma(oldmm, mpnt) {
		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		tmp = vm_area_dup(sim, mm, mpnt);
		if (!tmp)
			return -ENOMEM;
		if (mpnt->vm_flags & VM_WIPEONFORK) {
			vma_link(mm, tmp);
			continue;
		}
		err = anon_vma_fork(sim, tmp, mpnt);
		if (err) {
			vm_area_free(sim, tmp);
			return err;
		}
		vma_link(mm, tmp);
		err = copy_page_range(sim, tmp, mpnt);
		if (err)
			return err;
	}
	return 0;
}
