/* SPDX-License-Identifier: MIT */
/*
 * Pieces the mapcount schemes share: the pre-6.15 per-page accounting
 * (_mapcount, _entire_mapcount, _nr_pages_mapped) that "legacy" and "large"
 * both keep (mapcount/legacy.c).
 */
#ifndef MMSIM_MAPCOUNT_INTERNAL_H
#define MMSIM_MAPCOUNT_INTERNAL_H

#include "../mapcount.h"

int pagecount_add(struct folio *folio, struct page *page, int nr, enum rmap_level level);
bool pagecount_remove(struct folio *folio, struct page *page, int nr, enum rmap_level level);
/* Counts what the kernel's per-page accounting does for one rmap call (cost model). */
void pagecount_cost(const struct mmsim *sim, const struct folio *folio, const struct page *page,
		    int nr, enum rmap_level level, int folio_atomics, bool first_or_last);
int pagecount_page_mapcount(const struct mmsim *sim, const struct folio *folio,
			    const struct page *page);
int pagecount_verify(struct mmsim *sim, const struct folio *folio,
		     const struct folio_pgtable_truth *t);
/* The per-page part of it alone: _mapcount, _entire_mapcount, _nr_pages_mapped. */
int pagecount_verify_pages(struct mmsim *sim, const struct folio *folio,
			   const struct folio_pgtable_truth *t);

/*
 * folio_mapcount() since 6.10 (lib/mapcount/large.c): a small folio's page
 * _mapcount, a large one's _large_mapcount. Shared by large, linux and
 * nopagemapcount.
 */
int large_mapcount_folio_mapcount(const struct mmsim *sim, const struct folio *folio);
/* _large_mapcount against every PTE and PMD the walk found (large folios). */
int large_mapcount_verify(struct mmsim *sim, const struct folio *folio,
			  const struct folio_pgtable_truth *t);
/* The pre-6.15 folio_likely_mapped_shared() guess, given folio_mapcount(). */
bool pagecount_likely_mapped_shared(const struct mmsim *sim, const struct folio *folio,
				    int mapcount);

#endif /* MMSIM_MAPCOUNT_INTERNAL_H */
