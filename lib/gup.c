// SPDX-License-Identifier: MIT
/*
 * Faulting a range in as get_user_pages() does, after mm/gup.c (6.18):
 * faultin_page_range() for MADV_POPULATE_READ and MADV_POPULATE_WRITE,
 * populate_vma_page_range() for mlock() and a VM_LOCKED mmap().
 * No page is pinned or returned; only the faults happen.
 */
#include "internal.h"
#include "vma.h"

/*
 * follow_page_mask() without the page: does the entry at addr already give
 * what the access needs? A present entry serves a read; a write needs it
 * writable (a read-only one, shared or the zero page, must be unshared by a
 * write fault first, which is what FOLL_WRITE makes GUP do).
 */
static bool follow_page_ok(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
			   bool write)
{
	pmd_t *pmd = pmd_lookup(sim, mm, addr);
	pte_t pte;

	if (!pmd || pmd_none(*pmd))
		return false;
	if (pmd_leaf(*pmd))
		return !write || pte_write(*pmd);
	if (!pmd_table(*pmd))
		return false;
	pte = *pte_offset(sim, pmd, addr);
	return pte_present(pte) && (!write || pte_write(pte));
}

/*
 * __get_user_pages() with FOLL_MADV_POPULATE, a VMA at a time: a hole is
 * -ENOMEM, a VMA that the access may not touch (check_vma_flags(): no
 * VM_WRITE for a write, no VM_READ for a read) is -EINVAL. As in Linux, the
 * walk stops there and the pages before stay populated (madv_populate.c's
 * test_holes: on 6.18.44 the page before the hole is present afterwards).
 */
int faultin_page_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		       unsigned long end, bool write)
{
	int err = 0;

	for (unsigned long addr = start; !err && addr < end;) {
		struct vm_area_struct *vma = vma_lookup(mm, addr);
		unsigned long stop;

		if (!vma)
			return -ENOMEM;
		if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
			return -EINVAL;
		stop = MIN(end, vma->vm_end);
		for (; !err && addr < stop; addr += PAGE_SIZE)
			if (!follow_page_ok(sim, mm, addr, write))
				err = handle_mm_fault(sim, mm, addr, write);
	}
	return err;
}

int populate_vma_page_range(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	/* Write faults break COW in a private writable VMA; elsewhere FOLL_FORCE reads. */
	bool write = vma->vm_flags & VM_WRITE;
	int err = 0;

	if (vma->vm_flags & VM_LOCKONFAULT)
		return 0;
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;		/* PROT_NONE is never faulted in */
	for (unsigned long addr = start; !err && addr < end; addr += PAGE_SIZE)
		if (!follow_page_ok(sim, vma->vm_mm, addr, write))
			err = handle_mm_fault(sim, vma->vm_mm, addr, write);
	return err;
}
