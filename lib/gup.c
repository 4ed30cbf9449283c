// SPDX-License-Identifier: MIT
/*
 * get_user_pages() after mm/gup.c (6.18): faultin_page_range() for
 * MADV_POPULATE_READ/WRITE and populate_vma_page_range() for mlock() only
 * fault; __get_user_pages() also takes the pages, with a reference
 * (FOLL_GET: vmsplice()) or a pin (FOLL_PIN: an io_uring fixed buffer,
 * gup_test), and a R/O pin first unshares a page other mms may map.
 */
#include <stdlib.h>

#include "internal.h"
#include "gup.h"
#include "huge_memory.h"
#include "page_alloc.h"
#include "vma.h"

/*
 * gup_must_unshare(): may a R/O pin take this page as it is mapped? Not a
 * page other mms may map too (a later write of ours would copy it away from
 * the pin), nor, for a longterm pin, the zero page of a private mapping. A
 * write pin needs a writable entry anyway, and a FOLL_GET reference never
 * unshares (so vmsplice() of a shared page may see either side's writes).
 */
static bool gup_must_unshare(const struct vm_area_struct *vma, unsigned int flags,
			     struct page *page)
{
	struct folio *folio = page_folio(page);

	if ((flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN)
		return false;
	if (folio_test_ksm(folio))
		return true;
	if (!folio_test_anon(folio))
		return (flags & FOLL_LONGTERM) && is_cow_mapping(vma->vm_flags);
	return !PageAnonExclusive(page);
}

enum gup_step { GUP_TAKE, GUP_FAULT, GUP_UNSHARE };

/*
 * follow_page_mask(): what the entry at addr needs before GUP may take its
 * page (*pfn): nothing, a fault (none, swapped, or a write to a read-only
 * entry) or an unshare fault.
 */
static enum gup_step follow_page_step(struct mmsim *sim, struct vm_area_struct *vma,
				      unsigned long addr, unsigned int flags, unsigned long *pfn)
{
	pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);
	bool write = flags & FOLL_WRITE;
	pte_t entry;

	if (!pmd || pmd_none(*pmd))
		return GUP_FAULT;
	if (pmd_leaf(*pmd)) {
		entry = *pmd;
		*pfn = pte_pfn(entry) + pte_index(addr);
	} else {
		if (!pmd_table(*pmd))
			return GUP_FAULT;
		entry = *pte_offset(sim, pmd, addr);
		if (!pte_present(entry))
			return GUP_FAULT;
		*pfn = pte_pfn(entry);
	}
	if (pte_write(entry))
		return GUP_TAKE;
	if (write)
		return GUP_FAULT;
	/* A PMD-mapped THP is exclusive as a whole: its head page says. */
	if (gup_must_unshare(vma, flags, pfn_to_page(sim, pmd_leaf(*pmd) ? pte_pfn(entry) : *pfn)))
		return GUP_UNSHARE;
	return GUP_TAKE;
}

/*
 * Does the entry at addr already give what the access needs, with nothing
 * taken? A present entry serves a read; a write needs it writable (a
 * read-only one, shared or the zero page, must be unshared by a write fault
 * first, which is what FOLL_WRITE makes GUP do).
 */
static bool follow_page_ok(struct mmsim *sim, struct vm_area_struct *vma, unsigned long addr,
			   bool write)
{
	unsigned long pfn;

	return follow_page_step(sim, vma, addr, write ? FOLL_WRITE : 0, &pfn) == GUP_TAKE;
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
			if (!follow_page_ok(sim, vma, addr, write))
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
		if (!follow_page_ok(sim, vma, addr, write))
			err = handle_mm_fault(sim, vma->vm_mm, addr, write);
	return err;
}

/* ---- Taking the pages: FOLL_GET and FOLL_PIN ------------------------------- */

/* try_grab_folio(): the shared zero page is taken as it is, with nothing held. */
static void try_grab_page(struct mmsim *sim, unsigned long pfn, unsigned int flags)
{
	struct folio *folio = page_folio(pfn_to_page(sim, pfn));

	if (pfn == ZERO_PFN)
		return;
	if (!(flags & FOLL_PIN) || folio_is_zero(folio)) {
		folio->_refcount++;
	} else if (folio_test_large(folio)) {
		folio->_refcount++;
		folio->_pincount++;
	} else {
		folio->_refcount += GUP_PIN_COUNTING_BIAS;
	}
}

void gup_put_page(struct mmsim *sim, unsigned long pfn, unsigned int flags)
{
	struct folio *folio = page_folio(pfn_to_page(sim, pfn));

	if (pfn == ZERO_PFN)
		return;
	if (!(flags & FOLL_PIN) || folio_is_zero(folio)) {
		folio_put(sim, folio);
	} else if (folio_test_large(folio)) {
		folio->_pincount--;
		folio_put(sim, folio);
	} else {
		folio_put_refs(sim, folio, GUP_PIN_COUNTING_BIAS);
	}
}

/* check_vma_flags(): the access the caller asks for must be one the VMA allows. */
static int gup_check_vma(struct mm_struct *mm, unsigned long addr, unsigned int flags,
			 struct vm_area_struct **out)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return sim_error(mm->sim, -EFAULT, "get_user_pages: no VMA at %#lx", addr);
	if (!(vma->vm_flags & ((flags & FOLL_WRITE) ? VM_WRITE : VM_READ)))
		return sim_error(mm->sim, -EFAULT, "get_user_pages: the VMA at %#lx is not %s", addr,
				 (flags & FOLL_WRITE) ? "writable" : "readable");
	*out = vma;
	return 0;
}

/*
 * __get_user_pages(): the frames of nr pages from start, each faulted in
 * (or unshared) as the access needs and then held as flags say. Returns how
 * many were taken, or an error if not even the first was; the pages taken
 * stay held, as in Linux, for the caller to put.
 */
long __get_user_pages(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		      unsigned long nr, unsigned int flags, unsigned long *pfns)
{
	unsigned long i;
	int err = 0;

	if (flags & FOLL_PIN)
		mm->flags |= MMF_HAS_PINNED;	/* mm_set_has_pinned_flag(), kept until exec */
	for (i = 0; i < nr; i++) {
		unsigned long addr = start + (i << PAGE_SHIFT), pfn = 0;
		struct vm_area_struct *vma = NULL;
		enum gup_step step;
		int tries = 0;

		err = gup_check_vma(mm, addr, flags, &vma);
		while (!err && (step = follow_page_step(sim, vma, addr, flags, &pfn)) != GUP_TAKE) {
			/* One fault gives what was asked; a second would be a model bug. */
			if (tries++ == 2) {
				err = sim_error(sim, -EUCLEAN, "GUP at %#lx: the fault did not map the page",
						addr);
				break;
			}
			err = step == GUP_UNSHARE ? handle_mm_fault_remote(sim, vma, addr, true)
						  : handle_mm_fault(sim, mm, addr, flags & FOLL_WRITE);
		}
		if (err)
			break;
		try_grab_page(sim, pfn, flags);
		pfns[i] = pfn;
	}
	return i ? (long)i : err;
}

/*
 * pin_user_pages(FOLL_LONGTERM): the whole range or nothing, as io_uring's
 * buffer registration wants it (Linux puts back what a short pin took).
 * FOLL_LONGTERM's migration out of ZONE_MOVABLE and CMA has no counterpart:
 * the model has one zone.
 */
int pin_user_pages_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
			 unsigned long len, unsigned int flags)
{
	unsigned long nr = len >> PAGE_SHIFT;
	struct gup_pin *pin;
	long got;

	if (mm->pin)
		return sim_error(sim, -EBUSY, "pid %d holds a pinned range already", mm->pid);
	if (!len || (start | len) & ~PAGE_MASK)
		return sim_error(sim, -EINVAL, "pin: [%#lx, +%#lx) is not a whole number of pages",
				 start, len);
	pin = sim_malloc(sim, sizeof(*pin) + nr * sizeof(pin->pfns[0]));
	if (!pin)
		return -ENOMEM;
	got = __get_user_pages(sim, mm, start, nr, flags | FOLL_PIN | FOLL_LONGTERM, pin->pfns);
	if (got >= 0 && (unsigned long)got < nr) {
		for (long i = 0; i < got; i++)
			gup_put_page(sim, pin->pfns[i], FOLL_PIN);
		got = -EFAULT;
	}
	if (got < 0) {
		free(pin);
		return (int)got;
	}
	pin->start = start;
	pin->nr = nr;
	pin->flags = flags | FOLL_PIN | FOLL_LONGTERM;
	mm->pin = pin;
	return 0;
}

void unpin_user_pages_range(struct mmsim *sim, struct mm_struct *mm)
{
	struct gup_pin *pin = mm->pin;

	if (!pin)
		return;
	for (unsigned long i = 0; i < pin->nr; i++)
		gup_put_page(sim, pin->pfns[i], FOLL_PIN);
	mm->pin = NULL;
	free(pin);
}
