/* SPDX-License-Identifier: MIT */
/*
 * Reverse mapping of anonymous memory (mm/rmap.c): anon_vmas and their
 * chains, adding and removing folio mappings, and walking every mapping of a
 * folio.
 */
#ifndef MMSIM_RMAP_H
#define MMSIM_RMAP_H

#include "mapcount.h"
#include "pgtable.h"

/* anon_vma lifecycle. All return 0 or -ENOMEM and leave nothing half done. */
int anon_vma_prepare(struct mmsim *sim, struct vm_area_struct *vma);
int anon_vma_clone(struct mmsim *sim, struct vm_area_struct *dst,
		   struct vm_area_struct *src);
int anon_vma_fork(struct mmsim *sim, struct vm_area_struct *vma,
		  struct vm_area_struct *pvma);
void unlink_anon_vmas(struct mmsim *sim, struct vm_area_struct *vma);
void put_anon_vma(struct mmsim *sim, struct anon_vma *anon_vma);
/* anon_vma_interval_tree_{pre,post}_update_vma: vm_start or vm_pgoff change. */
void anon_vma_interval_tree_pre_update_vma(struct vm_area_struct *vma);
void anon_vma_interval_tree_post_update_vma(struct vm_area_struct *vma);
/* anon_vma_compatible(): could a and b (a just below b) share an anon_vma? */
bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b);

/* Flags of folio_add_*_rmap. */
#define RMAP_NONE	0
#define RMAP_EXCLUSIVE	1

/*
 * The rmap entry points under the kernel's names and in its argument order.
 * Where mm/rmap.c takes the mapping's address, the model takes pt_pfn, the
 * pfn of the page table holding the entry: the site that the tuples schemes
 * count (mapcount.h); the kernel itself uses the address only to check.
 */

/*
 * A new anonymous folio, mapped for the first time at address: by a PMD
 * when it is PMD-sized, else by PTEs, as folio_add_new_anon_rmap() decides.
 */
void folio_add_new_anon_rmap(struct mmsim *sim, struct folio *folio,
			     struct vm_area_struct *vma, unsigned long address, int flags,
			     unsigned long pt_pfn);
/* nr_pages PTEs of one page table map consecutive pages of folio from page. */
void folio_add_anon_rmap_ptes(struct mmsim *sim, struct folio *folio, struct page *page,
			      int nr_pages, struct vm_area_struct *vma, unsigned long pt_pfn,
			      int flags);
static inline void folio_add_anon_rmap_pte(struct mmsim *sim, struct folio *folio,
					   struct page *page, struct vm_area_struct *vma,
					   unsigned long pt_pfn, int flags)
{
	folio_add_anon_rmap_ptes(sim, folio, page, 1, vma, pt_pfn, flags);
}
/* folio_move_anon_rmap(): a reused folio now belongs to this VMA's anon_vma. */
void folio_move_anon_rmap(struct folio *folio, struct vm_area_struct *vma);

static inline bool PageAnonExclusive(const struct page *page)
{
	return page->flags & PG_anon_exclusive;
}
static inline void SetPageAnonExclusive(struct page *page)
{
	page->flags |= PG_anon_exclusive;
}
static inline void ClearPageAnonExclusive(struct page *page)
{
	page->flags &= (uint16_t)~PG_anon_exclusive;
}

void deferred_split_folio(struct mmsim *sim, struct folio *folio, bool partially_mapped);

/*
 * __folio_remove_rmap(): removes mappings at site; queues the folio for
 * deferred split when left partly mapped. Inline, like the dup below: zap
 * and fork call them for every batch of PTEs, a single PTE for every small
 * folio, with the site of the whole page table built once.
 */
static inline void __folio_remove_rmap(struct mmsim *sim, struct folio *folio, struct page *page,
				       int nr, enum rmap_level level, const struct rmap_site *site)
{
	mc_begin(sim, MMSIM_MC_ZAP);
	if (mapcount_remove(sim, folio, page, nr, level, site) &&
	    folio_test_anon(folio) && !(folio->flags & FOLIO_partially_mapped))
		deferred_split_folio(sim, folio, true);
	mc_head_ref(sim, folio);	/* the batch's references go with it */
	mc_end(sim);
}

/* folio_remove_rmap_ptes(): nr PTEs of one page table map consecutive pages from page. */
static inline void folio_remove_rmap_ptes(struct mmsim *sim, struct folio *folio,
					  struct page *page, int nr, const struct rmap_site *site)
{
	__folio_remove_rmap(sim, folio, page, nr, RMAP_LEVEL_PTE, site);
}

static inline void folio_remove_rmap_pte(struct mmsim *sim, struct folio *folio,
					 struct page *page, struct vm_area_struct *vma,
					 unsigned long pt_pfn)
{
	struct rmap_site site = { vma, pt_pfn };

	__folio_remove_rmap(sim, folio, page, 1, RMAP_LEVEL_PTE, &site);
}

/* folio_remove_rmap_pmd(): the PMD at site that maps the whole folio. */
static inline void folio_remove_rmap_pmd(struct mmsim *sim, struct folio *folio,
					 struct page *page, struct vm_area_struct *vma,
					 unsigned long pt_pfn)
{
	struct rmap_site site = { vma, pt_pfn };

	__folio_remove_rmap(sim, folio, page, 1, RMAP_LEVEL_PMD, &site);
}

/*
 * folio_try_dup_anon_rmap_ptes(): fork adds the child's nr PTE mappings at
 * site. Nothing is pinned in the model, so the duplication always succeeds.
 */
static inline void folio_dup_anon_rmap_ptes(struct mmsim *sim, struct folio *folio,
					    struct page *page, int nr,
					    const struct rmap_site *site)
{
	mc_begin(sim, MMSIM_MC_FORK);
	if (mc_on(sim)) {
		int exclusive = 0;

		/* The kernel reads every page's flag and clears, atomically, those set. */
		for (int i = 0; i < nr; i++)
			exclusive += PageAnonExclusive(page + i);
		mc_pages(sim, page_to_pfn(sim, page), nr, 0);
		mc_atomics(sim, exclusive);
	}
	/* Unrolled, as the mapcount loops of mapcount/linux.c are: 512 pages a THP. */
	_Pragma("GCC unroll 8")
	for (int i = 0; i < nr; i++)
		ClearPageAnonExclusive(page + i);
	mapcount_add(sim, folio, page, nr, RMAP_LEVEL_PTE, site);
	mc_head_ref(sim, folio);	/* folio_ref_add() of the batch */
	mc_end(sim);
}

/* folio_try_dup_anon_rmap_pmd(): fork adds the child's PMD mapping of the whole folio. */
static inline void folio_dup_anon_rmap_pmd(struct mmsim *sim, struct folio *folio,
					   struct vm_area_struct *dst_vma, unsigned long pt_pfn)
{
	struct rmap_site site = { dst_vma, pt_pfn };
	struct page *head = folio_page(sim, folio, 0);

	mc_begin(sim, MMSIM_MC_FORK);
	mc_pages(sim, folio_pfn(folio), 1, PageAnonExclusive(head));
	ClearPageAnonExclusive(head);
	mapcount_add(sim, folio, head, 1, RMAP_LEVEL_PMD, &site);
	mc_head_ref(sim, folio);
	mc_end(sim);
}

/* One mapping of a folio found by a walk: a PTE or a PMD leaf. */
struct rmap_hit {
	struct vm_area_struct *vma;
	unsigned long address;		/* first address of the mapping */
	pte_t *pte;			/* the PTE, or NULL for a PMD mapping */
	pmd_t *pmd;			/* the PMD holding the PTE table or the leaf */
	struct page *page;		/* the page this entry maps */
};
/* Return false to stop the walk. */
typedef bool (*rmap_one_t)(struct mmsim *sim, struct folio *folio,
			   const struct rmap_hit *hit, void *arg);
/*
 * rmap_walk_anon(): every PTE and PMD that maps a page of the folio, VMA by
 * VMA in the interval tree's order of the folio's anon_vma.
 */
void rmap_walk_anon(struct mmsim *sim, struct folio *folio, rmap_one_t rmap_one, void *arg);
/*
 * rmap_walk_ksm() (lib/ksm.c): the mappings of a KSM folio that its stable
 * node's rmap_items lead to, own mm first, then forks.
 */
void rmap_walk_ksm(struct mmsim *sim, struct folio *folio, rmap_one_t rmap_one, void *arg);
/* rmap_walk(): rmap_walk_ksm() for a KSM folio, rmap_walk_anon() otherwise. */
void rmap_walk(struct mmsim *sim, struct folio *folio, rmap_one_t rmap_one, void *arg);

/* Every mapping of a folio, gathered first so the caller may change them. */
struct rmap_hits {
	struct rmap_hit *hits;
	size_t nr, cap;
	bool failed;
};
/* rmap_walk() into h (to be freed with sim_free(h->hits)); 0 or -ENOMEM. */
int rmap_collect(struct mmsim *sim, struct folio *folio, struct rmap_hits *h);

/*
 * try_to_unmap(): unmaps every mapping of the folio that the rmap finds,
 * splitting PMD mappings first (TTU_SPLIT_HUGE_PMD), as reclaim does before
 * a folio can go. The caller holds a reference, so the folio outlives its
 * mappings; whatever the rmap cannot find stays mapped (folio_mapped()
 * tells). 0 or -ENOMEM.
 */
int try_to_unmap(struct mmsim *sim, struct folio *folio);
/*
 * rmap_collect() after splitting every PMD mapping of the folio, so that
 * each hit is a PTE (TTU_SPLIT_HUGE_PMD). 0 or -ENOMEM (PMDs may be split).
 */
int rmap_collect_ptes(struct mmsim *sim, struct folio *folio, struct rmap_hits *h);
/* try_to_unmap() with another try_to_unmap_one() for each PTE (reclaim's into swap entries). */
typedef void (*unmap_one_t)(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit);
int try_to_unmap_each(struct mmsim *sim, struct folio *folio, unmap_one_t unmap_one);

/* Which anon_vma a VMA (and its folios) use: for display and checks. */
static inline struct anon_vma *folio_anon_vma(const struct folio *folio)
{
	/* A KSM folio's mapping is its stable node, not an anon_vma. */
	return folio_test_anon(folio) && !folio_test_ksm(folio) ? folio->anon_vma : NULL;
}

#endif /* MMSIM_RMAP_H */
