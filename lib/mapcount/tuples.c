// SPDX-License-Identifier: MIT
/*
 * Scheme "tuples": Matthew Wilcox's proposal of January 2023 (seed 001,
 * "Folio mapcount"): one mapcount per folio, defined as the number of
 * (vma, page table) pairs that map any page of it. No per-page counts, no
 * MM-owner tracking. A PMD-mapped THP has 1; splitting the PMD keeps 1 (the
 * PTE table replaces the PMD); a folio mapped across a page-table boundary
 * has 2.
 *
 * The proposal keeps no record of which pairs map the folio; it relies on
 * each rmap call covering all the folio's pages in one (vma, page table).
 * We model exactly that and nothing more:
 *  - every add call (a PTE batch or a PMD) adds 1, every remove call
 *    subtracts 1, whatever nr is: the call stands for one pair;
 *  - so when callers do not map or zap a pair's pages together, the count
 *    drifts. "Map three pages, unmap two" leaves 0 while a page is still
 *    mapped (the mail's "we shouldn't decrement the mapcount, but I don't
 *    think we can know that"); unmapping the last page then makes it -1.
 *    Fork duplicating a pair in two batches (a hole in the middle) adds 2
 *    for one pair; try_to_unmap() removes PTE by PTE, -1 each.
 *  - mremap moves PTEs without an rmap call, so a folio moved across a
 *    page-table boundary keeps its old count (see docs/mapcount-schemes.md
 *    for the hook that would fix it).
 * The drift is never a verify() failure: mmsim_mapcount_report() measures
 * it against the pairs the page tables really hold.
 *
 * Answers: folio_mapcount() is the pair count (so it differs from the
 * number of page-table entries, and the refcount checks that compare the
 * two, such as folio split, do not pass for PTE-mapped large folios);
 * "maybe shared" is count > 1 (two pairs may be one mm across a table
 * boundary: a false "shared"; a drifted count can give a false
 * "exclusive"); mm_owns_all() is never true (the mail's own caveat: it
 * answers "is any page mapped", not "does anybody else map it"); no page
 * mapcount: statistics take every pair to map every page once; no
 * partially-mapped detection, so nothing is queued for deferred split.
 *
 * A small folio has one page: every rmap call is exactly one PTE and one
 * pair, so its count is exact.
 *
 * Scheme "tuples-exact" (the same file, the same answers) keeps the count of
 * pairs exact where rmap calls see it change: a PTE batch adds a pair only
 * if no other PTE of the folio is already in that page table, and removes
 * it only if none remains there. Deciding needs a scan of the page table
 * where the folio's other pages can lie (up to nr_pages - nr PTEs), which
 * the cost counters count (scan_ptes). A PMD is always a pair of its own.
 * What no rmap call sees still drifts: mremap moving PTEs to another table,
 * and a VMA split making two pairs of one table (we count tables, as the
 * scan does; docs/mapcount-schemes.md).
 */
#include "../mapcount.h"
#include "../pgtable.h"

#define tuples_count(folio)	((folio)->scheme_private)

static void tuples_folio_init(struct mmsim *sim, struct folio *folio)
{
	folio_init_mapcounts(sim, folio);
	tuples_count(folio) = 0;
}

/* One call, one (vma, page table) pair: see the header for why not more. */
static int tuples_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		      enum rmap_level level, const struct rmap_site *site)
{
	(void)page;
	(void)site;
	mc_folio(sim, folio, !mc_new_folio(sim));
	if (++tuples_count(folio) != 1)
		return 0;
	/* Nothing tells which pages were mapped before: report the call's. */
	return level == RMAP_LEVEL_PMD ? (int)folio_nr_pages(folio) : nr;
}

static bool tuples_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
			  enum rmap_level level, const struct rmap_site *site)
{
	(void)page;
	(void)nr;
	(void)level;
	(void)site;
	mc_folio(sim, folio, 1);
	tuples_count(folio)--;
	/* Which pages stay mapped is unknown: never "partially mapped". */
	return false;
}

/*
 * Whether a PTE in site's page table maps a page of the folio other than the
 * nr from page: the scan tuples-exact pays on every large-folio PTE call.
 * Anonymous pages lie where their index says (linear_page_index()), so only
 * the folio's window in the table is read.
 */
static bool folio_in_table(struct mmsim *sim, const struct folio *folio, const struct page *page,
			   int nr, const struct rmap_site *site)
{
	const struct vm_area_struct *vma = site->vma;
	const pte_t *ptes = (const pte_t *)table_entries(sim, site->pt_pfn);
	long first = folio_page_idx(sim, folio, page), scanned = 0;
	unsigned long pfn = folio_pfn(folio), end = pfn + (unsigned long)folio_nr_pages(folio);
	/* Signed page counts: a page may lie before the VMA (multiplied, not shifted). */
	long addr0 = (long)vma->vm_start +
		     ((long)folio->index + first - (long)vma->vm_pgoff) * (long)PAGE_SIZE;
	long table = (long)((unsigned long)addr0 & PMD_MASK);
	bool found = false;

	for (long i = 0; i < folio_nr_pages(folio) && !found; i++) {
		long addr = addr0 + (i - first) * (long)PAGE_SIZE;
		pte_t pte;

		if ((i >= first && i < first + nr) || addr < table || addr >= table + (long)PMD_SIZE)
			continue;
		pte = ptes[pte_index((unsigned long)addr)];
		scanned++;
		found = pte_present(pte) && pte_pfn(pte) >= pfn && pte_pfn(pte) < end;
	}
	mc_count(sim, 0, scanned, 0);
	return found;
}

static int tuples_exact_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
			    enum rmap_level level, const struct rmap_site *site)
{
	if (level == RMAP_LEVEL_PTE && folio_test_large(folio) &&
	    folio_in_table(sim, folio, page, nr, site)) {
		mc_folio(sim, folio, 0);	/* read, not changed */
		return 0;
	}
	return tuples_add(sim, folio, page, nr, level, site);
}

static bool tuples_exact_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
				enum rmap_level level, const struct rmap_site *site)
{
	if (level == RMAP_LEVEL_PTE && folio_test_large(folio) &&
	    folio_in_table(sim, folio, page, nr, site)) {
		mc_folio(sim, folio, 0);
		return false;
	}
	return tuples_remove(sim, folio, page, nr, level, site);
}

static int tuples_folio_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	mc_question(sim, MMSIM_MC_FOLIO_MAPCOUNT, folio);
	return (int)tuples_count(folio);
}

static bool tuples_maybe_mapped_shared(const struct mmsim *sim, const struct folio *folio)
{
	mc_question(sim, MMSIM_MC_MAYBE_SHARED, folio);
	return tuples_count(folio) > 1;
}

static int tuples_page_mapcount(const struct mmsim *sim, const struct folio *folio,
				const struct page *page)
{
	(void)page;
	mc_question(sim, MMSIM_MC_PAGE_MAPCOUNT, folio);
	if (!folio_test_large(folio))
		return (int)tuples_count(folio);
	return -EOPNOTSUPP;
}

/* Each pair is taken to map every page once; a drifted count reads as 0. */
static int tuples_average_page_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	mc_question(sim, MMSIM_MC_PAGE_MAPCOUNT, folio);
	return tuples_count(folio) > 0 ? (int)tuples_count(folio) : 0;
}

static bool tuples_mm_owns_all(const struct mmsim *sim, const struct folio *folio,
			       const struct mm_struct *mm)
{
	(void)sim;
	(void)folio;
	(void)mm;
	return false;
}

/* Only what cannot drift: small folios, and the fields this scheme leaves alone. */
static int tuples_verify(struct mmsim *sim, const struct folio *folio,
			 const struct folio_pgtable_truth *t)
{
	if (!folio_test_large(folio)) {
		if (tuples_count(folio) != t->total)
			return sim_error(sim, -EUCLEAN, "pfn %#lx: tuple count %d but %d PTEs map it",
					 folio_pfn(folio), tuples_count(folio), t->total);
		return 0;
	}
	for (long i = 0; i < folio_nr_pages(folio); i++)
		if (folio_page(sim, folio, i)->_mapcount != -1)
			return sim_error(sim, -EUCLEAN, "pfn %#lx: per-page _mapcount %d in scheme tuples",
					 folio_pfn(folio) + i, folio_page(sim, folio, i)->_mapcount);
	return 0;
}

const struct mapcount_ops mapcount_tuples_ops = {
	.name = "tuples",
	.folio_init = tuples_folio_init,
	.add = tuples_add,
	.remove = tuples_remove,
	.folio_mapcount = tuples_folio_mapcount,
	.maybe_mapped_shared = tuples_maybe_mapped_shared,
	.page_mapcount = tuples_page_mapcount,
	.average_page_mapcount = tuples_average_page_mapcount,
	.mm_owns_all = tuples_mm_owns_all,
	.verify = tuples_verify,
	/* one atomic_t per folio, nothing per page */
	.bytes_per_folio = 4,
	.bytes_per_page = 0,
	.counts = MAPCOUNT_COUNTS_PAIRS,
};

const struct mapcount_ops mapcount_tuples_exact_ops = {
	.name = "tuples-exact",
	.folio_init = tuples_folio_init,
	.add = tuples_exact_add,
	.remove = tuples_exact_remove,
	.folio_mapcount = tuples_folio_mapcount,
	.maybe_mapped_shared = tuples_maybe_mapped_shared,
	.page_mapcount = tuples_page_mapcount,
	.average_page_mapcount = tuples_average_page_mapcount,
	.mm_owns_all = tuples_mm_owns_all,
	.verify = tuples_verify,
	.bytes_per_folio = 4,
	.bytes_per_page = 0,
	.counts = MAPCOUNT_COUNTS_PAIRS,
};
