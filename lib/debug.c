// SPDX-License-Identifier: MIT
/*
 * The invariant checker: recomputes the truth by walking every page table
 * and checks the whole model against it (what CONFIG_DEBUG_VM's VM_WARN_ONs
 * and mm/debug_vm_pgtable.c would catch, and more): mapcounts, refcounts,
 * RSS, rmap reachability, VMA and anon_vma trees, the buddy lists.
 */
#include "debug.h"

#include <stdlib.h>
#include <string.h>

#include "gup.h"
#include "huge_memory.h"
#include "ksm.h"
#include "page_alloc.h"
#include "proc.h"
#include "swap.h"
#include "vma.h"

/*
 * What the walk saw, 12 bytes per frame, in an array the instance keeps
 * (sim->verify_frames: no allocation per entry, nor per check), zeroed
 * again after each check. maps is the
 * page's PTE mappings; what the walk counts per folio lies, as the kernel
 * lays out a large folio, in the entries of its first frames.
 */
struct truth_frame {
	int maps;			/* PTE mappings of this page */
	union {
		struct {			/* a folio's first frame */
			unsigned int last_mm;	/* the mm that counted last (walked one by one) */
			int nr_mms;		/* distinct mms */
		};
		struct {			/* a large folio's second */
			int total;		/* every mapping (a small folio's is maps) */
			int pmd_maps;
		};
		int slot_maps[2];		/* its third: by the mms of its _mm_id[] slots */
	};
};

struct walk_state {
	struct mmsim *sim;
	struct truth_frame *frames;		/* by pfn: sim->verify_frames */
	unsigned long *is_table;		/* bitmap of frames reached as tables */
	unsigned long nr_tables;		/* tables reached in the current mm */
	long anon_pages;			/* MM_ANONPAGES of the current mm */
	long ksm_zero_pages;			/* KSM-placed zero PTEs of the current mm */
	long swap_ents;				/* MM_SWAPENTS of the current mm */
	unsigned int *swap_refs;		/* swap PTEs found per slot, over all mms */
	unsigned long highest_ref;		/* the highest slot a swap PTE names */
	unsigned long visited;			/* entries, tables, frames and folios looked at */
	unsigned long content_refs;		/* references to stored contents found */
	struct vm_area_struct *vma;		/* the VMA of the last entry, in the current mm */
	struct gup_ref *gup;			/* what pins and pipes hold, by pfn */
	size_t nr_gup;
	int err;
};

#define BITS (8 * sizeof(unsigned long))

/* A page a pin or a pipe buffer holds: the references it accounts for. */
struct gup_ref {
	unsigned long pfn;
	int refs;		/* on the page's folio */
	int pins;		/* FOLL_PIN pins of a large folio (its _pincount) */
};

static int cmp_gup_ref(const void *a, const void *b)
{
	unsigned long x = ((const struct gup_ref *)a)->pfn, y = ((const struct gup_ref *)b)->pfn;

	return (x > y) - (x < y);
}

static void add_gup_ref(struct walk_state *w, unsigned long pfn, unsigned int flags)
{
	struct gup_ref *r = &w->gup[w->nr_gup++];
	const struct folio *folio = page_folio(pfn_to_page(w->sim, pfn));
	bool pin = (flags & FOLL_PIN) && !folio_is_zero(folio);

	r->pfn = pfn;
	r->pins = pin && folio_test_large(folio);
	r->refs = pin && !folio_test_large(folio) ? GUP_PIN_COUNTING_BIAS : 1;
}

/*
 * Every page the processes' pins and pipes hold, sorted by pfn, so that
 * each folio finds its share in time linear in what is held (the shared
 * zero page, which they hold without a reference, is left out).
 */
static int collect_gup_refs(struct mmsim *sim, struct walk_state *w)
{
	struct mm_struct *mm, *tmp;
	size_t n = 0;

	HASH_ITER(hh, sim->mms, mm, tmp)
		n += (mm->pin ? mm->pin->nr : 0) + (mm->pipe ? mm->pipe->head - mm->pipe->tail : 0);
	if (!n)
		return 0;
	w->gup = malloc(n * sizeof(*w->gup));
	if (!w->gup)
		return -ENOMEM;
	HASH_ITER(hh, sim->mms, mm, tmp) {
		for (unsigned long i = 0; mm->pin && i < mm->pin->nr; i++)
			if (mm->pin->pfns[i] != ZERO_PFN)
				add_gup_ref(w, mm->pin->pfns[i], mm->pin->flags);
		for (unsigned int t = mm->pipe ? mm->pipe->tail : 0; mm->pipe && t != mm->pipe->head; t++)
			if (mm->pipe->bufs[t % PIPE_DEF_BUFFERS].pfn != ZERO_PFN)
				add_gup_ref(w, mm->pipe->bufs[t % PIPE_DEF_BUFFERS].pfn, FOLL_GET);
	}
	qsort(w->gup, w->nr_gup, sizeof(*w->gup), cmp_gup_ref);
	return 0;
}

/* The references (and large-folio pins) that pins and pipes hold on folio. */
static int gup_refs_of(const struct walk_state *w, const struct folio *folio, int *pins)
{
	unsigned long first = folio_pfn(folio), end = first + (unsigned long)folio_nr_pages(folio);
	size_t lo = 0, hi = w->nr_gup;
	int refs = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->gup[mid].pfn < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pins = 0;
	for (; lo < w->nr_gup && w->gup[lo].pfn < end; lo++) {
		refs += w->gup[lo].refs;
		*pins += w->gup[lo].pins;
	}
	return refs;
}

static bool test_and_set(unsigned long *map, unsigned long bit)
{
	bool was = map[bit / BITS] & (1UL << (bit % BITS));

	map[bit / BITS] |= 1UL << (bit % BITS);
	return was;
}

/* One more mapping of folio by mm, nr_pages from its page idx (or by PMD). */
static void count_mapping(struct walk_state *w, struct mm_struct *mm, struct folio *folio,
			  unsigned long pfn, bool pmd)
{
	unsigned long head = folio_pfn(folio);
	struct truth_frame *f = &w->frames[head];

	if (!pmd)
		w->frames[pfn].maps++;
	if (f->last_mm != mm->mm_id) {
		f->last_mm = mm->mm_id;
		f->nr_mms++;
	}
	if (folio_test_large(folio)) {
		f[1].pmd_maps += pmd;
		f[1].total++;
		f[2].slot_maps[0] += folio->_mm_id[0] == mm->mm_id;
		f[2].slot_maps[1] += folio->_mm_id[1] == mm->mm_id;
	}
}

/* Mappings of the folio at head the walk found. */
static int truth_total(const struct walk_state *w, const struct folio *folio)
{
	const struct truth_frame *f = &w->frames[folio_pfn(folio)];

	return folio_test_large(folio) ? f[1].total : f->maps;
}

/* The truth of one folio, from the frames of the walk. */
static void folio_truth_of(const struct walk_state *w, const struct folio *folio,
			   struct folio_pgtable_truth *t)
{
	unsigned long head = folio_pfn(folio);
	const struct truth_frame *f = &w->frames[head];

	/* pte_maps beyond the folio's pages are never read: 2 KiB less to clear. */
	memset(&t->pmd_maps, 0, sizeof(*t) - offsetof(struct folio_pgtable_truth, pmd_maps));
	for (long i = 0; i < folio_nr_pages(folio); i++)
		t->pte_maps[i] = w->frames[head + i].maps;
	t->total = truth_total(w, folio);
	t->nr_mms = f->nr_mms;
	if (folio_test_large(folio)) {
		t->pmd_maps = f[1].pmd_maps;
		for (int i = 0; i < 2; i++) {
			t->mm_ids[i] = folio->_mm_id[i];
			t->mm_maps[i] = f[2].slot_maps[i];
		}
	}
}

static int fail(struct walk_state *w, const char *what, struct mm_struct *mm,
		unsigned long addr)
{
	if (!w->err)
		w->err = sim_error(w->sim, -EUCLEAN, "pid %d at %#lx: %s", mm->pid, addr, what);
	return w->err;
}

static void check_entry(struct walk_state *w, struct mm_struct *mm, struct vm_area_struct *vma,
			unsigned long addr, uint64_t entry, bool pmd)
{
	struct mmsim *sim = w->sim;
	unsigned long pfn = pte_pfn(entry);
	struct folio *folio;
	struct page *page;

	if (!vma || addr < vma->vm_start || addr + (pmd ? PMD_SIZE : PAGE_SIZE) > vma->vm_end) {
		fail(w, "entry outside any VMA", mm, addr);
		return;
	}
	if (!pte_present(entry)) {
		swp_entry_t swp = pte_to_swp_entry(entry);
		unsigned int *map = swap_map_entry(sim, swp);

		if (pmd || !map || !(*map & SWAP_COUNT_MASK)) {
			fail(w, "non-present entry that is no swap entry of a used slot", mm, addr);
			return;
		}
		/* Allocated at the first swap entry: most steps of most runs have none. */
		if (!w->swap_refs)
			w->swap_refs = calloc(sim->swap->max, sizeof(*w->swap_refs));
		if (!w->swap_refs) {
			w->err = -ENOMEM;
			return;
		}
		w->swap_refs[swp_offset(swp)]++;
		w->highest_ref = MAX(w->highest_ref, swp_offset(swp));
		w->swap_ents++;
		return;
	}
	if (pte_write(entry) && !(vma->vm_flags & VM_WRITE))
		fail(w, "writable entry in a VMA without VM_WRITE", mm, addr);
	if (pte_protnone(entry) != !(vma->vm_flags & VM_ACCESS_FLAGS))
		fail(w, "PROT_NONE bits disagree with the VMA", mm, addr);
	if (pfn >= sim->nr_frames) {
		fail(w, "pfn beyond memory", mm, addr);
		return;
	}
	page = pfn_to_page(sim, pfn);
	folio = page->folio;
	if (pte_special(entry) || (pmd && is_huge_zero_pmd(sim, entry))) {
		if (!folio || !folio_is_zero(folio) || pte_write(entry))
			fail(w, "special entry that is not a read-only zero page", mm, addr);
		w->ksm_zero_pages += !pmd && is_ksm_zero_pte(entry);
		return;
	}
	if (!folio || !folio_test_anon(folio) || folio_is_zero(folio)) {
		fail(w, "entry maps a frame that is no anonymous folio", mm, addr);
		return;
	}
	if (pmd && (folio->order != HPAGE_PMD_ORDER || pfn != folio_pfn(folio))) {
		fail(w, "PMD leaf does not map a whole PMD-sized folio", mm, addr);
		return;
	}
	if (pte_write(entry) && !PageAnonExclusive(page))
		fail(w, "writable entry on a page that is not PageAnonExclusive", mm, addr);
	count_mapping(w, mm, folio, pfn, pmd);
	w->anon_pages += pmd ? HPAGE_PMD_NR : 1;
}

static void walk_table(struct walk_state *w, struct mm_struct *mm, unsigned long table,
		       int level, unsigned long base)
{
	static const unsigned int shift[] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT };
	uint64_t *entries;

	if (table >= w->sim->nr_frames || !(w->sim->pages[table].flags & PG_table)) {
		fail(w, "table entry points to a frame that is no page table", mm, base);
		return;
	}
	if (test_and_set(w->is_table, table)) {
		fail(w, "page table reached twice", mm, base);
		return;
	}
	w->nr_tables++;
	w->visited++;
	entries = table_entries(w->sim, table);
	for (unsigned int i = 0; i < PTRS_PER_TABLE && !w->err; i++) {
		unsigned long addr = base + ((unsigned long)i << shift[level]);
		struct vm_area_struct *vma;

		if (pmd_none(entries[i]))
			continue;
		if (level == 3 || (level == 2 && pmd_leaf(entries[i]))) {
			w->visited++;
			/* Neighbouring entries mostly lie in one VMA: look it up once. */
			vma = w->vma;
			if (!vma || addr < vma->vm_start || addr >= vma->vm_end)
				vma = w->vma = vma_lookup(mm, addr);
			check_entry(w, mm, vma, addr, entries[i], level == 2);
			continue;
		}
		walk_table(w, mm, pte_pfn(entries[i]), level + 1, addr);
	}
	if (level == 2) {
		/* Every PMD leaf keeps one deposited table for its split. */
		unsigned long leaves = 0, deposited = 0;

		for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
			leaves += pmd_leaf(entries[i]);
		for (unsigned long pt = w->sim->pages[table].pt.pmd_huge_pte; pt;
		     pt = w->sim->pages[pt].pt.deposit_next) {
			if (test_and_set(w->is_table, pt)) {
				fail(w, "deposited table reached twice", mm, base);
				return;
			}
			deposited++;
			w->nr_tables++;
		}
		if (leaves != deposited)
			fail(w, "PMD leaves and deposited tables differ in number", mm, base);
	}
}

static int check_vmas(struct mmsim *sim, struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	int count = 0;

	if (rb_check(&mm->mm_rb, NULL))
		return sim_error(sim, -EUCLEAN, "pid %d: VMA tree is no valid rbtree", mm->pid);
	for_each_vma(mm, vma) {
		struct anon_vma_chain *avc;
		bool own = false;

		count++;
		if (vma->vm_start >= vma->vm_end || !IS_ALIGNED(vma->vm_start | vma->vm_end, PAGE_SIZE) ||
		    vma->vm_end > TASK_SIZE)
			return sim_error(sim, -EUCLEAN, "pid %d: bad VMA [%#lx, %#lx)", mm->pid,
					 vma->vm_start, vma->vm_end);
		if (prev && prev->vm_end > vma->vm_start)
			return sim_error(sim, -EUCLEAN, "pid %d: VMAs overlap at %#lx", mm->pid,
					 vma->vm_start);
		if (vma->vm_mm != mm)
			return sim_error(sim, -EUCLEAN, "pid %d: VMA of another mm", mm->pid);
		list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
			if (avc->vma != vma || avc->rb.start != vma->vm_pgoff ||
			    avc->rb.last != vma->vm_pgoff + vma_pages(vma) - 1)
				return sim_error(sim, -EUCLEAN, "pid %d: stale anon_vma_chain at %#lx",
						 mm->pid, vma->vm_start);
			if (interval_tree_check(&avc->anon_vma->rb_root))
				return sim_error(sim, -EUCLEAN, "anon_vma %lu: bad interval tree",
						 avc->anon_vma->serial);
			if (avc->anon_vma->root->root != avc->anon_vma->root)
				return sim_error(sim, -EUCLEAN, "anon_vma %lu: root is no root",
						 avc->anon_vma->serial);
			own |= avc->anon_vma == vma->anon_vma;
		}
		if (vma->anon_vma ? !own : !list_empty(&vma->anon_vma_chain))
			return sim_error(sim, -EUCLEAN, "pid %d: VMA at %#lx: anon_vma not in its chain",
					 mm->pid, vma->vm_start);
		prev = vma;
	}
	if (count != mm->map_count)
		return sim_error(sim, -EUCLEAN, "pid %d: map_count %d, %d VMAs", mm->pid,
				 mm->map_count, count);
	return 0;
}

struct reach {
	int found;
};

static bool count_reached(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit,
			  void *arg)
{
	(void)sim;
	(void)folio;
	(void)hit;
	((struct reach *)arg)->found++;
	return true;
}

/*
 * A folio's references: its mappings', the swap cache's, and those of the
 * pins and pipe buffers that hold its pages; a large folio's _pincount
 * counts those pins.
 */
static int check_refcount(struct mmsim *sim, const struct walk_state *w, struct folio *folio,
			  int mappings)
{
	int pins, held = gup_refs_of(w, folio, &pins);
	int swapcache = folio_test_swapcache(folio) ? (int)folio_nr_pages(folio) : 0;

	/* Nothing maps it: only the swap cache, a pin or a pipe may keep it. */
	if (!mappings && !swapcache && !held)
		return sim_error(sim, -EUCLEAN, "folio %#lx is allocated but not mapped",
				 folio_pfn(folio));
	if (folio->_refcount != mappings + swapcache + held)
		return sim_error(sim, -EUCLEAN, "folio %#lx: refcount %d, %d mappings%s, %d held by pins and pipes",
				 folio_pfn(folio), folio->_refcount, mappings,
				 swapcache ? " and the swap cache's" : "", held);
	if (folio_test_large(folio) && folio->_pincount != pins)
		return sim_error(sim, -EUCLEAN, "folio %#lx: _pincount %d, %d pins", folio_pfn(folio),
				 folio->_pincount, pins);
	return 0;
}

static int check_folio(struct mmsim *sim, const struct walk_state *w, struct folio *folio,
		       const struct folio_pgtable_truth *t)
{
	struct reach r = { 0 };
	int err = sim->mapcount->verify(sim, folio, t);

	if (!err)
		err = check_refcount(sim, w, folio, t->total);
	if (err)
		return err;
	/*
	 * A KSM folio is found through its stable node's rmap_items, which may
	 * lag behind fork and exit until ksmd passes: ksm_verify() checks that
	 * every mapping an item stands for is reached.
	 */
	if (folio_test_ksm(folio))
		return 0;
	rmap_walk_anon(sim, folio, count_reached, &r);
	if (r.found != t->total)
		return sim_error(sim, -EUCLEAN, "folio %#lx: rmap walk finds %d of %d mappings",
				 folio_pfn(folio), r.found, t->total);
	for (long i = 0; i < folio_nr_pages(folio); i++) {
		const struct page *page = folio_page(sim, folio, i);
		int maps = t->pte_maps[i] + (i == 0 ? t->pmd_maps : 0);

		if (PageAnonExclusive(page) && maps > 1)
			return sim_error(sim, -EUCLEAN, "pfn %#lx: PageAnonExclusive but mapped %d times",
					 folio_pfn(folio) + i, maps);
	}
	return 0;
}

/*
 * Every frame in pfn order: free, a page table the walk reached, or part of
 * a folio; each mapped folio is checked against what the walk found.
 */
static int check_frames(struct mmsim *sim, struct walk_state *w)
{
	unsigned long frames = 1;	/* the zero page */
	struct folio_pgtable_truth t;
	int err;

	for (unsigned long pfn = 1; pfn < sim->nr_frames; pfn++) {
		const struct page *page = &sim->pages[pfn];
		bool table = w->is_table[pfn / BITS] & (1UL << (pfn % BITS));
		struct folio *folio = page->folio;

		w->visited++;
		if (page->flags & PG_table) {
			if (!table)
				return sim_error(sim, -EUCLEAN, "page table %#lx is not reachable", pfn);
			frames++;
			continue;
		}
		if (!folio) {
			if (page->content)
				return sim_error(sim, -EUCLEAN, "free frame %#lx holds contents", pfn);
			continue;
		}
		frames++;
		if (folio_is_zero(folio) && page->content)
			return sim_error(sim, -EUCLEAN, "huge zero frame %#lx holds contents", pfn);
		content_verify_ref(page->content, &w->content_refs);
		if (pfn != folio_pfn(folio) || folio_is_zero(folio))
			continue;
		if (!truth_total(w, folio)) {
			err = check_refcount(sim, w, folio, 0);
			if (err)
				return err;
			continue;
		}
		w->visited += (unsigned long)folio_nr_pages(folio);
		folio_truth_of(w, folio, &t);
		err = check_folio(sim, w, folio, &t);
		if (err)
			return err;
	}
	/* The walk may have found mappings of frames that are no folio's first. */
	if (frames + sim->nr_free != sim->nr_frames)
		return sim_error(sim, -EUCLEAN, "frames: %lu in use + %lu free != %lu", frames,
				 sim->nr_free, sim->nr_frames);
	return 0;
}

static int check_buddy(struct mmsim *sim, struct walk_state *w)
{
	unsigned long free = 0;

	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		unsigned long n = 0;

		for (unsigned long pfn = sim->free_area[order].head; pfn != NO_PFN;
		     pfn = buddy_link_pfn(sim->pages[pfn].buddy.next)) {
			const struct page *page = &sim->pages[pfn];

			if (!(page->flags & PG_buddy) || page->buddy_order != order ||
			    !IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > sim->nr_frames)
				return sim_error(sim, -EUCLEAN, "buddy list %u: bad block %#lx", order, pfn);
			n++;
			w->visited++;
			free += 1UL << order;
		}
		if (n != sim->free_area[order].nr_free)
			return sim_error(sim, -EUCLEAN, "buddy list %u: %lu blocks, nr_free %lu",
					 order, n, sim->free_area[order].nr_free);
	}
	if (free != sim->nr_free)
		return sim_error(sim, -EUCLEAN, "buddy: %lu free frames, nr_free %lu", free,
				 sim->nr_free);
	return 0;
}

static int check_deferred_queue(struct mmsim *sim)
{
	struct folio *folio;
	unsigned long n = 0;

	list_for_each_entry(folio, &sim->deferred_split_queue, _deferred_list) {
		n++;
		if (folio->order < 2 || !folio_test_anon(folio))
			return sim_error(sim, -EUCLEAN, "folio %#lx on the split queue is no large anon folio",
					 folio_pfn(folio));
	}
	if (n != sim->split_queue_len)
		return sim_error(sim, -EUCLEAN, "split queue holds %lu, length %lu", n,
				 sim->split_queue_len);
	return 0;
}

/* The instance keeps the arrays, zeroed for the next check; swap's recount goes. */
static void free_walk(struct walk_state *w)
{
	if (w->frames)
		memset(w->frames, 0, w->sim->nr_frames * sizeof(*w->frames));
	free(w->swap_refs);
	free(w->gup);
}

void mm_verify_exit(struct mmsim *sim)
{
	free(sim->verify_frames);
	free(sim->verify_is_table);
	sim->verify_frames = NULL;
	sim->verify_is_table = NULL;
}

/*
 * The swap device against the walk: every slot's count is the number of
 * swap PTEs naming it, SWAP_HAS_CACHE is set exactly where the swap cache
 * holds a folio (one that knows it), and only used slots keep contents.
 */
static int check_swap(struct mmsim *sim, struct walk_state *w)
{
	struct swap_info_struct *si = sim->swap;
	unsigned long inuse = 0, cached = 0;

	/* Nothing in swap, no swap entry seen: nothing to recount. */
	if (!w->swap_refs && !si->inuse_pages && !sim->nr_swapcache && !sim->swap_cache)
		return 0;
	/* Slots are allocated at the first swap-out: without them nothing can be in swap. */
	if (!si->swap_map)
		return sim_error(sim, -EUCLEAN, "swap: %lu slots used, %lu cached, but no slot was "
				 "ever allocated", si->inuse_pages, sim->nr_swapcache);
	/* Above highest_bit no slot was ever used: only a stray PTE could name one. */
	for (unsigned long off = 1; off <= MAX(si->highest_bit, w->highest_ref); off++) {
		unsigned int refs = w->swap_refs ? w->swap_refs[off] : 0;
		unsigned int map = si->swap_map[off];
		swp_entry_t entry = swp_entry(si->type, off);
		struct folio *folio;

		if ((map & SWAP_COUNT_MASK) != refs)
			return sim_error(sim, -EUCLEAN, "swap slot %lu: count %u, %u swap PTEs", off,
					 map & SWAP_COUNT_MASK, refs);
		if (!map && si->slot_data[off])
			return sim_error(sim, -EUCLEAN, "free swap slot %lu keeps contents", off);
		content_verify_ref(si->slot_data[off], &w->content_refs);
		inuse += map != 0;
		if (!(map & SWAP_HAS_CACHE))
			continue;
		folio = swap_cache_get_folio(sim, entry);
		if (!folio)
			return sim_error(sim, -EUCLEAN, "swap slot %lu: SWAP_HAS_CACHE set, cache holds none",
					 off);
		if (!folio_test_swapcache(folio) || entry.val < folio_swap(sim, folio).val ||
		    entry.val >= folio_swap(sim, folio).val + (unsigned long)folio_nr_pages(folio))
			return sim_error(sim, -EUCLEAN, "swap slot %lu: cached folio %#lx is not its",
					 off, folio_pfn(folio));
		cached++;
	}
	/* Each cached slot has its entry: equal counts leave no entry without the flag. */
	if (inuse != si->inuse_pages || cached != sim->nr_swapcache ||
	    cached != swap_cache_count(sim))
		return sim_error(sim, -EUCLEAN, "swap: %lu slots used (%lu counted), %lu cached "
				 "(%lu counted, %lu in the swap cache)", inuse, si->inuse_pages, cached,
				 sim->nr_swapcache, swap_cache_count(sim));
	return 0;
}

/* Walks every page table of every mm, checking each mm's own counters. */
static int walk_all(struct mmsim *sim, struct walk_state *w)
{
	struct mm_struct *mm, *mtmp;
	int err;

	*w = (struct walk_state){ .sim = sim };
	/* Allocated at the first check: an instance that never checks pays nothing. */
	if (!sim->verify_frames)
		sim->verify_frames = calloc(sim->nr_frames, sizeof(struct truth_frame));
	if (!sim->verify_is_table)
		sim->verify_is_table = calloc(sim->nr_frames / BITS + 1, sizeof(unsigned long));
	if (!sim->verify_frames || !sim->verify_is_table)
		return -ENOMEM;
	w->frames = sim->verify_frames;
	w->is_table = sim->verify_is_table;
	memset(w->is_table, 0, (sim->nr_frames / BITS + 1) * sizeof(unsigned long));
	err = collect_gup_refs(sim, w);
	if (err)
		return err;
	HASH_ITER(hh, sim->mms, mm, mtmp) {
		err = check_vmas(sim, mm);
		if (err)
			return err;
		w->vma = NULL;
		w->nr_tables = 0;
		w->anon_pages = 0;
		w->ksm_zero_pages = 0;
		w->swap_ents = 0;
		walk_table(w, mm, mm->pgd, 0, 0);
		if (w->err)
			return w->err;
		if (w->nr_tables != mm->nr_page_tables)
			return sim_error(sim, -EUCLEAN, "pid %d: %lu page tables reached, %lu counted",
					 mm->pid, w->nr_tables, mm->nr_page_tables);
		if (w->anon_pages != mm->rss[MM_ANONPAGES])
			return sim_error(sim, -EUCLEAN, "pid %d: %ld anon pages mapped, RSS says %ld",
					 mm->pid, w->anon_pages, mm->rss[MM_ANONPAGES]);
		if (w->swap_ents != mm->rss[MM_SWAPENTS])
			return sim_error(sim, -EUCLEAN, "pid %d: %ld swap entries, MM_SWAPENTS says %ld",
					 mm->pid, w->swap_ents, mm->rss[MM_SWAPENTS]);
		if (w->ksm_zero_pages != mm->ksm_zero_pages)
			return sim_error(sim, -EUCLEAN, "pid %d: %ld KSM zero pages mapped, ksm_stat says %ld",
					 mm->pid, w->ksm_zero_pages, mm->ksm_zero_pages);
	}
	return 0;
}

int mm_folio_truth(struct mmsim *sim, const struct folio *folio, struct folio_pgtable_truth *out)
{
	struct walk_state w;
	int err = walk_all(sim, &w);

	memset(out, 0, sizeof(*out));
	if (!err)
		folio_truth_of(&w, folio, out);
	free_walk(&w);
	return err;
}

int mm_verify(struct mmsim *sim)
{
	struct walk_state w;
	int err = walk_all(sim, &w), cerr;

	if (!err)
		err = check_buddy(sim, &w);
	if (!err)
		err = check_frames(sim, &w);
	if (!err)
		err = check_deferred_queue(sim);
	if (!err)
		err = check_swap(sim, &w);
	/* Also after an error (checking nothing): it puts every recount back to 0. */
	cerr = content_verify(sim, w.content_refs, !err, &w.visited);
	if (!err)
		err = cerr;
	if (!err)
		err = ksm_verify(sim);
	sim->verify_runs++;
	sim->verify_visited += w.visited;
	free_walk(&w);
	return err;
}
