/* SPDX-License-Identifier: MIT */
/*
 * Transparent huge pages (mm/huge_memory.c): the THP policy, PMD faults,
 * PMD splitting, folio splitting and the deferred split queue.
 */
#ifndef MMSIM_HUGE_MEMORY_H
#define MMSIM_HUGE_MEMORY_H

#include "internal.h"

#define VM_FAULT_FALLBACK 1

/* thp_vma_allowable_orders(): bit n set when order n may be used in vma. */
unsigned long thp_vma_allowable_orders(struct mmsim *sim, struct vm_area_struct *vma);
/* thp_vma_suitable_order(): does the aligned block around addr fit in vma? */
bool thp_vma_suitable_order(const struct vm_area_struct *vma, unsigned long addr,
			    unsigned int order);

/*
 * map_anon_folio_pmd_nopf(): a new THP, exclusive, mapped at haddr by pmd and
 * on the underused queue; the caller counts its pages for the mm.
 */
void map_anon_folio_pmd_nopf(struct mmsim *sim, struct folio *folio, struct vm_area_struct *vma,
			     pmd_t *pmd, unsigned long haddr);

/* do_huge_pmd_anonymous_page(): 0, VM_FAULT_FALLBACK or -ENOMEM. */
int do_huge_pmd_anonymous_page(struct mmsim *sim, struct vm_area_struct *vma,
			       pmd_t *pmd, unsigned long addr, bool write);
/*
 * do_huge_pmd_wp_page(): a write fault, or with unshare a FAULT_FLAG_UNSHARE
 * one (the folio made exclusive, the PMD left read-only); 0 or
 * VM_FAULT_FALLBACK (the PMD was split).
 */
int do_huge_pmd_wp_page(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
			unsigned long addr, bool unshare);

static inline bool is_huge_zero_pmd(struct mmsim *sim, pmd_t pmd)
{
	return sim->huge_zero_folio && pte_pfn(pmd) == folio_pfn(sim->huge_zero_folio);
}

/* __split_huge_pmd(): the PMD leaf mapping addr (if any) becomes 512 PTEs. */
void split_huge_pmd(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
		    unsigned long addr);
/* split_huge_pmd_address(): only when a PMD leaf straddles addr. */
void split_huge_pmd_address(struct mmsim *sim, struct vm_area_struct *vma,
			    unsigned long addr);
/* zap_huge_pmd(): unmaps a whole PMD leaf. */
void zap_huge_pmd(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
		  unsigned long addr);
/* copy_huge_pmd(): fork of one PMD leaf; -ENOMEM, or -EAGAIN when it split a maybe-pinned THP. */
int copy_huge_pmd(struct mmsim *sim, struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma, pmd_t *dst_pmd, pmd_t *src_pmd,
		  unsigned long addr);

/* split_folio(): an anonymous large folio becomes order-0 folios; 0, -EBUSY or -ENOMEM. */
int split_folio(struct mmsim *sim, struct folio *folio);
/*
 * split_huge_page() for a caller holding extra_refs references: the split
 * needs refcount == mapcount + extra_refs (-EAGAIN otherwise), and those
 * references end up on the small folio of page (the first page if NULL).
 */
int split_folio_refs(struct mmsim *sim, struct folio *folio, struct page *page, int extra_refs);
/* deferred_split_scan(): splits every partially mapped folio on the queue. */
unsigned long deferred_split_scan(struct mmsim *sim);

#endif /* MMSIM_HUGE_MEMORY_H */
