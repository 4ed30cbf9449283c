// SPDX-License-Identifier: MIT
/*
 * anon_vma, anon_vma_chain and the rmap entry points of mm/rmap.c (6.18).
 * Every VMA with anonymous memory belongs to the anon_vma it faults into and
 * to those of its ancestors' VMAs, so rmap_walk_anon() on a folio's anon_vma
 * finds every VMA (in this mm or a forked one) where the folio can be mapped.
 */
#include "rmap.h"

#include "ksm.h"

#include "huge_memory.h"
#include "page_alloc.h"

static struct anon_vma *anon_vma_alloc(struct mmsim *sim)
{
	struct anon_vma *anon_vma = sim_malloc(sim, sizeof(*anon_vma));

	if (!anon_vma)
		return NULL;
	anon_vma->refcount = 1;
	anon_vma->root = anon_vma;
	anon_vma->parent = anon_vma;
	anon_vma->rb_root = RB_ROOT_CACHED;
	anon_vma->serial = ++sim->anon_vma_serial;
	sim->nr_anon_vmas++;
	return anon_vma;
}

static void anon_vma_free(struct mmsim *sim, struct anon_vma *anon_vma)
{
	sim->nr_anon_vmas--;
	sim_free(anon_vma);
}

void put_anon_vma(struct mmsim *sim, struct anon_vma *anon_vma)
{
	struct anon_vma *root = anon_vma->root;

	if (--anon_vma->refcount)
		return;
	anon_vma_free(sim, anon_vma);
	/* A child pins its root (anon_vma_fork), so the root may go now too. */
	if (root != anon_vma && --root->refcount == 0)
		anon_vma_free(sim, root);
}

static void avc_set_range(struct anon_vma_chain *avc)
{
	avc->rb.start = avc->vma->vm_pgoff;
	avc->rb.last = avc->vma->vm_pgoff + vma_pages(avc->vma) - 1;
}

static void anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc,
				struct anon_vma *anon_vma)
{
	avc->vma = vma;
	avc->anon_vma = anon_vma;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	avc_set_range(avc);
	interval_tree_insert(&avc->rb, &anon_vma->rb_root);
}

void anon_vma_interval_tree_pre_update_vma(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		interval_tree_remove(&avc->rb, &avc->anon_vma->rb_root);
}

void anon_vma_interval_tree_post_update_vma(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		avc_set_range(avc);
		interval_tree_insert(&avc->rb, &avc->anon_vma->rb_root);
	}
}

bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> PAGE_SHIFT);
}

/*
 * reusable_anon_vma(): a neighbour's anon_vma can be shared only while that
 * neighbour belongs to nothing else, i.e. it was never forked into.
 */
static struct anon_vma *reusable_anon_vma(const struct vm_area_struct *old,
					  const struct vm_area_struct *a,
					  const struct vm_area_struct *b)
{
	if (old && anon_vma_compatible(a, b) && old->anon_vma &&
	    list_is_singular(&old->anon_vma_chain))
		return old->anon_vma;
	return NULL;
}

static struct vm_area_struct *vma_neighbour(struct vm_area_struct *vma, bool next)
{
	struct rb_node *n = next ? rb_next(&vma->vm_rb) : rb_prev(&vma->vm_rb);

	return n ? rb_entry(n, struct vm_area_struct, vm_rb) : NULL;
}

/* find_mergeable_anon_vma(): try the next VMA first, then the previous one. */
static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_neighbour(vma, true);
	struct vm_area_struct *prev = vma_neighbour(vma, false);
	struct anon_vma *anon_vma = NULL;

	if (next)
		anon_vma = reusable_anon_vma(next, vma, next);
	if (!anon_vma && prev)
		anon_vma = reusable_anon_vma(prev, prev, vma);
	return anon_vma;
}

int anon_vma_prepare(struct mmsim *sim, struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;
	struct anon_vma *anon_vma;

	if (vma->anon_vma)
		return 0;
	avc = sim_malloc(sim, sizeof(*avc));
	if (!avc)
		return -ENOMEM;
	anon_vma = find_mergeable_anon_vma(vma);
	if (!anon_vma) {
		anon_vma = anon_vma_alloc(sim);
		if (!anon_vma) {
			sim_free(avc);
			return -ENOMEM;
		}
		anon_vma->num_children++;	/* self-parent link for a new root */
	}
	vma->anon_vma = anon_vma;
	anon_vma_chain_link(vma, avc, anon_vma);
	anon_vma->num_active_vmas++;
	return 0;
}

/* Undoes a partial anon_vma_clone() or anon_vma_fork(): frees dst's chains. */
static void unlink_new_chains(struct vm_area_struct *dst)
{
	struct anon_vma_chain *avc, *next;

	list_for_each_entry_safe(avc, next, &dst->anon_vma_chain, same_vma) {
		interval_tree_remove(&avc->rb, &avc->anon_vma->rb_root);
		list_del_init(&avc->same_vma);
		sim_free(avc);
	}
}

/*
 * anon_vma_clone(): dst joins every anon_vma src belongs to. On fork (dst
 * has no anon_vma yet) it may adopt one of them whose VMAs are all gone and
 * which has at most one child, instead of creating yet another level.
 */
int anon_vma_clone(struct mmsim *sim, struct vm_area_struct *dst,
		   struct vm_area_struct *src)
{
	struct anon_vma_chain *pavc;

	struct anon_vma *given = dst->anon_vma;

	list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = sim_malloc(sim, sizeof(*avc));
		struct anon_vma *anon_vma = pavc->anon_vma;

		if (!avc) {
			/* dst had no chains before: leave it as it came. */
			unlink_new_chains(dst);
			dst->anon_vma = given;
			return -ENOMEM;
		}
		anon_vma_chain_link(dst, avc, anon_vma);
		if (!dst->anon_vma && src->anon_vma && anon_vma->num_children < 2 &&
		    anon_vma->num_active_vmas == 0)
			dst->anon_vma = anon_vma;
	}
	if (dst->anon_vma)
		dst->anon_vma->num_active_vmas++;
	return 0;
}

int anon_vma_fork(struct mmsim *sim, struct vm_area_struct *vma,
		  struct vm_area_struct *pvma)
{
	struct anon_vma_chain *avc;
	struct anon_vma *anon_vma;
	int err;

	if (!pvma->anon_vma)
		return 0;
	vma->anon_vma = NULL;
	err = anon_vma_clone(sim, vma, pvma);
	if (err)
		return err;
	if (vma->anon_vma)
		return 0;	/* reused an existing anon_vma */

	anon_vma = anon_vma_alloc(sim);
	avc = anon_vma ? sim_malloc(sim, sizeof(*avc)) : NULL;
	if (!avc) {
		if (anon_vma)
			put_anon_vma(sim, anon_vma);
		unlink_new_chains(vma);
		return -ENOMEM;
	}
	anon_vma->num_active_vmas++;
	anon_vma->root = pvma->anon_vma->root;
	anon_vma->parent = pvma->anon_vma;
	anon_vma->root->refcount++;
	vma->anon_vma = anon_vma;
	anon_vma_chain_link(vma, avc, anon_vma);
	anon_vma->parent->num_children++;
	return 0;
}

void unlink_anon_vmas(struct mmsim *sim, struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;

	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *anon_vma = avc->anon_vma;

		interval_tree_remove(&avc->rb, &anon_vma->rb_root);
		/* An anon_vma no VMA uses any more is freed below. */
		if (RB_EMPTY_ROOT(&anon_vma->rb_root.rb_root)) {
			anon_vma->parent->num_children--;
			continue;
		}
		list_del_init(&avc->same_vma);
		sim_free(avc);
	}
	if (vma->anon_vma) {
		vma->anon_vma->num_active_vmas--;
		vma->anon_vma = NULL;
	}
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		put_anon_vma(sim, avc->anon_vma);
		list_del_init(&avc->same_vma);
		sim_free(avc);
	}
}

/* __folio_set_anon(): the folio's mapping and its index in that anon_vma. */
static void folio_set_anon(struct folio *folio, struct vm_area_struct *vma,
			   unsigned long address, bool exclusive)
{
	struct anon_vma *anon_vma = vma->anon_vma;

	/* A folio that may be shared must be findable from every VMA of the tree. */
	if (!exclusive)
		anon_vma = anon_vma->root;
	folio->anon_vma = anon_vma;
	folio->flags |= FOLIO_anon | FOLIO_swapbacked;
	folio->index = linear_page_index(vma, address);
}

void deferred_split_folio(struct mmsim *sim, struct folio *folio, bool partially_mapped)
{
	if (folio->order <= 1 || !(folio->flags & FOLIO_large_rmappable))
		return;
	if (partially_mapped)
		folio->flags |= FOLIO_partially_mapped;
	if (list_empty(&folio->_deferred_list)) {
		list_add_tail(&folio->_deferred_list, &sim->deferred_split_queue);
		sim->split_queue_len++;
	}
}

void folio_add_new_anon_rmap(struct mmsim *sim, struct folio *folio,
			     struct vm_area_struct *vma, unsigned long address, int flags,
			     unsigned long pt_pfn)
{
	struct rmap_site site = { vma, pt_pfn };
	bool exclusive = flags & RMAP_EXCLUSIVE;
	long nr = folio_nr_pages(folio);
	enum rmap_level level = folio->order == HPAGE_PMD_ORDER ? RMAP_LEVEL_PMD : RMAP_LEVEL_PTE;

	mc_begin(sim, MMSIM_MC_FAULT);
	folio_set_anon(folio, vma, address, exclusive);
	mapcount_add(sim, folio, folio_page(sim, folio, 0),
		     level == RMAP_LEVEL_PMD ? 1 : (int)nr, level, &site);
	if (exclusive) {
		/* A PMD mapping keeps the flag on the head page only. */
		long n = level == RMAP_LEVEL_PMD ? 1 : nr;

		mc_pages(sim, folio_pfn(folio), n, 1);	/* SetPageAnonExclusive(): set_bit() */
		for (long i = 0; i < n; i++)
			SetPageAnonExclusive(folio_page(sim, folio, i));
	}
	mc_end(sim);
}

void folio_add_anon_rmap_ptes(struct mmsim *sim, struct folio *folio, struct page *page,
			      int nr_pages, struct vm_area_struct *vma, unsigned long pt_pfn,
			      int flags)
{
	struct rmap_site site = { vma, pt_pfn };

	mc_begin(sim, MMSIM_MC_OTHER);
	mapcount_add(sim, folio, page, nr_pages, RMAP_LEVEL_PTE, &site);
	if (flags & RMAP_EXCLUSIVE) {
		mc_pages(sim, page_to_pfn(sim, page), nr_pages, 1);
		for (int i = 0; i < nr_pages; i++)
			SetPageAnonExclusive(page + i);
	}
	mc_end(sim);
}

void folio_move_anon_rmap(struct folio *folio, struct vm_area_struct *vma)
{
	folio->anon_vma = vma->anon_vma;
}

/* vma_address(): where the first page of [pgoff, pgoff + nr) lies in vma. */
static unsigned long vma_address(const struct vm_area_struct *vma, unsigned long pgoff,
				 long nr)
{
	if (pgoff >= vma->vm_pgoff) {
		unsigned long address = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);

		return address < vma->vm_end ? address : ~0UL;
	}
	return pgoff + nr - 1 >= vma->vm_pgoff ? vma->vm_start : ~0UL;
}

/* page_vma_mapped_walk(): every entry in vma that maps a page of the folio. */
static bool walk_vma(struct mmsim *sim, struct folio *folio, struct vm_area_struct *vma,
		     unsigned long address, rmap_one_t rmap_one, void *arg)
{
	long nr = folio_nr_pages(folio);
	unsigned long first = folio_pfn(folio), end;

	/* The folio's pages can lie only where its index range meets the VMA. */
	end = address + ((unsigned long)nr << PAGE_SHIFT);
	if (folio->index < vma->vm_pgoff)
		end -= (vma->vm_pgoff - folio->index) << PAGE_SHIFT;
	end = MIN(end, vma->vm_end);
	for (unsigned long addr = address; addr < end;) {
		struct rmap_hit hit = { .vma = vma, .address = addr };
		pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);

		if (pmd && pmd_leaf(*pmd)) {
			unsigned long pfn = pte_pfn(*pmd);

			if (pfn == first) {
				hit.address = addr & PMD_MASK;
				hit.pmd = pmd;
				hit.page = folio_page(sim, folio, 0);
				if (!rmap_one(sim, folio, &hit, arg))
					return false;
			}
			addr = (addr & PMD_MASK) + PMD_SIZE;
			continue;
		}
		if (pmd && pmd_table(*pmd)) {
			pte_t *pte = pte_offset(sim, pmd, addr);

			if (pte_present(*pte) && pte_pfn(*pte) >= first &&
			    pte_pfn(*pte) < first + (unsigned long)nr) {
				hit.pte = pte;
				hit.pmd = pmd;
				hit.page = pfn_to_page(sim, pte_pfn(*pte));
				if (!rmap_one(sim, folio, &hit, arg))
					return false;
			}
		}
		addr += PAGE_SIZE;
	}
	return true;
}

void rmap_walk_anon(struct mmsim *sim, struct folio *folio, rmap_one_t rmap_one, void *arg)
{
	struct anon_vma *anon_vma = folio_anon_vma(folio);
	unsigned long pgoff_start = folio->index;
	unsigned long pgoff_end = pgoff_start + folio_nr_pages(folio) - 1;
	struct interval_tree_node *node;
	struct rmap_walk_cost *cost = &sim->anon_rmap_walk_cost;

	if (!anon_vma)
		return;
	/* What the interval-tree search costs depends on vm_pgoff: seed 004 counts it. */
	cost->walks++;
	for (node = interval_tree_iter_first_counted(&anon_vma->rb_root, pgoff_start, pgoff_end,
						     &cost->nodes); node;
	     node = interval_tree_iter_next_counted(node, pgoff_start, pgoff_end, &cost->nodes)) {
		struct anon_vma_chain *avc = container_of(node, struct anon_vma_chain, rb);
		unsigned long address = vma_address(avc->vma, pgoff_start, folio_nr_pages(folio));

		cost->vmas++;
		if (address == ~0UL)
			continue;
		if (!walk_vma(sim, folio, avc->vma, address, rmap_one, arg))
			return;
	}
}

void rmap_walk(struct mmsim *sim, struct folio *folio, rmap_one_t rmap_one, void *arg)
{
	if (folio_test_ksm(folio))
		rmap_walk_ksm(sim, folio, rmap_one, arg);
	else
		rmap_walk_anon(sim, folio, rmap_one, arg);
}

static bool collect_hit(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit,
			void *arg)
{
	struct rmap_hits *h = arg;
	struct rmap_hit *hits = sim_array_grow(sim, h->hits, h->nr, &h->cap, sizeof(*hits));

	(void)folio;
	if (!hits) {
		h->failed = true;
		return false;
	}
	h->hits = hits;
	h->hits[h->nr++] = *hit;
	return true;
}

/* The walk's steps for the cost counters: tree nodes and VMAs searched, entries found. */
static long walk_steps(const struct mmsim *sim)
{
	const struct rmap_walk_cost *a = &sim->anon_rmap_walk_cost, *k = &sim->ksm->rmap_walk_cost;

	return (long)(a->nodes + a->vmas + k->nodes + k->vmas);
}

int rmap_collect(struct mmsim *sim, struct folio *folio, struct rmap_hits *h)
{
	long steps = walk_steps(sim);

	*h = (struct rmap_hits){ 0 };
	mc_begin(sim, MMSIM_MC_RMAP_WALK);
	rmap_walk(sim, folio, collect_hit, h);
	mc_count(sim, 0, 0, walk_steps(sim) - steps + (long)h->nr);
	mc_end(sim);
	if (h->failed) {
		sim_free(h->hits);
		*h = (struct rmap_hits){ 0 };
		return -ENOMEM;
	}
	return 0;
}

/*
 * try_to_unmap_one() for one PTE: the entry goes, and with it its mapping and
 * reference. A KSM walk may list a PTE twice (a fork's own item, then its
 * parent's in the "new forks" pass); the second time it maps nothing any
 * more, as page_vma_mapped_walk() would find.
 */
static void unmap_pte(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit)
{
	if (!pte_present(*hit->pte) || pte_pfn(*hit->pte) != page_to_pfn(sim, hit->page))
		return;
	*hit->pte = 0;
	add_mm_counter(hit->vma->vm_mm, MM_ANONPAGES, -1);
	folio_remove_rmap_pte(sim, folio, hit->page, hit->vma, pte_pfn(*hit->pmd));
	folio_put(sim, folio);
}

int rmap_collect_ptes(struct mmsim *sim, struct folio *folio, struct rmap_hits *h)
{
	bool split = false;
	int err = rmap_collect(sim, folio, h);

	if (err)
		return err;
	for (size_t i = 0; i < h->nr; i++) {
		if (!h->hits[i].pte) {
			split_huge_pmd(sim, h->hits[i].vma, h->hits[i].pmd, h->hits[i].address);
			split = true;
		}
	}
	if (!split)
		return 0;
	/* The PMDs are PTEs now: find them again. */
	sim_free(h->hits);
	return rmap_collect(sim, folio, h);
}

int try_to_unmap_each(struct mmsim *sim, struct folio *folio, unmap_one_t unmap_one)
{
	struct rmap_hits h;
	int ctx = mc_force(sim, MMSIM_MC_RMAP_WALK);
	int err = rmap_collect_ptes(sim, folio, &h);

	if (!err) {
		for (size_t i = 0; i < h.nr; i++)
			unmap_one(sim, folio, &h.hits[i]);
		sim_free(h.hits);
	}
	mc_unforce(sim, ctx);
	return err;
}

int try_to_unmap(struct mmsim *sim, struct folio *folio)
{
	return try_to_unmap_each(sim, folio, unmap_pte);
}
