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
	/*
	 * Mappings by the mms in the folio's two MM-owner slots (_mm_id[]):
	 * the only per-mm counts a scheme checks, so the checker keeps no
	 * list of mms per folio.
	 */
	unsigned int mm_ids[2];
	int mm_maps[2];
};

/* Mappings of the folio by the mm with this id (one of its MM-owner slots). */
static inline int truth_mm_maps(const struct folio_truth *t, unsigned int mm_id)
{
	for (int i = 0; i < 2; i++)
		if (mm_id && t->mm_ids[i] == mm_id)
			return t->mm_maps[i];
	return 0;
}

struct mapcount_ops {
	const char *name;
	/*
	 * A small folio's mapcount is its page's _mapcount alone, as in every
	 * kernel (__folio_add_rmap()'s first case): mapcount_add() and
	 * mapcount_remove() count it themselves, and add/remove below see
	 * large folios only. False: the scheme counts small folios too.
	 */
	bool small_folio_in_page_mapcount;
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

	/*
	 * folio_mapcount(): page-table entries mapping the folio, or what the
	 * scheme counts instead (.counts); it may drift where a scheme allows.
	 */
	int (*folio_mapcount)(const struct mmsim *sim, const struct folio *folio);
	/*
	 * folio_maybe_mapped_shared(): may another mm map it? 6.15+ never give a
	 * false "no"; the older guesses and the proposals can, which is safe
	 * only because their mm_owns_all() never trusts it (the report counts it).
	 */
	bool (*maybe_mapped_shared)(const struct mmsim *sim, const struct folio *folio);
	/* Precise mapcount of one page, or -EOPNOTSUPP when the scheme has none. */
	int (*page_mapcount)(const struct mmsim *sim, const struct folio *folio,
			     const struct page *page);
	/*
	 * folio_average_page_mapcount(): what statistics use for every page
	 * when page_mapcount() is -EOPNOTSUPP. Required in that case only.
	 */
	int (*average_page_mapcount)(const struct mmsim *sim, const struct folio *folio);
	/* Does mm own every mapping of this large folio (the 6.15+ reuse check)? */
	bool (*mm_owns_all)(const struct mmsim *sim, const struct folio *folio,
			    const struct mm_struct *mm);
	/* Compare the scheme's state with the truth; 0 or -EUCLEAN with a reason. */
	int (*verify)(struct mmsim *sim, const struct folio *folio,
		      const struct folio_truth *truth);
	/* Metadata the scheme keeps. */
	unsigned int bytes_per_folio, bytes_per_page;
	/* What folio_mapcount() counts by definition, for the accuracy report. */
	enum {
		MAPCOUNT_COUNTS_ENTRIES,	/* every PTE and PMD mapping the folio */
		MAPCOUNT_COUNTS_PAIRS,		/* (vma, page table) pairs mapping any page */
	} counts;
};

extern const struct mapcount_ops mapcount_linux_ops;
extern const struct mapcount_ops mapcount_legacy_ops;
extern const struct mapcount_ops mapcount_large_ops;
extern const struct mapcount_ops mapcount_nopagemapcount_ops;
extern const struct mapcount_ops mapcount_tuples_ops;
extern const struct mapcount_ops mapcount_fullpartial_ops;

/*
 * What the page tables hold of one folio, from an rmap walk: entries, the
 * distinct (vma, page table) pairs and mms, and whether some but not all
 * pages are mapped (mapcount/report.c). Not for KSM folios.
 */
struct folio_rmap_truth {
	int entries, pairs, nr_mms, pages_mapped;
	int page_maps[HPAGE_PMD_NR];	/* mappings of each page, a PMD counting for all */
};
int folio_rmap_truth(struct mmsim *sim, struct folio *folio, struct folio_rmap_truth *t);

/* Every scheme, "linux" first, NULL-terminated (mapcount/registry.c). */
extern const struct mapcount_ops *const mapcount_schemes[];
/* The scheme called name, or NULL. */
const struct mapcount_ops *mapcount_ops_by_name(const char *name);

/*
 * The 6.15+ MM-owner tracking on _large_mapcount, _mm_id[] and
 * _mm_ids_shared (folio_add/sub_return_large_mapcount()), shared by the
 * schemes "linux" and "nopagemapcount" (mapcount/linux.c).
 */
void folio_add_large_mapcount_mm(struct folio *folio, int diff, const struct mm_struct *mm);
void folio_sub_large_mapcount_mm(struct folio *folio, int diff, const struct mm_struct *mm);
/*
 * A new folio's kernel mapcounts: every page's _mapcount -1 and, for a large
 * folio, _large_mapcount, _entire_mapcount, _nr_pages_mapped, free MM-owner
 * slots and a clear shared bit (a small folio has none of them). The
 * folio_init() of schemes that keep no state of their own, and the first
 * step of the others'.
 */
void folio_init_mapcounts(struct mmsim *sim, struct folio *folio);
/* Checks the slots and the shared bit against the truth (both schemes). */
int verify_mm_slots(struct mmsim *sim, const struct folio *folio,
		    const struct folio_truth *t);

/*
 * Every rmap add and remove goes through these two: the small-folio case,
 * one PTE of one page, is the commonest of all and needs no call.
 */
static inline int mapcount_add(struct mmsim *sim, struct folio *folio, struct page *page,
			       int nr, enum rmap_level level, const struct rmap_site *site)
{
	if (!folio_test_large(folio) && sim->mapcount->small_folio_in_page_mapcount)
		return ++page->_mapcount == 0;
	return sim->mapcount->add(sim, folio, page, nr, level, site);
}

static inline bool mapcount_remove(struct mmsim *sim, struct folio *folio, struct page *page,
				   int nr, enum rmap_level level, const struct rmap_site *site)
{
	if (!folio_test_large(folio) && sim->mapcount->small_folio_in_page_mapcount) {
		page->_mapcount--;
		return false;
	}
	return sim->mapcount->remove(sim, folio, page, nr, level, site);
}

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
