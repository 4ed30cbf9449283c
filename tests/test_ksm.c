// SPDX-License-Identifier: MIT
/*
 * Tests of lib/ksm.c and lib/ksm_sysfs.c: the two trees at work (merge
 * timeline, chains under max_page_sharing, lazy unstable removal), every
 * merge and unmerge path (COW, MADV_UNMERGEABLE, run=2, prctl, mremap, exit,
 * fork, zero pages, THP split), the tunables' errors and rmap_walk_ksm().
 * The invariant checker (with its KSM recount) runs after every step. The
 * numbers that tests/scenarios/ksm-*.mms also check are the live kernel's.
 */
#include <string.h>

#include "test_util.h"

#include "ksm.h"
#include "rmap.h"
#include "sim.h"

static long counter(struct mmsim *sim, const char *name)
{
	long v;

	OK(sim, mmsim_ksm_counter(sim, name, &v));
	return v;
}

static long stat_of(struct mmsim *sim, int pid, const char *name)
{
	long v;

	OK(sim, mmsim_ksm_stat(sim, pid, name, &v));
	return v;
}

/* A process with a mergeable rw mapping of len at BASE. */
static int mergeable_proc(struct mmsim *sim, unsigned long len)
{
	int pid = new_proc(sim);

	OK(sim, mmsim_mmap(sim, pid, BASE, len, RW));
	OK(sim, mmsim_madvise(sim, pid, BASE, len, MMSIM_MADV_MERGEABLE));
	return pid;
}

static void test_rmap_item_is_64_bytes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct ksm_rmap_item), 64);
}

/* Pass 1: volatile; pass 2: the first goes unstable, the second merges with it. */
static void test_two_pages_merge_on_second_pass(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 2 * PAGE);

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 7));
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_volatile"), 2);
	assert_int_equal(counter(sim, "pages_shared"), 0);
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_shared"), 1);
	assert_int_equal(counter(sim, "pages_sharing"), 1);
	assert_int_equal(counter(sim, "pages_unshared"), 0);
	assert_int_equal(counter(sim, "full_scans"), 2);
	assert_int_equal(counter(sim, "pages_scanned"), 4);
	assert_int_equal(counter(sim, "general_profit"), 4096 - 2 * 64);
	assert_int_equal(pfn_of(sim, pid, BASE), pfn_of(sim, pid, BASE + PAGE));
	assert_true(kpageflag_at(sim, pid, BASE, MMSIM_KPF_KSM));
	assert_int_equal(kpagecount_at(sim, pid, BASE), 2);
	assert_int_equal(smaps_of(sim, pid).ksm, 8);
	assert_int_equal(stat_of(sim, pid, "ksm_merging_pages"), 2);
	assert_int_equal(stat_of(sim, pid, "ksm_rmap_items"), 2);
	assert_int_equal(stat_of(sim, pid, "ksm_process_profit"), 2 * 4096 - 2 * 64);
	mmsim_destroy(sim);
}

/* pages_unshared counts items of the unstable tree and falls only when they are revisited. */
static void test_unstable_tree_lazy_removal(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 4 * PAGE);
	uint8_t page[PAGE];

	(void)state;
	for (int i = 0; i < 4; i++) {
		memset(page, 0x10 + i, sizeof(page));
		OK(sim, mmsim_write(sim, pid, BASE + (unsigned long)i * PAGE, page, PAGE));
	}
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_unshared"), 4);
	/* The tree of the last pass is thrown away, but the counter stays until the next. */
	OK(sim, mmsim_munmap(sim, pid, BASE, 2 * PAGE));
	assert_int_equal(counter(sim, "pages_unshared"), 4);
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_unshared"), 2);
	assert_int_equal(stat_of(sim, pid, "ksm_rmap_items"), 2);
	mmsim_destroy(sim);
}

/* n % mps == 2: shared = n / mps + 1, sharing = n - shared, one chain. */
static void test_max_page_sharing_chain(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid;

	(void)state;
	assert_int_equal(mmsim_ksm_set(sim, "max_page_sharing", 1), -EINVAL);
	OK(sim, mmsim_ksm_set(sim, "max_page_sharing", 4));
	pid = mergeable_proc(sim, 10 * PAGE);
	OK(sim, mmsim_fill(sim, pid, BASE, 10 * PAGE, 3));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_shared"), 3);
	assert_int_equal(counter(sim, "pages_sharing"), 7);
	assert_int_equal(counter(sim, "stable_node_chains"), 1);
	assert_int_equal(counter(sim, "stable_node_dups"), 3);
	assert_int_equal(mmsim_ksm_set(sim, "max_page_sharing", 8), -EBUSY);
	OK(sim, mmsim_ksm_set(sim, "max_page_sharing", 4));	/* unchanged: fine */
	OK(sim, mmsim_ksm_run(sim, 2));
	assert_int_equal(counter(sim, "stable_node_chains"), 0);
	assert_int_equal(counter(sim, "full_scans"), 0);
	OK(sim, mmsim_ksm_set(sim, "max_page_sharing", 8));
	mmsim_destroy(sim);
}

/* Smart scan: ages 0-2 never skip; then 1, 2, 4, 8 skips between visits. */
static void test_smart_scan_skips(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, PAGE);

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	OK(sim, mmsim_ksm_scan(sim, 4));
	assert_int_equal(counter(sim, "pages_skipped"), 0);
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_skipped"), 1);
	assert_int_equal(counter(sim, "pages_scanned"), 4);
	OK(sim, mmsim_ksm_scan(sim, 3));
	assert_int_equal(counter(sim, "pages_skipped"), 3);
	OK(sim, mmsim_ksm_set(sim, "smart_scan", 0));
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_skipped"), 3);
	assert_int_equal(mmsim_ksm_set(sim, "smart_scan", 2), -EINVAL);
	mmsim_destroy(sim);
}

/* A write never reuses a KSM page; the item leaves the node at the next pass. */
static void test_cow_of_ksm_page(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 3 * PAGE);

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, 3 * PAGE, 9));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_sharing"), 2);
	OK(sim, mmsim_fill(sim, pid, BASE, 1, 9));	/* same contents: still a copy */
	assert_false(kpageflag_at(sim, pid, BASE, MMSIM_KPF_KSM));
	assert_int_equal(counter(sim, "pages_sharing"), 2);
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_sharing"), 2);	/* unchanged checksum: merges back */
	OK(sim, mmsim_fill(sim, pid, BASE, 1, 8));
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_sharing"), 1);
	assert_int_equal(counter(sim, "pages_volatile"), 1);
	mmsim_destroy(sim);
}

/* use_zero_pages: dirty zero PTEs, counted at once both ways. */
static void test_zero_pages(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid, child;

	(void)state;
	OK(sim, mmsim_ksm_set(sim, "use_zero_pages", 1));
	pid = mergeable_proc(sim, 4 * PAGE);
	OK(sim, mmsim_fill(sim, pid, BASE, 4 * PAGE, 0));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "ksm_zero_pages"), 4);
	assert_int_equal(counter(sim, "pages_shared"), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 0);
	assert_true(kpageflag_at(sim, pid, BASE, MMSIM_KPF_ZERO_PAGE));
	child = do_fork(sim, pid);
	assert_int_equal(counter(sim, "ksm_zero_pages"), 8);
	assert_int_equal(stat_of(sim, child, "ksm_zero_pages"), 4);
	OK(sim, mmsim_madvise(sim, pid, BASE, 2 * PAGE, MMSIM_MADV_UNMERGEABLE));
	assert_int_equal(stat_of(sim, pid, "ksm_zero_pages"), 2);
	/* 6.18.44's unshare copies have dirty PTEs (ksm-unshare-dirty.mms). */
	assert_int_equal(smaps_of(sim, pid).private_clean, 0);
	assert_int_equal(smaps_of(sim, pid).private_dirty, 8);
	OK(sim, mmsim_fill(sim, child, BASE, 1, 0));
	assert_int_equal(counter(sim, "ksm_zero_pages"), 5);
	OK(sim, mmsim_exit(sim, child));
	assert_int_equal(counter(sim, "ksm_zero_pages"), 2);
	mmsim_destroy(sim);
}

/* A fork's KSM pages join the node at the child's first scan, past max_page_sharing. */
static void test_fork_and_exit(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid, child;

	(void)state;
	OK(sim, mmsim_ksm_set(sim, "max_page_sharing", 2));
	pid = mergeable_proc(sim, 2 * PAGE);
	OK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 5));
	OK(sim, mmsim_ksm_scan(sim, 2));
	child = do_fork(sim, pid);
	assert_int_equal(stat_of(sim, child, "ksm_merging_pages"), 0);
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_sharing"), 3);
	assert_int_equal(stat_of(sim, child, "ksm_merging_pages"), 2);
	/* The parent's items outlive it until ksmd passes. */
	OK(sim, mmsim_exit(sim, pid));
	assert_int_equal(counter(sim, "pages_sharing"), 3);
	assert_int_equal(counter(sim, "pages_volatile"), 0);
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_shared"), 1);
	assert_int_equal(counter(sim, "pages_sharing"), 1);
	assert_int_equal(stat_of(sim, child, "ksm_rmap_items"), 2);
	mmsim_destroy(sim);
}

static bool count_hit(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit,
		      void *arg)
{
	(void)sim;
	(void)folio;
	(void)hit;
	(*(int *)arg)++;
	return true;
}

/* rmap_walk_ksm(): own mm first, then forks through the anon_vma tree. */
static void test_rmap_walk_ksm(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 2 * PAGE), hits = 0;
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 5));
	OK(sim, mmsim_ksm_scan(sim, 2));
	do_fork(sim, pid);
	folio = sim->pages[pfn_of(sim, pid, BASE)].folio;
	assert_true(folio_test_ksm(folio));
	rmap_walk(sim, folio, count_hit, &hits);
	assert_int_equal(hits, 4);	/* two items, each: own VMA and the child's */
	mmsim_destroy(sim);
}

/* A THP is split before any page merges; its empty subpages go to the zero page. */
static void test_thp_split_before_merge(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	pid = mergeable_proc(sim, 2 * SZ_2M);
	OK(sim, mmsim_fill(sim, pid, BASE, 4 * PAGE, 4));
	assert_int_equal(order_at(sim, pid, BASE), 9);
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(order_at(sim, pid, BASE), 0);
	assert_true(kpageflag_at(sim, pid, BASE + 8 * PAGE, MMSIM_KPF_ZERO_PAGE));
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_shared"), 1);
	assert_int_equal(counter(sim, "pages_sharing"), 3);
	mmsim_destroy(sim);
}

/* PR_SET_MEMORY_MERGE: all VMAs, new ones too, inherited; off unmerges. */
static void test_prctl_memory_merge(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim), child;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
	OK(sim, mmsim_prctl_set_memory_merge(sim, pid, true));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_1M, PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 2));
	OK(sim, mmsim_fill(sim, pid, BASE + SZ_1M, PAGE, 2));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(pfn_of(sim, pid, BASE), pfn_of(sim, pid, BASE + SZ_1M));
	child = do_fork(sim, pid);
	assert_int_equal(stat_of(sim, child, "ksm_merge_any"), 1);
	OK(sim, mmsim_prctl_set_memory_merge(sim, pid, false));
	assert_int_equal(stat_of(sim, pid, "ksm_merge_any"), 0);
	assert_int_equal(stat_of(sim, pid, "ksm_mergeable"), 0);
	assert_false(kpageflag_at(sim, pid, BASE, MMSIM_KPF_KSM));
	assert_true(kpageflag_at(sim, child, BASE, MMSIM_KPF_KSM));
	mmsim_destroy(sim);
}

/* mremap breaks the KSM pages it moves; ksmd merges them again later. */
static void test_mremap_unmerges(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 2 * PAGE);

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 6));
	OK(sim, mmsim_ksm_scan(sim, 2));
	OK(sim, mmsim_mremap(sim, pid, BASE, PAGE, BASE + SZ_1M));
	assert_false(kpageflag_at(sim, pid, BASE + SZ_1M, MMSIM_KPF_KSM));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(pfn_of(sim, pid, BASE + PAGE), pfn_of(sim, pid, BASE + SZ_1M));
	mmsim_destroy(sim);
}

/*
 * The scan's page-table walks start from the PMD table of the last walk
 * (follow_page_pmd()). Tables freed and reallocated between passes must not
 * leave it pointing at a table that now maps something else: here the freed
 * PMD table's buffer becomes the PMD table of a range 512 GiB away, at the
 * same index, which would show the scan that range's pages instead.
 */
static void test_scan_after_page_tables_change(void **state)
{
	const unsigned long far = BASE + (512UL << 30), moved = BASE + (1UL << 30);
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 2 * PAGE);

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 6));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_sharing"), 1);
	/* Every table of the range goes; the next ones reuse their buffers. */
	OK(sim, mmsim_munmap(sim, pid, BASE, 2 * PAGE));
	OK(sim, mmsim_mmap(sim, pid, far, 2 * PAGE, RW));
	OK(sim, mmsim_madvise(sim, pid, far, 2 * PAGE, MMSIM_MADV_MERGEABLE));
	OK(sim, mmsim_fill(sim, pid, far, PAGE, 11));
	OK(sim, mmsim_fill(sim, pid, far + PAGE, PAGE, 12));
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * PAGE, RW));
	OK(sim, mmsim_madvise(sim, pid, BASE, 2 * PAGE, MMSIM_MADV_MERGEABLE));
	OK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 9));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_shared"), 1);
	assert_int_equal(counter(sim, "pages_sharing"), 1);
	assert_int_equal(counter(sim, "pages_unshared"), 2);
	assert_int_equal(pfn_of(sim, pid, BASE), pfn_of(sim, pid, BASE + PAGE));
	assert_int_not_equal(pfn_of(sim, pid, far), pfn_of(sim, pid, far + PAGE));
	/* mremap into the next PUD range, then a fork: merged again at the new place. */
	OK(sim, mmsim_mremap(sim, pid, BASE, 2 * PAGE, moved));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(pfn_of(sim, pid, moved), pfn_of(sim, pid, moved + PAGE));
	do_fork(sim, pid);
	OK(sim, mmsim_munmap(sim, pid, far, 2 * PAGE));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_shared"), 1);
	assert_int_equal(counter(sim, "pages_sharing"), 3);
	assert_int_equal(counter(sim, "pages_unshared"), 2);
	mmsim_destroy(sim);
}

/*
 * An item of an exited mm stays in the unstable tree until ksmd reaches its
 * slot; a search that meets it ends there with nothing inserted
 * (get_mergeable_page() finds no VMA), and the descent's look-ahead must
 * not walk the page tables the exit freed. A failed allocation stops pass 2
 * between the two processes, so that the first exits mid-pass.
 */
static void test_unstable_search_meets_exited_mm(void **state)
{
	const unsigned long other = BASE + SZ_2M;
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 4 * PAGE), second = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, second, other, 5 * PAGE, RW));
	OK(sim, mmsim_madvise(sim, second, other, 5 * PAGE, MMSIM_MADV_MERGEABLE));
	for (unsigned long i = 0; i < 4; i++) {
		OK(sim, mmsim_fill(sim, pid, BASE + i * PAGE, PAGE, (int)(0x10 + i)));
		OK(sim, mmsim_fill(sim, second, other + (i + 1) * PAGE, PAGE, (int)(0x10 + i)));
	}
	OK(sim, mmsim_ksm_scan(sim, 1));
	/* A page the second process's next visit needs a new item for: the allocation that fails. */
	OK(sim, mmsim_fill(sim, second, other, PAGE, 0x20));
	mmsim_fail_nth_alloc(sim, 1);
	assert_int_equal(mmsim_ksm_scan(sim, 1), -ENOMEM);
	mmsim_fail_nth_alloc(sim, 0);
	assert_int_equal(counter(sim, "pages_unshared"), 4);
	/*
	 * ksm_exit() moves the slot right behind the cursor: the rest of pass
	 * 2 searches through its items, which end every search (nothing of
	 * the second process goes in), and then drops them.
	 */
	OK(sim, mmsim_exit(sim, pid));
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "full_scans"), 2);
	assert_int_equal(counter(sim, "pages_shared"), 0);
	assert_int_equal(counter(sim, "pages_unshared"), 0);
	/* Pass 3: the second's five pages are unique. */
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "pages_shared"), 0);
	assert_int_equal(counter(sim, "pages_unshared"), 5);
	assert_int_equal(stat_of(sim, second, "ksm_rmap_items"), 5);
	mmsim_destroy(sim);
}

/* Failing allocations stop a pass with -ENOMEM and leave a consistent model. */
static void test_scan_under_allocation_failure(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = mergeable_proc(sim, 8 * PAGE), err;

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, 8 * PAGE, 1));
	for (unsigned long n = 1; n < 12; n++) {
		mmsim_fail_nth_alloc(sim, n);
		err = mmsim_ksm_scan(sim, 1);
		assert_true(err == 0 || err == -ENOMEM);
		mmsim_fail_nth_alloc(sim, 0);
		OK(sim, mmsim_verify(sim));
	}
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_sharing"), 7);
	assert_int_equal(mmsim_ksm_set(sim, "no_such_knob", 1), -EINVAL);
	assert_int_equal(mmsim_ksm_run(sim, 3), -EINVAL);
	mmsim_destroy(sim);
}

/* The mm_slot's first item at addr, or fail. */
static struct ksm_rmap_item *item_at(struct mmsim *sim, int pid, unsigned long addr)
{
	struct mm_struct *mm = find_mm(sim, pid);
	struct ksm_mm_slot *slot;

	HASH_FIND_PTR(sim->ksm.mm_slots, &mm, slot);
	assert_non_null(slot);
	for (struct ksm_rmap_item *ri = slot->rmap_list; ri; ri = ri->rmap_list)
		if ((ri->address & PAGE_MASK) == addr)
			return ri;
	fail_msg("no rmap_item at %#lx", addr);
	return NULL;
}

/*
 * The checker's KSM part catches a broken unstable tree (walked breadth
 * first) and a stable item its node's rmap walk misses (found through the
 * walk's hits in order, or by searching them): each corruption is made,
 * caught, and undone.
 */
static void test_checker_catches_ksm_corruption(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int a = mergeable_proc(sim, 8 * PAGE), b = new_proc(sim);
	unsigned long far = BASE + 64 * SZ_2M;
	struct ksm_rmap_item *ri, *stable;
	struct anon_vma *own;

	(void)state;
	OK(sim, mmsim_mmap(sim, b, far, 2 * PAGE, RW));
	OK(sim, mmsim_madvise(sim, b, far, 2 * PAGE, MMSIM_MADV_MERGEABLE));
	OK(sim, mmsim_fill(sim, b, far, 2 * PAGE, 7));
	OK(sim, mmsim_fill(sim, a, BASE, 2 * PAGE, 7));
	for (int i = 2; i < 8; i++)
		OK(sim, mmsim_fill(sim, a, BASE + (unsigned long)i * PAGE, PAGE, 20 + i));
	OK(sim, mmsim_ksm_scan(sim, 2));
	assert_int_equal(counter(sim, "pages_shared"), 1);
	assert_int_equal(counter(sim, "pages_unshared"), 6);
	OK(sim, mmsim_verify(sim));

	/* Every unstable node's colour flipped in turn breaks a rule of the tree. */
	for (int i = 2; i < 8; i++) {
		ri = item_at(sim, a, BASE + (unsigned long)i * PAGE);
		ri->node.__rb_parent_color ^= 1;
		expect_caught(sim, "the unstable tree is no valid rbtree");
		ri->node.__rb_parent_color ^= 1;
	}
	/* A parent pointer naming another node. */
	ri = item_at(sim, a, BASE + 3 * PAGE);
	if (rb_parent(&ri->node)) {
		unsigned long pc = ri->node.__rb_parent_color;

		ri->node.__rb_parent_color = (unsigned long)&item_at(sim, a, BASE + 2 * PAGE)->node ==
					     (pc & ~3UL) ?
			(unsigned long)&item_at(sim, a, BASE + 4 * PAGE)->node | (pc & 1) :
			(unsigned long)&item_at(sim, a, BASE + 2 * PAGE)->node | (pc & 1);
		expect_caught(sim, "the unstable tree is no valid rbtree");
		ri->node.__rb_parent_color = pc;
	}
	/* An item in the tree that says it is not there. */
	ri->address &= ~UNSTABLE_FLAG;
	expect_caught(sim, "in the unstable tree is not unstable");
	ri->address |= UNSTABLE_FLAG;
	OK(sim, mmsim_verify(sim));

	/* A's stable item looking in B's anon_vma: the walk misses A's PTE. */
	stable = item_at(sim, a, BASE);
	assert_true(stable->address & STABLE_FLAG);
	own = stable->anon_vma;
	stable->anon_vma = item_at(sim, b, far)->anon_vma;
	assert_ptr_not_equal(stable->anon_vma, own);
	expect_caught(sim, "but rmap_walk_ksm misses it");
	stable->anon_vma = own;
	/* The second item of the node, found after the first one's hit. */
	stable = item_at(sim, a, BASE + PAGE);
	own = stable->anon_vma;
	stable->anon_vma = item_at(sim, b, far)->anon_vma;
	expect_caught(sim, "but rmap_walk_ksm misses it");
	stable->anon_vma = own;
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rmap_item_is_64_bytes),
		cmocka_unit_test(test_checker_catches_ksm_corruption),
		cmocka_unit_test(test_two_pages_merge_on_second_pass),
		cmocka_unit_test(test_unstable_tree_lazy_removal),
		cmocka_unit_test(test_max_page_sharing_chain),
		cmocka_unit_test(test_smart_scan_skips),
		cmocka_unit_test(test_cow_of_ksm_page),
		cmocka_unit_test(test_zero_pages),
		cmocka_unit_test(test_fork_and_exit),
		cmocka_unit_test(test_rmap_walk_ksm),
		cmocka_unit_test(test_thp_split_before_merge),
		cmocka_unit_test(test_prctl_memory_merge),
		cmocka_unit_test(test_mremap_unmerges),
		cmocka_unit_test(test_scan_after_page_tables_change),
		cmocka_unit_test(test_unstable_search_meets_exited_mm),
		cmocka_unit_test(test_scan_under_allocation_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
