// SPDX-License-Identifier: MIT
/*
 * Kernel samepage merging after mm/ksm.c (6.18): ksmd's scan, its two
 * trees, merging and unmerging.
 *
 * Design. ksmd walks every registered mm (a ksm_mm_slot, found by mm in a
 * uthash table and kept on a scan list) page by page, and keeps one
 * ksm_rmap_item per anonymous page it met, on the slot's address-sorted list.
 * Each visit is cmp_and_merge_page():
 *
 * - The STABLE tree holds the KSM pages: write-protected, so their contents
 *   cannot change and the tree, ordered by memcmp() of the contents, stays
 *   valid. A node lists the rmap_items that map its page; once a page has
 *   max_page_sharing mappings, equal pages form a "chain" whose "dups" are
 *   separate KSM pages of the same contents. Nodes hold no reference on their
 *   page: a node whose folio no longer points back is stale and is pruned
 *   when met (ksm_get_folio()).
 * - The UNSTABLE tree holds candidates: pages whose checksum did not change
 *   since the last pass. They are not write-protected, so their contents may
 *   change under the tree and corrupt its order; that is why the tree is
 *   thrown away at the start of every pass and rebuilt from scratch (an
 *   rbtree stays balanced whatever its keys do, so a corrupt one costs only
 *   missed merges). Items are not erased from the old tree: each carries the
 *   low bits of the pass that inserted it, and removal erases only an item of
 *   the current pass ("lazy removal"), so pages_unshared falls as items are
 *   revisited.
 *
 * A page equal to a stable page is merged into it; otherwise a page equal
 * to an unstable one is merged with it into a new KSM page (the scanned page
 * becomes the KSM page) inserted in the stable tree; otherwise it goes into
 * the unstable tree. Merging write-protects the page (write_protect_page(),
 * which refuses a page with an extra reference), checks the contents in
 * full, and replace_page() maps the KSM page in its place. A large folio is
 * split before any page of it is merged.
 *
 * The model is single-threaded: locks, RCU and the migrate_nodes list have
 * nothing to protect here and are left out. References are real, though:
 * the scanner and the unstable-tree lookup hold one on the folio they look
 * at, which is what makes write_protect_page()'s and the split's checks
 * behave as in Linux. Time is virtual: ksmd "sleeps" sleep_millisecs after
 * each batch and, when per-page CPU costs are set (cpu_ns_*, not in Linux),
 * spends that CPU on each page; chain pruning and the scan-time advisor
 * read that clock (ksm_ktime_ns()), the advisor ksmd's CPU too.
 *
 * The sysfs side (tunables, counters, ksm_stat) and the invariant checker's
 * part are in ksm_sysfs.c.
 */
#include "ksm_internal.h"

#include <stdio.h>
#include <string.h>

#include "huge_memory.h"
#include "page_alloc.h"
#include "vma.h"

/* ---- Page contents ---------------------------------------------------------- */

/*
 * calc_checksum(): xxh64 of the page, seed 0, truncated to 32 bits. The
 * content store computes it once per distinct contents (content.c).
 */
static unsigned int calc_checksum(struct mmsim *sim, const struct page *page)
{
	return content_checksum(sim, page->content);
}

/* memcmp_pages(): the order of both trees, as memcmp() of the bytes orders them. */
static int memcmp_pages(const struct page *a, const struct page *b)
{
	return content_cmp(a->content, b->content);
}

static bool pages_identical(const struct page *a, const struct page *b)
{
	return memcmp_pages(a, b) == 0;
}

static struct page *zero_page(struct mmsim *sim)
{
	return pfn_to_page(sim, ZERO_PFN);
}

/* ---- Allocation and the mm list --------------------------------------------- */

static struct ksm_rmap_item *alloc_rmap_item(struct mmsim *sim)
{
	struct ksm_rmap_item *rmap_item = sim_malloc(sim, sizeof(*rmap_item));

	if (rmap_item)
		sim->ksm->rmap_items++;
	return rmap_item;
}

static void free_rmap_item(struct mmsim *sim, struct ksm_rmap_item *rmap_item)
{
	sim->ksm->rmap_items--;
	rmap_item->mm->ksm_rmap_items--;
	sim_free(rmap_item);
}

static struct ksm_stable_node *alloc_stable_node(struct mmsim *sim)
{
	struct ksm_stable_node *node = sim_malloc(sim, sizeof(*node));

	if (node) {
		INIT_LIST_HEAD(&node->hlist);
		INIT_LIST_HEAD(&node->hlist_dup);
	}
	return node;
}

/* The slot after slot on the scan list (slot NULL: the list head), NULL at the end. */
static struct ksm_mm_slot *next_slot(struct mmsim *sim, struct ksm_mm_slot *slot)
{
	struct list_head *next = slot ? slot->mm_node.next : sim->ksm->mm_head.next;

	return next == &sim->ksm->mm_head ? NULL : list_entry(next, struct ksm_mm_slot, mm_node);
}

/* Where "just behind the cursor" is: before the cursor's slot, or at the end. */
static struct list_head *cursor_node(struct mmsim *sim)
{
	return sim->ksm->scan.mm_slot ? &sim->ksm->scan.mm_slot->mm_node : &sim->ksm->mm_head;
}

static struct ksm_mm_slot *mm_slot_lookup(struct mmsim *sim, struct mm_struct *mm)
{
	struct ksm_mm_slot *slot;

	HASH_FIND_PTR(sim->ksm->mm_slots, &mm, slot);
	return slot;
}

/* Unhashes, unlists and frees a slot, dropping its reference on the mm. */
static void mm_slot_free(struct mmsim *sim, struct ksm_mm_slot *slot, unsigned long clear_flags)
{
	struct mm_struct *mm = slot->mm;

	HASH_DEL(sim->ksm->mm_slots, slot);
	list_del_init(&slot->mm_node);
	sim_free(slot);
	mm->flags &= ~clear_flags;
	mmdrop(sim, mm);
}

/*
 * __ksm_enter(): register mm. A new slot goes just behind the cursor, so the
 * area settles for a pass before ksmd looks at it; with run=2 at the end.
 */
static int __ksm_enter(struct mmsim *sim, struct mm_struct *mm)
{
	struct ksm_mm_slot *slot = sim_malloc(sim, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	slot->mm = mm;
	HASH_ADD_PTR(sim->ksm->mm_slots, mm, slot);
	if (!slot->hh.tbl) {
		sim_free(slot);
		return -ENOMEM;
	}
	if (sim->ksm->run & KSM_RUN_UNMERGE)
		list_add_tail(&slot->mm_node, &sim->ksm->mm_head);
	else
		list_add_tail(&slot->mm_node, cursor_node(sim));
	mm->flags |= MMF_VM_MERGEABLE;
	mm->mm_count++;		/* mmgrab() */
	return 0;
}

/* ksm_test_exit(): the process is gone, only KSM still holds the mm. */
static bool ksm_test_exit(const struct mm_struct *mm)
{
	return mm->exited;
}

/* ---- Zero pages ---------------------------------------------------------------- */

bool is_ksm_zero_pte(uint64_t pte)
{
	return pte_special(pte) && pte_pfn(pte) == ZERO_PFN && pte_dirty(pte);
}

void ksm_map_zero_page(struct mmsim *sim, struct mm_struct *mm)
{
	sim->ksm->zero_pages++;
	mm->ksm_zero_pages++;
}

void ksm_might_unmap_zero_page(struct mmsim *sim, struct mm_struct *mm, uint64_t pte)
{
	if (is_ksm_zero_pte(pte)) {
		sim->ksm->zero_pages--;
		mm->ksm_zero_pages--;
	}
}

/* ---- Unmerging ------------------------------------------------------------------- */

/*
 * break_ksm(): while addr maps a KSM page (or a KSM zero page), fault it
 * with unshare semantics so the mm gets an exclusive copy; before 6.2 with a
 * write fault, whose copy is writable and dirty.
 */
static int break_ksm(struct mmsim *sim, struct vm_area_struct *vma, unsigned long addr)
{
	/* 6.1 looks with follow_page(), which sees nothing at a PROT_NONE entry. */
	if (follow_page_refuses_protnone(sim, vma))
		return 0;
	for (;;) {
		pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);
		bool ksm_page = false;
		pte_t pte;
		int err;

		if (!pmd || !pmd_table(*pmd))
			return 0;	/* a PMD maps a large folio: never KSM */
		pte = *pte_offset(sim, pmd, addr);
		if (pte_present(pte)) {
			/* Before 6.6 a KSM zero page is just the zero page: left alone. */
			if (pte_special(pte))
				ksm_page = is_ksm_zero_pte(pte) && sim->profile->ksm_zero_pages;
			else
				ksm_page = folio_test_ksm(page_folio(pfn_to_page(sim, pte_pfn(pte))));
		}
		if (!ksm_page)
			return 0;
		err = handle_mm_fault_remote(sim, vma, addr, !sim->profile->break_ksm_write_fault);
		if (err)
			return err;
	}
}

/*
 * unmerge_ksm_pages(): break_ksm() every page of [start, end). 6.18 tries
 * each address, also where no page table exists (73 s for a 16 TiB VMA);
 * there break_ksm() finds nothing, so skipping those holes changes no result.
 */
static int unmerge_ksm_pages(struct mmsim *sim, struct vm_area_struct *vma,
			     unsigned long start, unsigned long end)
{
	int err = 0;

	for (unsigned long addr = pmd_table_next(sim, vma->vm_mm, start, end); addr < end && !err;
	     addr = page_walk_next(sim, vma->vm_mm, addr, end)) {
		if (ksm_test_exit(vma->vm_mm))
			break;
		err = break_ksm(sim, vma, addr);
	}
	return err;
}

/* ksm_compatible(): private anonymous VMAs only; the model has nothing else but shared. */
static bool ksm_compatible(unsigned long vm_flags)
{
	return !(vm_flags & VM_SHARED);
}

/* The VMA at addr, if ksmd may still work on it. */
static struct vm_area_struct *find_mergeable_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	if (ksm_test_exit(mm))
		return NULL;
	vma = vma_lookup(mm, addr);
	if (!vma || !(vma->vm_flags & VM_MERGEABLE) || !vma->anon_vma)
		return NULL;
	return vma;
}

/*
 * Seed 003: what the `ksm rmap_walk=` variant in force keeps from the moment
 * an item is merged, read off the VMA try_to_merge_with_ksm_page() found.
 * pgoff: the page offset the replaced page had (the series from v4 on);
 * remapped: one bit, set when the VMA is not where its vm_pgoff says, as
 * after mremap() (Lorenzo Stoakes' suggestion in the v3 thread). The rmap
 * invariant behind both: while a page stays mapped, its page offset does not
 * change (mremap breaks KSM pages before moving them; VMA splits and merges
 * keep linear_page_index()), so what is true at merge time stays true.
 */
static void rmap_item_save_range(struct mmsim *sim, struct ksm_rmap_item *rmap_item,
				 const struct vm_area_struct *vma)
{
	unsigned long addr = rmap_item->address & PAGE_MASK;

	if (sim->ksm->rmap_walk == MMSIM_KSM_RMAP_WALK_PGOFF)
		rmap_item->pgoff = linear_page_index(vma, addr);
	else if (sim->ksm->rmap_walk == MMSIM_KSM_RMAP_WALK_REMAPPED &&
		 vma->vm_pgoff != vma->vm_start >> PAGE_SHIFT)
		rmap_item->address |= REMAPPED_FLAG;
}

/*
 * The item is no longer merged. The pgoff variant resets the union, so the
 * checksum and smart-scan age start again from 0, as the series does.
 */
static void rmap_item_forget_range(struct mmsim *sim, struct ksm_rmap_item *rmap_item)
{
	if (sim->ksm->rmap_walk == MMSIM_KSM_RMAP_WALK_PGOFF)
		rmap_item->pgoff = 0;
	rmap_item->address &= ~REMAPPED_FLAG;
}

/* break_cow(): undo a merge this rmap_item took part in (and its anon_vma reference). */
static void break_cow(struct mmsim *sim, struct ksm_rmap_item *rmap_item)
{
	unsigned long addr = rmap_item->address & PAGE_MASK;
	struct vm_area_struct *vma;

	put_anon_vma(sim, rmap_item->anon_vma);
	rmap_item_forget_range(sim, rmap_item);
	vma = find_mergeable_vma(rmap_item->mm, addr);
	if (vma)
		break_ksm(sim, vma, addr);
}

/*
 * The anonymous page at the item's address, without a reference: what
 * get_mergeable_page() takes. *vmap carries the VMA between the lookups of
 * one tree descent, which changes no VMA: an item of the same mm inside it
 * needs no new search (its checks passed when it was found).
 */
static struct page *mergeable_page_at(struct mmsim *sim, const struct ksm_rmap_item *rmap_item,
				      struct vm_area_struct **vmap)
{
	unsigned long addr = rmap_item->address & PAGE_MASK;
	struct vm_area_struct *vma = *vmap;
	struct page *page;
	bool pmd_mapped;

	if (!vma || vma->vm_mm != rmap_item->mm || addr < vma->vm_start || addr >= vma->vm_end) {
		vma = find_mergeable_vma(rmap_item->mm, addr);
		if (!vma)
			return NULL;
		*vmap = vma;
	}
	if (follow_page_refuses_protnone(sim, vma))
		return NULL;
	page = follow_page(sim, rmap_item->mm, addr, &pmd_mapped);
	if (!page)
		return NULL;
	/*
	 * The caller compares the contents next. In a large unstable tree the
	 * folio and the contents are two cache misses: start the second before
	 * the first is waited for.
	 */
	__builtin_prefetch(page->content);
	if (!page->folio || !folio_test_anon(page_folio(page)))
		return NULL;
	return page;
}

static void put_page(struct mmsim *sim, struct page *page)
{
	folio_put(sim, page_folio(page));
}

/* ---- Stable nodes ------------------------------------------------------------------ */

static bool is_stable_node_chain(const struct ksm_stable_node *chain)
{
	return chain->rmap_hlist_len == STABLE_NODE_CHAIN;
}

static bool is_stable_node_dup(const struct ksm_stable_node *dup)
{
	return dup->chain != NULL;
}

/* Has the node room for offset more mappings, and any at all (else its page is going)? */
static bool __is_page_sharing_candidate(struct mmsim *sim, struct ksm_stable_node *stable_node,
					int offset)
{
	return stable_node->rmap_hlist_len &&
	       stable_node->rmap_hlist_len + offset < sim->ksm->max_page_sharing;
}

static bool is_page_sharing_candidate(struct mmsim *sim, struct ksm_stable_node *stable_node)
{
	return __is_page_sharing_candidate(sim, stable_node, 0);
}

/*
 * Every change of a node's rmap_hlist_len goes through here, so that a
 * chain's count of candidates stays exact (max_page_sharing, the other
 * input, changes only while no stable node exists).
 */
static void stable_node_hlist_len_add(struct mmsim *sim, struct ksm_stable_node *node,
				      int delta)
{
	bool was = is_page_sharing_candidate(sim, node);

	node->rmap_hlist_len += delta;
	if (is_stable_node_dup(node))
		node->chain->nr_candidates += (unsigned int)is_page_sharing_candidate(sim, node) -
					      (unsigned int)was;
}

void ksm_folio_freed(struct folio *folio)
{
	struct ksm_stable_node *stable_node = folio->stable_node;

	/* NULL: a KSM page being set up (try_to_merge_one_page()) or let go (run=2). */
	if (!stable_node)
		return;
	stable_node->stale = true;
	if (is_stable_node_dup(stable_node))
		stable_node->chain->nr_stale++;
}

static void stable_node_chain_add_dup(struct mmsim *sim, struct ksm_stable_node *dup,
				      struct ksm_stable_node *chain)
{
	dup->chain = chain;
	list_add(&dup->hlist_dup, &chain->hlist);
	chain->nr_candidates += is_page_sharing_candidate(sim, dup);
	chain->nr_stale += dup->stale;
	sim->ksm->stable_node_dups++;
}

static void __stable_node_dup_del(struct mmsim *sim, struct ksm_stable_node *dup)
{
	dup->chain->nr_candidates -= is_page_sharing_candidate(sim, dup);
	dup->chain->nr_stale -= dup->stale;
	list_del_init(&dup->hlist_dup);
	dup->chain = NULL;
	sim->ksm->stable_node_dups--;
}

/* Takes a plain node or a dup out of the stable tree. */
static void stable_node_dup_del(struct mmsim *sim, struct ksm_stable_node *dup)
{
	if (is_stable_node_dup(dup))
		__stable_node_dup_del(sim, dup);
	else
		rb_erase(&dup->node, &sim->ksm->root_stable_tree);
}

struct ksm_stable_node *folio_stable_node(const struct folio *folio)
{
	return folio_test_ksm(folio) ? folio->stable_node : NULL;
}

/* The folio's mapping becomes the stable node (NULL while being set up). */
static void folio_set_stable_node(struct folio *folio, struct ksm_stable_node *stable_node)
{
	folio->flags |= FOLIO_ksm;
	folio->anon_vma = NULL;
	folio->stable_node = stable_node;
}

/* alloc_stable_node_chain(): dup's place in the tree goes to a new chain holding dup. */
static struct ksm_stable_node *alloc_stable_node_chain(struct mmsim *sim,
						       struct ksm_stable_node *dup)
{
	struct ksm_stable_node *chain = alloc_stable_node(sim);

	if (!chain)
		return NULL;
	chain->chain_prune_time = (unsigned long)(ksm_ktime_ns(sim) / 1000000);
	chain->rmap_hlist_len = STABLE_NODE_CHAIN;
	sim->ksm->stable_node_chains++;
	rb_replace_node(&dup->node, &chain->node, &sim->ksm->root_stable_tree);
	stable_node_chain_add_dup(sim, dup, chain);
	return chain;
}

static void free_stable_node_chain(struct mmsim *sim, struct ksm_stable_node *chain)
{
	rb_erase(&chain->node, &sim->ksm->root_stable_tree);
	sim_free(chain);
	sim->ksm->stable_node_chains--;
}

/*
 * remove_node_from_stable_tree(): the node's page is gone; its items leave
 * the stable tree (their counters with them) but stay on their mm lists.
 */
void remove_node_from_stable_tree(struct mmsim *sim, struct ksm_stable_node *stable_node)
{
	struct ksm_rmap_item *rmap_item;

	list_for_each_entry(rmap_item, &stable_node->hlist, hlist) {
		if (rmap_item->hlist.next != &stable_node->hlist)
			sim->ksm->pages_sharing--;
		else
			sim->ksm->pages_shared--;
		rmap_item->mm->ksm_merging_pages--;
		stable_node_hlist_len_add(sim, stable_node, -1);
		put_anon_vma(sim, rmap_item->anon_vma);
		rmap_item_forget_range(sim, rmap_item);
		rmap_item->address &= PAGE_MASK;
	}
	stable_node_dup_del(sim, stable_node);
	sim_free(stable_node);
}

/*
 * ksm_get_folio(): the node's KSM folio with a reference, if the folio at
 * kpfn still points back to the node; otherwise the node is stale (its page
 * was freed) and is removed.
 */
struct folio *ksm_get_folio(struct mmsim *sim, struct ksm_stable_node *stable_node)
{
	struct folio *folio = page_folio(pfn_to_page(sim, stable_node->kpfn));

	if (!folio || !folio_test_ksm(folio) || folio->stable_node != stable_node) {
		remove_node_from_stable_tree(sim, stable_node);
		return NULL;
	}
	folio_get(folio);
	return folio;
}

/* remove_rmap_item_from_tree(): the item leaves whichever tree holds it. */
void remove_rmap_item_from_tree(struct mmsim *sim, struct ksm_rmap_item *rmap_item)
{
	if (rmap_item->address & STABLE_FLAG) {
		struct ksm_stable_node *stable_node = rmap_item->head;
		struct folio *folio = ksm_get_folio(sim, stable_node);

		if (!folio)
			return;		/* the whole node went, this item's counts with it */
		list_del_init(&rmap_item->hlist);
		folio_put(sim, folio);
		if (!list_empty(&stable_node->hlist))
			sim->ksm->pages_sharing--;
		else
			sim->ksm->pages_shared--;
		rmap_item->mm->ksm_merging_pages--;
		stable_node_hlist_len_add(sim, stable_node, -1);
		put_anon_vma(sim, rmap_item->anon_vma);
		rmap_item_forget_range(sim, rmap_item);
		rmap_item->head = NULL;
		rmap_item->address &= PAGE_MASK;
	} else if (rmap_item->address & UNSTABLE_FLAG) {
		/*
		 * Only an item inserted during this pass is still in the tree:
		 * the tree of an earlier pass was thrown away at the start of
		 * this one.
		 */
		uint8_t age = (uint8_t)(sim->ksm->scan.seqnr - rmap_item->address);

		if (!age)
			rb_erase(&rmap_item->node, &sim->ksm->root_unstable_tree);
		sim->ksm->pages_unshared--;
		rmap_item->address &= PAGE_MASK;
	}
}

static void remove_trailing_rmap_items(struct mmsim *sim, struct ksm_rmap_item **rmap_list)
{
	while (*rmap_list) {
		struct ksm_rmap_item *rmap_item = *rmap_list;

		*rmap_list = rmap_item->rmap_list;
		remove_rmap_item_from_tree(sim, rmap_item);
		free_rmap_item(sim, rmap_item);
	}
}

/* remove_stable_node(): for run=2 and the tunables; -EBUSY while the page is mapped. */
static int remove_stable_node(struct mmsim *sim, struct ksm_stable_node *stable_node)
{
	struct folio *folio = ksm_get_folio(sim, stable_node);
	int err = -EBUSY;

	if (!folio)
		return 0;	/* it was stale, and is gone */
	if (!folio_mapped(sim, folio)) {
		folio_set_stable_node(folio, NULL);
		remove_node_from_stable_tree(sim, stable_node);
		err = 0;
	}
	folio_put(sim, folio);
	return err;
}

static int remove_stable_node_chain(struct mmsim *sim, struct ksm_stable_node *stable_node)
{
	struct ksm_stable_node *dup, *tmp;

	if (!is_stable_node_chain(stable_node))
		return remove_stable_node(sim, stable_node);
	list_for_each_entry_safe(dup, tmp, &stable_node->hlist, hlist_dup)
		if (remove_stable_node(sim, dup))
			return -EBUSY;
	free_stable_node_chain(sim, stable_node);
	return 0;
}

int remove_all_stable_nodes(struct mmsim *sim)
{
	struct rb_root *root = &sim->ksm->root_stable_tree;

	while (root->rb_node) {
		struct ksm_stable_node *node = rb_entry(root->rb_node, struct ksm_stable_node, node);

		if (remove_stable_node_chain(sim, node))
			return -EBUSY;
	}
	return 0;
}

/*
 * unmerge_and_remove_all_rmap_items(): run=2. Every KSM page is unmerged
 * and every item freed; slots stay (but those of exited mms), seqnr is 0.
 */
int unmerge_and_remove_all_rmap_items(struct mmsim *sim)
{
	struct ksm_mm_slot *slot;
	int err;

	sim->ksm->scan.mm_slot = next_slot(sim, NULL);
	for (slot = sim->ksm->scan.mm_slot; slot; slot = sim->ksm->scan.mm_slot) {
		struct mm_struct *mm = slot->mm;
		struct vm_area_struct *vma;

		if (!ksm_test_exit(mm)) {
			for_each_vma(mm, vma) {
				if (!(vma->vm_flags & VM_MERGEABLE) || !vma->anon_vma)
					continue;
				err = unmerge_ksm_pages(sim, vma, vma->vm_start, vma->vm_end);
				if (err) {
					sim->ksm->scan.mm_slot = NULL;
					return err;
				}
			}
		}
		remove_trailing_rmap_items(sim, &slot->rmap_list);
		sim->ksm->scan.mm_slot = next_slot(sim, slot);
		if (ksm_test_exit(mm))
			mm_slot_free(sim, slot, MMF_VM_MERGEABLE | MMF_VM_MERGE_ANY);
	}
	remove_all_stable_nodes(sim);	/* some may still be busy: no matter */
	sim->ksm->scan.seqnr = 0;
	/*
	 * The items of the last pass's unstable tree are freed; Linux leaves
	 * the dead root for the next pass to reset, we reset it now so the
	 * checker never walks freed items.
	 */
	sim->ksm->root_unstable_tree = RB_ROOT;
	return 0;
}

/* ---- Merging one page -------------------------------------------------------------- */

/* page_address_in_vma() for an anonymous page; ~0UL when it cannot be in vma. */
static unsigned long page_address_in_vma(struct mmsim *sim, const struct folio *folio,
					 const struct page *page,
					 const struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = folio_anon_vma(folio);
	unsigned long pgoff, address;

	/* A KSM folio has no anon_vma: it fails here, as in Linux. */
	if (!vma->anon_vma || !anon_vma || vma->anon_vma->root != anon_vma->root)
		return ~0UL;
	pgoff = folio->index + (unsigned long)folio_page_idx(sim, folio, page);
	if (pgoff < vma->vm_pgoff)
		return ~0UL;
	address = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
	return address < vma->vm_end ? address : ~0UL;
}

/* The PTE at address if it maps page (page_vma_mapped_walk() of one small page). */
static pte_t *page_pte(struct mmsim *sim, struct vm_area_struct *vma, unsigned long address,
		       const struct page *page, pmd_t **pmdp)
{
	pmd_t *pmd;
	pte_t *pte;

	if (address == ~0UL)
		return NULL;
	pmd = pmd_lookup(sim, vma->vm_mm, address);
	if (!pmd || !pmd_table(*pmd))
		return NULL;
	pte = pte_offset(sim, pmd, address);
	if (!pte_present(*pte) || pte_special(*pte) || pte_pfn(*pte) != page_to_pfn(sim, page))
		return NULL;
	*pmdp = pmd;
	return pte;
}

/*
 * write_protect_page(): make the PTE read-only and clean. The check that
 * nobody else holds a reference (mapcount + our one == refcount) is made with
 * the PTE cleared, as Linux does against concurrent GUP.
 */
static int write_protect_page(struct mmsim *sim, struct vm_area_struct *vma,
			      struct folio *folio, pte_t *orig_pte)
{
	struct page *page = folio_page(sim, folio, 0);
	bool anon_exclusive;
	pmd_t *pmd;
	pte_t *pte, entry;

	if (folio_test_large(folio))
		return -EFAULT;
	pte = page_pte(sim, vma, page_address_in_vma(sim, folio, page, vma), page, &pmd);
	if (!pte)
		return -EFAULT;
	entry = *pte;
	anon_exclusive = PageAnonExclusive(page);
	if (pte_write(entry) || pte_dirty(entry) || anon_exclusive) {
		*pte = 0;	/* ptep_clear_flush() */
		if (folio_mapcount(sim, folio) + 1 != folio->_refcount) {
			*pte = entry;
			return -EFAULT;
		}
		/* folio_try_share_anon_rmap_pte(): a pinned page failed the refcount check above. */
		if (anon_exclusive)
			ClearPageAnonExclusive(page);
		if (pte_dirty(entry))
			folio->flags |= FOLIO_dirty;
		entry = pte_wrprotect(entry & ~(pte_t)_PAGE_DIRTY);
		*pte = entry;
	}
	*orig_pte = entry;
	return 0;
}

/*
 * replace_page(): the PTE that maps page (still orig_pte) maps kpage
 * instead, or a dirty special zero-page entry when kpage is the zero page.
 */
static int replace_page(struct mmsim *sim, struct vm_area_struct *vma, struct page *page,
			struct page *kpage, pte_t orig_pte)
{
	struct folio *folio = page_folio(page), *kfolio = page_folio(kpage);
	struct mm_struct *mm = vma->vm_mm;
	pmd_t *pmd;
	pte_t *pte, newpte;

	pte = page_pte(sim, vma, page_address_in_vma(sim, folio, page, vma), page, &pmd);
	if (!pte || *pte != orig_pte)
		return -EFAULT;
	if (page_to_pfn(sim, kpage) != ZERO_PFN) {
		folio_get(kfolio);
		folio_add_anon_rmap_pte(sim, kfolio, kpage, vma, pte_pfn(*pmd), RMAP_NONE);
		newpte = pfn_pte(page_to_pfn(sim, kpage), vm_page_prot(vma->vm_flags));
	} else {
		/* The dirty bit tells KSM's zero pages from the others. */
		newpte = pte_mkdirty(pte_mkspecial(pfn_pte(ZERO_PFN, vm_page_prot(vma->vm_flags))));
		ksm_map_zero_page(sim, mm);
		add_mm_counter(mm, MM_ANONPAGES, -1);
	}
	*pte = newpte;
	folio_remove_rmap_pte(sim, folio, page, vma, pte_pfn(*pmd));
	folio_put(sim, folio);
	return 0;
}

/*
 * try_to_merge_one_page(): write-protect page and make it the KSM page
 * (kpage NULL), or replace it by kpage when their contents are equal. A
 * large folio is split first (the caller's reference goes along); if it
 * cannot be, nothing merges.
 */
static int try_to_merge_one_page(struct mmsim *sim, struct vm_area_struct *vma,
				 struct page *page, struct page *kpage)
{
	struct folio *folio = page_folio(page);
	pte_t orig_pte = 0;

	if (page == kpage)
		return 0;	/* a KSM page forked */
	if (!folio_test_anon(folio))
		return -EFAULT;
	if (folio_test_large(folio)) {
		if (split_folio_refs(sim, folio, page, 1))
			return -EFAULT;
		folio = page_folio(page);
	}
	if (write_protect_page(sim, vma, folio, &orig_pte))
		return -EFAULT;
	if (!kpage) {
		/* stable_tree_insert() fills the node in. */
		folio_set_stable_node(folio, NULL);
		folio->flags |= FOLIO_dirty;	/* reclaim must swap it, not drop it */
		return 0;
	}
	if (!pages_identical(page, kpage))
		return -EFAULT;
	return replace_page(sim, vma, page, kpage, orig_pte);
}

/* try_to_merge_with_zero_page(): use_zero_pages and an empty page: map the zero page. */
static int try_to_merge_with_zero_page(struct mmsim *sim, struct ksm_rmap_item *rmap_item,
				       struct page *page)
{
	struct vm_area_struct *vma;

	if (!sim->ksm->use_zero_pages || rmap_item->oldchecksum != sim->ksm->zero_checksum)
		return -EFAULT;
	vma = find_mergeable_vma(rmap_item->mm, rmap_item->address & PAGE_MASK);
	if (!vma)
		return 0;	/* the VMA is out of date: nothing more to do */
	return try_to_merge_one_page(sim, vma, page, zero_page(sim));
}

/*
 * try_to_merge_with_ksm_page(): merge page into kpage (or make it a KSM page
 * when kpage is NULL); the item takes a reference on the VMA's anon_vma for
 * rmap_walk_ksm().
 */
static int try_to_merge_with_ksm_page(struct mmsim *sim, struct ksm_rmap_item *rmap_item,
				      struct page *page, struct page *kpage)
{
	struct vm_area_struct *vma = find_mergeable_vma(rmap_item->mm,
							rmap_item->address & PAGE_MASK);
	int err;

	if (!vma)
		return -EFAULT;
	err = try_to_merge_one_page(sim, vma, page, kpage);
	if (err)
		return err;
	/* The unstable tree's node shares room with the anon_vma: out of it first. */
	remove_rmap_item_from_tree(sim, rmap_item);
	rmap_item->anon_vma = vma->anon_vma;
	vma->anon_vma->refcount++;	/* get_anon_vma() */
	rmap_item_save_range(sim, rmap_item, vma);
	return 0;
}

/*
 * try_to_merge_two_pages(): page becomes the KSM page and tree_page is
 * replaced by it; if the second half fails, the first is undone.
 */
static struct folio *try_to_merge_two_pages(struct mmsim *sim, struct ksm_rmap_item *rmap_item,
					    struct page *page,
					    struct ksm_rmap_item *tree_rmap_item,
					    struct page *tree_page)
{
	int err = try_to_merge_with_ksm_page(sim, rmap_item, page, NULL);

	if (!err) {
		err = try_to_merge_with_ksm_page(sim, tree_rmap_item, tree_page, page);
		if (err)
			break_cow(sim, rmap_item);
	}
	return err ? NULL : page_folio(page);
}

/* ---- The stable tree ----------------------------------------------------------------- */

/* chain_prune_time says whether a full walk of the dups is due, and restarts the clock. */
static bool chain_prune_due(struct mmsim *sim, struct ksm_stable_node *chain)
{
	if (ksm_ktime_ns(sim) / 1000000 - chain->chain_prune_time <
	    sim->ksm->stable_node_chains_prune_millisecs)
		return false;
	chain->chain_prune_time = (unsigned long)(ksm_ktime_ns(sim) / 1000000);
	return true;
}

/*
 * A chain left with one dup collapses: the dup takes the chain's place in
 * the tree and *chainp becomes it.
 */
static void stable_node_chain_collapse(struct mmsim *sim, struct ksm_stable_node **chainp,
				       struct ksm_stable_node *found)
{
	struct ksm_stable_node *chain = *chainp;

	list_del_init(&found->hlist_dup);
	found->chain = NULL;
	rb_replace_node(&chain->node, &found->node, &sim->ksm->root_stable_tree);
	sim_free(chain);
	sim->ksm->stable_node_chains--;
	sim->ksm->stable_node_dups--;
	*chainp = found;
}

/*
 * stable_node_dup(): the dup of a chain to merge into, with a reference on
 * its folio: the first candidate, or (when pruning is due) the candidate with
 * the most mappings after a walk of every dup that drops the stale ones.
 */
static struct folio *stable_node_dup(struct mmsim *sim, struct ksm_stable_node **_dup,
				     struct ksm_stable_node **_chain, bool prune)
{
	struct ksm_stable_node *dup, *tmp, *found = NULL, *chain = *_chain;
	struct folio *folio, *tree_folio = NULL;
	int found_len = 0;

	prune = prune && chain_prune_due(sim, chain);
	/*
	 * Without pruning, the walk stops at the first dup that can take one
	 * more mapping and prunes the stale dups it passes on the way. When no
	 * dup is either (every page full, none freed: a chain that grew to its
	 * size and stays), it would visit them all only to settle on the first.
	 * The counts the model keeps on the chain say so at once; the walk is
	 * left for when it can find or prune something.
	 */
	if (!prune && !chain->nr_candidates && !chain->nr_stale && !list_empty(&chain->hlist)) {
		found = list_first_entry(&chain->hlist, struct ksm_stable_node, hlist_dup);
		tree_folio = ksm_get_folio(sim, found);	/* not stale: cannot fail */
		goto found_dup;
	}
	list_for_each_entry_safe(dup, tmp, &chain->hlist, hlist_dup) {
		folio = ksm_get_folio(sim, dup);
		if (!folio)
			continue;
		if (!found || (is_page_sharing_candidate(sim, dup) &&
			       (!is_page_sharing_candidate(sim, found) ||
				dup->rmap_hlist_len > found_len))) {
			if (found)
				folio_put(sim, tree_folio);
			found = dup;
			found_len = dup->rmap_hlist_len;
			tree_folio = folio;
			if (!prune && is_page_sharing_candidate(sim, found))
				break;
			continue;
		}
		folio_put(sim, folio);
	}
found_dup:
	if (!found) {
		free_stable_node_chain(sim, chain);	/* every dup was stale */
	} else if (list_is_singular(&chain->hlist)) {
		stable_node_chain_collapse(sim, _chain, found);
	} else if (chain->hlist.next != &found->hlist_dup &&
		   __is_page_sharing_candidate(sim, found, 1)) {
		/* Move it first, so that the next search stops there at once. */
		list_del_init(&found->hlist_dup);
		list_add(&found->hlist_dup, &chain->hlist);
	}
	*_dup = found;
	return tree_folio;
}

/*
 * __stable_node_chain(): for a plain node, itself and its folio; for a
 * chain, the dup stable_node_dup() picks. NULL when the node (or the whole
 * chain) turned out stale and was removed: the caller restarts its walk.
 */
static struct folio *__stable_node_chain(struct mmsim *sim, struct ksm_stable_node **_dup,
					 struct ksm_stable_node **_node, bool prune)
{
	struct ksm_stable_node *stable_node = *_node;

	if (!is_stable_node_chain(stable_node)) {
		*_dup = stable_node;
		return ksm_get_folio(sim, stable_node);
	}
	return stable_node_dup(sim, _dup, _node, prune);
}

/*
 * stable_tree_search(): a KSM folio (with a reference) equal to page that can
 * take one more mapping. A KSM page (forked) is its own answer.
 */
static struct folio *stable_tree_search(struct mmsim *sim, struct page *page)
{
	struct folio *folio = page_folio(page), *tree_folio;
	struct ksm_stable_node *stable_node, *stable_node_dup;
	struct rb_node *node;

	if (folio_stable_node(folio)) {
		folio_get(folio);
		return folio;
	}
again:
	node = sim->ksm->root_stable_tree.rb_node;
	while (node) {
		int ret;

		stable_node = rb_entry(node, struct ksm_stable_node, node);
		tree_folio = __stable_node_chain(sim, &stable_node_dup, &stable_node, true);
		if (!tree_folio)
			goto again;	/* a stale node was erased: the tree changed */
		ret = memcmp_pages(page, folio_page(sim, tree_folio, 0));
		folio_put(sim, tree_folio);
		/* A collapsed chain left stable_node in its place: go on from there. */
		node = &stable_node->node;
		if (ret < 0) {
			node = node->rb_left;
		} else if (ret > 0) {
			node = node->rb_right;
		} else {
			/* All full: the page must find a peer and make a new dup. */
			if (!is_page_sharing_candidate(sim, stable_node_dup))
				return NULL;
			tree_folio = ksm_get_folio(sim, stable_node_dup);
			if (!tree_folio)
				goto again;
			return tree_folio;
		}
	}
	return NULL;
}

/* Where in the stable tree kpage's contents go; *equal: a node holds them already. */
static struct rb_node **stable_tree_find_slot(struct mmsim *sim, struct page *kpage,
					      struct rb_node **parentp,
					      struct ksm_stable_node **equal)
{
	struct rb_node **new, *parent;
	struct ksm_stable_node *stable_node, *stable_node_dup;
	struct folio *tree_folio;

again:
	new = &sim->ksm->root_stable_tree.rb_node;
	parent = NULL;
	*equal = NULL;
	while (*new) {
		int ret;

		stable_node = rb_entry(*new, struct ksm_stable_node, node);
		tree_folio = __stable_node_chain(sim, &stable_node_dup, &stable_node, false);
		if (!tree_folio)
			goto again;
		ret = memcmp_pages(kpage, folio_page(sim, tree_folio, 0));
		folio_put(sim, tree_folio);
		parent = &stable_node->node;
		if (ret < 0) {
			new = &parent->rb_left;
		} else if (ret > 0) {
			new = &parent->rb_right;
		} else {
			*equal = stable_node;
			break;
		}
	}
	*parentp = parent;
	return new;
}

/*
 * stable_tree_insert(): a node for the new KSM folio; next to an equal node
 * it becomes a dup of their (new, if need be) chain. NULL on -ENOMEM.
 */
static struct ksm_stable_node *stable_tree_insert(struct mmsim *sim, struct folio *kfolio)
{
	struct ksm_stable_node *equal, *dup;
	struct rb_node *parent, **new;

	new = stable_tree_find_slot(sim, folio_page(sim, kfolio, 0), &parent, &equal);
	dup = alloc_stable_node(sim);
	if (!dup)
		return NULL;
	dup->kpfn = folio_pfn(kfolio);
	if (!equal) {
		rb_link_node(&dup->node, parent, new);
		rb_insert_color(&dup->node, &sim->ksm->root_stable_tree);
	} else {
		if (!is_stable_node_chain(equal)) {
			equal = alloc_stable_node_chain(sim, equal);
			if (!equal) {
				sim_free(dup);
				return NULL;
			}
		}
		stable_node_chain_add_dup(sim, dup, equal);
	}
	folio_set_stable_node(kfolio, dup);
	return dup;
}

/*
 * Starts fetching what the descent reads if it goes to node: its page's
 * folio and contents, and its children's items (already fetched by the
 * level above). Looks only: no reference, nothing changes, and no VMA
 * check (a prefetch of the wrong page costs nothing but the fetch). An
 * exited mm has no page tables left to look at.
 */
static void unstable_tree_prefetch(struct mmsim *sim, const struct rb_node *node)
{
	const struct ksm_rmap_item *rmap_item;
	const struct page *page;
	bool pmd_mapped;

	if (!node)
		return;
	__builtin_prefetch(node->rb_left);
	__builtin_prefetch(node->rb_right);
	rmap_item = rb_entry(node, struct ksm_rmap_item, node);
	if (ksm_test_exit(rmap_item->mm))
		return;
	page = follow_page(sim, rmap_item->mm, rmap_item->address & PAGE_MASK, &pmd_mapped);
	if (page) {
		__builtin_prefetch(page->content);
		__builtin_prefetch(page->folio);
	}
}

/*
 * unstable_tree_search_insert(): an item of this pass whose page equals
 * page (its page returned with a reference in *tree_pagep), or else the item
 * goes into the tree. A tree page that cannot be had ends the search with
 * nothing inserted.
 */
static struct ksm_rmap_item *unstable_tree_search_insert(struct mmsim *sim,
							 struct ksm_rmap_item *rmap_item,
							 struct page *page,
							 struct page **tree_pagep)
{
	struct rb_node **new = &sim->ksm->root_unstable_tree.rb_node, *parent = NULL;
	struct vm_area_struct *vma = NULL;

	while (*new) {
		struct ksm_rmap_item *tree_rmap_item = rb_entry(*new, struct ksm_rmap_item, node);
		struct page *tree_page;
		int ret;

		/*
		 * get_mergeable_page() takes a reference on each tree page for
		 * the compare and drops it after. Nothing here can see it in
		 * between, so only the page that matches takes one.
		 */
		tree_page = mergeable_page_at(sim, tree_rmap_item, &vma);
		/*
		 * The walk goes on to one of the children. Each level is a chain
		 * of cache misses (item, page table, page, folio, contents):
		 * look both children up now, so that their misses overlap this
		 * level's compare and each other.
		 */
		unstable_tree_prefetch(sim, (*new)->rb_left);
		unstable_tree_prefetch(sim, (*new)->rb_right);
		/* Not a KSM page in place of a forked page (page == tree_page). */
		if (!tree_page || page == tree_page)
			return NULL;
		ret = memcmp_pages(page, tree_page);
		parent = *new;
		if (ret) {
			new = ret < 0 ? &parent->rb_left : &parent->rb_right;
			continue;
		}
		folio_get(page_folio(tree_page));
		*tree_pagep = tree_page;
		return tree_rmap_item;
	}
	rmap_item->address |= UNSTABLE_FLAG | (sim->ksm->scan.seqnr & SEQNR_MASK);
	rb_link_node(&rmap_item->node, parent, new);
	rb_insert_color(&rmap_item->node, &sim->ksm->root_unstable_tree);
	sim->ksm->pages_unshared++;
	return NULL;
}

/* stable_tree_append(): the item hangs off the node; the first is "shared", the rest "sharing". */
static void stable_tree_append(struct mmsim *sim, struct ksm_rmap_item *rmap_item,
			       struct ksm_stable_node *stable_node)
{
	bool first = list_empty(&stable_node->hlist);

	stable_node_hlist_len_add(sim, stable_node, 1);
	rmap_item->head = stable_node;
	rmap_item->address |= STABLE_FLAG;
	list_add(&rmap_item->hlist, &stable_node->hlist);
	if (first)
		sim->ksm->pages_shared++;
	else
		sim->ksm->pages_sharing++;
	rmap_item->mm->ksm_merging_pages++;
}

/* A new KSM page: into the stable tree with both items, or both merges undone. */
static void stable_tree_add_pair(struct mmsim *sim, struct folio *kfolio,
				 struct ksm_rmap_item *tree_rmap_item,
				 struct ksm_rmap_item *rmap_item)
{
	struct ksm_stable_node *stable_node = stable_tree_insert(sim, kfolio);

	if (stable_node) {
		stable_tree_append(sim, tree_rmap_item, stable_node);
		stable_tree_append(sim, rmap_item, stable_node);
	} else {
		break_cow(sim, tree_rmap_item);
		break_cow(sim, rmap_item);
	}
}

/*
 * The unstable-tree half of cmp_and_merge_page(): a match makes a new KSM
 * page; if both pages are in one large folio the split failed (two
 * references on it), so split it now and merge next time.
 */
static void merge_with_unstable_tree(struct mmsim *sim, struct page *page,
				     struct ksm_rmap_item *rmap_item)
{
	struct page *tree_page = NULL;
	struct ksm_rmap_item *tree_rmap_item;
	struct folio *kfolio;
	bool split;

	tree_rmap_item = unstable_tree_search_insert(sim, rmap_item, page, &tree_page);
	if (!tree_rmap_item)
		return;
	kfolio = try_to_merge_two_pages(sim, rmap_item, page, tree_rmap_item, tree_page);
	split = folio_test_large(page_folio(page)) && page_folio(page) == page_folio(tree_page);
	put_page(sim, tree_page);
	if (kfolio)
		stable_tree_add_pair(sim, kfolio, tree_rmap_item, rmap_item);
	else if (split)
		split_folio_refs(sim, page_folio(page), page, 1);
}

/* The page's checksum differs from the last pass's (which it replaces). */
static bool page_changed(struct mmsim *sim, struct ksm_rmap_item *rmap_item,
			 const struct page *page)
{
	unsigned int checksum = calc_checksum(sim, page);

	sim->ksm->checksums++;
	if (rmap_item->oldchecksum == checksum)
		return false;
	rmap_item->oldchecksum = checksum;
	return true;
}

/*
 * cmp_and_merge_page(): one visit of one page (the caller holds a reference
 * on its folio). See the comment at the top of this file.
 */
static void cmp_and_merge_page(struct mmsim *sim, struct page *page,
			       struct ksm_rmap_item *rmap_item)
{
	struct folio *folio = page_folio(page), *kfolio;
	struct ksm_stable_node *stable_node = folio_stable_node(folio);
	bool in_node = (rmap_item->address & STABLE_FLAG) && rmap_item->head == stable_node;
	bool checksum_first = sim->profile->ksm_checksum_first;

	if (stable_node) {
		if (in_node)
			return;
		/* A forked KSM page joins its node, even past max_page_sharing. */
	} else if (checksum_first) {
		remove_rmap_item_from_tree(sim, rmap_item);
		/* A page that changed since the last pass is not worth a search. */
		if (page_changed(sim, rmap_item, page) || !try_to_merge_with_zero_page(sim, rmap_item, page))
			return;
	}
	kfolio = stable_tree_search(sim, page);
	if (kfolio == folio && in_node) {
		folio_put(sim, kfolio);
		return;
	}
	remove_rmap_item_from_tree(sim, rmap_item);
	if (kfolio) {
		if (!try_to_merge_with_ksm_page(sim, rmap_item, page, folio_page(sim, kfolio, 0)))
			stable_tree_append(sim, rmap_item, folio_stable_node(kfolio));
		folio_put(sim, kfolio);
		return;
	}
	/* Before 6.11 every page searched the stable tree first, changed or not. */
	if (!checksum_first &&
	    (page_changed(sim, rmap_item, page) || !try_to_merge_with_zero_page(sim, rmap_item, page)))
		return;
	merge_with_unstable_tree(sim, page, rmap_item);
}

/* ---- The scan ----------------------------------------------------------------------- */

/*
 * get_next_rmap_item(): the item for addr, reusing the one on the list or
 * allocating a zeroed one; items below addr map nothing any more and go.
 */
static struct ksm_rmap_item *get_next_rmap_item(struct mmsim *sim, struct ksm_mm_slot *slot,
						struct ksm_rmap_item **rmap_list,
						unsigned long addr)
{
	struct ksm_rmap_item *rmap_item;

	while (*rmap_list) {
		rmap_item = *rmap_list;
		if ((rmap_item->address & PAGE_MASK) == addr)
			return rmap_item;
		if (rmap_item->address > addr)
			break;
		*rmap_list = rmap_item->rmap_list;
		remove_rmap_item_from_tree(sim, rmap_item);
		free_rmap_item(sim, rmap_item);
	}
	rmap_item = alloc_rmap_item(sim);
	if (rmap_item) {
		sim->ksm->rmap_items_created++;
		rmap_item->mm = slot->mm;
		rmap_item->mm->ksm_rmap_items++;
		rmap_item->address = addr;
		rmap_item->rmap_list = *rmap_list;
		*rmap_list = rmap_item;
	}
	return rmap_item;
}

/*
 * ksmd's CPU as the model counts it: a cost per page (cpu_ns_*), charged
 * when ksmd is done with the page, to its runtime and to the clock.
 */
static void ksmd_charge(struct mmsim *sim, unsigned long ns)
{
	sim->ksm->ksmd_cpu_ns += ns;
	sim->ksm->ksmd_busy_ns += ns;
}

unsigned long long ksm_ktime_ns(const struct mmsim *sim)
{
	return sim->ksm->clock_ns + sim->ksm->ksmd_busy_ns;
}

/* skip_age(): how many visits to skip next, from the item's age. */
static unsigned int skip_age(uint8_t age)
{
	if (age <= 3)
		return 1;
	if (age <= 5)
		return 2;
	if (age <= 8)
		return 4;
	return 8;
}

/*
 * should_skip_rmap_item(): smart scan. A page that failed to merge for three
 * visits is skipped more and more often; a KSM page never is.
 */
static bool should_skip_rmap_item(struct mmsim *sim, struct folio *folio,
				  struct ksm_rmap_item *rmap_item)
{
	uint8_t age;

	if (!sim->ksm->smart_scan || folio_test_ksm(folio))
		return false;
	/*
	 * Under the pgoff variant a stable item's age is part of its pgoff: a
	 * page COWed away from its KSM page is not aged (nor skipped) until it
	 * has left the stable tree, the series' change to this function.
	 */
	if (sim->ksm->rmap_walk == MMSIM_KSM_RMAP_WALK_PGOFF && (rmap_item->address & STABLE_FLAG))
		return false;
	age = rmap_item->age;
	if (age != UINT8_MAX)
		rmap_item->age++;
	if (age < 3)
		return false;
	if (!rmap_item->remaining_skips) {
		rmap_item->remaining_skips = (uint8_t)skip_age(age);
		return false;
	}
	sim->ksm->pages_skipped++;
	ksmd_charge(sim, sim->ksm->cpu_ns_skipped);
	rmap_item->remaining_skips--;
	remove_rmap_item_from_tree(sim, rmap_item);
	return true;
}

/*
 * ksm_next_page_pmd_entry() over [addr, vma end): the first present page of
 * an anonymous folio (not the zero page, nor the huge zero page), with a
 * reference; its address in *addrp. NULL when there is none.
 */
static struct page *ksm_next_page(struct mmsim *sim, struct vm_area_struct *vma,
				  unsigned long *addrp)
{
	for (unsigned long addr = *addrp, next; addr < vma->vm_end; addr = next) {
		pmd_t *pmd = follow_page_pmd(sim, vma->vm_mm, addr);
		struct page *page = NULL;

		next = pmd_walk_next(sim, vma->vm_mm, pmd, addr, vma->vm_end);
		if (!pmd || pmd_none(*pmd))
			continue;
		if (pmd_leaf(*pmd)) {
			if (!is_huge_zero_pmd(sim, *pmd))
				page = pfn_to_page(sim, pte_pfn(*pmd) + pte_index(addr));
		} else {
			pte_t *pte = pte_offset(sim, pmd, addr);

			for (; addr < next; addr += PAGE_SIZE, pte++)
				if (pte_present(*pte) && !pte_special(*pte))
					break;
			if (addr < next)
				page = pfn_to_page(sim, pte_pfn(*pte));
		}
		if (page && folio_test_anon(page_folio(page))) {
			folio_get(page_folio(page));
			*addrp = addr;
			return page;
		}
	}
	return NULL;
}

/* ---- `ksm skip=`: how far the cursor steps after a page (seed 000) ---------------------- */

/* compound_nr() (include/linux/mm.h): a head page's compound size, 1 for a tail page. */
static long compound_nr(const struct mmsim *sim, const struct page *page)
{
	const struct folio *folio = page_folio(page);

	return page == folio_page(sim, folio, 0) ? folio_nr_pages(folio) : 1;
}

static bool PageTail(const struct mmsim *sim, const struct page *page)
{
	return folio_page_idx(sim, page_folio(page), page) > 0;
}

/*
 * The pages of [start, end) that ksm_next_page() would have returned but a
 * jump stepped over, in every VMA scan_mm() looks at (the jump may cross
 * into the next ones); those of another folio than the page found apart.
 */
static void count_jumped_pages(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
			       unsigned long end, const struct folio *found)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (!(vma->vm_flags & VM_MERGEABLE) || !vma->anon_vma)
			continue;
		unsigned long last = MIN(end, vma->vm_end);

		for (unsigned long addr = pmd_table_next(sim, mm, MAX(start, vma->vm_start), last);
		     addr < last; addr = page_walk_next(sim, mm, addr, last)) {
			bool pmd_mapped;
			struct page *page = follow_page(sim, mm, addr, &pmd_mapped);

			if (!page || !folio_test_anon(page_folio(page)))
				continue;
			sim->ksm->pages_jumped++;
			if (page_folio(page) != found)
				sim->ksm->pages_jumped_other++;
		}
	}
}

/*
 * skip=batch: how many entries from addr on map consecutive pages of the
 * page's folio, within the page table and the VMA: folio_pte_batch() for
 * PTEs (1 for a small folio); a PMD leaf maps the rest of its range.
 */
static long folio_batch_at(struct mmsim *sim, struct vm_area_struct *vma, struct page *page,
			   unsigned long addr)
{
	unsigned long end = MIN((addr & PMD_MASK) + PMD_SIZE, vma->vm_end);
	int max_nr = (int)((end - addr) >> PAGE_SHIFT);
	pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);

	if (pmd_leaf(*pmd))
		return max_nr;
	return folio_pte_batch(sim, page_folio(page), pte_offset(sim, pmd, addr), max_nr);
}

/*
 * The address after a visited page. The kernel (skip=none) visits every
 * page, each subpage of a large folio included. skip=compound is seed
 * 000's patch: compound_nr() pages on, whatever the neighbouring PTEs map,
 * and a tail page (where the patch's VM_WARN_ON fires) steps one. skip=batch
 * steps only over what the page tables show is the same folio.
 */
static unsigned long ksm_scan_step(struct mmsim *sim, struct vm_area_struct *vma,
				   struct page *page, unsigned long addr)
{
	struct ksm_state *ksm = sim->ksm;
	long nr = 1;

	switch (ksm->skip_policy) {
	case KSM_SKIP_NONE:
		break;
	case KSM_SKIP_COMPOUND:
		ksm->tail_pages_found += PageTail(sim, page);
		nr = compound_nr(sim, page);
		count_jumped_pages(sim, vma->vm_mm, addr + PAGE_SIZE, addr + nr * PAGE_SIZE,
				   page_folio(page));
		break;
	case KSM_SKIP_BATCH:
		nr = folio_batch_at(sim, vma, page, addr);
		ksm->pages_jumped += nr - 1;	/* all of the page's folio, by construction */
		break;
	}
	return addr + nr * PAGE_SIZE;
}

/*
 * The next page of one mm from the cursor on: its item (and the page, with
 * a reference), or NULL at the end of the mm. *nomem: an item could not be
 * allocated.
 */
static struct ksm_rmap_item *scan_mm(struct mmsim *sim, struct ksm_mm_slot *slot,
				     struct page **pagep, bool *nomem)
{
	struct ksm_scan *scan = &sim->ksm->scan;
	struct vm_area_struct *vma;

	for (vma = find_vma(slot->mm, scan->address); vma; vma = vma_next(vma)) {
		if (!(vma->vm_flags & VM_MERGEABLE))
			continue;
		if (scan->address < vma->vm_start)
			scan->address = vma->vm_start;
		if (!vma->anon_vma)
			scan->address = vma->vm_end;
		while (scan->address < vma->vm_end) {
			struct page *page = ksm_next_page(sim, vma, &scan->address);
			struct ksm_rmap_item *rmap_item;

			if (!page) {
				scan->address = vma->vm_end;
				break;
			}
			rmap_item = get_next_rmap_item(sim, slot, scan->rmap_list, scan->address);
			if (!rmap_item) {
				put_page(sim, page);
				*nomem = true;
				return NULL;
			}
			scan->rmap_list = &rmap_item->rmap_list;
			scan->address = ksm_scan_step(sim, vma, page, scan->address);
			if (should_skip_rmap_item(sim, page_folio(page), rmap_item)) {
				put_page(sim, page);
				continue;
			}
			*pagep = page;
			return rmap_item;
		}
	}
	return NULL;
}

/*
 * The end of one mm in a pass: items above the last address go; a slot
 * whose mm had nothing mergeable (or has exited) is dropped.
 */
static void scan_finish_mm(struct mmsim *sim, struct ksm_mm_slot *slot)
{
	struct ksm_scan *scan = &sim->ksm->scan;

	if (ksm_test_exit(slot->mm)) {
		scan->address = 0;
		scan->rmap_list = &slot->rmap_list;
	}
	remove_trailing_rmap_items(sim, scan->rmap_list);
	scan->mm_slot = next_slot(sim, slot);
	/* Only MMF_VM_MERGEABLE: a PR_SET_MEMORY_MERGE mm may just not have VMAs yet. */
	if (scan->address == 0)
		mm_slot_free(sim, slot, MMF_VM_MERGEABLE);
}

/* ---- The scan-time advisor (6.7+) ------------------------------------------------------ */

/* The kernel's percentages: a floor of 10% of a CPU, and a weight of 30% for the newest. */
#define KSM_ADVISOR_MIN_CPU	10
#define EWMA_WEIGHT		30

/* ewma(): the smoothed change, the newest value weighing EWMA_WEIGHT percent. */
static unsigned long ewma(unsigned long prev, unsigned long curr)
{
	return (prev * (100 - EWMA_WEIGHT) + curr * EWMA_WEIGHT) / 100;
}

/* advisor_start_scan(): a full scan begins; the advisor times it. */
static void advisor_start_scan(struct mmsim *sim)
{
	if (sim->ksm->advisor == KSM_ADVISOR_SCAN_TIME)
		sim->ksm->advisor_ctx.start_scan = ksm_ktime_ns(sim);
}

/*
 * scan_time_advisor(), at the end of a full scan: the next pages_to_scan.
 * In words: aim at a full scan of advisor_target_scan_time seconds, so
 * scale pages_to_scan by scan time / target; damp that by the smoothed
 * ratio of this scan's time to the previous one's; then keep the batch
 * between 10% and advisor_max_cpu percent of a CPU, judged by how many
 * pages one percent of CPU bought in this scan; and never above
 * advisor_max_pages_to_scan. All integer arithmetic, in the kernel's types
 * and order (whole seconds, whole percents), which is what makes the
 * trajectory step as the kernel's does. advisor_min_pages_to_scan is no
 * floor here: the kernel reads it only when the mode is switched on.
 */
static void scan_time_advisor(struct mmsim *sim)
{
	struct ksm_state *ksm = sim->ksm;
	struct advisor_ctx *ctx = &ksm->advisor_ctx;
	unsigned long long now_cpu = ksm->ksmd_cpu_ns;
	unsigned long scan_time, cpu_ms, factor, change, pages, pages_per_percent, prev_time;
	unsigned int cpu_percent;

	/* This scan's length in whole seconds, at least one. */
	scan_time = (unsigned long)((ksm_ktime_ns(sim) - ctx->start_scan) / 1000000ULL / 1000);
	if (!scan_time)
		scan_time = 1;
	/* ksmd's share of a CPU over it, whole percent, at least one. */
	cpu_ms = (unsigned long)((now_cpu - ctx->cpu_time) / 1000 / 1000);
	cpu_percent = (unsigned int)(cpu_ms * 100 / (scan_time * 1000));
	if (!cpu_percent)
		cpu_percent = 1;
	/* The first scan after switching on compares with itself. */
	prev_time = ctx->scan_time ? ctx->scan_time : scan_time;

	factor = ksm->advisor_target_scan_time * 100 / scan_time;
	if (!factor)
		factor = 1;
	change = scan_time * 100 / prev_time;
	if (!change)
		change = 1;
	change = ewma(ctx->change, change);

	pages = (unsigned long)ksm->pages_to_scan * 100 / factor;
	pages = pages * change / 100;

	/* Pages one percent of CPU scanned this time (the kernel's per_page_cost). */
	pages_per_percent = ksm->pages_to_scan / cpu_percent;
	if (!pages_per_percent)
		pages_per_percent = 1;
	pages = MIN(pages, pages_per_percent * ksm->advisor_max_cpu);
	pages = MAX(pages, pages_per_percent * KSM_ADVISOR_MIN_CPU);
	pages = MIN(pages, ksm->advisor_max_pages_to_scan);

	ctx->change = change;
	ctx->scan_time = scan_time;
	ctx->cpu_time = now_cpu;
	ksm->pages_to_scan = (unsigned int)pages;
}

/* advisor_stop_scan(): a full scan ended. */
static void advisor_stop_scan(struct mmsim *sim)
{
	if (sim->ksm->advisor == KSM_ADVISOR_SCAN_TIME)
		scan_time_advisor(sim);
}

/*
 * set_advisor_defaults(), when advisor_mode changes: off gives the default
 * pages_to_scan back (not the one set before); on forgets what the advisor
 * knew (so its first CPU sample is ksmd's whole runtime, as in the kernel)
 * and starts from advisor_min_pages_to_scan.
 */
static void set_advisor_defaults(struct mmsim *sim)
{
	struct ksm_state *ksm = sim->ksm;

	if (ksm->advisor == KSM_ADVISOR_NONE) {
		ksm->pages_to_scan = DEFAULT_PAGES_TO_SCAN;
	} else {
		ksm->advisor_ctx = (struct advisor_ctx){ 0 };
		ksm->pages_to_scan = (unsigned int)ksm->advisor_min_pages_to_scan;
	}
}

int ksm_set_advisor_mode(struct mmsim *sim, unsigned long mode)
{
	enum ksm_advisor_type old = sim->ksm->advisor;

	if (!sim->profile->ksm_advisor)
		return sim_error(sim, -EOPNOTSUPP, "Linux %s has no advisor_mode (Linux 6.7+)",
				 sim->profile->version);
	if (mode > KSM_ADVISOR_SCAN_TIME)
		return sim_error(sim, -EINVAL, "ksm: advisor_mode takes none (0) or scan-time (1)");
	sim->ksm->advisor = (enum ksm_advisor_type)mode;
	if (sim->ksm->advisor != old)
		set_advisor_defaults(sim);
	return 0;
}

/*
 * scan_get_next_rmap_item(): the next page to look at, or NULL at the end
 * of a pass (seqnr then counts it) or when nothing is registered. A pass
 * starts by throwing the unstable tree away.
 */
static struct ksm_rmap_item *scan_get_next_rmap_item(struct mmsim *sim, struct page **pagep,
						     bool *nomem)
{
	struct ksm_scan *scan = &sim->ksm->scan;
	struct ksm_mm_slot *slot;

	if (list_empty(&sim->ksm->mm_head))
		return NULL;
	if (!scan->mm_slot) {
		advisor_start_scan(sim);
		sim->ksm->root_unstable_tree = RB_ROOT;
		scan->mm_slot = next_slot(sim, NULL);
		scan->address = 0;
		scan->rmap_list = &scan->mm_slot->rmap_list;
	}
	while ((slot = scan->mm_slot)) {
		struct ksm_rmap_item *rmap_item = NULL;

		if (!ksm_test_exit(slot->mm))
			rmap_item = scan_mm(sim, slot, pagep, nomem);
		if (rmap_item || *nomem)
			return rmap_item;
		scan_finish_mm(sim, slot);
		if (scan->mm_slot) {
			scan->address = 0;
			scan->rmap_list = &scan->mm_slot->rmap_list;
		}
	}
	advisor_stop_scan(sim);
	scan->seqnr++;
	return NULL;
}

/*
 * ksm_do_scan(): one batch of up to scan_npages pages. It stops early at the
 * end of a pass, so a batch never crosses into the next one. Returns true
 * when the pass ended; *nomem when it stopped for want of memory.
 */
static bool ksm_do_scan(struct mmsim *sim, unsigned int scan_npages, bool *nomem)
{
	while (scan_npages--) {
		unsigned long created = sim->ksm->rmap_items_created;
		struct page *page;
		struct ksm_rmap_item *rmap_item = scan_get_next_rmap_item(sim, &page, nomem);

		if (!rmap_item)
			return !*nomem;
		cmp_and_merge_page(sim, page, rmap_item);
		ksmd_charge(sim, sim->ksm->rmap_items_created != created ? sim->ksm->cpu_ns_new :
			    sim->ksm->cpu_ns_compared);
		/* The folio is the page's own now, even if it was split meanwhile. */
		put_page(sim, page);
		sim->ksm->pages_scanned++;
	}
	return false;
}

/* Pages a full pass visits, near enough for a percentage: those of mergeable VMAs. */
static unsigned long pass_pages(struct mmsim *sim)
{
	struct ksm_mm_slot *slot;
	unsigned long n = 0;

	list_for_each_entry(slot, &sim->ksm->mm_head, mm_node) {
		struct vm_area_struct *vma;

		for_each_vma(slot->mm, vma)
			if (vma->vm_flags & VM_MERGEABLE)
				n += vma_pages(vma);
	}
	return n;
}

/* Long passes say how far they got (mmsim_set_progress()), every 64Ki pages. */
static void pass_progress(struct mmsim *sim, unsigned long pass, unsigned long passes,
			  unsigned long start, unsigned long *next, unsigned long total)
{
	unsigned long scanned = sim->ksm->pages_scanned - start;
	char line[128];

	if (!sim->progress || scanned < *next)
		return;
	*next = scanned + PROGRESS_PAGES;
	snprintf(line, sizeof(line), "ksm: pass %lu of %lu, %lu of about %lu pages (%lu%%)",
		 pass + 1, passes, scanned, total, total ? MIN(100, 100 * scanned / total) : 100);
	sim->progress(sim->progress_arg, line);
}

/*
 * ksmd's sleep after a batch that took busy_ns of CPU. Exactly
 * sleep_millisecs unless hz is set; then as the kernel's timer makes it:
 * ksmd wakes on a tick, runs its batch, and sleeps msecs_to_jiffies()
 * jiffies (rounded up) counted from the tick it is in, plus one, since the
 * timer wheel rounds an expiry up rather than fire early: the batch starts
 * again on a tick, that many whole jiffies after the last.
 */
static unsigned long long ksmd_sleep_ns(const struct mmsim *sim, unsigned long long busy_ns)
{
	unsigned long long ms = sim->ksm->sleep_millisecs, hz = sim->ksm->hz, jiffy, ticks;

	if (!hz)
		return ms * 1000000ULL;
	jiffy = 1000000000ULL / hz;
	ticks = busy_ns / jiffy + (ms * hz + 999) / 1000 + 1;
	return ticks * jiffy - busy_ns;
}

/* pages_to_scan 0: ksmd would scan nothing, forever. Who set it? */
static int no_pages_to_scan(struct mmsim *sim)
{
	if (sim->ksm->advisor == KSM_ADVISOR_SCAN_TIME)
		return sim_error(sim, -EINVAL, "ksm: the advisor set pages_to_scan to 0 "
				 "(advisor_min_pages_to_scan or advisor_max_pages_to_scan is 0): "
				 "a pass would never end");
	return sim_error(sim, -EINVAL, "ksm: pages_to_scan is 0, a pass would never end");
}

int ksm_do_full_scans(struct mmsim *sim, unsigned long full_scans)
{
	unsigned long done = 0, start = sim->ksm->pages_scanned, next = PROGRESS_PAGES;
	unsigned long total = sim->progress ? pass_pages(sim) : 0;

	if (!sim->ksm->pages_to_scan)
		return no_pages_to_scan(sim);
	sim->ksm->run = KSM_RUN_MERGE;
	while (done < full_scans) {
		unsigned long long busy = sim->ksm->ksmd_busy_ns;
		bool nomem = false;

		/* ksmd_should_run(): with nothing registered ksmd sleeps, no pass is made. */
		if (list_empty(&sim->ksm->mm_head))
			break;
		/* The kernel's ksmd would scan nothing, forever; the model says so instead. */
		if (!sim->ksm->pages_to_scan)
			return no_pages_to_scan(sim);
		if (ksm_do_scan(sim, sim->ksm->pages_to_scan, &nomem)) {
			done++;
			start = sim->ksm->pages_scanned;
			next = PROGRESS_PAGES;
		}
		pass_progress(sim, done, full_scans, start, &next, total);
		sim->ksm->clock_ns += ksmd_sleep_ns(sim, sim->ksm->ksmd_busy_ns - busy);
		if (nomem)
			return sim_error(sim, -ENOMEM, "ksm: no memory for an rmap_item");
	}
	return 0;
}

/* ---- Hooks of madvise, prctl, mmap, fork and exit ------------------------------------------ */

int ksm_madvise(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		unsigned long end, int advice, unsigned long *vm_flags)
{
	struct mm_struct *mm = vma->vm_mm;
	int err;

	if (advice == MMSIM_MADV_MERGEABLE) {
		if ((vma->vm_flags & VM_MERGEABLE) || !ksm_compatible(vma->vm_flags))
			return 0;
		if (!(mm->flags & MMF_VM_MERGEABLE)) {
			err = __ksm_enter(sim, mm);
			if (err)
				return err;
		}
		*vm_flags |= VM_MERGEABLE;
	} else if (advice == MMSIM_MADV_UNMERGEABLE) {
		if (!(*vm_flags & VM_MERGEABLE))
			return 0;
		/* Items and counters follow at ksmd's next pass; zero pages now. */
		if (vma->anon_vma) {
			err = unmerge_ksm_pages(sim, vma, start, end);
			if (err)
				return err;
		}
		*vm_flags &= ~VM_MERGEABLE;
	}
	return 0;
}

/* ksm_add_vmas(): every compatible VMA becomes mergeable (no VMA merging happens). */
static void ksm_add_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	for_each_vma(mm, vma)
		if (!(vma->vm_flags & VM_MERGEABLE) && ksm_compatible(vma->vm_flags))
			vma->vm_flags |= VM_MERGEABLE;
}

static int ksm_del_vmas(struct mmsim *sim, struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	int err;

	for_each_vma(mm, vma) {
		if (!(vma->vm_flags & VM_MERGEABLE))
			continue;
		if (vma->anon_vma) {
			err = unmerge_ksm_pages(sim, vma, vma->vm_start, vma->vm_end);
			if (err)
				return err;
		}
		vma->vm_flags &= ~VM_MERGEABLE;
	}
	return 0;
}

int ksm_enable_merge_any(struct mmsim *sim, struct mm_struct *mm)
{
	int err;

	if (mm->flags & MMF_VM_MERGE_ANY)
		return 0;
	if (!(mm->flags & MMF_VM_MERGEABLE)) {
		err = __ksm_enter(sim, mm);
		if (err)
			return err;
	}
	mm->flags |= MMF_VM_MERGE_ANY;
	ksm_add_vmas(mm);
	return 0;
}

/* ksm_disable_merge_any(): like MADV_UNMERGEABLE on every VMA; all or nothing. */
int ksm_disable_merge_any(struct mmsim *sim, struct mm_struct *mm)
{
	int err;

	if (!(mm->flags & MMF_VM_MERGE_ANY))
		return 0;
	err = ksm_del_vmas(sim, mm);
	if (err) {
		ksm_add_vmas(mm);
		return err;
	}
	mm->flags &= ~MMF_VM_MERGE_ANY;
	return 0;
}

unsigned long ksm_vma_flags(struct mmsim *sim, struct mm_struct *mm, unsigned long vm_flags)
{
	if ((mm->flags & MMF_VM_MERGE_ANY) && !(vm_flags & VM_MERGEABLE) &&
	    ksm_compatible(vm_flags)) {
		vm_flags |= VM_MERGEABLE;
		/* ksmd drops the slot of an mm it found with nothing mergeable. */
		if (!(mm->flags & MMF_VM_MERGEABLE))
			__ksm_enter(sim, mm);	/* best effort, as in Linux */
	}
	return vm_flags;
}

int ksm_fork(struct mmsim *sim, struct mm_struct *mm, struct mm_struct *oldmm)
{
	/*
	 * The child starts with no items and no merging pages; its inherited
	 * KSM zero pages are counted as copy_pte_range() copies them.
	 */
	if (sim->profile->fork_copies_ksm_counters) {
		/* dup_mm()'s copy of the mm struct, which that ksm_fork() left as it was. */
		mm->ksm_rmap_items_inherited = oldmm->ksm_rmap_items +
					       oldmm->ksm_rmap_items_inherited;
		mm->ksm_merging_pages_inherited = oldmm->ksm_merging_pages +
						  oldmm->ksm_merging_pages_inherited;
	}
	if (oldmm->flags & MMF_VM_MERGEABLE)
		__ksm_enter(sim, mm);	/* best effort, as in Linux */
	return 0;
}

/*
 * __ksm_exit(): a slot with no items goes at once; otherwise it moves first
 * in line and ksmd frees its items (and drops the mm) at its next pass.
 */
void ksm_exit(struct mmsim *sim, struct mm_struct *mm)
{
	struct ksm_mm_slot *slot = mm_slot_lookup(sim, mm);

	if (!slot || sim->ksm->scan.mm_slot == slot)
		return;
	if (!slot->rmap_list) {
		mm_slot_free(sim, slot, MMF_VM_MERGEABLE | MMF_VM_MERGE_ANY);
		return;
	}
	list_del_init(&slot->mm_node);
	list_add(&slot->mm_node, sim->ksm->scan.mm_slot ? &sim->ksm->scan.mm_slot->mm_node :
							 &sim->ksm->mm_head);
}

/* ---- rmap ------------------------------------------------------------------------------------ */

/* One VMA of an anon_vma that covers addr: the PTE there, if it maps the folio. */
static bool rmap_one_ksm(struct mmsim *sim, struct folio *folio, struct vm_area_struct *vma,
			 unsigned long addr, rmap_one_t rmap_one, void *arg)
{
	struct rmap_hit hit = { .vma = vma, .address = addr };
	pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);

	if (!pmd || !pmd_table(*pmd))
		return true;
	hit.pte = pte_offset(sim, pmd, addr);
	if (!pte_present(*hit.pte) || pte_special(*hit.pte) || pte_pfn(*hit.pte) != folio_pfn(folio))
		return true;
	hit.pmd = pmd;
	hit.page = folio_page(sim, folio, 0);
	return rmap_one(sim, folio, &hit, arg);
}

/*
 * The page offsets to search in the item's anon_vma (seed 003). Linux 6.18
 * searches them all and keeps the VMAs that cover the item's address; a
 * narrower range finds the same VMAs only if the page sits at that offset
 * in each of them. A KSM folio is one page: first == last.
 */
static void rmap_item_range(enum mmsim_ksm_rmap_walk range, const struct ksm_rmap_item *rmap_item,
			    unsigned long *first, unsigned long *last)
{
	bool narrow_to_address = range == MMSIM_KSM_RMAP_WALK_ADDRESS ||
				 (range == MMSIM_KSM_RMAP_WALK_REMAPPED &&
				  !(rmap_item->address & REMAPPED_FLAG));

	*first = 0;
	*last = ~0UL;
	if (narrow_to_address)
		*first = *last = (rmap_item->address & PAGE_MASK) >> PAGE_SHIFT;
	else if (range == MMSIM_KSM_RMAP_WALK_PGOFF)
		*first = *last = rmap_item->pgoff;
}

void rmap_walk_ksm_range(struct mmsim *sim, struct folio *folio, enum mmsim_ksm_rmap_walk range,
			 struct rmap_walk_cost *cost, rmap_one_t rmap_one, void *arg)
{
	struct ksm_stable_node *stable_node = folio_stable_node(folio);
	struct rmap_walk_cost spent = { .walks = 1 };
	struct ksm_rmap_item *rmap_item;

	if (!stable_node)
		return;
	for (int search_new_forks = 0; search_new_forks < 2; search_new_forks++) {
		list_for_each_entry(rmap_item, &stable_node->hlist, hlist) {
			struct rb_root_cached *root = &rmap_item->anon_vma->rb_root;
			unsigned long addr = rmap_item->address & PAGE_MASK, first, last;
			struct interval_tree_node *it;

			rmap_item_range(range, rmap_item, &first, &last);
			for (it = interval_tree_iter_first_counted(root, first, last, &spent.nodes); it;
			     it = interval_tree_iter_next_counted(it, first, last, &spent.nodes)) {
				struct vm_area_struct *vma =
					container_of(it, struct anon_vma_chain, rb)->vma;

				spent.vmas++;
				if (addr < vma->vm_start || addr >= vma->vm_end)
					continue;
				if ((rmap_item->mm == vma->vm_mm) == search_new_forks)
					continue;
				if (!rmap_one_ksm(sim, folio, vma, addr, rmap_one, arg))
					goto out;
			}
		}
	}
out:
	if (cost) {
		cost->walks += spent.walks;
		cost->nodes += spent.nodes;
		cost->vmas += spent.vmas;
	}
}

/*
 * rmap_walk_ksm(): for each item of the node, the VMAs of its anon_vma that
 * cover the item's address (searched over the range `ksm rmap_walk=` says):
 * first those of the item's own mm, then the others (forks made since ksmd
 * passed).
 */
void rmap_walk_ksm(struct mmsim *sim, struct folio *folio, rmap_one_t rmap_one, void *arg)
{
	rmap_walk_ksm_range(sim, folio, sim->ksm->rmap_walk, &sim->ksm->rmap_walk_cost, rmap_one, arg);
}

/* ---- Instance lifetime ---------------------------------------------------------------------- */

int ksm_init(struct mmsim *sim)
{
	struct ksm_state *ksm = calloc(1, sizeof(*ksm));

	if (!ksm)
		return -ENOMEM;
	sim->ksm = ksm;

	ksm->pages_to_scan = DEFAULT_PAGES_TO_SCAN;
	ksm->sleep_millisecs = 20;
	ksm->advisor_max_cpu = 70;
	ksm->advisor_min_pages_to_scan = 500;
	ksm->advisor_max_pages_to_scan = 30000;
	ksm->advisor_target_scan_time = 200;
	ksm->max_page_sharing = 256;
	ksm->stable_node_chains_prune_millisecs = 2000;
	ksm->smart_scan = sim->profile->ksm_smart_scan;	/* 6.7+ */
	if (sim->profile->ksm_rmap_item_pgoff)		/* 7.x: what seed 003 called pgoff */
		ksm->rmap_walk = MMSIM_KSM_RMAP_WALK_PGOFF;
	ksm->merge_across_nodes = true;
	ksm->run = KSM_RUN_STOP;
	ksm->root_stable_tree = RB_ROOT;
	ksm->root_unstable_tree = RB_ROOT;
	INIT_LIST_HEAD(&ksm->mm_head);
	ksm->zero_checksum = content_checksum(sim, NULL);	/* content_store_init() ran */
	return 0;
}

/* Frees a node (a chain with its dups) without touching pages or counters. */
static void free_stable_subtree(struct rb_node *node)
{
	struct ksm_stable_node *stable_node, *dup, *tmp;

	if (!node)
		return;
	free_stable_subtree(node->rb_left);
	free_stable_subtree(node->rb_right);
	stable_node = rb_entry(node, struct ksm_stable_node, node);
	if (is_stable_node_chain(stable_node))
		list_for_each_entry_safe(dup, tmp, &stable_node->hlist, hlist_dup)
			sim_free(dup);
	sim_free(stable_node);
}

void ksm_destroy(struct mmsim *sim)
{
	struct ksm_mm_slot *slot, *tmp;

	HASH_ITER(hh, sim->ksm->mm_slots, slot, tmp) {
		while (slot->rmap_list) {
			struct ksm_rmap_item *rmap_item = slot->rmap_list;

			slot->rmap_list = rmap_item->rmap_list;
			if (rmap_item->address & STABLE_FLAG)
				put_anon_vma(sim, rmap_item->anon_vma);
			free_rmap_item(sim, rmap_item);
		}
		mm_slot_free(sim, slot, MMF_VM_MERGEABLE | MMF_VM_MERGE_ANY);
	}
	free_stable_subtree(sim->ksm->root_stable_tree.rb_node);
	free(sim->ksm);
	sim->ksm = NULL;
}

/*
 * ksm_might_need_to_copy() of mm/ksm.c (6.18): the KSM flag is lost when a
 * KSM folio is swapped out, so the folio read back is a plain anonymous one
 * whose index and anon_vma come from whichever mapping faulted it first; any
 * other mapping of the same swap entry must get a copy unless the rmap
 * would find the folio there too (same linear_page_index(), same anon_vma
 * root). This comparison is where an anonymous VMA's vm_pgoff matters.
 */
struct folio *ksm_might_need_to_copy(struct mmsim *sim, struct folio *folio,
				     struct vm_area_struct *vma, unsigned long addr)
{
	struct anon_vma *anon_vma = folio_anon_vma(folio);
	struct folio *new_folio;

	if (folio_test_large(folio))
		return folio;
	if (folio_test_ksm(folio)) {
		if (folio_stable_node(folio) && sim->ksm->run != KSM_RUN_UNMERGE)
			return folio;
	} else if (!anon_vma) {
		return folio;
	} else if (folio->index == linear_page_index(vma, addr) &&
		   anon_vma->root == vma->anon_vma->root) {
		return folio;
	}
	new_folio = folio_alloc(sim, 0, FOLIO_anon);
	if (!new_folio)
		return NULL;
	if (copy_page_data(sim, folio_page(sim, new_folio, 0), folio_page(sim, folio, 0))) {
		folio_put(sim, new_folio);
		return NULL;
	}
	new_folio->flags |= FOLIO_dirty | FOLIO_uptodate;
	sim->ksm_swpin_copy++;
	return new_folio;
}
