// SPDX-License-Identifier: MIT
/*
 * Seed 003: rmap_walk_ksm() over a narrowed range (lib/ksm.c, the `ksm
 * rmap_walk=` variants). A KSM page that ksmd merged again after mremap()
 * moved it is found by Linux's full walk, by the saved pgoff and by the
 * "remapped" bit, but not by address >> PAGE_SHIFT: try_to_unmap() leaves it
 * mapped. A random workload checks, after every step, that pgoff and
 * remapped find exactly what the full walk finds, address never more, and
 * that a narrowed search never examines more interval-tree nodes.
 */
#include <errno.h>
#include <string.h>

#include "test_util.h"
#include "prng.h"

#include "ksm_internal.h"
#include "page_alloc.h"

#define FAR	0x100000000UL	/* 4 GiB: far enough that no page offset matches by chance */

static const enum mmsim_ksm_rmap_walk variants[] = {
	MMSIM_KSM_RMAP_WALK_FULL, MMSIM_KSM_RMAP_WALK_ADDRESS,
	MMSIM_KSM_RMAP_WALK_PGOFF, MMSIM_KSM_RMAP_WALK_REMAPPED,
};
static const char *const variant_names[] = { "full", "address", "pgoff", "remapped" };

static long counter(struct mmsim *sim, const char *name)
{
	long v;

	OK(sim, mmsim_ksm_counter(sim, name, &v));
	return v;
}

static struct mmsim *variant_sim(enum mmsim_ksm_rmap_walk variant)
{
	struct mmsim *sim = test_sim(4096);

	OK(sim, mmsim_ksm_set(sim, "rmap_walk", variant));
	return sim;
}

/* A process with two equal mergeable pages (byte 0x4d) at addr. */
static int two_page_proc(struct mmsim *sim, unsigned long addr)
{
	int pid = new_proc(sim);

	OK(sim, mmsim_mmap(sim, pid, addr, 2 * PAGE, RW));
	OK(sim, mmsim_madvise(sim, pid, addr, 2 * PAGE, MMSIM_MADV_MERGEABLE));
	OK(sim, mmsim_fill(sim, pid, addr, 2 * PAGE, 0x4d));
	return pid;
}

static struct folio *folio_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return sim->pages[pfn_of(sim, pid, addr)].folio;
}

/*
 *   P: BASE ──mremap──▶ BASE + FAR   (vm_pgoff stays BASE >> PAGE_SHIFT)
 *   Q: BASE
 * Four mappings of one KSM page, P's merged again at the new place.
 */
static void merged_then_moved(struct mmsim *sim, int *p, int *q)
{
	*p = two_page_proc(sim, BASE);
	*q = two_page_proc(sim, BASE);
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_sharing"), 3);
	OK(sim, mmsim_mremap(sim, *p, BASE, 2 * PAGE, BASE + FAR));
	/* mremap broke P's KSM pages; one pass drops the old items, one merges again. */
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_shared"), 1);
	assert_int_equal(counter(sim, "pages_sharing"), 3);
	assert_int_equal(pfn_of(sim, *p, BASE + FAR), pfn_of(sim, *q, BASE));
}

static struct mmsim_rmap_walk walk_at(struct mmsim *sim, int pid, unsigned long addr)
{
	struct mmsim_rmap_walk w;

	OK(sim, mmsim_rmap_walk(sim, pid, addr, &w));
	return w;
}

/*
 * try_to_unmap() of the merged page after the move: the address variant
 * searches P's anon_vma at (BASE + FAR) >> PAGE_SHIFT, where no VMA is, and
 * leaves P's two PTEs; the other variants unmap all four.
 */
static void test_try_to_unmap_after_mremap(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct mmsim *sim = variant_sim(variants[v]);
		bool misses = variants[v] == MMSIM_KSM_RMAP_WALK_ADDRESS;
		struct folio *folio;
		int p, q;

		merged_then_moved(sim, &p, &q);
		assert_int_equal(walk_at(sim, p, BASE + FAR).mappings, misses ? 2 : 4);
		assert_int_equal(walk_at(sim, p, BASE + FAR).reaches, !misses);
		assert_true(walk_at(sim, q, BASE).reaches);
		folio = folio_at(sim, q, BASE);
		folio_get(folio);		/* reclaim holds the folio it unmaps */
		assert_int_equal(try_to_unmap(sim, folio), 0);
		if (folio_mapped(sim, folio) != misses)
			fail_msg("rmap_walk=%s: folio still mapped %d", variant_names[v],
				 folio_mapped(sim, folio));
		assert_int_equal(present(sim, p, BASE + FAR), misses);
		assert_int_equal(present(sim, p, BASE + FAR + PAGE), misses);
		assert_false(present(sim, q, BASE));
		assert_false(present(sim, q, BASE + PAGE));
		assert_int_equal(folio->_refcount, 1 + (misses ? 2 : 0));
		folio_put(sim, folio);
		assert_int_equal(mmsim_verify(sim), 0);
		mmsim_destroy(sim);
	}
}

/*
 * The moved process forks; until ksmd meets the child, only P's items lead
 * to the child's mappings (rmap_walk_ksm's second pass, "new forks").
 */
static void test_fork_after_mremap(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct mmsim *sim = variant_sim(variants[v]);
		bool misses = variants[v] == MMSIM_KSM_RMAP_WALK_ADDRESS;
		struct folio *folio;
		int p, q, c;

		merged_then_moved(sim, &p, &q);
		c = do_fork(sim, p);
		assert_int_equal(walk_at(sim, c, BASE + FAR).reaches, !misses);
		assert_int_equal(walk_at(sim, c, BASE + FAR).mappings, misses ? 2 : 6);
		OK(sim, mmsim_ksm_scan(sim, 1));	/* the child's items join the node */
		assert_int_equal(counter(sim, "pages_sharing"), 5);
		assert_int_equal(walk_at(sim, c, BASE + FAR).reaches, !misses);
		assert_int_equal(walk_at(sim, q, BASE).mappings, misses ? 2 : 6);
		/* The full walk reaches the child's PTEs twice: unmapped once. */
		folio = folio_at(sim, q, BASE);
		folio_get(folio);
		assert_int_equal(try_to_unmap(sim, folio), 0);
		assert_int_equal(folio_mapped(sim, folio), misses);
		assert_int_equal(present(sim, c, BASE + FAR), misses);
		folio_put(sim, folio);
		assert_int_equal(mmsim_verify(sim), 0);
		mmsim_destroy(sim);
	}
}

/*
 * Moved back where vm_pgoff says, P's pages are broken and merged once more;
 * the remapped bit is worked out again at that merge and stays clear.
 */
static void test_mremap_back(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct mmsim *sim = variant_sim(variants[v]);
		int p, q;

		merged_then_moved(sim, &p, &q);
		OK(sim, mmsim_mremap(sim, p, BASE + FAR, 2 * PAGE, BASE));
		OK(sim, mmsim_ksm_scan(sim, 2));
		assert_int_equal(counter(sim, "pages_sharing"), 3);
		assert_int_equal(walk_at(sim, p, BASE).mappings, 4);
		assert_true(walk_at(sim, p, BASE).reaches);
		mmsim_destroy(sim);
	}
}

/* A walk may reach nothing at all: a lone moved process under address; nothing mapped. */
static void test_walk_reaching_nothing(void **state)
{
	struct mmsim *sim = variant_sim(MMSIM_KSM_RMAP_WALK_ADDRESS);
	struct mmsim_rmap_walk w;
	int p = two_page_proc(sim, BASE);

	(void)state;
	OK(sim, mmsim_mremap(sim, p, BASE, 2 * PAGE, BASE + FAR));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_true(kpageflag_at(sim, p, BASE + FAR, MMSIM_KPF_KSM));
	w = walk_at(sim, p, BASE + FAR);
	assert_int_equal(w.mappings, 0);
	assert_false(w.reaches);
	assert_int_equal(w.vmas, 0);
	assert_true(w.nodes > 0);	/* the search looked, and found no VMA there */
	w = walk_at(sim, p, BASE);
	assert_int_equal(w.mappings + w.nodes + w.vmas + w.reaches, 0);
	assert_int_equal(mmsim_rmap_walk(sim, p, BASE, NULL), -EINVAL);
	assert_int_equal(mmsim_rmap_walk(sim, p + 100, BASE, &w), -ESRCH);
	mmsim_destroy(sim);
}

/* The remapped bit is set exactly on the items of the moved VMA. */
static void test_remapped_bit(void **state)
{
	struct mmsim *sim = variant_sim(MMSIM_KSM_RMAP_WALK_REMAPPED);
	struct ksm_stable_node *node;
	struct ksm_rmap_item *rmap_item;
	int p, q, remapped = 0, items = 0;

	(void)state;
	merged_then_moved(sim, &p, &q);
	node = folio_stable_node(folio_at(sim, q, BASE));
	list_for_each_entry(rmap_item, &node->hlist, hlist) {
		bool moved = rmap_item->mm->pid == p;

		assert_int_equal(!!(rmap_item->address & REMAPPED_FLAG), moved);
		remapped += moved;
		items++;
	}
	assert_int_equal(items, 4);
	assert_int_equal(remapped, 2);
	/* Q's items search one page offset, P's the whole tree. */
	assert_int_equal(walk_at(sim, q, BASE).vmas, 2 * (1 + 1 + 1 + 1));
	mmsim_destroy(sim);
}

/* Items merged under one variant lack another's bookkeeping: no switch while merged. */
static void test_switch_only_while_unmerged(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int p;

	(void)state;
	assert_int_equal(counter(sim, "rmap_walk"), MMSIM_KSM_RMAP_WALK_FULL);
	assert_int_equal(mmsim_ksm_set(sim, "rmap_walk", 4), -EINVAL);
	OK(sim, mmsim_ksm_set(sim, "rmap_walk", MMSIM_KSM_RMAP_WALK_PGOFF));
	p = two_page_proc(sim, BASE);
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(mmsim_ksm_set(sim, "rmap_walk", MMSIM_KSM_RMAP_WALK_FULL), -EBUSY);
	OK(sim, mmsim_ksm_set(sim, "rmap_walk", MMSIM_KSM_RMAP_WALK_PGOFF));	/* no change */
	OK(sim, mmsim_ksm_run(sim, 2));
	OK(sim, mmsim_ksm_set(sim, "rmap_walk", MMSIM_KSM_RMAP_WALK_REMAPPED));
	assert_int_equal(counter(sim, "rmap_walk"), MMSIM_KSM_RMAP_WALK_REMAPPED);
	assert_false(kpageflag_at(sim, p, BASE, MMSIM_KPF_KSM));
	mmsim_destroy(sim);
}

/*
 * The price of the pgoff union: a page unshared without a change (here by
 * MADV_UNMERGEABLE and MADV_MERGEABLE again) comes back to ksmd with its
 * checksum reset to 0, so it takes one more pass to merge again than in
 * Linux, where oldchecksum survived the merge.
 */
static void test_pgoff_union_costs_a_pass(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct mmsim *sim = variant_sim(variants[v]);
		bool pgoff = variants[v] == MMSIM_KSM_RMAP_WALK_PGOFF;
		int p = new_proc(sim);

		OK(sim, mmsim_mmap(sim, p, BASE, 3 * PAGE, RW));
		OK(sim, mmsim_madvise(sim, p, BASE, 3 * PAGE, MMSIM_MADV_MERGEABLE));
		OK(sim, mmsim_fill(sim, p, BASE, 3 * PAGE, 0x4d));
		OK(sim, mmsim_ksm_scan(sim, 2));
		assert_int_equal(counter(sim, "pages_sharing"), 2);
		OK(sim, mmsim_madvise(sim, p, BASE, PAGE, MMSIM_MADV_UNMERGEABLE));
		OK(sim, mmsim_madvise(sim, p, BASE, PAGE, MMSIM_MADV_MERGEABLE));
		OK(sim, mmsim_ksm_scan(sim, 1));
		assert_int_equal(counter(sim, "pages_sharing"), pgoff ? 1 : 2);
		assert_int_equal(counter(sim, "pages_volatile"), pgoff ? 1 : 0);
		OK(sim, mmsim_ksm_scan(sim, 1));
		assert_int_equal(counter(sim, "pages_sharing"), 2);
		mmsim_destroy(sim);
	}
}

/* ---- Random workloads ------------------------------------------------------------------ */

struct hit_set {
	const pte_t *pte[256];
	int nr;
	bool overflow;
};

static bool record_hit(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit,
		       void *arg)
{
	struct hit_set *set = arg;

	(void)sim;
	(void)folio;
	if (set->nr == (int)(sizeof(set->pte) / sizeof(set->pte[0]))) {
		set->overflow = true;
		return false;
	}
	set->pte[set->nr++] = hit->pte;
	return true;
}

static bool hit_in(const struct hit_set *set, const pte_t *pte)
{
	for (int i = 0; i < set->nr; i++)
		if (set->pte[i] == pte)
			return true;
	return false;
}

/* What the variant's walk finds against the full walk, for one KSM folio. */
static void compare_walks(struct mmsim *sim, struct folio *folio,
			  enum mmsim_ksm_rmap_walk variant, unsigned long *missed)
{
	struct rmap_walk_cost full_cost = { 0 }, cost = { 0 };
	struct hit_set full = { .nr = 0 }, got = { .nr = 0 };
	bool exact = variant != MMSIM_KSM_RMAP_WALK_ADDRESS;

	rmap_walk_ksm_range(sim, folio, MMSIM_KSM_RMAP_WALK_FULL, &full_cost, record_hit, &full);
	rmap_walk_ksm_range(sim, folio, variant, &cost, record_hit, &got);
	assert_false(full.overflow || got.overflow);
	for (int i = 0; i < got.nr; i++)
		assert_true(hit_in(&full, got.pte[i]));
	if (exact && got.nr != full.nr)
		fail_msg("rmap_walk=%s found %d mappings, the full walk %d",
			 variant_names[variant], got.nr, full.nr);
	*missed += (unsigned long)(full.nr - got.nr);
	assert_true(cost.nodes <= full_cost.nodes);
}

#define NR_SLOTS	4
#define SLOT_PAGES	8
#define MAX_PROCS	6

static unsigned long slot_addr(unsigned int slot)
{
	return BASE + slot * FAR;
}

/* Every KSM folio mapped in a slot of a live process, each compared once per place. */
static void compare_all(struct mmsim *sim, const int *pids, int nr,
			enum mmsim_ksm_rmap_walk variant, unsigned long *missed)
{
	for (int i = 0; i < nr; i++) {
		for (unsigned int s = 0; s < NR_SLOTS; s++) {
			for (unsigned long a = slot_addr(s); a < slot_addr(s) + SLOT_PAGES * PAGE;
			     a += PAGE) {
				uint64_t pm = pagemap_of(sim, pids[i], a);
				struct folio *folio;

				if (!(pm & MMSIM_PM_PRESENT))
					continue;
				folio = sim->pages[pm & MMSIM_PM_PFN_MASK].folio;
				if (folio && folio_test_ksm(folio))
					compare_walks(sim, folio, variant, missed);
			}
		}
	}
}

/* One random step; failures such as mremap over a hole are fine, a broken model is not. */
static void random_step(struct mmsim *sim, uint64_t *rs, int *pids, int *nr)
{
	int i = (int)(splitmix64(rs) % (uint64_t)*nr), ret = 0;
	unsigned int slot = (unsigned int)(splitmix64(rs) % NR_SLOTS);
	unsigned long page = splitmix64(rs) % SLOT_PAGES, pages = 1 + splitmix64(rs) % 4;
	unsigned long addr = slot_addr(slot) + page * PAGE;

	switch (splitmix64(rs) % 8) {
	case 0:
		if (*nr < MAX_PROCS)
			ret = mmsim_fork(sim, pids[i], &pids[*nr]), *nr += !ret;
		break;
	case 1: {
		unsigned int to = (unsigned int)(splitmix64(rs) % NR_SLOTS);
		unsigned long dst = slot_addr(to) + (splitmix64(rs) % SLOT_PAGES) * PAGE;

		if (to != slot)
			ret = mmsim_mremap(sim, pids[i], addr, pages * PAGE, dst);
		break;
	}
	case 2:
		ret = mmsim_fill(sim, pids[i], addr, PAGE, (int)(splitmix64(rs) % 3));
		break;
	case 3:
		ret = mmsim_munmap(sim, pids[i], addr, PAGE);
		break;
	case 4:
		if (*nr > 1) {
			ret = mmsim_exit(sim, pids[i]);
			pids[i] = pids[--*nr];
		}
		break;
	default:
		ret = mmsim_ksm_scan(sim, 1);
		break;
	}
	if (ret == -EUCLEAN)
		fail_msg("the checker failed: %s", mmsim_last_error(sim));
}

static void test_random_workloads(void **state)
{
	unsigned long missed_by_address = 0;

	(void)state;
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		for (uint64_t seed = 1; seed <= 8; seed++) {
			struct mmsim *sim = variant_sim(variants[v]);
			unsigned long missed = 0;
			uint64_t rs = seed;
			int pids[MAX_PROCS], nr = 1;

			pids[0] = new_proc(sim);
			OK(sim, mmsim_mmap(sim, pids[0], BASE, SLOT_PAGES * PAGE, RW));
			OK(sim, mmsim_madvise(sim, pids[0], BASE, SLOT_PAGES * PAGE,
					      MMSIM_MADV_MERGEABLE));
			OK(sim, mmsim_fill(sim, pids[0], BASE, SLOT_PAGES * PAGE, 1));
			for (int step = 0; step < 150; step++) {
				random_step(sim, &rs, pids, &nr);
				compare_all(sim, pids, nr, variants[v], &missed);
			}
			if (variants[v] == MMSIM_KSM_RMAP_WALK_ADDRESS)
				missed_by_address += missed;
			mmsim_destroy(sim);
		}
	}
	/* The workloads do move merged pages: the address variant must have missed some. */
	assert_true(missed_by_address > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_try_to_unmap_after_mremap),
		cmocka_unit_test(test_fork_after_mremap),
		cmocka_unit_test(test_mremap_back),
		cmocka_unit_test(test_walk_reaching_nothing),
		cmocka_unit_test(test_remapped_bit),
		cmocka_unit_test(test_switch_only_while_unmerged),
		cmocka_unit_test(test_pgoff_union_costs_a_pass),
		cmocka_unit_test(test_random_workloads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
