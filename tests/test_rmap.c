// SPDX-License-Identifier: MIT
/*
 * anon_vma, anon_vma_chain and the rmap walk (lib/rmap.c) against
 * mm/rmap.c of 6.18; the rules are those of the notes' §1 and §2
 * (anon_vma_prepare, anon_vma_clone's fork reuse, anon_vma_fork,
 * unlink_anon_vmas, __folio_set_anon, rmap_walk_anon).
 */
#include <errno.h>

#include "test_util.h"

#include "internal.h"
#include "page_alloc.h"
#include "vma.h"

#include "test_vma_util.h"

static struct anon_vma *av_at(struct mmsim *sim, int pid, unsigned long addr)
{
	struct vm_area_struct *vma = vma_at(sim, pid, addr);

	assert_non_null(vma);
	return vma->anon_vma;
}

static int chain_len(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;
	int n = 0;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		n++;
	return n;
}

static struct folio *folio_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return page_folio(pfn_to_page(sim, pfn_of(sim, pid, addr)));
}

/* What a walk found: (mm, address, PMD?) of each mapping. */
struct walk_log {
	int n;
	struct { struct mm_struct *mm; unsigned long addr; bool pmd; } hit[16];
};

static bool log_hit(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit, void *arg)
{
	struct walk_log *log = arg;

	(void)sim;
	(void)folio;
	assert_true(log->n < 16);
	log->hit[log->n].mm = hit->vma->vm_mm;
	log->hit[log->n].addr = hit->address;
	log->hit[log->n].pmd = hit->pte == NULL;
	log->n++;
	return true;
}

static bool logged(const struct walk_log *log, struct mm_struct *mm, unsigned long addr)
{
	for (int i = 0; i < log->n; i++)
		if (log->hit[i].mm == mm && log->hit[i].addr == addr)
			return true;
	return false;
}

/*
 * The first write fault creates a root anon_vma: root and parent itself,
 * num_children 1 (its own self link), num_active_vmas 1; the new folio
 * points at it with index = linear_page_index of its first page.
 */
static void test_prepare_new_root_and_folio_index(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct anon_vma *av;
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	OK(sim, mmsim_read(sim, pid, BASE, &(char){0}, 1));
	assert_null(av_at(sim, pid, BASE));	/* the zero page needs no anon_vma */
	OK(sim, mmsim_fill(sim, pid, BASE + 5 * PAGE, PAGE, 1));
	av = av_at(sim, pid, BASE);
	assert_non_null(av);
	assert_ptr_equal(av->root, av);
	assert_ptr_equal(av->parent, av);
	assert_int_equal(av->num_children, 1);
	assert_int_equal(av->num_active_vmas, 1);
	assert_int_equal(av->refcount, 1);
	assert_int_equal(chain_len(vma_at(sim, pid, BASE)), 1);
	folio = folio_at(sim, pid, BASE + 5 * PAGE);
	assert_ptr_equal(folio->anon_vma, av);
	assert_int_equal(folio->index, PGOFF(5 * PAGE));
	/* An mTHP's index is that of its first page (the aligned block). */
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_fill(sim, pid, BASE + 0x57000, PAGE, 1));
	folio = folio_at(sim, pid, BASE + 0x57000);
	assert_int_equal(folio->order, 4);
	assert_int_equal(folio->index, PGOFF(0x50000));
	assert_int_equal(stats(sim).nr_anon_vmas, 1);
	mmsim_destroy(sim);
}

/*
 * find_mergeable_anon_vma(): a VMA faulting next to an anon_vma_compatible
 * neighbour (flags equal but for R/W/X, pgoff linear) shares its anon_vma,
 * trying next before prev, but only while that neighbour's chain is
 * singular (never forked into).
 *
 *   0   4   8   12
 *   |RW |W  |RW |      fault [0,4) -> A, fault [8,12) -> B,
 *                      fault [4,8) -> B (next first)
 */
static void test_prepare_reuses_neighbour(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct anon_vma *a, *b;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 12 * PAGE, RW));
	OK(sim, mmsim_mprotect(sim, p, BASE + 4 * PAGE, 4 * PAGE, MMSIM_PROT_WRITE));
	CHECK_LAYOUT(sim, p, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 4 * PAGE, 8 * PAGE, PGOFF(4 * PAGE), VM_WRITE | VM_ACCOUNT },
		     { 8 * PAGE, 12 * PAGE, PGOFF(8 * PAGE), F_RW });
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 1));
	OK(sim, mmsim_fill(sim, p, BASE + 8 * PAGE, PAGE, 1));
	a = av_at(sim, p, BASE);
	b = av_at(sim, p, BASE + 8 * PAGE);
	assert_ptr_not_equal(a, b);
	OK(sim, mmsim_fill(sim, p, BASE + 4 * PAGE, PAGE, 1));
	assert_ptr_equal(av_at(sim, p, BASE + 4 * PAGE), b);
	assert_int_equal(b->num_active_vmas, 2);
	assert_int_equal(b->num_children, 1);
	assert_int_equal(stats(sim).nr_anon_vmas, 2);

	/* The same layout, forked before the middle faults: no sharing in the child. */
	OK(sim, mmsim_munmap(sim, p, BASE, 12 * PAGE));
	OK(sim, mmsim_mmap(sim, p, BASE, 8 * PAGE, RW));
	OK(sim, mmsim_mprotect(sim, p, BASE + 4 * PAGE, 4 * PAGE, MMSIM_PROT_WRITE));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 1));
	c = do_fork(sim, p);
	assert_int_equal(chain_len(vma_at(sim, c, BASE)), 2);
	OK(sim, mmsim_fill(sim, c, BASE + 4 * PAGE, PAGE, 1));
	assert_ptr_not_equal(av_at(sim, c, BASE + 4 * PAGE), av_at(sim, c, BASE));
	assert_ptr_equal(av_at(sim, c, BASE + 4 * PAGE)->root, av_at(sim, c, BASE + 4 * PAGE));
	/* The parent's own neighbour is still singular: it shares. */
	OK(sim, mmsim_fill(sim, p, BASE + 4 * PAGE, PAGE, 1));
	assert_ptr_equal(av_at(sim, p, BASE + 4 * PAGE), av_at(sim, p, BASE));
	mmsim_destroy(sim);
}

/*
 * anon_vma_fork(): the child VMA gets a new anon_vma whose root and parent
 * are the parent's; the parent's num_children and the root's refcount go
 * up; the child's chain is [own, parent's...]. Unlinking the child frees
 * its anon_vma and gives both counts back.
 */
static void test_fork_creates_child_anon_vma(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c, u;
	struct anon_vma *r, *av1;
	struct vm_area_struct *cv;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, p, BASE + SZ_1M, 4 * PAGE, RW));	/* never faulted */
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 1));
	r = av_at(sim, p, BASE);
	c = do_fork(sim, p);
	cv = vma_at(sim, c, BASE);
	av1 = cv->anon_vma;
	assert_ptr_not_equal(av1, r);
	assert_ptr_equal(av1->root, r);
	assert_ptr_equal(av1->parent, r);
	assert_int_equal(av1->num_children, 0);
	assert_int_equal(av1->num_active_vmas, 1);
	assert_int_equal(r->num_children, 2);
	assert_int_equal(r->num_active_vmas, 1);
	assert_int_equal(r->refcount, 2);
	assert_int_equal(chain_len(cv), 2);
	assert_ptr_equal(list_first_entry(&cv->anon_vma_chain, struct anon_vma_chain, same_vma)->anon_vma, av1);
	/* An unfaulted VMA forks with no anon_vma and an empty chain. */
	assert_null(av_at(sim, c, BASE + SZ_1M));
	assert_int_equal(chain_len(vma_at(sim, c, BASE + SZ_1M)), 0);
	assert_int_equal(stats(sim).nr_anon_vmas, 2);
	/* The COW copy in the child points at the child's own anon_vma. */
	OK(sim, mmsim_fill(sim, c, BASE, PAGE, 2));
	assert_ptr_equal(folio_at(sim, c, BASE)->anon_vma, av1);
	assert_ptr_equal(folio_at(sim, p, BASE)->anon_vma, r);

	/* A second child of the same parent: a sibling under r. */
	u = do_fork(sim, p);
	assert_ptr_equal(av_at(sim, u, BASE)->parent, r);
	assert_int_equal(r->num_children, 3);
	assert_int_equal(r->refcount, 3);
	OK(sim, mmsim_exit(sim, u));
	OK(sim, mmsim_exit(sim, c));
	assert_int_equal(r->num_children, 1);
	assert_int_equal(r->refcount, 1);
	assert_int_equal(stats(sim).nr_anon_vmas, 1);
	OK(sim, mmsim_exit(sim, p));
	assert_int_equal(stats(sim).nr_anon_vmas, 0);
	mmsim_destroy(sim);
}

/*
 * anon_vma_clone() reuse on fork (notes §1.4): P(R) forks C (AV1, parent
 * R); C forks G (AV2, parent AV1: AV1.num_children = 1); C unmaps its VMA
 * (AV1.num_active_vmas = 0, AV1 stays in G's chain); G forks GG: walking
 * G's chain oldest first, R fails (num_children 2), AV1 qualifies
 * (num_children 1 < 2, no active VMA), so GG's VMA reuses AV1.
 */
static void test_fork_reuses_idle_anon_vma(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c, g, gg;
	struct anon_vma *r, *av1, *av2;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, p, BASE, 4 * PAGE, 1));
	r = av_at(sim, p, BASE);
	c = do_fork(sim, p);
	av1 = av_at(sim, c, BASE);
	g = do_fork(sim, c);
	av2 = av_at(sim, g, BASE);
	assert_ptr_equal(av2->parent, av1);
	assert_ptr_equal(av2->root, r);
	assert_int_equal(av1->num_children, 1);
	assert_int_equal(chain_len(vma_at(sim, g, BASE)), 3);
	OK(sim, mmsim_munmap(sim, c, BASE, 4 * PAGE));
	assert_int_equal(av1->num_active_vmas, 0);
	assert_int_equal(stats(sim).nr_anon_vmas, 3);	/* AV1 lives on in G's chain */
	gg = do_fork(sim, g);
	assert_ptr_equal(av_at(sim, gg, BASE), av1);
	assert_int_equal(av1->num_active_vmas, 1);
	assert_int_equal(av1->num_children, 1);
	assert_int_equal(stats(sim).nr_anon_vmas, 3);
	assert_int_equal(chain_len(vma_at(sim, gg, BASE)), 3);
	/* GG's pages are still the original frames, found through R. */
	assert_int_equal(kpagecount_at(sim, gg, BASE), 3);	/* P, G, GG */
	OK(sim, mmsim_exit(sim, g));
	OK(sim, mmsim_exit(sim, gg));
	assert_int_equal(stats(sim).nr_anon_vmas, 1);
	assert_int_equal(r->num_children, 1);
	OK(sim, mmsim_exit(sim, c));
	OK(sim, mmsim_exit(sim, p));
	assert_int_equal(stats(sim).nr_anon_vmas, 0);
	mmsim_destroy(sim);
}

/*
 * folio_move_anon_rmap(): a small folio reused by a write fault moves to
 * the faulting VMA's anon_vma. P's page is shared with C; P exits; C's
 * write finds refcount 1 and reuses the page, which now belongs to C's AV1.
 */
static void test_reuse_moves_anon_rmap(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct folio *folio;
	unsigned long pfn;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, PAGE, RW));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 1));
	pfn = pfn_of(sim, p, BASE);
	c = do_fork(sim, p);
	folio = folio_at(sim, c, BASE);
	assert_ptr_equal(folio->anon_vma, av_at(sim, p, BASE));
	OK(sim, mmsim_exit(sim, p));
	OK(sim, mmsim_fill(sim, c, BASE, PAGE, 2));
	assert_int_equal(pfn_of(sim, c, BASE), pfn);
	assert_ptr_equal(folio->anon_vma, av_at(sim, c, BASE));
	assert_int_equal(folio->index, PGOFF(0));
	mmsim_destroy(sim);
}

/*
 * rmap_walk_anon() finds every mapping of a folio, across forks and after
 * mremap in a child (the moved VMA keeps pgoff, so the same index finds it
 * at its new address).
 */
static void test_rmap_walk_across_fork_and_mremap(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c, g;
	unsigned long moved = BASE + 64 * SZ_1M;
	struct walk_log log = { 0 };
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 8 * PAGE, RW));
	OK(sim, mmsim_fill(sim, p, BASE + 2 * PAGE, PAGE, 1));
	folio = folio_at(sim, p, BASE + 2 * PAGE);
	c = do_fork(sim, p);
	g = do_fork(sim, c);
	OK(sim, mmsim_mremap(sim, c, BASE, 8 * PAGE, moved));
	rmap_walk_anon(sim, folio, log_hit, &log);
	assert_int_equal(log.n, 3);
	assert_true(logged(&log, mm_of(sim, p), BASE + 2 * PAGE));
	assert_true(logged(&log, mm_of(sim, c), moved + 2 * PAGE));
	assert_true(logged(&log, mm_of(sim, g), BASE + 2 * PAGE));
	assert_int_equal(kpagecount_at(sim, c, moved + 2 * PAGE), 3);

	/* After the child's COW the walk no longer finds the child. */
	OK(sim, mmsim_fill(sim, c, moved + 2 * PAGE, PAGE, 2));
	log.n = 0;
	rmap_walk_anon(sim, folio, log_hit, &log);
	assert_int_equal(log.n, 2);
	assert_false(logged(&log, mm_of(sim, c), moved + 2 * PAGE));
	mmsim_destroy(sim);
}

struct walk_count {
	int pmd, pte;
};

static bool count_hit(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit,
		      void *arg)
{
	struct walk_count *wc = arg;

	(void)sim;
	(void)folio;
	if (hit->pte)
		wc->pte++;
	else
		wc->pmd++;
	return true;
}

/* A PMD-mapped THP is one hit at the PMD; after fork, one per process. */
static void test_rmap_walk_pmd(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct walk_log log = { 0 };
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 1));
	folio = folio_at(sim, p, BASE);
	assert_int_equal(folio->index, PGOFF(0));
	c = do_fork(sim, p);
	rmap_walk_anon(sim, folio, log_hit, &log);
	assert_int_equal(log.n, 2);
	assert_true(log.hit[0].pmd && log.hit[1].pmd);
	assert_true(logged(&log, mm_of(sim, c), BASE));
	/* Child writes page 5: its PMD splits, 511 PTEs still map the folio. */
	OK(sim, mmsim_fill(sim, c, BASE + 5 * PAGE, PAGE, 2));
	{
		struct walk_count wc = { 0 };

		rmap_walk_anon(sim, folio, count_hit, &wc);
		assert_int_equal(wc.pmd, 1);
		assert_int_equal(wc.pte, 511);
	}
	mmsim_destroy(sim);
}

/*
 * try_to_unmap() finds a folio everywhere its rmap leads: a PMD-mapped THP
 * shared with a child that moved its copy with mremap. Every mapping goes
 * (the PMDs are split first), RSS drops in both, and the folio lives on
 * only through the reference the caller holds.
 */
static void test_try_to_unmap(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, p, BASE, 1, 1));
	c = do_fork(sim, p);
	OK(sim, mmsim_mremap(sim, c, BASE, SZ_2M, BASE + 3 * SZ_2M + PAGE));
	folio = sim->pages[pfn_of(sim, p, BASE)].folio;
	assert_int_equal(folio_mapcount(sim, folio), 1 + 512);
	folio_get(folio);			/* as reclaim holds the folio */
	assert_int_equal(try_to_unmap(sim, folio), 0);
	assert_false(folio_mapped(sim, folio));
	assert_int_equal(folio->_refcount, 1);
	assert_false(present(sim, p, BASE));
	assert_false(present(sim, c, BASE + 3 * SZ_2M + PAGE));
	assert_int_equal(find_mm(sim, p)->rss[MM_ANONPAGES], 0);
	assert_int_equal(find_mm(sim, c)->rss[MM_ANONPAGES], 0);
	folio_put(sim, folio);			/* the last reference frees it */
	assert_int_equal(mmsim_verify(sim), 0);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepare_new_root_and_folio_index),
		cmocka_unit_test(test_prepare_reuses_neighbour),
		cmocka_unit_test(test_fork_creates_child_anon_vma),
		cmocka_unit_test(test_fork_reuses_idle_anon_vma),
		cmocka_unit_test(test_reuse_moves_anon_rmap),
		cmocka_unit_test(test_rmap_walk_across_fork_and_mremap),
		cmocka_unit_test(test_rmap_walk_pmd),
		cmocka_unit_test(test_try_to_unmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
