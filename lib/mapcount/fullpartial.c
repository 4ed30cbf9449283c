// SPDX-License-Identifier: MIT
/*
 * Scheme "fullpartial": Zi Yan's reply to the tuples proposal (seed 001):
 * two counters per folio, full_folio_mapcount and partial_folio_mapcount,
 * "if partial_folio_mapcount is 0, we can have a fast path without doing
 * anything at page level". The thread never spelled out the rules; these
 * are OUR READING, chosen so that the page-level work happens only for
 * partial mappings and every count stays exact:
 *
 *  - full (scheme_private): mappings that cover every page of the folio
 *    once: a PMD, or one rmap call adding PTEs for all its pages (a fault,
 *    fork's copy of a whole batch, a PMD split). pmd
 *    (scheme_private_large[1]) says how many of them are PMDs, since a PMD
 *    is one page-table entry and a PTE mapping of the whole folio is
 *    nr_pages of them.
 *  - partial (scheme_private_large[0]): PTEs that map the folio outside a
 *    full mapping; page->_mapcount (biased by -1) holds each page's share
 *    of them. While partial is 0 no page is looked at.
 *  - Adding fewer PTEs than the folio has pages: partial += nr, and each
 *    page's count += 1. Two partial mappings that happen to cover the folio
 *    between them stay partial (nothing says they are one mapping).
 *  - Removing PTEs of the whole folio in one call while a full PTE mapping
 *    exists: full -= 1. Otherwise, page by page: a page with a partial count
 *    loses one from it; a page without one belongs only to full mappings,
 *    so one full PTE mapping is demoted: full -= 1 and every page gains a
 *    partial count (partial += nr_pages), then that page loses one. Either
 *    way each page's total (full + its partial count) drops by exactly one.
 *  - Removing a PMD: full -= 1, pmd -= 1.
 *
 * Answers: page_mapcount = full + the page's partial count, exact and O(1);
 * folio_mapcount = pmd + (full - pmd) * nr_pages + partial, exact and O(1).
 * "Maybe shared": an mm maps each anonymous page at most once, so two full
 * mappings, or a full one beside any partial PTE, are two mms (exact); with
 * only partial mappings, some page counted twice means shared, otherwise
 * "exclusive", a false one when two mms map disjoint parts. mm_owns_all:
 * true only for a single full mapping and no partial one (it must be the
 * faulting mm's). "Partially mapped": no full mapping left and some but not
 * all pages mapped after pages went unmapped, the 6.18 rule, computed at
 * page level only when partial mappings exist.
 *
 * A small folio's one page is mapped in full or not at all: it keeps only
 * full, since partial and pmd lie where a small folio has no room (struct
 * folio); both read as 0 for it.
 */
#include "../mapcount.h"

#define fp_full(folio)		((folio)->scheme_private)
#define fp_partial(folio)	((folio)->scheme_private_large[0])
#define fp_pmd(folio)		((folio)->scheme_private_large[1])

/* partial and pmd as a small folio's reader sees them: 0. */
static int fp_nr_partial(const struct folio *folio)
{
	return folio_test_large(folio) ? fp_partial(folio) : 0;
}

static int fp_nr_pmd(const struct folio *folio)
{
	return folio_test_large(folio) ? fp_pmd(folio) : 0;
}

static void fp_folio_init(struct mmsim *sim, struct folio *folio)
{
	folio_init_mapcounts(sim, folio);
	fp_full(folio) = 0;
	if (!folio_test_large(folio))
		return;
	fp_partial(folio) = 0;
	fp_pmd(folio) = 0;
}

/* Pages with any mapping: every page under a full mapping, else the slow path. */
static long fp_pages_mapped(const struct mmsim *sim, const struct folio *folio)
{
	long mapped = 0;

	if (fp_full(folio))
		return folio_nr_pages(folio);
	if (fp_nr_partial(folio))
		mc_pages(sim, folio_pfn(folio), folio_nr_pages(folio), 0);
	for (long i = 0; i < folio_nr_pages(folio) && fp_nr_partial(folio); i++)
		mapped += folio_page(sim, folio, i)->_mapcount >= 0;
	return mapped;
}

static int fp_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		  enum rmap_level level, const struct rmap_site *site)
{
	long before = fp_pages_mapped(sim, folio);

	(void)site;
	if (level == RMAP_LEVEL_PMD) {
		mc_folio(sim, folio, mc_new_folio(sim) ? 0 : 2);
		fp_full(folio)++;
		fp_pmd(folio)++;
	} else if (nr == folio_nr_pages(folio)) {
		mc_folio(sim, folio, !mc_new_folio(sim));
		fp_full(folio)++;
	} else {
		mc_folio(sim, folio, 1);
		mc_pages(sim, page_to_pfn(sim, page), nr, 1);
		for (int i = 0; i < nr; i++)
			page[i]._mapcount++;
		fp_partial(folio) += nr;
	}
	return (int)(fp_pages_mapped(sim, folio) - before);
}

/* A page mapped only by full mappings loses one: demote a full PTE mapping. */
static void fp_demote(struct mmsim *sim, struct folio *folio)
{
	mc_folio(sim, folio, 2);
	mc_pages(sim, folio_pfn(folio), folio_nr_pages(folio), 1);
	for (long i = 0; i < folio_nr_pages(folio); i++)
		folio_page(sim, folio, i)->_mapcount++;
	fp_partial(folio) += folio_nr_pages(folio);
	fp_full(folio)--;
}

static bool fp_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		      enum rmap_level level, const struct rmap_site *site)
{
	long nr_pages = folio_nr_pages(folio);
	bool unmapped = false;

	(void)site;
	if (!folio_test_large(folio)) {
		mc_folio(sim, folio, 1);
		fp_full(folio)--;
		return false;
	}
	if (level == RMAP_LEVEL_PMD) {
		mc_folio(sim, folio, 2);
		fp_full(folio)--;
		fp_pmd(folio)--;
		/* The PMD covered every page: partial only if PTEs map some, not all. */
		if (fp_full(folio) || !fp_partial(folio))
			return false;
		return fp_pages_mapped(sim, folio) < nr_pages;
	}
	if (nr == nr_pages && fp_full(folio) > fp_pmd(folio)) {
		mc_folio(sim, folio, 1);
		fp_full(folio)--;
		return false;
	}
	mc_folio(sim, folio, 1);
	mc_pages(sim, page_to_pfn(sim, page), nr, 1);
	for (int i = 0; i < nr; i++) {
		/* Only full mappings map it, and one of them is by PTEs. */
		if (page[i]._mapcount < 0)
			fp_demote(sim, folio);
		page[i]._mapcount--;
		fp_partial(folio)--;
	}
	if (fp_full(folio))
		return false;
	for (int i = 0; i < nr; i++)
		unmapped |= page[i]._mapcount < 0;
	return unmapped && fp_partial(folio) > 0;
}

static int fp_entries(const struct folio *folio)
{
	return (int)(fp_nr_pmd(folio) + (fp_full(folio) - fp_nr_pmd(folio)) * folio_nr_pages(folio) +
		     fp_nr_partial(folio));
}

static int fp_folio_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	mc_question(sim, MMSIM_MC_FOLIO_MAPCOUNT, folio);
	return fp_entries(folio);
}

static bool fp_maybe_mapped_shared(const struct mmsim *sim, const struct folio *folio)
{
	mc_question(sim, MMSIM_MC_MAYBE_SHARED, folio);
	if (fp_full(folio) >= 2 || (fp_full(folio) && fp_nr_partial(folio)))
		return true;
	if (fp_full(folio) || !fp_nr_partial(folio))
		return false;
	/* Only partial mappings: the page-level slow path. */
	mc_begin(sim, MMSIM_MC_MAYBE_SHARED);
	mc_pages(sim, folio_pfn(folio), folio_nr_pages(folio), 0);
	mc_end(sim);
	for (long i = 0; i < folio_nr_pages(folio); i++)
		if (folio_page(sim, folio, i)->_mapcount > 0)
			return true;
	return false;
}

static int fp_page_mapcount(const struct mmsim *sim, const struct folio *folio,
			    const struct page *page)
{
	mc_begin(sim, MMSIM_MC_PAGE_MAPCOUNT);
	mc_folio(sim, folio, 0);
	mc_pages(sim, page_to_pfn(sim, page), 1, 0);
	mc_end(sim);
	return page->_mapcount + 1 + (int)fp_full(folio);
}

static bool fp_mm_owns_all(const struct mmsim *sim, const struct folio *folio,
			   const struct mm_struct *mm)
{
	(void)mm;
	mc_question(sim, MMSIM_MC_OWNS_ALL, folio);
	return fp_full(folio) == 1 && !fp_nr_partial(folio);
}

/* Every count is exact; only the "shared" guess may err, which is reported. */
static int fp_verify(struct mmsim *sim, const struct folio *folio, const struct folio_pgtable_truth *t)
{
	long pte_full = fp_full(folio) - fp_nr_pmd(folio), partial = 0;

	if (fp_nr_pmd(folio) != t->pmd_maps || pte_full < 0)
		return sim_error(sim, -EUCLEAN, "folio %#lx: %d full mappings, %d PMDs, truth %d PMDs",
				 folio_pfn(folio), fp_full(folio), fp_nr_pmd(folio), t->pmd_maps);
	for (long i = 0; i < folio_nr_pages(folio); i++) {
		const struct page *page = folio_page(sim, folio, i);

		if (page->_mapcount + 1 + pte_full != t->pte_maps[i])
			return sim_error(sim, -EUCLEAN,
					 "pfn %#lx: partial count %d + %ld full PTE mappings but %d PTEs map it",
					 folio_pfn(folio) + i, page->_mapcount + 1, pte_full, t->pte_maps[i]);
		partial += page->_mapcount + 1;
	}
	if (partial != fp_nr_partial(folio))
		return sim_error(sim, -EUCLEAN, "folio %#lx: partial_folio_mapcount %d, pages say %ld",
				 folio_pfn(folio), fp_nr_partial(folio), partial);
	if (fp_entries(folio) != t->total)
		return sim_error(sim, -EUCLEAN, "folio %#lx: mapcount %d but %d entries map it",
				 folio_pfn(folio), fp_entries(folio), t->total);
	return 0;
}

const struct mapcount_ops mapcount_fullpartial_ops = {
	.name = "fullpartial",
	.folio_init = fp_folio_init,
	.add = fp_add,
	.remove = fp_remove,
	.folio_mapcount = fp_folio_mapcount,
	.maybe_mapped_shared = fp_maybe_mapped_shared,
	.page_mapcount = fp_page_mapcount,
	.mm_owns_all = fp_mm_owns_all,
	.verify = fp_verify,
	/* full, partial, PMD share of full; a partial count in every page */
	.bytes_per_folio = 4 + 4 + 4,
	.bytes_per_page = 4,
};
