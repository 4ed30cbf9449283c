// SPDX-License-Identifier: MIT
/*
 * Transparent huge pages after mm/huge_memory.c (6.18): which orders a VMA
 * may use, PMD faults (and the huge zero folio), PMD copy/zap/split, and the
 * split of an anonymous large folio into small ones with its zero-page remap.
 */
#include "huge_memory.h"
#include "khugepaged.h"

#include "page_alloc.h"
#include "vma.h"

static bool order_enabled(const struct thp_policy *thp, unsigned int order,
			  unsigned long vm_flags)
{
	bool madvised = vm_flags & VM_HUGEPAGE;

	switch (thp->order[order]) {
	case MMSIM_THP_ALWAYS:
		return true;
	case MMSIM_THP_MADVISE:
		return madvised;
	case MMSIM_THP_INHERIT:
		return thp->top == MMSIM_THP_ALWAYS || (thp->top == MMSIM_THP_MADVISE && madvised);
	case MMSIM_THP_NEVER:
		break;
	}
	return false;
}

unsigned long thp_vma_allowable_orders(struct mmsim *sim, struct vm_area_struct *vma)
{
	unsigned long orders = 0;

	if ((vma->vm_flags & VM_NOHUGEPAGE) || (vma->vm_mm->flags & MMF_DISABLE_THP))
		return 0;
	/* vma_thp_disabled(): PR_THP_DISABLE_EXCEPT_ADVISED spares MADV_HUGEPAGE VMAs. */
	if ((vma->vm_mm->flags & MMF_DISABLE_THP_EXCEPT_ADVISED) && !(vma->vm_flags & VM_HUGEPAGE))
		return 0;
	/* THP_ORDERS_ALL_ANON: order 1 has no room for the large-folio fields. */
	for (unsigned int order = 2; order <= HPAGE_PMD_ORDER; order++)
		if (order_enabled(&sim->thp, order, vma->vm_flags))
			orders |= 1UL << order;
	return orders;
}

bool thp_vma_suitable_order(const struct vm_area_struct *vma, unsigned long addr,
			    unsigned int order)
{
	unsigned long size = PAGE_SIZE << order;
	unsigned long haddr = ALIGN_DOWN(addr, size);

	/* Anonymous VMAs need no vm_pgoff alignment. */
	return haddr >= vma->vm_start && haddr + size <= vma->vm_end;
}

static pmd_t mk_huge_pmd(const struct vm_area_struct *vma, unsigned long pfn)
{
	pmd_t entry = pfn_pte(pfn, vm_page_prot(vma->vm_flags)) | _PAGE_PSE | _PAGE_ACCESSED;

	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(pte_mkdirty(entry));
	return entry;
}

void map_anon_folio_pmd_nopf(struct mmsim *sim, struct folio *folio, struct vm_area_struct *vma,
			     pmd_t *pmd, unsigned long haddr)
{
	folio_add_new_anon_rmap(sim, folio, vma, haddr, RMAP_EXCLUSIVE,
				pmd_table_pfn(sim, vma->vm_mm, haddr));
	*pmd = mk_huge_pmd(vma, folio_pfn(folio));
	deferred_split_folio(sim, folio, false);
}

/* map_anon_folio_pmd_pf(): a fault's new THP, its 512 pages counted for the mm. */
static void map_anon_folio_pmd(struct mmsim *sim, struct folio *folio,
			       struct vm_area_struct *vma, pmd_t *pmd, unsigned long haddr)
{
	map_anon_folio_pmd_nopf(sim, folio, vma, pmd, haddr);
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, HPAGE_PMD_NR);
}

int do_huge_pmd_anonymous_page(struct mmsim *sim, struct vm_area_struct *vma,
			       pmd_t *pmd, unsigned long addr, bool write)
{
	unsigned long haddr = addr & PMD_MASK;
	struct folio *folio;
	unsigned long pt;
	int err;

	if (!thp_vma_suitable_order(vma, haddr, HPAGE_PMD_ORDER))
		return VM_FAULT_FALLBACK;
	khugepaged_enter_vma(sim, vma);
	err = anon_vma_prepare(sim, vma);
	if (err)
		return err;
	if (!write && sim->thp.use_zero_page) {
		pt = pte_alloc_one(sim, vma->vm_mm);
		if (!pt)
			return -ENOMEM;
		folio = get_huge_zero_folio(sim);
		if (!folio) {
			pte_free(sim, vma->vm_mm, pt);
			return VM_FAULT_FALLBACK;
		}
		pgtable_trans_huge_deposit(sim, vma->vm_mm, haddr, pt);
		*pmd = pfn_pte(folio_pfn(folio), vm_page_prot(vma->vm_flags)) | _PAGE_PSE |
		       _PAGE_ACCESSED | _PAGE_SPECIAL;
		return 0;
	}
	folio = folio_alloc(sim, HPAGE_PMD_ORDER, FOLIO_anon);
	if (!folio)
		return VM_FAULT_FALLBACK;
	pt = pte_alloc_one(sim, vma->vm_mm);
	if (!pt) {
		folio_put(sim, folio);
		return -ENOMEM;
	}
	pgtable_trans_huge_deposit(sim, vma->vm_mm, haddr, pt);
	map_anon_folio_pmd(sim, folio, vma, pmd, haddr);
	return 0;
}

/* do_huge_zero_wp_pmd() (6.13+): a write to the huge zero folio gets a new THP. */
static int do_huge_zero_wp_pmd(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
			       unsigned long addr)
{
	struct folio *folio;

	if (anon_vma_prepare(sim, vma))
		return -ENOMEM;
	folio = folio_alloc(sim, HPAGE_PMD_ORDER, FOLIO_anon);
	if (!folio) {
		split_huge_pmd(sim, vma, pmd, addr);
		return VM_FAULT_FALLBACK;
	}
	map_anon_folio_pmd(sim, folio, vma, pmd, addr & PMD_MASK);
	return 0;
}

int do_huge_pmd_wp_page(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
			unsigned long addr, bool unshare)
{
	struct folio *folio;
	struct page *head;

	if (is_huge_zero_pmd(sim, *pmd)) {
		if (sim->profile->huge_zero_wp_thp)
			return do_huge_zero_wp_pmd(sim, vma, pmd, addr);
		/* Before 6.13: PTEs of the zero page, and the fault copies one. */
		split_huge_pmd(sim, vma, pmd, addr);
		return VM_FAULT_FALLBACK;
	}
	head = pfn_to_page(sim, pte_pfn(*pmd));
	folio = page_folio(head);
	if (!PageAnonExclusive(head)) {
		if (folio->_refcount != 1) {
			/* Shared: this mm falls back to PTEs and copies one page. */
			split_huge_pmd(sim, vma, pmd, addr);
			return VM_FAULT_FALLBACK;
		}
		folio_move_anon_rmap(folio, vma);
		SetPageAnonExclusive(head);
	}
	if (unshare)
		return 0;	/* exclusive now: the PMD stays read-only */
	*pmd = pte_mkwrite(pte_mkdirty(pte_mkyoung(*pmd)));
	sim->cow_reuses++;
	return 0;
}

static void split_huge_zero_pmd(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
				unsigned long haddr, unsigned long pt)
{
	pte_t *ptes = (pte_t *)table_entries(sim, pt);

	for (int i = 0; i < PTRS_PER_TABLE; i++)
		ptes[i] = pte_mkspecial(pfn_pte(ZERO_PFN, vm_page_prot(vma->vm_flags)));
	(void)haddr;
	*pmd = pfn_pte(pt, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED);
}

/*
 * __split_huge_pmd_locked(): the deposited table takes 512 PTEs with the
 * PMD's bits; the folio gains 512 PTE mappings (and references) and loses
 * the PMD one. An exclusive head makes every page exclusive.
 */
void split_huge_pmd(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
		    unsigned long addr)
{
	unsigned long haddr = addr & PMD_MASK, pt;
	uint64_t bits = *pmd & ~(_PAGE_PFN_MASK | _PAGE_PSE);
	struct folio *folio;
	struct page *head;
	pte_t *ptes;
	bool exclusive;
	int ctx;

	if (!pmd_leaf(*pmd))
		return;
	pt = pgtable_trans_huge_withdraw(sim, vma->vm_mm, haddr);
	sim->pmd_splits++;
	if (is_huge_zero_pmd(sim, *pmd)) {
		split_huge_zero_pmd(sim, vma, pmd, haddr, pt);
		return;
	}
	head = pfn_to_page(sim, pte_pfn(*pmd));
	folio = page_folio(head);
	exclusive = PageAnonExclusive(head);
	folio->_refcount += HPAGE_PMD_NR - 1;
	ctx = mc_force(sim, MMSIM_MC_SPLIT);
	folio_add_anon_rmap_ptes(sim, folio, head, HPAGE_PMD_NR, vma, pt,
				 exclusive ? RMAP_EXCLUSIVE : RMAP_NONE);
	ptes = (pte_t *)table_entries(sim, pt);
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		ptes[i] = pfn_pte(folio_pfn(folio) + (unsigned long)i, 0) | bits;
	*pmd = pfn_pte(pt, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED);
	folio_remove_rmap_pmd(sim, folio, head, vma, pmd_table_pfn(sim, vma->vm_mm, haddr));
	mc_unforce(sim, ctx);
}

void split_huge_pmd_address(struct mmsim *sim, struct vm_area_struct *vma,
			    unsigned long addr)
{
	pmd_t *pmd;

	if (IS_ALIGNED(addr, PMD_SIZE))
		return;
	pmd = pmd_lookup(sim, vma->vm_mm, addr);
	if (pmd && pmd_leaf(*pmd))
		split_huge_pmd(sim, vma, pmd, addr);
}

void zap_huge_pmd(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
		  unsigned long addr)
{
	unsigned long haddr = addr & PMD_MASK;
	pmd_t entry = *pmd;
	struct folio *folio;

	*pmd = 0;
	pte_free(sim, vma->vm_mm, pgtable_trans_huge_withdraw(sim, vma->vm_mm, haddr));
	if (is_huge_zero_pmd(sim, entry))
		return;
	folio = page_folio(pfn_to_page(sim, pte_pfn(entry)));
	folio_remove_rmap_pmd(sim, folio, folio_page(sim, folio, 0), vma,
			      pmd_table_pfn(sim, vma->vm_mm, haddr));
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, -HPAGE_PMD_NR);
	folio_put(sim, folio);
}

int copy_huge_pmd(struct mmsim *sim, struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma, pmd_t *dst_pmd, pmd_t *src_pmd,
		  unsigned long addr)
{
	unsigned long pt;
	struct folio *folio;

	/*
	 * folio_try_dup_anon_rmap_pmd() refuses an exclusive THP the parent
	 * may have pinned: Linux splits the parent's PMD and copies PTEs.
	 */
	if (!is_huge_zero_pmd(sim, *src_pmd)) {
		folio = page_folio(pfn_to_page(sim, pte_pfn(*src_pmd)));
		if (PageAnonExclusive(folio_page(sim, folio, 0)) &&
		    folio_needs_cow_for_dma(src_vma, folio)) {
			split_huge_pmd(sim, src_vma, src_pmd, addr);
			return -EAGAIN;
		}
	}
	pt = pte_alloc_one(sim, dst_vma->vm_mm);
	if (!pt)
		return -ENOMEM;
	pgtable_trans_huge_deposit(sim, dst_vma->vm_mm, addr, pt);
	if (!is_huge_zero_pmd(sim, *src_pmd)) {
		folio = page_folio(pfn_to_page(sim, pte_pfn(*src_pmd)));
		folio_get(folio);
		folio_dup_anon_rmap_pmd(sim, folio, dst_vma, pmd_table_pfn(sim, dst_vma->vm_mm, addr));
		add_mm_counter(dst_vma->vm_mm, MM_ANONPAGES, HPAGE_PMD_NR);
		*src_pmd = pte_wrprotect(*src_pmd);
	}
	*dst_pmd = pte_mkold(pte_wrprotect(*src_pmd));
	return 0;
}

/* ---- Splitting a folio ------------------------------------------------------ */

/* try_to_map_unused_to_zeropage() (6.12+): an all-zero page is not worth a frame. */
static bool remap_to_zero_page(struct mmsim *sim, const struct rmap_hit *hit)
{
	if (!sim->profile->split_remaps_zero || !page_is_zero_filled(hit->page) ||
	    (hit->vma->vm_flags & VM_LOCKED))
		return false;
	*hit->pte = pte_mkspecial(pfn_pte(ZERO_PFN, vm_page_prot(hit->vma->vm_flags))) |
		    (*hit->pte & _PAGE_SOFT_DIRTY);
	add_mm_counter(hit->vma->vm_mm, MM_ANONPAGES, -1);
	return true;
}

/*
 * split_folio(): unmap everywhere (PMDs are split first), cut the folio into
 * order-0 folios with the same anon_vma and consecutive indices, and map each
 * page again, except that all-zero pages get the shared zero page. extra_refs
 * references held by the caller stay with the folio of page (the first page
 * when NULL), as split_huge_page() leaves the caller its page.
 */
int split_folio_refs(struct mmsim *sim, struct folio *folio, struct page *page, int extra_refs)
{
	unsigned long pfn = folio_pfn(folio);
	long nr = folio_nr_pages(folio);
	struct rmap_hits h;
	int err, ctx;

	if (!folio_test_large(folio) || !folio_test_anon(folio) || folio_is_zero(folio))
		return -EINVAL;
	if (!folio_mapped(sim, folio))
		return -EBUSY;
	if (folio->_refcount != folio_mapcount(sim, folio) + extra_refs)
		return -EAGAIN;
	/* Not folio_mapcount(): a scheme may count a split PMD's PTEs as one. */
	ctx = mc_force(sim, MMSIM_MC_SPLIT);
	err = rmap_collect_ptes(sim, folio, &h);
	if (err) {
		mc_unforce(sim, ctx);
		return err;
	}

	{
		struct folio old = *folio;

		if (!list_empty(&folio->_deferred_list)) {
			list_del_init(&folio->_deferred_list);
			sim->split_queue_len--;
		}
		for (long i = 0; i < nr; i++) {
			struct folio *f = pfn_folio(sim, pfn + i);
			struct page *p = pfn_to_page(sim, pfn + i);

			memset(f, 0, folio_struct_size(0));
			f->_pfn = (uint32_t)(pfn + i);
			f->flags = old.flags & ~(FOLIO_large_rmappable | FOLIO_partially_mapped);
			f->anon_vma = old.anon_vma;
			f->index = old.index + i;
			p->folio = f;
			sim->mapcount->folio_init(sim, f);
		}
		sim->nr_large_folios--;
		sim->nr_folios += nr - 1;
		sim->folio_splits++;
	}
	for (size_t i = 0; i < h.nr; i++) {
		const struct rmap_hit *hit = &h.hits[i];
		struct folio *f = page_folio(hit->page);
		struct rmap_site site = { hit->vma, pte_pfn(*hit->pmd) };

		if (remap_to_zero_page(sim, hit))
			continue;
		mapcount_add(sim, f, hit->page, 1, RMAP_LEVEL_PTE, &site);
		f->_refcount++;
	}
	sim_free(h.hits);
	page_folio(page ? page : pfn_to_page(sim, pfn))->_refcount += extra_refs;
	for (long i = 0; i < nr; i++) {
		struct folio *f = pfn_folio(sim, pfn + i);
		struct page *p = pfn_to_page(sim, pfn + i);

		/* PageAnonExclusive means nothing on a page nobody maps. */
		if (f->_refcount == 0) {
			ClearPageAnonExclusive(p);
			f->_refcount = 1;
			folio_put(sim, f);
		}
	}
	mc_unforce(sim, ctx);
	return 0;
}

int split_folio(struct mmsim *sim, struct folio *folio)
{
	return split_folio_refs(sim, folio, NULL, 0);
}

unsigned long deferred_split_scan(struct mmsim *sim)
{
	struct folio *folio, *next;
	unsigned long split = 0;

	list_for_each_entry_safe(folio, next, &sim->deferred_split_queue, _deferred_list) {
		if (!(folio->flags & FOLIO_partially_mapped))
			continue;	/* thp_underused() is off with max_ptes_none = 511 */
		if (split_folio(sim, folio) == 0)
			split++;
	}
	return split;
}
