// SPDX-License-Identifier: MIT
/*
 * The mapcount schemes' cost counters (lib/mapcount/cost.c) on cases
 * computed by hand from what each scheme's kernel code does: a fork of one
 * PTE-mapped 2 MiB THP, and the child's munmap of it.
 */
#include "test_util.h"

#include "mapcount.h"

enum { LINUX, LEGACY, LARGE, NOPAGE, TUPLES, FULLPARTIAL, TUPLES_EXACT, MAPPED, NR_SCHEMES };
static const char *const names[NR_SCHEMES] = {
	"linux", "legacy", "large", "nopagemapcount", "tuples", "fullpartial", "tuples-exact",
	"mappedpages",
};

/* One operation's counters, as computed by hand. */
struct want {
	unsigned long calls, entries, atomics, lines, page_iters, scan_ptes;
};

static void check_cost(const char *scheme, const char *what, const struct mmsim_mapcount_cost *c,
		       const struct want *w)
{
	if (c->calls != w->calls || c->entries != w->entries || c->atomics != w->atomics ||
	    c->lines != w->lines || c->page_iters != w->page_iters || c->scan_ptes != w->scan_ptes)
		fail_msg("%s %s: calls %lu entries %lu atomics %lu lines %lu iters %lu scan %lu, "
			 "want %lu %lu %lu %lu %lu %lu", scheme, what, c->calls, c->entries, c->atomics,
			 c->lines, c->page_iters, c->scan_ptes, w->calls, w->entries, w->atomics,
			 w->lines, w->page_iters, w->scan_ptes);
}

/*
 * A 2 MiB THP, its PMD split by an mprotect of the second half: 512 PTEs in
 * one page table, two VMAs of 256 pages, every page PageAnonExclusive. The
 * fork copies two batches of 256 (one rmap call each); the child's munmap
 * zaps them in two batches.
 *
 * Fork, every scheme: 512 entries; the PageAnonExclusive loop reads the 512
 * struct pages and clears 512 flags (atomic); each call takes its folio
 * references (folio_ref_add(): 1 atomic on the head page); lines: the 256
 * pages of each call, plus for the second call, whose pages include
 * neither, the head page and the second page (the mapcount fields):
 * 256 + 258 = 514. Then per call, besides the 2 x 1 references:
 *   legacy: 256 page _mapcount atomics, _nr_pages_mapped: 2 x 257 + 512
 *   large: and _large_mapcount: 2 x 258 + 512
 *   linux: _nr_pages_mapped, _large_mapcount's bit-spinlock and unlock: 2 x 259 + 512
 *   nopagemapcount: _large_mapcount's lock and unlock: 2 x 2 + 512, no page loop
 *   tuples: the count: 2 x 1 + 512
 *   fullpartial: the child's batches are partial: 256 page counts + partial: 2 x 257 + 512
 *   tuples-exact: the first batch scans the other 256 pages' PTEs in the
 *     child's table, finds none and adds the pair (1 atomic); the second
 *     finds the first page's PTE at once (1 read) and changes nothing:
 *     1 + 512 atomics, 257 PTEs scanned
 *   mappedpages: _large_mapcount's lock and unlock, the page total: 2 x 3 + 512
 * Zap: the same per call without the PageAnonExclusive loop, the
 * references dropped (1 atomic a call); the schemes without page counts
 * touch the head page and the mapcount line alone (2 lines a call).
 * tuples-exact: the first batch finds the second VMA's first PTE (1 read),
 * the second scans the 256 cleared ones and removes the pair: 1 atomic.
 */
static void test_fork_pte_mapped_thp(void **state)
{
	static const struct want fork[NR_SCHEMES] = {
		[LINUX] = { 2, 512, 1032, 514, 1024 },
		[LEGACY] = { 2, 512, 1028, 514, 1024 },
		[LARGE] = { 2, 512, 1030, 514, 1024 },
		[NOPAGE] = { 2, 512, 518, 514, 512 },
		[TUPLES] = { 2, 512, 516, 514, 512 },
		[FULLPARTIAL] = { 2, 512, 1028, 514, 1024 },
		[TUPLES_EXACT] = { 2, 512, 515, 514, 512, 257 },
		[MAPPED] = { 2, 512, 520, 514, 512 },
	};
	static const struct want zap[NR_SCHEMES] = {
		[LINUX] = { 2, 512, 520, 514, 512 },
		[LEGACY] = { 2, 512, 516, 514, 512 },
		[LARGE] = { 2, 512, 518, 514, 512 },
		[NOPAGE] = { 2, 512, 6, 4, 0 },
		[TUPLES] = { 2, 512, 4, 4, 0 },
		[FULLPARTIAL] = { 2, 512, 516, 514, 512 },
		[TUPLES_EXACT] = { 2, 512, 3, 4, 0, 257 },
		[MAPPED] = { 2, 512, 8, 4, 0 },
	};

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		struct mmsim_config cfg = { .verify_every_step = true, .scheme = names[s] };
		struct mmsim_mapcount_cost c[MMSIM_MC_NR_OPS];
		struct mmsim *sim;
		int p, child;

		assert_int_equal(mmsim_create(&cfg, &sim), 0);
		OK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_NEVER));
		OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
		p = new_proc(sim);
		OK(sim, mmsim_mmap(sim, p, BASE, SZ_2M, RW));
		OK(sim, mmsim_fill(sim, p, BASE, SZ_2M, 1));
		OK(sim, mmsim_mprotect(sim, p, BASE + SZ_1M, SZ_1M, MMSIM_PROT_READ));
		assert_int_equal(order_at(sim, p, BASE), 9);

		/* Off until enabled: the fault and split above counted nothing. */
		mmsim_mapcount_costs(sim, c);
		for (int op = 0; op < MMSIM_MC_NR_OPS; op++)
			assert_int_equal(c[op].calls + c[op].lines + c[op].atomics, 0);

		mmsim_mapcount_costs_enable(sim, true);
		OK(sim, mmsim_fork(sim, p, &child));
		mmsim_mapcount_costs(sim, c);
		check_cost(names[s], "fork", &c[MMSIM_MC_FORK], &fork[s]);
		for (int op = 0; op < MMSIM_MC_NR_OPS; op++)
			if (op != MMSIM_MC_FORK && c[op].calls)
				fail_msg("%s: fork also counted %lu %s calls", names[s], c[op].calls,
					 mmsim_mapcount_op_name(op));

		mmsim_mapcount_costs_reset(sim);
		OK(sim, mmsim_munmap(sim, child, BASE, SZ_2M));
		mmsim_mapcount_costs(sim, c);
		check_cost(names[s], "zap", &c[MMSIM_MC_ZAP], &zap[s]);
		mmsim_destroy(sim);
	}
}

/*
 * The same fork and munmap as 6.1 did them: one rmap call per PTE (no
 * folio_pte_batch() before 6.9), so per PTE: the flag (atomic: the pages
 * are exclusive), the page's _mapcount, _nr_pages_mapped and the folio
 * reference: 4 atomics in fork, 3 in munmap (no flag). Lines a call: the
 * page, the folio's second page and its head, 3; 2 for pages 0 and 1,
 * which are among them: 2 + 2 + 510 x 3 = 1534.
 */
static void test_fork_pte_mapped_thp_61(void **state)
{
	static const struct want fork = { 512, 512, 2048, 1534, 1024, 0 };
	static const struct want zap = { 512, 512, 1536, 1534, 512, 0 };
	struct mmsim_config cfg = { .verify_every_step = true, .kernel = "6.1" };
	struct mmsim_mapcount_cost c[MMSIM_MC_NR_OPS];
	struct mmsim *sim;
	int p, child;

	(void)state;
	assert_int_equal(mmsim_create(&cfg, &sim), 0);
	assert_string_equal(mmsim_scheme(sim), "legacy");
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	p = new_proc(sim);
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, p, BASE, SZ_2M, 1));
	OK(sim, mmsim_mprotect(sim, p, BASE + SZ_1M, SZ_1M, MMSIM_PROT_READ));
	assert_int_equal(order_at(sim, p, BASE), 9);
	mmsim_mapcount_costs_enable(sim, true);
	OK(sim, mmsim_fork(sim, p, &child));
	mmsim_mapcount_costs(sim, c);
	check_cost("legacy/6.1", "fork", &c[MMSIM_MC_FORK], &fork);
	mmsim_mapcount_costs_reset(sim);
	OK(sim, mmsim_munmap(sim, child, BASE, SZ_2M));
	mmsim_mapcount_costs(sim, c);
	check_cost("legacy/6.1", "zap", &c[MMSIM_MC_ZAP], &zap);
	mmsim_destroy(sim);
}

/*
 * Questions: folio_mapcount() of a PTE-mapped THP loops over its 512 pages
 * in legacy alone; of a PMD-mapped one, nowhere (6.9 skips the loop).
 */
static void test_questions(void **state)
{
	static const unsigned long lines[NR_SCHEMES] = { 1, 512, 1, 1, 1, 1, 1, 1 };

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		struct mmsim_config cfg = { .scheme = names[s] };
		struct mmsim_mapcount_cost c[MMSIM_MC_NR_OPS];
		struct mmsim *sim;
		struct folio *f;
		int p;

		assert_int_equal(mmsim_create(&cfg, &sim), 0);
		OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
		p = new_proc(sim);
		OK(sim, mmsim_mmap(sim, p, BASE, SZ_2M, RW));
		OK(sim, mmsim_fill(sim, p, BASE, SZ_2M, 1));
		f = sim->pages[pfn_of(sim, p, BASE)].folio;
		mmsim_mapcount_costs_enable(sim, true);
		assert_int_equal(folio_mapcount(sim, f), 1);
		mmsim_mapcount_costs(sim, c);
		assert_int_equal(c[MMSIM_MC_FOLIO_MAPCOUNT].calls, 1);
		assert_int_equal(c[MMSIM_MC_FOLIO_MAPCOUNT].lines, 1);
		mmsim_mapcount_costs_enable(sim, false);
		OK(sim, mmsim_mprotect(sim, p, BASE + SZ_1M, SZ_1M, MMSIM_PROT_READ));
		mmsim_mapcount_costs_enable(sim, true);
		mmsim_mapcount_costs_reset(sim);
		assert_true(folio_mapcount(sim, f) >= 1);
		mmsim_mapcount_costs(sim, c);
		assert_int_equal(c[MMSIM_MC_FOLIO_MAPCOUNT].calls, 1);
		assert_int_equal(c[MMSIM_MC_FOLIO_MAPCOUNT].lines, lines[s]);
		assert_int_equal(c[MMSIM_MC_FOLIO_MAPCOUNT].atomics, 0);
		/* The accuracy report's walks and questions are not the kernel's. */
		{
			struct mmsim_mapcount_report r = { 0 };

			mmsim_mapcount_costs_reset(sim);
			OK(sim, mmsim_mapcount_report(sim, &r));
			assert_int_equal(r.folios, 1);
			mmsim_mapcount_costs(sim, c);
			for (int op = 0; op < MMSIM_MC_NR_OPS; op++)
				assert_int_equal(c[op].calls, 0);
		}
		mmsim_destroy(sim);
	}
	assert_string_equal(mmsim_mapcount_op_name(MMSIM_MC_FORK), "fork");
	assert_null(mmsim_mapcount_op_name(MMSIM_MC_NR_OPS));
	assert_null(mmsim_mapcount_op_name(-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_pte_mapped_thp),
		cmocka_unit_test(test_fork_pte_mapped_thp_61),
		cmocka_unit_test(test_questions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
