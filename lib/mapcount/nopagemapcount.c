// SPDX-License-Identifier: MIT
/*
 * Scheme "nopagemapcount": Linux 6.15+ built with CONFIG_NO_PAGE_MAPCOUNT
 * (the CONFIG_NO_PAGE_MAPCOUNT branches of __folio_add_rmap() and
 * __folio_remove_rmap() in mm/rmap.c, folio_average_page_mapcount() in
 * include/linux/rmap.h).
 *
 * No per-page counts: a large folio's pages keep _mapcount at -1 and
 * _nr_pages_mapped is unused. The folio keeps _large_mapcount (every PTE
 * and PMD), _entire_mapcount (PMDs) and the MM-owner slots and shared bit of
 * scheme "linux", so "maybe shared" and the write-fault reuse are exactly
 * 6.18's. What is lost is per-page precision:
 *  - page_mapcount() is -EOPNOTSUPP; /proc reports the folio's average
 *    (kpagecount, smaps PSS) and !maybe_shared (pagemap bit 56, USS);
 *  - "became partially mapped" is guessed from the total alone: after a PTE
 *    unmap, fewer mappings than pages and no PMD mapping. A folio fully
 *    mapped by two mms, half unmapped in one, is not queued; one mapped in
 *    two halves by two mms, one half unmapped, is.
 *  - a large folio counts as mapped in full once any page is mapped: add
 *    and remove report every page when the first mapping comes or the last
 *    one goes, nothing in between.
 */
#include "internal.h"

static int npm_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		   enum rmap_level level, const struct rmap_site *site)
{
	int diff = level == RMAP_LEVEL_PMD ? 1 : nr;

	(void)page;
	/* _large_mapcount under the MM-owner bit spinlock; _entire_mapcount for a PMD */
	mc_folio(sim, folio, mc_new_folio(sim) ? 0 : 2 + (level == RMAP_LEVEL_PMD));
	if (level == RMAP_LEVEL_PMD)
		folio->_entire_mapcount++;
	folio_add_large_mapcount_mm(folio, diff, site->vma->vm_mm);
	/* Was completely unmapped: every page counts as mapped now. */
	return folio->_large_mapcount + 1 == diff ? (int)folio_nr_pages(folio) : 0;
}

static bool npm_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		       enum rmap_level level, const struct rmap_site *site)
{
	bool last = false;
	int mapcount;

	(void)page;
	mc_folio(sim, folio, 2 + (level == RMAP_LEVEL_PMD));
	if (level == RMAP_LEVEL_PMD)
		last = --folio->_entire_mapcount < 0;
	folio_sub_large_mapcount_mm(folio, level == RMAP_LEVEL_PMD ? 1 : nr, site->vma->vm_mm);
	mapcount = folio->_large_mapcount + 1;
	if (!mapcount)
		return false;	/* now completely unmapped */
	if (level == RMAP_LEVEL_PMD)
		return last && mapcount < folio_nr_pages(folio);
	return mapcount < folio_nr_pages(folio) && folio->_entire_mapcount < 0;
}

static bool npm_maybe_mapped_shared(const struct mmsim *sim, const struct folio *folio)
{
	int mapcount;

	mc_question(sim, MMSIM_MC_MAYBE_SHARED, folio);
	mapcount = folio_test_large(folio) ? folio->_large_mapcount + 1 :
		   folio_page(sim, folio, 0)->_mapcount + 1;

	if (!folio_test_large(folio))
		return mapcount > 1;
	return mapcount > 1 && folio->_mm_ids_shared;
}

static int npm_page_mapcount(const struct mmsim *sim, const struct folio *folio,
			     const struct page *page)
{
	mc_question(sim, MMSIM_MC_PAGE_MAPCOUNT, folio);
	if (!folio_test_large(folio))
		return page->_mapcount + 1;
	return -EOPNOTSUPP;
}

/*
 * folio_average_page_mapcount(): PMD mappings count for every page; the
 * PTE mappings are spread over the pages, rounded to the nearest integer.
 */
static int npm_average_page_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	int mapcount, entire;

	mc_question(sim, MMSIM_MC_PAGE_MAPCOUNT, folio);
	mapcount = folio_test_large(folio) ? folio->_large_mapcount + 1 :
		   folio_page(sim, folio, 0)->_mapcount + 1;
	if (!folio_test_large(folio))
		return mapcount;
	if (mapcount <= 0)
		return 0;
	entire = folio->_entire_mapcount + 1;
	if (mapcount <= entire)
		return entire;
	mapcount -= entire;
	return (int)((mapcount + folio_nr_pages(folio) / 2) >> folio->order) + entire;
}

static bool npm_mm_owns_all(const struct mmsim *sim, const struct folio *folio,
			    const struct mm_struct *mm)
{
	return mapcount_linux_ops.mm_owns_all(sim, folio, mm);
}

static int npm_verify(struct mmsim *sim, const struct folio *folio,
		      const struct folio_pgtable_truth *t)
{
	if (!folio_test_large(folio)) {
		if (folio_page(sim, folio, 0)->_mapcount + 1 != t->total)
			return sim_error(sim, -EUCLEAN, "pfn %#lx: _mapcount %d but %d PTEs map it",
					 folio_pfn(folio), folio_page(sim, folio, 0)->_mapcount, t->total);
		return 0;
	}
	for (long i = 0; i < folio_nr_pages(folio); i++)
		if (folio_page(sim, folio, i)->_mapcount != -1)
			return sim_error(sim, -EUCLEAN, "pfn %#lx: per-page _mapcount %d without PAGE_MAPCOUNT",
					 folio_pfn(folio) + i, folio_page(sim, folio, i)->_mapcount);
	if (folio->_nr_pages_mapped)
		return sim_error(sim, -EUCLEAN, "folio %#lx: _nr_pages_mapped %#x without PAGE_MAPCOUNT",
				 folio_pfn(folio), folio->_nr_pages_mapped);
	if (large_mapcount_verify(sim, folio, t))
		return -EUCLEAN;
	if (folio->_entire_mapcount + 1 != t->pmd_maps)
		return sim_error(sim, -EUCLEAN, "folio %#lx: _entire_mapcount %d but %d PMDs map it",
				 folio_pfn(folio), folio->_entire_mapcount, t->pmd_maps);
	return verify_mm_slots(sim, folio, t);
}

const struct mapcount_ops mapcount_nopagemapcount_ops = {
	.name = "nopagemapcount",
	.folio_init = folio_init_mapcounts,
	.small_folio_in_page_mapcount = true,
	.add = npm_add,
	.remove = npm_remove,
	.folio_mapcount = large_mapcount_folio_mapcount,
	.maybe_mapped_shared = npm_maybe_mapped_shared,
	.page_mapcount = npm_page_mapcount,
	.average_page_mapcount = npm_average_page_mapcount,
	.mm_owns_all = npm_mm_owns_all,
	.verify = npm_verify,
	/* _large_mapcount, _entire_mapcount, _mm_ids, 2 slots; nothing per page */
	.bytes_per_folio = 4 + 4 + 8 + 8,
	.bytes_per_page = 0,
};
