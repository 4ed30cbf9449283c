// SPDX-License-Identifier: MIT
/*
 * Scheme "mappedpages": David Hildenbrand's RFC "mm/rmap: support arbitrary
 * folio mappings" ([PATCH RFC 00/13], linux-mm, 12 April 2026, Message-ID
 * 20260412-mapcount-v1-0-05e8dfab52e0@kernel.org, "v1"), as its cover letter
 * describes it; the patches themselves were not available to us, so the
 * field rules below are OUR READING of that letter.
 *
 * CONFIG_PAGE_MAPCOUNT is gone: no large folio page ever has a _mapcount,
 * and _nr_pages_mapped is not kept. _entire_mapcount becomes a count of the
 * folio's mapped pages, "total mapped pages" (scheme_private_large[0]): a
 * PTE adds 1, a PMD adds every page it maps, so a folio larger than a PMD
 * could be mapped by several PMDs, or in any mix (what "arbitrary folio
 * mappings" means; mmsim has no folio larger than a PMD). _large_mapcount
 * (every page-table entry) and the 6.15+ MM-owner slots stay as they are.
 *
 * Answers: folio_mapcount() is _large_mapcount, O(1); "maybe shared" and
 * the large-folio reuse on write are 6.18's (MM-owner slots); a page's
 * mapcount is always the folio's average, total mapped pages / nr_pages,
 * rounded to the nearest as folio_average_page_mapcount() does; a folio
 * counts as mapped in full once any page is (AnonPages, Mapped); it is
 * "partially mapped" when after an unmap fewer pages are mapped in total
 * than it has (so some page is certainly unmapped). For folios no larger
 * than a PMD these are nopagemapcount's answers: the difference is that the
 * kernel has no other mode, and /proc says so for every large folio
 * (docs/mapcount-schemes.md).
 */
#include "internal.h"

#define mapped_pages(folio)	((folio)->scheme_private_large[0])

static void mp_folio_init(struct mmsim *sim, struct folio *folio)
{
	folio_init_mapcounts(sim, folio);
	if (folio_test_large(folio))
		mapped_pages(folio) = 0;
}

/* The pages this call maps or unmaps: one per PTE, all for a PMD. */
static int mp_pages(const struct folio *folio, int nr, enum rmap_level level)
{
	return level == RMAP_LEVEL_PMD ? (int)folio_nr_pages(folio) : nr;
}

static int mp_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		  enum rmap_level level, const struct rmap_site *site)
{
	bool was_unmapped = mapped_pages(folio) == 0;

	(void)page;
	/* _large_mapcount and the slots under their bit spinlock, and the page total */
	mc_folio(sim, folio, mc_new_folio(sim) ? 0 : 3);
	mapped_pages(folio) += mp_pages(folio, nr, level);
	folio_add_large_mapcount_mm(folio, level == RMAP_LEVEL_PMD ? 1 : nr, site->vma->vm_mm);
	return was_unmapped ? (int)folio_nr_pages(folio) : 0;
}

static bool mp_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		      enum rmap_level level, const struct rmap_site *site)
{
	(void)page;
	mc_folio(sim, folio, 3);
	mapped_pages(folio) -= mp_pages(folio, nr, level);
	folio_sub_large_mapcount_mm(folio, level == RMAP_LEVEL_PMD ? 1 : nr, site->vma->vm_mm);
	return mapped_pages(folio) > 0 && mapped_pages(folio) < folio_nr_pages(folio);
}

static bool mp_maybe_mapped_shared(const struct mmsim *sim, const struct folio *folio)
{
	return mapcount_nopagemapcount_ops.maybe_mapped_shared(sim, folio);
}

static int mp_page_mapcount(const struct mmsim *sim, const struct folio *folio,
			    const struct page *page)
{
	return mapcount_nopagemapcount_ops.page_mapcount(sim, folio, page);
}

/* folio_average_page_mapcount(): the page total over the pages, rounded. */
static int mp_average_page_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	long nr = folio_nr_pages(folio);

	mc_question(sim, MMSIM_MC_PAGE_MAPCOUNT, folio);
	if (!folio_test_large(folio))
		return folio_page(sim, folio, 0)->_mapcount + 1;
	return (int)((mapped_pages(folio) + nr / 2) / nr);
}

static bool mp_mm_owns_all(const struct mmsim *sim, const struct folio *folio,
			   const struct mm_struct *mm)
{
	return mapcount_linux_ops.mm_owns_all(sim, folio, mm);
}

static int mp_verify(struct mmsim *sim, const struct folio *folio, const struct folio_pgtable_truth *t)
{
	long nr = folio_nr_pages(folio), pages = (long)t->pmd_maps * nr;

	if (!folio_test_large(folio))
		return mapcount_nopagemapcount_ops.verify(sim, folio, t);
	for (long i = 0; i < nr; i++) {
		if (folio_page(sim, folio, i)->_mapcount != -1)
			return sim_error(sim, -EUCLEAN, "pfn %#lx: per-page _mapcount %d in mappedpages",
					 folio_pfn(folio) + i, folio_page(sim, folio, i)->_mapcount);
		pages += t->pte_maps[i];
	}
	if (folio->_nr_pages_mapped || folio->_entire_mapcount != -1)
		return sim_error(sim, -EUCLEAN, "folio %#lx: _nr_pages_mapped %#x, _entire_mapcount %d"
				 " in mappedpages", folio_pfn(folio), folio->_nr_pages_mapped,
				 folio->_entire_mapcount);
	if (mapped_pages(folio) != pages)
		return sim_error(sim, -EUCLEAN, "folio %#lx: %d mapped pages counted, the tables map %ld",
				 folio_pfn(folio), mapped_pages(folio), pages);
	return large_mapcount_verify(sim, folio, t) ?: verify_mm_slots(sim, folio, t);
}

const struct mapcount_ops mapcount_mappedpages_ops = {
	.name = "mappedpages",
	.folio_init = mp_folio_init,
	.small_folio_in_page_mapcount = true,
	.add = mp_add,
	.remove = mp_remove,
	.folio_mapcount = large_mapcount_folio_mapcount,
	.maybe_mapped_shared = mp_maybe_mapped_shared,
	.page_mapcount = mp_page_mapcount,
	.average_page_mapcount = mp_average_page_mapcount,
	.mm_owns_all = mp_mm_owns_all,
	.verify = mp_verify,
	/* _large_mapcount, total mapped pages, _mm_ids, 2 slots; nothing per page */
	.bytes_per_folio = 4 + 4 + 8 + 8,
	.bytes_per_page = 0,
};
