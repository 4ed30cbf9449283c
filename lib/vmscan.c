// SPDX-License-Identifier: MIT
/*
 * Reclaim of anonymous folios, after shrink_folio_list() of mm/vmscan.c
 * (6.18) with try_to_unmap_one() of mm/rmap.c: a folio gets swap slots
 * (add_to_swap), every mapping the rmap finds becomes a swap entry, the
 * pages are written (pageout) and the folio leaves the swap cache and is freed.
 * MADV_PAGEOUT (mm/madvise.c) and the simulator's reclaim command feed it.
 */
#include "huge_memory.h"
#include "page_alloc.h"
#include "swap.h"
#include "vma.h"

/*
 * try_to_unmap_one() for a swap-backed folio: the PTE takes its page's swap
 * entry, which remembers PageAnonExclusive, and holds a reference to it.
 */
static void unmap_to_swap(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit)
{
	struct page *page = hit->page;
	swp_entry_t entry = { folio_swap(sim, folio).val +
			      (unsigned long)folio_page_idx(sim, folio, page) };
	pte_t swp_pte = swp_entry_to_pte(entry);
	struct mm_struct *mm = hit->vma->vm_mm;

	/* A KSM walk may list a PTE twice: the second time it maps nothing. */
	if (!pte_present(*hit->pte) || pte_pfn(*hit->pte) != page_to_pfn(sim, page))
		return;
	if (PageAnonExclusive(page))
		swp_pte = pte_swp_mkexclusive(swp_pte);
	if (pte_soft_dirty(*hit->pte))
		swp_pte = pte_swp_mksoft_dirty(swp_pte);
	swap_duplicate(sim, entry);
	*hit->pte = swp_pte;
	add_mm_counter(mm, MM_ANONPAGES, -1);
	add_mm_counter(mm, MM_SWAPENTS, 1);
	folio_remove_rmap_pte(sim, folio, page, hit->vma, pte_pfn(*hit->pmd));
	/* folio_try_share_anon_rmap_pte(): the swap PTE carries the exclusive bit now. */
	ClearPageAnonExclusive(page);
	folio_put(sim, folio);
}

static int shrink_small_folios(struct mmsim *sim, unsigned long pfn, long nr,
			       unsigned long *nr_written);

/*
 * split_folio_to_list() in shrink_folio_list(): a partially mapped folio is
 * split before swap is allocated (its unmapped pages go without I/O), and a
 * large folio that finds no contiguous slots falls back to small folios.
 */
static int split_and_shrink(struct mmsim *sim, struct folio *folio, unsigned long *nr_written)
{
	unsigned long pfn = folio_pfn(folio);
	long nr = folio_nr_pages(folio);
	int err = split_folio(sim, folio);

	if (err)
		return err == -ENOMEM ? err : 0;	/* busy: kept, as activate_locked */
	return shrink_small_folios(sim, pfn, nr, nr_written);
}

/* The folio stays in memory but leaves the swap cache we put it in. */
static int keep_folio(struct mmsim *sim, struct folio *folio, bool added, int err)
{
	if (added)
		delete_from_swap_cache(sim, folio);
	folio_put(sim, folio);
	return err;
}

int shrink_anon_folio(struct mmsim *sim, struct folio *folio, unsigned long *nr_written)
{
	long nr = folio_nr_pages(folio);
	bool added = false;
	int err;

	if (!folio_test_anon(folio) || folio_is_zero(folio))
		return 0;
	/*
	 * Held by a pin or a pipe: Linux's try_to_unmap_one() keeps a
	 * maybe-pinned exclusive page mapped, and __remove_mapping() cannot
	 * freeze a folio with references beyond the expected ones. The model
	 * keeps such a folio as it is (where Linux may still unmap the shared
	 * pages of a FOLL_GET-held folio, to no saving).
	 */
	if (folio->_refcount > folio_mapcount(sim, folio) +
			       (folio_test_swapcache(folio) ? (int)nr : 0))
		return 0;
	if (!folio_test_swapcache(folio)) {
		swp_entry_t entry;

		if (folio->flags & FOLIO_partially_mapped)
			return split_and_shrink(sim, folio, nr_written);
		entry = get_swap_pages(sim, nr);
		if (!entry.val)
			return folio_test_large(folio) ? split_and_shrink(sim, folio, nr_written)
						       : -ENOMEM;
		err = add_to_swap_cache(sim, folio, entry);
		if (err) {
			swapcache_clear(sim, entry, nr);
			return err;
		}
		added = true;
	}
	folio_get(folio);	/* isolated: ours until the end */
	/*
	 * try_to_unmap(TTU_SPLIT_HUGE_PMD): 6.18 swaps a PMD-mapped THP out
	 * whole (CONFIG_THP_SWAP: one folio, 512 contiguous slots) but puts no
	 * swap entry in a PMD, so try_to_unmap_one() splits each PMD mapping
	 * into PTEs (split_huge_pmd_locked) and unmaps those.
	 */
	err = try_to_unmap_each(sim, folio, unmap_to_swap);
	if (err)
		return keep_folio(sim, folio, added, err);
	if (folio_mapped(sim, folio)) {
		/*
		 * Some mapping the rmap cannot reach: the folio stays
		 * (activate_locked). Linux leaves it in the swap cache either
		 * way; the model takes it out again when no PTE holds one of
		 * its entries, so that nothing observable lingers.
		 */
		return keep_folio(sim, folio, added && !folio_swapped(sim, folio), 0);
	}
	for (long i = 0; i < nr; i++) {
		swp_entry_t entry = { folio_swap(sim, folio).val + (unsigned long)i };

		swap_writepage(sim, folio_page(sim, folio, i), entry);
	}
	*nr_written += (unsigned long)nr;
	/* __remove_mapping(): out of the swap cache, and our reference frees it. */
	delete_from_swap_cache(sim, folio);
	folio_put(sim, folio);
	return 0;
}

/* The small folios a split left at [pfn, pfn + nr), all-zero pages gone to the zero page. */
static int shrink_small_folios(struct mmsim *sim, unsigned long pfn, long nr,
			       unsigned long *nr_written)
{
	for (long i = 0; i < nr; i++) {
		struct folio *f = pfn_to_page(sim, pfn + (unsigned long)i)->folio;
		int err;

		if (!f || folio_pfn(f) != pfn + (unsigned long)i)
			continue;
		err = shrink_anon_folio(sim, f, nr_written);
		if (err)
			return err;
	}
	return 0;
}

/* The heads of the anonymous folios mapped in [start, end), in address order. */
struct folio_batch {
	unsigned long *pfns;
	size_t nr, cap;
};

static int batch_add(struct mmsim *sim, struct folio_batch *b, unsigned long pfn)
{
	unsigned long *pfns;

	if (b->nr && b->pfns[b->nr - 1] == pfn)
		return 0;
	pfns = sim_array_grow(sim, b->pfns, b->nr, &b->cap, sizeof(*pfns));
	if (!pfns)
		return -ENOMEM;
	b->pfns = pfns;
	b->pfns[b->nr++] = pfn;
	return 0;
}

static int collect_folios(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
			  unsigned long end, struct folio_batch *b)
{
	for (unsigned long addr = pmd_table_next(sim, mm, start, end); addr < end;
	     addr = page_walk_next(sim, mm, addr, end)) {
		bool pmd_mapped;
		struct page *page = follow_page(sim, mm, addr, &pmd_mapped);
		struct folio *folio = page ? page_folio(page) : NULL;

		if (!folio || folio_is_zero(folio) || !folio_test_anon(folio))
			continue;
		if (batch_add(sim, b, folio_pfn(folio)))
			return -ENOMEM;
	}
	return 0;
}

/*
 * madvise_cold_or_pageout_pte_range(): a folio another process may map is
 * left alone; one that reaches outside the range is split first, and only
 * its pages inside go.
 */
static int pageout_folio(struct mmsim *sim, struct folio *folio, unsigned long start,
			 unsigned long end, struct mm_struct *mm, unsigned long *nr_written)
{
	bool pmd_mapped;
	unsigned long pfn;
	long nr = folio_nr_pages(folio);
	int err;

	if (folio_maybe_mapped_shared(sim, folio))
		return 0;
	if (!folio_test_large(folio))
		return shrink_anon_folio(sim, folio, nr_written);
	/* Inside the range when its first and last pages are mapped there. */
	for (unsigned long a = pmd_table_next(sim, mm, start, end); a < end;
	     a = page_walk_next(sim, mm, a, end)) {
		struct page *p = follow_page(sim, mm, a, &pmd_mapped);

		if (!p || page_folio(p) != folio)
			continue;
		if (folio_page_idx(sim, folio, p) == 0 &&
		    a + ((unsigned long)nr << PAGE_SHIFT) <= end)
			return shrink_anon_folio(sim, folio, nr_written);
		break;
	}
	pfn = folio_pfn(folio);
	err = split_folio(sim, folio);
	if (err)
		return err == -ENOMEM ? err : 0;
	for (unsigned long a = pmd_table_next(sim, mm, start, end); a < end;
	     a = page_walk_next(sim, mm, a, end)) {
		struct page *p = follow_page(sim, mm, a, &pmd_mapped);
		struct folio *f = p ? page_folio(p) : NULL;

		if (!f || folio_pfn(f) < pfn || folio_pfn(f) >= pfn + (unsigned long)nr ||
		    folio_is_zero(f) || folio_maybe_mapped_shared(sim, f))
			continue;
		err = shrink_anon_folio(sim, f, nr_written);
		if (err)
			return err;
	}
	return 0;
}

int reclaim_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		  unsigned long end, bool shared_too, unsigned long *nr_written)
{
	struct folio_batch b = { 0 };
	int err = collect_folios(sim, mm, start, end, &b);

	for (size_t i = 0; i < b.nr && !err; i++) {
		struct folio *folio = pfn_to_page(sim, b.pfns[i])->folio;

		/* An earlier folio's split or freeing may have changed this frame. */
		if (!folio || folio_pfn(folio) != b.pfns[i] || !folio_test_anon(folio))
			continue;
		err = shared_too ? shrink_anon_folio(sim, folio, nr_written)
				 : pageout_folio(sim, folio, start, end, mm, nr_written);
	}
	sim_free(b.pfns);
	return err;
}
