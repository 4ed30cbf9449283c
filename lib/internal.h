/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the memory operations (mm/internal.h): faults,
 * zapping, fork's copy, batching of PTEs, THP policy.
 */
#ifndef MMSIM_INTERNAL_H
#define MMSIM_INTERNAL_H

#include "rmap.h"

/* handle_mm_fault(): 0, -EFAULT (SIGSEGV) or -ENOMEM (VM_FAULT_OOM). */
int handle_mm_fault(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
		    bool write);

/*
 * handle_mm_fault(FAULT_FLAG_REMOTE | FAULT_FLAG_UNSHARE, or | FAULT_FLAG_WRITE)
 * on the read-only entry at addr, as break_ksm() and a R/O FOLL_PIN ask: a
 * shared page (or the zero page) is replaced by an exclusive copy, read-only
 * for an unshare, writable (where the VMA is) and dirty for a write; a
 * PMD-mapped THP is reused when nothing else holds it, else split and one
 * page copied. No permission check. 0 or -ENOMEM.
 */
int handle_mm_fault_remote(struct mmsim *sim, struct vm_area_struct *vma, unsigned long addr,
			   bool unshare);

/*
 * faultin_page_range() (mm/gup.c): MADV_POPULATE_READ/WRITE's faults over
 * [start, end): 0, -ENOMEM for a hole, -EINVAL for a VMA the access may not
 * touch, or a fault's error.
 */
int faultin_page_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		       unsigned long end, bool write);

/*
 * populate_vma_page_range() (mm/gup.c): [start, end) of a VM_LOCKED vma
 * faulted in (with write faults where the VMA is writable); nothing for
 * VM_LOCKONFAULT, -EFAULT for PROT_NONE, or a fault's error.
 */
int populate_vma_page_range(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
			    unsigned long end);

/* May this VMA be read (or written) at all? */
bool access_permitted(const struct vm_area_struct *vma, bool write);

/*
 * pmd_lookup() for lookups that come in runs within one PUD range (KSM's
 * scan and its tree descents, 1 GiB per PMD table): the PMD table of the
 * last walk in this mm is kept, so the walk starts there. The entry itself
 * is read fresh each time; only the table's place is remembered, and
 * pte_free() forgets it when any table of the mm goes.
 */
static inline pmd_t *follow_page_pmd(struct mmsim *sim, struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd;

	if (mm->pmd_cache_table && mm->pmd_cache_base == (addr & PUD_MASK))
		return &mm->pmd_cache_table[pmd_index(addr)];
	pmd = pmd_lookup(sim, mm, addr);
	if (pmd) {
		mm->pmd_cache_table = pmd - pmd_index(addr);
		mm->pmd_cache_base = addr & PUD_MASK;
	}
	return pmd;
}

/* The page mapped at addr (NULL if none); *pmd_mapped tells a PMD leaf maps it. */
struct page *follow_page(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
			 bool *pmd_mapped);

/*
 * gup_can_follow_protnone() said no to 6.1's follow_page() here: every entry
 * of a PROT_NONE VMA is protnone (KSM and smaps of 6.1 then see no page).
 */
/*
 * vma_soft_dirty_enabled(): is soft-dirty tracked for this VMA? Only on a
 * kernel with CONFIG_MEM_SOFT_DIRTY, and only while the VMA is not soft-dirty
 * as a whole (clear_refs 4 cleared VM_SOFTDIRTY since it was made).
 */
static inline bool vma_soft_dirty_enabled(const struct mmsim *sim,
					  const struct vm_area_struct *vma)
{
	return sim->profile->mem_soft_dirty && !(vma->vm_flags & VM_SOFTDIRTY);
}

/* pte_needs_soft_dirty_wp(): a clean entry of a tracked VMA must not be made writable. */
static inline bool pte_needs_soft_dirty_wp(const struct mmsim *sim,
					   const struct vm_area_struct *vma, pte_t pte)
{
	return vma_soft_dirty_enabled(sim, vma) && !pte_soft_dirty(pte);
}

/* move_soft_dirty_pte(): mremap()'s moved entry, present or swapped, is soft-dirty. */
static inline pte_t move_soft_dirty_pte(const struct mmsim *sim, pte_t pte)
{
	if (!sim->profile->mem_soft_dirty || pte_none(pte))
		return pte;
	return pte_present(pte) ? pte_mksoft_dirty(pte) : pte_swp_mksoft_dirty(pte);
}

static inline bool follow_page_refuses_protnone(const struct mmsim *sim,
						const struct vm_area_struct *vma)
{
	return sim->profile->gup_protnone_fails && !(vma->vm_flags & VM_ACCESS_FLAGS);
}

int __folio_pte_batch(struct mmsim *sim, struct folio *folio, const pte_t *pte, int max_nr);

/*
 * folio_pte_batch(): how many PTEs from pte on (at most max_nr) map
 * consecutive pages of folio, present and alike but for the accessed, dirty
 * and write bits. Never passes the folio's end; a small folio is one PTE.
 */
static inline int folio_pte_batch(struct mmsim *sim, struct folio *folio, const pte_t *pte,
				  int max_nr)
{
	if (!folio_test_large(folio) || max_nr == 1)
		return 1;
	return __folio_pte_batch(sim, folio, pte, max_nr);
}

/* zap_page_range_single(): unmaps [start, end) inside vma, splitting PMDs that straddle it. */
void zap_vma_range(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		   unsigned long end);

/* copy_page_range(): fork's copy of src's mappings into dst (same range). */
int copy_page_range(struct mmsim *sim, struct vm_area_struct *dst,
		    struct vm_area_struct *src);

/* change_protection(): new vm_page_prot on [start, end) of vma. */
void change_protection(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		       unsigned long end);

/*
 * move_page_tables(): mremap's move of [old, old + len) to new_vma at
 * new_addr. Returns how many bytes moved: less than len when a page table
 * could not be allocated.
 */
unsigned long move_page_tables(struct mmsim *sim, struct vm_area_struct *vma,
			       unsigned long old_addr, struct vm_area_struct *new_vma,
			       unsigned long new_addr, unsigned long len);

/* Tears the whole address space down (exit_mmap). */
void exit_mmap(struct mmsim *sim, struct mm_struct *mm);
/* do_vmi_munmap(): 0, -EINVAL or -ENOMEM. */
int do_munmap(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
	      unsigned long len);

static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	mm->rss[member] += value;
}

#endif /* MMSIM_INTERNAL_H */
