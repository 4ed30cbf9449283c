/* SPDX-License-Identifier: MIT */
/*
 * The folio mapcount scheme: every rmap add/remove and every mapcount
 * question goes through one ops table, chosen per instance, so that the
 * kernel's schemes and the proposals of seed 001 can run side by side.
 * The hooks mirror __folio_add_rmap() and __folio_remove_rmap() in mm/rmap.c.
 */
#ifndef MMSIM_MAPCOUNT_H
#define MMSIM_MAPCOUNT_H

#include "sim.h"

enum rmap_level {
	RMAP_LEVEL_PTE,
	RMAP_LEVEL_PMD,
};

/* Where a batch of mappings lives: for schemes that count (vma, page table) pairs. */
struct rmap_site {
	struct vm_area_struct *vma;
	unsigned long pt_pfn;		/* the page table holding the entries */
};

/* What walking every page table says about one folio (mapcount/truth.c). */
struct folio_truth {
	int pte_maps[HPAGE_PMD_NR];	/* PTE mappings of each page */
	int pmd_maps;			/* PMD mappings of the whole folio */
	int total;			/* every PTE and PMD mapping */
	int nr_mms;			/* distinct mms that map any page */
	unsigned int *mm_ids;		/* those mms' ids, in the order the walk met them */
	int *mm_maps;			/* mappings by each of them */
};

/* Mappings of the folio by the mm with this id, according to the truth. */
static inline int truth_mm_maps(const struct folio_truth *t, unsigned int mm_id)
{
	for (int i = 0; i < t->nr_mms; i++)
		if (t->mm_ids[i] == mm_id)
			return t->mm_maps[i];
	return 0;
}

struct mapcount_ops {
	const char *name;
	/* A new folio: nothing mapped. */
	void (*folio_init)(struct mmsim *sim, struct folio *folio);
	/*
	 * nr pages from page (PTE level) or the whole folio (PMD level) gain one
	 * mapping each, in site->vma. Returns how many pages became mapped.
	 */
	int (*add)(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		   enum rmap_level level, const struct rmap_site *site);
	/*
	 * The reverse. Returns true when the folio is left partially mapped, so
	 * the caller queues it for deferred split.
	 */
	bool (*remove)(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		       enum rmap_level level, const struct rmap_site *site);

	/* folio_mapcount(): page-table entries mapping the folio. */
	int (*folio_mapcount)(const struct mmsim *sim, const struct folio *folio);
	/* folio_maybe_mapped_shared(): may another mm map it? Never a false "no". */
	bool (*maybe_mapped_shared)(const struct mmsim *sim, const struct folio *folio);
	/* Precise mapcount of one page, or -EOPNOTSUPP when the scheme has none. */
	int (*page_mapcount)(const struct mmsim *sim, const struct folio *folio,
			     const struct page *page);
	/* Does mm own every mapping of this large folio (the 6.15+ reuse check)? */
	bool (*mm_owns_all)(const struct mmsim *sim, const struct folio *folio,
			    const struct mm_struct *mm);
	/* Compare the scheme's state with the truth; 0 or -EUCLEAN with a reason. */
	int (*verify)(struct mmsim *sim, const struct folio *folio,
		      const struct folio_truth *truth);
	/* Metadata the scheme keeps. */
	unsigned int bytes_per_folio, bytes_per_page;
};

extern const struct mapcount_ops mapcount_linux_ops;

static inline int folio_mapcount(const struct mmsim *sim, const struct folio *folio)
{
	return sim->mapcount->folio_mapcount(sim, folio);
}

static inline bool folio_mapped(const struct mmsim *sim, const struct folio *folio)
{
	return folio_mapcount(sim, folio) > 0;
}

static inline bool folio_maybe_mapped_shared(const struct mmsim *sim,
					     const struct folio *folio)
{
	return sim->mapcount->maybe_mapped_shared(sim, folio);
}

#endif /* MMSIM_MAPCOUNT_H */
