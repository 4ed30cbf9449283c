// SPDX-License-Identifier: MIT
/*
 * Page migration between NUMA nodes, after mm/migrate.c (6.18): move_pages()
 * finds the folio at an address, and migrate_folio() copies it to a new folio
 * on the target node and makes every mapping the rmap walk finds (the anon
 * one, or the KSM one through the stable node's rmap_items) point there.
 * This is where a walk that misses a mapping shows: that process would keep
 * the old frame (rmap.c's migrate tests, seed 003).
 */
#include "content.h"
#include "internal.h"
#include "ksm.h"
#include "ksm_internal.h"
#include "migrate.h"
#include "page_alloc.h"
#include "vma.h"

/*
 * remove_migration_pte(): the entry maps the same page of the new folio,
 * with the old entry's bits (write, dirty, young, soft-dirty travel in the
 * migration entry), and the page keeps PageAnonExclusive.
 */
static void remap_one(struct mmsim *sim, struct folio *dst, const struct rmap_hit *hit,
		      struct folio *src)
{
	long idx = folio_page_idx(sim, src, hit->page);
	struct page *new_page = folio_page(sim, dst, idx);
	bool exclusive = PageAnonExclusive(hit->page);
	struct rmap_site site;

	if (!hit->pte) {
		new_page = folio_page(sim, dst, 0);
		exclusive = PageAnonExclusive(folio_page(sim, src, 0));
		site = (struct rmap_site){ hit->vma, pmd_table_pfn(sim, hit->vma->vm_mm, hit->address) };
		*hit->pmd = (*hit->pmd & ~_PAGE_PFN_MASK) | pfn_pte(folio_pfn(dst), 0);
		folio_remove_rmap_pmd(sim, src, folio_page(sim, src, 0), hit->vma, site.pt_pfn);
		mapcount_add(sim, dst, new_page, 1, RMAP_LEVEL_PMD, &site);
	} else {
		site = (struct rmap_site){ hit->vma, pte_pfn(*hit->pmd) };
		*hit->pte = (*hit->pte & ~_PAGE_PFN_MASK) | pfn_pte(page_to_pfn(sim, new_page), 0);
		folio_remove_rmap_pte(sim, src, hit->page, hit->vma, site.pt_pfn);
		mapcount_add(sim, dst, new_page, 1, RMAP_LEVEL_PTE, &site);
	}
	if (exclusive)
		SetPageAnonExclusive(new_page);
	dst->_refcount++;
	src->_refcount--;
}

/*
 * folio_migrate_mapping() and folio_migrate_flags(): the new folio is what
 * the old one was to the rmap (anon_vma and index, or the stable node, whose
 * kpfn follows), and to the deferred split queue.
 */
static void migrate_folio_state(struct mmsim *sim, struct folio *dst, struct folio *src)
{
	dst->flags = src->flags;
	dst->index = src->index;
	if (folio_test_ksm(src)) {
		struct ksm_stable_node *stable_node = folio_stable_node(src);

		dst->stable_node = stable_node;
		if (stable_node)
			stable_node->kpfn = folio_pfn(dst);
	} else {
		dst->anon_vma = src->anon_vma;
	}
	if (folio_test_large(src) && !list_empty(&src->_deferred_list)) {
		list_del_init(&src->_deferred_list);
		list_add_tail(&dst->_deferred_list, &sim->deferred_split_queue);
	}
}

static int copy_folio_data(struct mmsim *sim, struct folio *dst, struct folio *src)
{
	for (long i = 0; i < folio_nr_pages(src); i++) {
		int err = copy_page_data(sim, folio_page(sim, dst, i), folio_page(sim, src, i));

		if (err)
			return err;
	}
	return 0;
}

/*
 * migrate_folio_to_node(): 0, -EAGAIN when something besides the mappings
 * the rmap walk finds holds the folio (a pin, a pipe, the swap cache, or a
 * mapping the walk misses: Linux cannot unmap it, its refcount freeze fails,
 * it retries and gives up), -ENOMEM when the node has no room.
 */
static int migrate_folio_to_node(struct mmsim *sim, struct folio *src, int nid)
{
	struct rmap_hits h;
	struct folio *dst;
	int err, ctx;

	if (folio_test_swapcache(src))
		return -EAGAIN;	/* not modelled: a swap-cache folio stays where it is */
	ctx = mc_force(sim, MMSIM_MC_RMAP_WALK);
	err = rmap_collect(sim, src, &h);
	if (err) {
		mc_unforce(sim, ctx);
		return err;
	}
	/* try_to_migrate() must reach every reference but those GUP holds: then the freeze holds. */
	if ((int)h.nr != src->_refcount) {
		sim_free(h.hits);
		mc_unforce(sim, ctx);
		return -EAGAIN;
	}
	dst = folio_alloc_node(sim, nid, src->order, 0);
	err = dst ? copy_folio_data(sim, dst, src) : -ENOMEM;
	if (err) {
		if (dst)
			folio_put(sim, dst);
		sim_free(h.hits);
		mc_unforce(sim, ctx);
		return err;
	}
	migrate_folio_state(sim, dst, src);
	folio_get(src);			/* isolated: ours while the mappings move */
	for (size_t i = 0; i < h.nr; i++)
		remap_one(sim, dst, &h.hits[i], src);
	sim_free(h.hits);
	mc_unforce(sim, ctx);
	if (folio_test_ksm(src))
		src->stable_node = NULL;	/* the node is dst's now */
	folio_put(sim, src);
	folio_put(sim, dst);		/* the allocation's: the mappings hold it now */
	return 0;
}

int move_page_to_node(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, int nid,
		      bool migrate_all)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	struct folio *folio;
	struct page *page;
	bool pmd_mapped;
	int err;

	if (!vma)
		return sim_error(sim, -EFAULT, "move_pages: no VMA at %#lx", addr);
	page = follow_page(sim, mm, addr, &pmd_mapped);
	if (!page)
		return sim_error(sim, -ENOENT, "move_pages: nothing mapped at %#lx", addr);
	folio = page_folio(page);
	if (folio_is_zero(folio))
		return sim_error(sim, -EFAULT, "move_pages: the zero page at %#lx", addr);
	if (pfn_to_nid(sim, folio_pfn(folio)) == nid)
		return nid;
	if (folio_maybe_mapped_shared(sim, folio) && !migrate_all)
		return sim_error(sim, -EACCES, "move_pages: other processes map the folio at %#lx "
				 "(MPOL_MF_MOVE_ALL moves it)", addr);
	/* migrate_pages() tries a busy folio ten times; in the model nothing frees it meanwhile. */
	err = migrate_folio_to_node(sim, folio, nid);
	if (err == -EAGAIN)
		return sim_error(sim, err, "move_pages: the folio at %#lx is held by more than its "
				 "mappings the rmap walk reaches (a pin, a pipe, the swap cache)", addr);
	if (err == -ENOMEM)
		return sim_error(sim, err, "move_pages: node %d has no room for the folio", nid);
	return err ? err : nid;
}
