// SPDX-License-Identifier: MIT
/*
 * Scheme "large": the folio mapcounts of Linux 6.10 to 6.14 (6.12's
 * __folio_add_rmap()/__folio_remove_rmap() and folio_large_mapcount()).
 *
 * The per-page accounting of "legacy" (mapcount/legacy.c) plus
 * _large_mapcount (biased by -1): every PTE and PMD that maps the folio,
 * changed once per rmap batch (+-nr for PTEs, +-1 for a PMD), so
 * folio_mapcount() is O(1) and each such entry pairs with one folio
 * reference. There is still no MM-owner tracking: "maybe shared" is the same
 * first-page guess, and a write fault never reuses a large folio mapped by
 * PTEs unless the page is PageAnonExclusive (mm_owns_all is always false).
 */
#include "internal.h"

static int large_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		     enum rmap_level level, const struct rmap_site *site)
{
	(void)site;
	/* and one more atomic for _large_mapcount */
	pagecount_cost(sim, folio, page, nr, level, 2, folio->_entire_mapcount == -1);
	if (folio_test_large(folio))
		folio->_large_mapcount += level == RMAP_LEVEL_PMD ? 1 : nr;
	return pagecount_add(folio, page, nr, level);
}

static bool large_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
			 enum rmap_level level, const struct rmap_site *site)
{
	(void)site;
	pagecount_cost(sim, folio, page, nr, level, 2, folio->_entire_mapcount == 0);
	if (folio_test_large(folio))
		folio->_large_mapcount -= level == RMAP_LEVEL_PMD ? 1 : nr;
	return pagecount_remove(folio, page, nr, level);
}

int large_mapcount_folio_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	mc_question(sim, MMSIM_MC_FOLIO_MAPCOUNT, folio);
	if (!folio_test_large(folio))
		return folio_page(sim, folio, 0)->_mapcount + 1;
	return folio->_large_mapcount + 1;
}

int large_mapcount_verify(struct mmsim *sim, const struct folio *folio,
			  const struct folio_pgtable_truth *t)
{
	if (folio_test_large(folio) && folio->_large_mapcount + 1 != t->total)
		return sim_error(sim, -EUCLEAN, "folio %#lx: _large_mapcount %d but %d entries map it",
				 folio_pfn(folio), folio->_large_mapcount, t->total);
	return 0;
}

/* _large_mapcount, then the first page's count. */
static bool large_maybe_mapped_shared(const struct mmsim *sim, const struct folio *folio)
{
	bool shared;

	mc_begin(sim, MMSIM_MC_MAYBE_SHARED);
	mc_pages(sim, folio_pfn(folio), 1, 0);
	shared = pagecount_likely_mapped_shared(sim, folio, large_mapcount_folio_mapcount(sim, folio));
	mc_end(sim);
	return shared;
}

/* 6.10-6.14 copy a PTE-mapped large folio on every write fault. */
static bool large_mm_owns_all(const struct mmsim *sim, const struct folio *folio,
			      const struct mm_struct *mm)
{
	(void)sim;
	(void)folio;
	(void)mm;
	return false;
}

static int large_verify(struct mmsim *sim, const struct folio *folio,
			const struct folio_pgtable_truth *t)
{
	return pagecount_verify(sim, folio, t) ?: large_mapcount_verify(sim, folio, t);
}

const struct mapcount_ops mapcount_large_ops = {
	.name = "large",
	.folio_init = folio_init_mapcounts,	/* no MM-owner tracking: the slots stay free */
	.small_folio_in_page_mapcount = true,
	.add = large_add,
	.remove = large_remove,
	.folio_mapcount = large_mapcount_folio_mapcount,
	.maybe_mapped_shared = large_maybe_mapped_shared,
	.page_mapcount = pagecount_page_mapcount,
	.mm_owns_all = large_mm_owns_all,
	.verify = large_verify,
	/* _large_mapcount, _entire_mapcount, _nr_pages_mapped; _mapcount in every page */
	.bytes_per_folio = 4 + 4 + 4,
	.bytes_per_page = 4,
};
