// SPDX-License-Identifier: MIT
/*
 * mlock(2), mlock2(MLOCK_ONFAULT), munlock(2), mlockall(2) and munlockall(2)
 * on private anonymous memory, after mm/mlock.c (6.18): VM_LOCKED and
 * VM_LOCKONFAULT set and cleared VMA by VMA (split and merge as mprotect
 * does), the range populated by __mm_populate() unless locked on fault.
 * Which folios are mlocked is read from the VMAs that map them (proc.c).
 */
#include "mm.h"

#include "internal.h"
#include "vma.h"

/*
 * apply_vma_lock_flags(): every VMA of [start, end) gets flags in place of
 * its VM_LOCKED_MASK bits. A hole is -ENOMEM, found as the kernel walks: the
 * VMAs before it keep their new flags, as in Linux.
 */
static int apply_vma_lock_flags(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
				unsigned long end, unsigned long flags)
{
	unsigned long nstart = start;

	while (nstart < end) {
		struct vm_area_struct *vma = vma_lookup(mm, nstart);
		unsigned long tmp, newflags;
		int err;

		if (!vma)
			return -ENOMEM;
		tmp = MIN(vma->vm_end, end);
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		vma_modify_flags(sim, vma, nstart, tmp, newflags, &err);	/* mlock_fixup() */
		if (err)
			return err;
		nstart = tmp;
	}
	return 0;
}

/*
 * __mm_populate(): the locked VMAs of [start, end) faulted in
 * (populate_vma_page_range()); mlock() stops at the first error, mlockall()
 * ignores them.
 */
static int mm_populate(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		       unsigned long end, bool ignore_errors)
{
	unsigned long nstart = start;

	while (nstart < end) {
		struct vm_area_struct *vma = find_vma(mm, nstart);
		unsigned long nend;
		int err;

		if (!vma || vma->vm_start >= end)
			break;
		nstart = MAX(nstart, vma->vm_start);
		nend = MIN(end, vma->vm_end);
		err = populate_vma_page_range(sim, vma, nstart, nend);
		if (err && !ignore_errors)
			return err;
		nstart = nend;
	}
	return 0;
}

/* __mlock_posix_error_return(): what mlock(2) says for a populate's error. */
static int mlock_posix_error(int err)
{
	return err == -EFAULT ? -ENOMEM : err == -ENOMEM ? -EAGAIN : err;
}

int do_mlock(struct mmsim *sim, struct mm_struct *mm, unsigned long start, unsigned long len,
	     bool onfault)
{
	unsigned long end;
	int err;

	len = ALIGN_UP(len + (start & (PAGE_SIZE - 1)), PAGE_SIZE);
	start &= ~(PAGE_SIZE - 1);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (!len)
		return 0;
	err = apply_vma_lock_flags(sim, mm, start, end, VM_LOCKED | (onfault ? VM_LOCKONFAULT : 0));
	if (err)
		return err;
	return mlock_posix_error(mm_populate(sim, mm, start, end, false));
}

int do_munlock(struct mmsim *sim, struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end;

	len = ALIGN_UP(len + (start & (PAGE_SIZE - 1)), PAGE_SIZE);
	start &= ~(PAGE_SIZE - 1);
	end = start + len;
	if (end < start)
		return -EINVAL;
	return len ? apply_vma_lock_flags(sim, mm, start, end, 0) : 0;
}

/*
 * apply_mlockall_flags(): MCL_FUTURE locks what is mapped later
 * (mm->def_flags), MCL_CURRENT every VMA now, MCL_ONFAULT either on fault;
 * flags 0 (munlockall()) unlocks everything. Errors of single VMAs are
 * ignored, as in Linux.
 */
static void apply_mlockall_flags(struct mmsim *sim, struct mm_struct *mm, unsigned int flags)
{
	unsigned long to_add = 0;
	struct rb_node *node;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MMSIM_MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MMSIM_MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MMSIM_MCL_CURRENT))
			return;
	}
	if (flags & MMSIM_MCL_CURRENT)
		to_add = VM_LOCKED | (flags & MMSIM_MCL_ONFAULT ? VM_LOCKONFAULT : 0);
	for (node = rb_first(&mm->mm_rb); node;) {
		struct vm_area_struct *vma = rb_entry(node, struct vm_area_struct, vm_rb);
		unsigned long newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;
		int err;

		vma = vma_modify_flags(sim, vma, vma->vm_start, vma->vm_end, newflags, &err);
		node = rb_next(&vma->vm_rb);
	}
}

int do_mlockall(struct mmsim *sim, struct mm_struct *mm, unsigned int flags)
{
	if (!flags || (flags & ~(MMSIM_MCL_CURRENT | MMSIM_MCL_FUTURE | MMSIM_MCL_ONFAULT)) ||
	    flags == MMSIM_MCL_ONFAULT)
		return -EINVAL;
	apply_mlockall_flags(sim, mm, flags);
	if (flags & MMSIM_MCL_CURRENT)
		mm_populate(sim, mm, 0, TASK_SIZE, true);
	return 0;
}

int do_munlockall(struct mmsim *sim, struct mm_struct *mm)
{
	apply_mlockall_flags(sim, mm, 0);
	return 0;
}
