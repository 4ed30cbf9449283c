// SPDX-License-Identifier: MIT
/*
 * Scheme "legacy": the folio mapcounts of Linux before 6.10 (6.9's
 * __folio_add_rmap()/__folio_remove_rmap() in mm/rmap.c and
 * folio_likely_mapped_shared() in include/linux/mm.h).
 *
 * Every page keeps its own _mapcount (PTE mappings, biased by -1); the folio
 * keeps _entire_mapcount (PMD mappings, biased by -1) and _nr_pages_mapped
 * (pages with a PTE mapping, + ENTIRELY_MAPPED while PMD-mapped). There is
 * no folio-wide total: folio_mapcount() of a large folio sums every page
 * (512 cache lines for a 2 MiB folio). Nobody knows which mm maps what, so
 * "maybe shared" is a guess from the first page, which can say "exclusive"
 * of a folio two mms map in disjoint parts; that was safe because a write
 * fault never reused a large folio mapped by PTEs (mm_owns_all is always
 * false: only PageAnonExclusive lets a write keep the folio).
 *
 * The same per-page code serves scheme "large" (mapcount/large.c).
 */
#include "internal.h"

/* __folio_add_rmap() before 6.10: returns how many pages became mapped. */
int pagecount_add(struct folio *folio, struct page *page, int nr, enum rmap_level level)
{
	int first = 0;

	if (level == RMAP_LEVEL_PTE) {
		for (int i = 0; i < nr; i++)
			first += ++page[i]._mapcount == 0;
		folio->_nr_pages_mapped += first;
		return folio->_nr_pages_mapped >= ENTIRELY_MAPPED ? 0 : first;
	}

	if (++folio->_entire_mapcount != 0)
		return 0;
	folio->_nr_pages_mapped += ENTIRELY_MAPPED;
	return (int)folio_nr_pages(folio) - (folio->_nr_pages_mapped - ENTIRELY_MAPPED);
}

/* __folio_remove_rmap(): true when pages went unmapped and others stay mapped. */
bool pagecount_remove(struct folio *folio, struct page *page, int nr, enum rmap_level level)
{
	int last = 0, unmapped;

	if (level == RMAP_LEVEL_PTE) {
		for (int i = 0; i < nr; i++)
			last += --page[i]._mapcount < 0;
		folio->_nr_pages_mapped -= last;
		unmapped = folio->_nr_pages_mapped >= ENTIRELY_MAPPED ? 0 : last;
		return unmapped && folio->_nr_pages_mapped;
	}

	if (--folio->_entire_mapcount >= 0)
		return false;
	folio->_nr_pages_mapped -= ENTIRELY_MAPPED;
	unmapped = (int)folio_nr_pages(folio) - folio->_nr_pages_mapped;
	return unmapped && unmapped < folio_nr_pages(folio);
}

int pagecount_page_mapcount(const struct mmsim *sim, const struct folio *folio,
			    const struct page *page)
{
	int mapcount = page->_mapcount + 1;

	mc_begin(sim, MMSIM_MC_PAGE_MAPCOUNT);
	mc_pages(sim, page_to_pfn(sim, page), 1, 0);
	if (folio_test_large(folio)) {
		mc_folio(sim, folio, 0);	/* _entire_mapcount */
		mapcount += folio->_entire_mapcount + 1;
	}
	mc_end(sim);
	return mapcount;
}

/*
 * What the pre-6.15 __folio_add_rmap()/__folio_remove_rmap() do besides the
 * folio counters: an atomic on every page's _mapcount (atomic_set() on a
 * new folio), and, for PMDs, on _entire_mapcount and, on the first or last
 * one, _nr_pages_mapped. folio_atomics: what the scheme adds for a PTE batch.
 */
void pagecount_cost(const struct mmsim *sim, const struct folio *folio, const struct page *page,
		    int nr, enum rmap_level level, int folio_atomics, bool first_or_last)
{
	bool set = mc_new_folio(sim);

	if (level == RMAP_LEVEL_PTE)
		mc_pages(sim, page_to_pfn(sim, page), nr, !set);
	mc_folio(sim, folio, set ? 0 : folio_atomics + (level == RMAP_LEVEL_PMD ? first_or_last : 0));
}

/*
 * folio_likely_mapped_shared() of 6.9-6.14: more mappings than pages, or a
 * PMD mapping beside any other, mean some page is mapped twice, which in
 * one mm cannot happen; otherwise guess from the first page.
 */
bool pagecount_likely_mapped_shared(const struct mmsim *sim, const struct folio *folio,
				    int mapcount)
{
	if (!folio_test_large(folio))
		return mapcount > 1;
	if (mapcount <= 1)
		return false;
	if (folio->_entire_mapcount >= 0 || mapcount > folio_nr_pages(folio))
		return true;
	return folio_page(sim, folio, 0)->_mapcount > 0;
}

/* The per-page counts are exact: check each against the walk. */
int pagecount_verify_pages(struct mmsim *sim, const struct folio *folio,
			   const struct folio_pgtable_truth *t)
{
	long nr = folio_nr_pages(folio);
	int mapped = 0;

	for (long i = 0; i < nr; i++) {
		const struct page *page = folio_page(sim, folio, i);

		if (page->_mapcount + 1 != t->pte_maps[i])
			return sim_error(sim, -EUCLEAN, "pfn %#lx: _mapcount %d but %d PTEs map it",
					 folio_pfn(folio) + i, page->_mapcount, t->pte_maps[i]);
		mapped += t->pte_maps[i] > 0;
	}
	if (!folio_test_large(folio))
		return 0;
	if (folio->_entire_mapcount + 1 != t->pmd_maps)
		return sim_error(sim, -EUCLEAN, "folio %#lx: _entire_mapcount %d but %d PMDs map it",
				 folio_pfn(folio), folio->_entire_mapcount, t->pmd_maps);
	if (folio->_nr_pages_mapped != mapped + (t->pmd_maps ? ENTIRELY_MAPPED : 0))
		return sim_error(sim, -EUCLEAN, "folio %#lx: _nr_pages_mapped %#x, %d pages PTE-mapped",
				 folio_pfn(folio), folio->_nr_pages_mapped, mapped);
	return 0;
}

/* The per-page counts, and no MM-owner state: legacy and large have none. */
int pagecount_verify(struct mmsim *sim, const struct folio *folio,
		     const struct folio_pgtable_truth *t)
{
	int err = pagecount_verify_pages(sim, folio, t);

	if (err || !folio_test_large(folio))
		return err;
	if (folio->_mm_id[0] || folio->_mm_id[1] || folio->_mm_ids_shared)
		return sim_error(sim, -EUCLEAN, "folio %#lx: MM-owner state in a scheme without it",
				 folio_pfn(folio));
	return 0;
}

/* 6.9: the page counts and _nr_pages_mapped (PTEs) or _entire_mapcount (PMDs). */
static int legacy_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		      enum rmap_level level, const struct rmap_site *site)
{
	(void)site;
	pagecount_cost(sim, folio, page, nr, level, 1, folio->_entire_mapcount == -1);
	return pagecount_add(folio, page, nr, level);
}

static bool legacy_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
			  enum rmap_level level, const struct rmap_site *site)
{
	(void)site;
	pagecount_cost(sim, folio, page, nr, level, 1, folio->_entire_mapcount == 0);
	return pagecount_remove(folio, page, nr, level);
}

/*
 * folio_mapcount() before 6.10: the entire mapcount plus a loop over every
 * page, which 6.9 skips when no page is mapped by a PTE.
 */
static int legacy_folio_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	int mapcount;

	mc_begin(sim, MMSIM_MC_FOLIO_MAPCOUNT);
	mc_folio(sim, folio, 0);
	if (!folio_test_large(folio)) {
		mc_end(sim);
		return folio_page(sim, folio, 0)->_mapcount + 1;
	}
	mapcount = folio->_entire_mapcount + 1;
	if (folio->_nr_pages_mapped == (mapcount ? ENTIRELY_MAPPED : 0)) {
		mc_end(sim);
		return mapcount;
	}
	mc_pages(sim, folio_pfn(folio), folio_nr_pages(folio), 0);
	mc_end(sim);
	for (long i = 0; i < folio_nr_pages(folio); i++)
		mapcount += folio_page(sim, folio, i)->_mapcount + 1;
	return mapcount;
}

/* The loop of folio_mapcount(), then the first page's count. */
static bool legacy_maybe_mapped_shared(const struct mmsim *sim, const struct folio *folio)
{
	bool shared;

	mc_begin(sim, MMSIM_MC_MAYBE_SHARED);
	shared = pagecount_likely_mapped_shared(sim, folio, legacy_folio_mapcount(sim, folio));
	mc_end(sim);
	return shared;
}

/* A large folio mapped by PTEs was always copied on a write fault. */
static bool legacy_mm_owns_all(const struct mmsim *sim, const struct folio *folio,
			       const struct mm_struct *mm)
{
	(void)sim;
	(void)folio;
	(void)mm;
	return false;
}

/*
 * The counts are exact; the "shared" guess may be a false "exclusive", which
 * the accuracy report (mmsim_mapcount_report()) counts instead of failing.
 */
static int legacy_verify(struct mmsim *sim, const struct folio *folio,
			 const struct folio_pgtable_truth *t)
{
	int err = pagecount_verify(sim, folio, t);

	if (!err && folio_test_large(folio) && folio->_large_mapcount != -1)
		return sim_error(sim, -EUCLEAN, "folio %#lx: _large_mapcount used by legacy",
				 folio_pfn(folio));
	return err;
}

const struct mapcount_ops mapcount_legacy_ops = {
	.name = "legacy",
	.folio_init = folio_init_mapcounts,	/* no MM-owner tracking: the slots stay free */
	.small_folio_in_page_mapcount = true,
	.add = legacy_add,
	.remove = legacy_remove,
	.folio_mapcount = legacy_folio_mapcount,
	.maybe_mapped_shared = legacy_maybe_mapped_shared,
	.page_mapcount = pagecount_page_mapcount,
	.mm_owns_all = legacy_mm_owns_all,
	.verify = legacy_verify,
	/* _entire_mapcount, _nr_pages_mapped; _mapcount in every page */
	.bytes_per_folio = 4 + 4,
	.bytes_per_page = 4,
};
