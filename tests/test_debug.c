// SPDX-License-Identifier: MIT
/*
 * The invariant checker (lib/debug.c) catches corruption: each test breaks
 * one invariant of a healthy model through the internal headers, expects
 * mmsim_verify() to return -EUCLEAN naming the problem, then restores the
 * model so that it verifies again and tears down safely.
 */
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#include "run.h"
#include "scenario.h"

#include "internal.h"
#include "page_alloc.h"
#include "pgtable.h"
#include "rmap.h"
#include "vma.h"

struct fixture {
	struct mmsim *sim;
	int parent, child;
	struct mm_struct *pmm, *cmm;
};

/*
 * parent: [BASE, BASE + 4M) RW: a PMD THP at BASE, small pages written at
 * BASE + 2M (the first one only by the parent after the fork, so it is its
 * own again); child: a fork of it.
 */
static int setup(void **state)
{
	static struct fixture f;

	f.sim = test_sim(0);
	f.parent = new_proc(f.sim);
	OK(f.sim, mmsim_set_thp(f.sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(f.sim, mmsim_mmap(f.sim, f.parent, BASE, 2 * SZ_2M, RW));
	OK(f.sim, mmsim_fill(f.sim, f.parent, BASE, SZ_2M, 0x11));
	OK(f.sim, mmsim_set_thp(f.sim, SZ_2M, MMSIM_THP_NEVER));
	OK(f.sim, mmsim_fill(f.sim, f.parent, BASE + SZ_2M, 4 * PAGE, 0x22));
	f.child = do_fork(f.sim, f.parent);
	OK(f.sim, mmsim_fill(f.sim, f.parent, BASE + SZ_2M, 1, 0x33));	/* COW: own page */
	assert_int_equal(order_at(f.sim, f.parent, BASE), 9);
	f.pmm = find_mm(f.sim, f.parent);
	f.cmm = find_mm(f.sim, f.child);
	assert_non_null(f.pmm);
	assert_non_null(f.cmm);
	OK(f.sim, mmsim_verify(f.sim));
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* Every test restored what it broke. */
	OK(f->sim, mmsim_verify(f->sim));
	mmsim_destroy(f->sim);
	return 0;
}

static struct page *page_at(struct fixture *f, struct mm_struct *mm, unsigned long addr)
{
	bool pmd_mapped;
	struct page *page = follow_page(f->sim, mm, addr, &pmd_mapped);

	assert_non_null(page);
	return page;
}

static void test_page_mapcount(void **state)
{
	struct fixture *f = *state;
	struct page *page = page_at(f, f->pmm, BASE + SZ_2M + PAGE);

	page->_mapcount++;
	expect_caught(f->sim, "_mapcount");
	page->_mapcount--;
}

static void test_folio_refcount(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = page_folio(page_at(f, f->pmm, BASE + SZ_2M));

	folio->_refcount++;
	expect_caught(f->sim, "refcount");
	folio->_refcount--;
}

static void test_large_mapcount(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = page_folio(page_at(f, f->pmm, BASE));

	folio->_large_mapcount--;
	expect_caught(f->sim, "_large_mapcount");
	folio->_large_mapcount++;
	folio->_entire_mapcount++;
	expect_caught(f->sim, "_entire_mapcount");
	folio->_entire_mapcount--;
	folio->_nr_pages_mapped++;
	expect_caught(f->sim, "_nr_pages_mapped");
	folio->_nr_pages_mapped--;
}

static void test_rss(void **state)
{
	struct fixture *f = *state;

	f->cmm->rss[MM_ANONPAGES]++;
	expect_caught(f->sim, "RSS");
	f->cmm->rss[MM_ANONPAGES]--;
}

static void test_pte_dropped_without_rmap(void **state)
{
	struct fixture *f = *state;
	pte_t *pte = pte_lookup(f->sim, f->cmm, BASE + SZ_2M + 2 * PAGE), saved;

	assert_non_null(pte);
	saved = *pte;
	*pte = 0;
	expect_caught(f->sim, "RSS says");
	f->cmm->rss[MM_ANONPAGES]--;		/* with RSS fixed up: the rmap is caught */
	expect_caught(f->sim, "_mapcount");
	f->cmm->rss[MM_ANONPAGES]++;
	*pte = saved;
}

static void test_pte_writable_in_readonly_vma(void **state)
{
	struct fixture *f = *state;
	pte_t *pte, saved;

	OK(f->sim, mmsim_mprotect(f->sim, f->parent, BASE + SZ_2M, SZ_2M, MMSIM_PROT_READ));
	pte = pte_lookup(f->sim, f->pmm, BASE + SZ_2M);
	assert_non_null(pte);
	saved = *pte;
	*pte = pte_mkwrite(*pte);
	expect_caught(f->sim, "writable entry in a VMA without VM_WRITE");
	*pte = saved;
}

static void test_writable_shared_page(void **state)
{
	struct fixture *f = *state;
	pte_t *pte = pte_lookup(f->sim, f->cmm, BASE + SZ_2M + PAGE), saved;

	/* Shared with the parent after the fork: must stay write-protected. */
	assert_non_null(pte);
	saved = *pte;
	*pte = pte_mkwrite(*pte);
	expect_caught(f->sim, "not PageAnonExclusive");
	*pte = saved;
}

static void test_anon_exclusive_mapped_twice(void **state)
{
	struct fixture *f = *state;
	struct page *page = page_at(f, f->cmm, BASE + SZ_2M + PAGE);

	assert_int_equal(kpagecount_at(f->sim, f->child, BASE + SZ_2M + PAGE), 2);
	assert_false(PageAnonExclusive(page));
	SetPageAnonExclusive(page);
	expect_caught(f->sim, "PageAnonExclusive but mapped 2 times");
	ClearPageAnonExclusive(page);
}

static void test_vma_unlinked_from_anon_vma_tree(void **state)
{
	struct fixture *f = *state;
	struct vm_area_struct *vma = vma_lookup(f->pmm, BASE);
	struct anon_vma_chain *avc;

	/* The parent's only chain: its folios' anon_vma no longer finds it. */
	assert_non_null(vma);
	avc = list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma);
	interval_tree_remove(&avc->rb, &avc->anon_vma->rb_root);
	expect_caught(f->sim, "rmap walk finds");
	interval_tree_insert(&avc->rb, &avc->anon_vma->rb_root);
}

static void test_stale_anon_vma_chain(void **state)
{
	struct fixture *f = *state;
	struct vm_area_struct *vma = vma_lookup(f->pmm, BASE);
	struct anon_vma_chain *avc;

	avc = list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma);
	avc->rb.last++;
	expect_caught(f->sim, "stale anon_vma_chain");
	avc->rb.last--;
}

static void test_buddy_list(void **state)
{
	struct fixture *f = *state;
	struct mmsim *sim = f->sim;
	unsigned int order;
	unsigned long pfn;

	sim->free_area[0].nr_free++;
	expect_caught(sim, "buddy list 0");
	sim->free_area[0].nr_free--;

	for (order = 0; order <= MAX_PAGE_ORDER && sim->free_area[order].head == NO_PFN; order++)
		;
	assert_true(order <= MAX_PAGE_ORDER);
	pfn = sim->free_area[order].head;
	sim->pages[pfn].buddy_order ^= 1;
	expect_caught(sim, "bad block");
	sim->pages[pfn].buddy_order ^= 1;

	sim->nr_free++;
	expect_caught(sim, "nr_free");
	sim->nr_free--;
}

static void test_vma_tree(void **state)
{
	struct fixture *f = *state;
	struct vm_area_struct *vma = vma_lookup(f->pmm, BASE);

	f->pmm->map_count++;
	expect_caught(f->sim, "map_count");
	f->pmm->map_count--;

	/* Shrink the VMA under its mapped pages: its chain is now stale. */
	vma->vm_end -= SZ_1M;
	expect_caught(f->sim, "stale anon_vma_chain");
	vma->vm_end += SZ_1M;
}

static void test_page_table_count(void **state)
{
	struct fixture *f = *state;

	f->cmm->nr_page_tables++;
	expect_caught(f->sim, "page tables reached");
	f->cmm->nr_page_tables--;
}

static void test_split_queue(void **state)
{
	struct fixture *f = *state;

	f->sim->split_queue_len++;
	expect_caught(f->sim, "split queue");
	f->sim->split_queue_len--;
}

static void test_pmd_leaf_deposit(void **state)
{
	struct fixture *f = *state;
	struct mmsim *sim = f->sim;
	unsigned long table = pmd_table_pfn(sim, f->pmm, BASE), saved;

	saved = sim->pages[table].pt.pmd_huge_pte;
	assert_true(saved != 0);
	sim->pages[table].pt.pmd_huge_pte = 0;
	sim->pages[saved].flags &= (uint16_t)~PG_table;	/* not reached: not counted either */
	f->pmm->nr_page_tables--;
	expect_caught(sim, "deposited");
	f->pmm->nr_page_tables++;
	sim->pages[saved].flags |= PG_table;
	sim->pages[table].pt.pmd_huge_pte = saved;
}

static void test_pte_points_beyond_memory(void **state)
{
	struct fixture *f = *state;
	pte_t *pte = pte_lookup(f->sim, f->pmm, BASE + SZ_2M + 3 * PAGE), saved;

	saved = *pte;
	*pte = (saved & ~_PAGE_PFN_MASK) | ((uint64_t)(f->sim->nr_frames + 5) << _PAGE_PFN_SHIFT);
	expect_caught(f->sim, "pfn beyond memory");
	*pte = saved;
}

static void test_pte_on_free_frame(void **state)
{
	struct fixture *f = *state;
	struct mmsim *sim = f->sim;
	pte_t *pte = pte_lookup(sim, f->pmm, BASE + SZ_2M + 3 * PAGE), saved;
	unsigned long pfn = sim->free_area[0].head;

	if (pfn == NO_PFN)
		for (unsigned int o = 1; o <= MAX_PAGE_ORDER && pfn == NO_PFN; o++)
			pfn = sim->free_area[o].head;
	saved = *pte;
	*pte = (saved & ~_PAGE_PFN_MASK) | ((uint64_t)pfn << _PAGE_PFN_SHIFT);
	expect_caught(sim, "no anonymous folio");
	*pte = saved;
}

static void test_leaked_folio(void **state)
{
	struct fixture *f = *state;
	struct mmsim *sim = f->sim;
	pte_t *pte = pte_lookup(sim, f->pmm, BASE + SZ_2M), saved;
	struct page *page = page_at(f, f->pmm, BASE + SZ_2M);
	struct folio *folio = page_folio(page);

	/* The parent's own (COWed) page. Unmap it by hand, mapcount and refcount too: the folio is now lost. */
	saved = *pte;
	*pte = 0;
	page->_mapcount--;
	folio->_refcount--;
	f->pmm->rss[MM_ANONPAGES]--;
	expect_caught(sim, "allocated but not mapped");
	f->pmm->rss[MM_ANONPAGES]++;
	folio->_refcount++;
	page->_mapcount++;
	*pte = saved;
}

/*
 * What the checker visits over a whole scenario (every invariant checked
 * after every library call) of mib MiB: written three times, forked and
 * merged by KSM, in a machine twice its size.
 */
static unsigned long visited_by_scenario(unsigned long mib)
{
	struct scn_executor ex = { .seed = 1, .verify = MMSIM_VERIFY_CALL };
	struct tap tap = { .json = true };
	struct scn_report report;
	struct scenario scn;
	struct mmsim_stats st;
	char text[1024], err[512];

	snprintf(text, sizeof(text),
		 "memory %luM\nproc A\nmmap A 0x100000000000 %luM\n"
		 "madvise A 0x100000000000 %luM mergeable\n"
		 "write A 0x100000000000 %luM unique\nwrite A 0x100000000000 %luM byte=1\n"
		 "write A 0x100000000000 %luM pattern=7\nfork A B\nksm scan 2\n"
		 "expect ksm.pages_sharing > 0\n", 2 * mib, mib, mib, mib, mib, mib);
	assert_int_equal(scenario_parse_text("linear.mms", text, &scn, err, sizeof(err)), 0);
	assert_int_equal(sim_executor_create(&ex, &scn, err, sizeof(err)), 0);
	tap.out = fopen("/dev/null", "w");
	assert_non_null(tap.out);
	assert_int_equal(scenario_run(&scn, &ex, &tap, &report), 0);
	assert_int_equal(report.failed, 0);
	mmsim_get_stats(sim_executor_sim(&ex), &st);
	assert_true(st.verify_runs > 0);
	ex.ops->finish(&ex);
	fclose(tap.out);
	scn_report_free(&report);
	scenario_free(&scn);
	return st.verify_visited;
}

/*
 * The checker's work grows with the model, not with the model times the
 * work done: four times the memory costs four times the visits, where a
 * check after every page written (or a checker quadratic in what it
 * checks) would cost sixteen times.
 */
static void test_verification_is_linear(void **state)
{
	unsigned long small = visited_by_scenario(4), large = visited_by_scenario(16);

	(void)state;
	print_message("checker visits: %lu at 4 MiB, %lu at 16 MiB\n", small, large);
	assert_true(large > 3 * small);
	assert_true(large < 5 * small);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_page_mapcount),
		T(test_folio_refcount),
		T(test_large_mapcount),
		T(test_rss),
		T(test_pte_dropped_without_rmap),
		T(test_pte_writable_in_readonly_vma),
		T(test_writable_shared_page),
		T(test_anon_exclusive_mapped_twice),
		T(test_vma_unlinked_from_anon_vma_tree),
		T(test_stale_anon_vma_chain),
		T(test_buddy_list),
		T(test_vma_tree),
		T(test_page_table_count),
		T(test_split_queue),
		T(test_pmd_leaf_deposit),
		T(test_pte_points_beyond_memory),
		T(test_pte_on_free_frame),
		T(test_leaked_folio),
		cmocka_unit_test(test_verification_is_linear),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
