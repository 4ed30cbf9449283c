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

/*
 * What walking every page table says about one folio (debug.c's
 * mm_folio_truth()); struct folio_rmap_truth below is what an rmap walk finds.
 */
struct folio_pgtable_truth {
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
static inline int truth_mm_maps(const struct folio_pgtable_truth *t, unsigned int mm_id)
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
		      const struct folio_pgtable_truth *truth);
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
extern const struct mapcount_ops mapcount_tuples_exact_ops;
extern const struct mapcount_ops mapcount_mappedpages_ops;
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
		    const struct folio_pgtable_truth *t);

/*
 * The cost counters (mapcount/cost.c): each rmap call or question is one
 * call, between mc_begin() and mc_end(); in between the scheme says what
 * the kernel's code would touch. The counters are no part of the model, so
 * questions, which take a const sim, count too.
 */
static inline struct mapcount_cost_state *mc_state(const struct mmsim *sim)
{
	return (struct mapcount_cost_state *)&sim->mc_cost;
}
void __mc_begin(const struct mmsim *sim, enum mmsim_mapcount_op op);
void __mc_end(const struct mmsim *sim);
void __mc_pages(const struct mmsim *sim, unsigned long pfn, long nr, long atomics_per_page);
void __mc_folio(const struct mmsim *sim, const struct folio *folio, int atomics);
void __mc_count(const struct mmsim *sim, long entries, long scan_ptes, long rmap_steps);
void __mc_atomics(const struct mmsim *sim, long atomics);
/* One line (a pfn's struct page) touched, with atomics RMWs on it. */
void __mc_line(const struct mmsim *sim, unsigned long pfn, long atomics);

/* Counting is off unless asked for: each helper is one test then. */
static inline bool mc_on(const struct mmsim *sim)
{
	return sim->mc_cost.counting > 0;
}
static inline void mc_begin(const struct mmsim *sim, enum mmsim_mapcount_op op)
{
	if (mc_on(sim))
		__mc_begin(sim, op);
}
static inline void mc_end(const struct mmsim *sim)
{
	if (mc_on(sim))
		__mc_end(sim);
}
/* nr struct pages from pfn in a per-page loop, atomics_per_page RMWs on each. */
static inline void mc_pages(const struct mmsim *sim, unsigned long pfn, long nr,
			    long atomics_per_page)
{
	if (mc_on(sim))
		__mc_pages(sim, pfn, nr, atomics_per_page);
}
/* The folio's mapcount fields (a large folio's second page), atomics RMWs on them. */
static inline void mc_folio(const struct mmsim *sim, const struct folio *folio, int atomics)
{
	if (mc_on(sim))
		__mc_folio(sim, folio, atomics);
}
static inline void mc_count(const struct mmsim *sim, long entries, long scan_ptes,
			    long rmap_steps)
{
	if (mc_on(sim))
		__mc_count(sim, entries, scan_ptes, rmap_steps);
}
/* Atomics on struct page words outside a per-page loop of mc_pages(). */
static inline void mc_atomics(const struct mmsim *sim, long atomics)
{
	if (mc_on(sim))
		__mc_atomics(sim, atomics);
}
/* A split or rmap walk makes the rmap calls inside it its own; returns what to restore. */
int mc_force(struct mmsim *sim, enum mmsim_mapcount_op op);
void mc_unforce(struct mmsim *sim, int prev);
/* The checker and the accuracy report: their walks and questions are not the kernel's. */
static inline void mc_pause(struct mmsim *sim)
{
	sim->mc_cost.counting--;
}
static inline void mc_resume(struct mmsim *sim)
{
	sim->mc_cost.counting++;
}
/*
 * The folio reference a batch of fork's copies takes (folio_ref_add()) or a
 * zapped batch drops (folio_put_refs()): one atomic on the head page, for
 * every scheme. Last in a call, after the page loops.
 */
static inline void mc_head_ref(const struct mmsim *sim, const struct folio *folio)
{
	if (mc_on(sim))
		__mc_line(sim, folio_pfn(folio), 1);
}

/* The call maps a new folio for the first time: its counts are set, not added to. */
static inline bool mc_new_folio(const struct mmsim *sim)
{
	return sim->mc_cost.op == MMSIM_MC_FAULT;
}
/* A question about a folio: one call reading the folio's mapcount line. */
static inline void mc_question(const struct mmsim *sim, enum mmsim_mapcount_op op,
			       const struct folio *folio)
{
	mc_begin(sim, op);
	mc_folio(sim, folio, 0);
	mc_end(sim);
}

/*
 * Every rmap add and remove goes through these two: the small-folio case,
 * one PTE of one page, is the commonest of all and needs no call.
 */
static inline int mapcount_add(struct mmsim *sim, struct folio *folio, struct page *page,
			       int nr, enum rmap_level level, const struct rmap_site *site)
{
	int ret;

	mc_begin(sim, MMSIM_MC_OTHER);
	mc_count(sim, nr, 0, 0);
	if (!folio_test_large(folio) && sim->mapcount->small_folio_in_page_mapcount) {
		/* atomic_inc_and_test(), or atomic_set() for a new folio */
		mc_folio(sim, folio, !mc_new_folio(sim));
		ret = ++page->_mapcount == 0;
	} else {
		ret = sim->mapcount->add(sim, folio, page, nr, level, site);
	}
	mc_end(sim);
	return ret;
}

static inline bool mapcount_remove(struct mmsim *sim, struct folio *folio, struct page *page,
				   int nr, enum rmap_level level, const struct rmap_site *site)
{
	bool ret = false;

	mc_begin(sim, MMSIM_MC_ZAP);
	mc_count(sim, nr, 0, 0);
	if (!folio_test_large(folio) && sim->mapcount->small_folio_in_page_mapcount) {
		mc_folio(sim, folio, 1);	/* atomic_add_negative() */
		page->_mapcount--;
	} else {
		ret = sim->mapcount->remove(sim, folio, page, nr, level, site);
	}
	mc_end(sim);
	return ret;
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
