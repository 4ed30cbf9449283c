// SPDX-License-Identifier: MIT
/*
 * The eight mapcount schemes (lib/mapcount/) through the cases of seed 001
 * and of docs/mapcount-schemes.md. Each case runs under every scheme
 * with the invariant checker on, and asserts what the scheme is DEFINED to
 * answer (see each file's header), beside what the page tables hold.
 */
#include "test_util.h"

#include "mapcount.h"
#include "sim.h"

enum { LINUX, LEGACY, LARGE, NOPAGE, TUPLES, FULLPARTIAL, TUPLES_EXACT, MAPPED, NR_SCHEMES };
static const char *const names[NR_SCHEMES] = {
	"linux", "legacy", "large", "nopagemapcount", "tuples", "fullpartial", "tuples-exact",
	"mappedpages",
};

static struct mmsim *scheme_sim(int scheme)
{
	struct mmsim_config cfg = { .verify_every_step = true, .scheme = names[scheme] };
	struct mmsim *sim;

	assert_int_equal(mmsim_create(&cfg, &sim), 0);
	assert_string_equal(mmsim_scheme(sim), names[scheme]);
	assert_int_equal(mmsim_set_thp(sim, 0, MMSIM_THP_NEVER), 0);
	assert_int_equal(mmsim_set_thp(sim, SZ_2M, MMSIM_THP_NEVER), 0);
	return sim;
}

/* Every case starts so: one process writes one folio of size bytes at BASE. */
static struct mmsim *scheme_sim_with_folio(int scheme, unsigned long size, int *pid)
{
	struct mmsim *sim = scheme_sim(scheme);

	*pid = new_proc(sim);
	OK(sim, mmsim_set_thp(sim, size, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, *pid, BASE, size, RW));
	OK(sim, mmsim_fill(sim, *pid, BASE, size, 1));
	return sim;
}

static struct folio *folio_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return sim->pages[pfn_of(sim, pid, addr)].folio;
}

static struct folio_rmap_truth truth_of(struct mmsim *sim, struct folio *f)
{
	struct folio_rmap_truth t;

	assert_int_equal(folio_rmap_truth(sim, f, &t), 0);
	return t;
}

/* The scheme's answers about one folio, checked against one row of a table. */
struct answers {
	int mapcount;		/* folio_mapcount() */
	int shared;		/* folio_maybe_mapped_shared() */
	int partial;		/* FOLIO_partially_mapped */
};

static void check(struct mmsim *sim, int scheme, struct folio *f, const struct answers *want)
{
	const struct answers *a = &want[scheme];

	if (folio_mapcount(sim, f) != a->mapcount ||
	    folio_maybe_mapped_shared(sim, f) != a->shared ||
	    !!(f->flags & FOLIO_partially_mapped) != a->partial)
		fail_msg("scheme %s: mapcount %d shared %d partial %d, want %d %d %d", names[scheme],
			 folio_mapcount(sim, f), folio_maybe_mapped_shared(sim, f),
			 !!(f->flags & FOLIO_partially_mapped), a->mapcount, a->shared, a->partial);
}

/*
 * A 64K folio moved by mremap to straddle a PMD boundary: 8 PTEs in each of
 * two page tables, then forked. The move makes no rmap call, so "tuples"
 * keeps 1 where the page tables now hold 2 pairs (the missing mremap hook);
 * fork copies one batch per page table: +2.
 *
 *   0x100000000000       0x1000001f8000 | 0x100000200000
 *   FFFF (64K)      ->          FFFFFFFF|FFFFFFFF
 */
static void test_across_page_tables(void **state)
{
	static const struct answers moved[] = {
		[LINUX] = { 16, 0, 0 }, [LEGACY] = { 16, 0, 0 }, [LARGE] = { 16, 0, 0 },
		[NOPAGE] = { 16, 0, 0 }, [TUPLES] = { 1, 0, 0 }, [FULLPARTIAL] = { 16, 0, 0 },
		[TUPLES_EXACT] = { 1, 0, 0 }, [MAPPED] = { 16, 0, 0 },
	};
	static const struct answers forked[] = {
		[LINUX] = { 32, 1, 0 }, [LEGACY] = { 32, 1, 0 }, [LARGE] = { 32, 1, 0 },
		[NOPAGE] = { 32, 1, 0 }, [TUPLES] = { 3, 1, 0 }, [FULLPARTIAL] = { 32, 1, 0 },
		[TUPLES_EXACT] = { 3, 1, 0 }, [MAPPED] = { 32, 1, 0 },
	};
	const unsigned long to = BASE + SZ_2M - SZ_64K / 2;

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		int p;
		struct mmsim *sim = scheme_sim_with_folio(s, SZ_64K, &p);
		struct folio *f;

		OK(sim, mmsim_mremap(sim, p, BASE, SZ_64K, to));
		f = folio_at(sim, p, to);
		assert_int_equal(f->order, 4);
		check(sim, s, f, moved);
		assert_int_equal(truth_of(sim, f).pairs, 2);
		do_fork(sim, p);
		check(sim, s, f, forked);
		assert_int_equal(truth_of(sim, f).pairs, 4);
		assert_int_equal(truth_of(sim, f).entries, 32);
		mmsim_destroy(sim);
	}
}

/*
 * A PMD-mapped THP whose PMD is split (mprotect of its second half): 512
 * PTEs in one table. "tuples" keeps 1, as the mail says, though the VMA
 * split made two (vma, page table) pairs of one table.
 */
static void test_pmd_split(void **state)
{
	static const struct answers pmd[] = {
		[LINUX] = { 1, 0, 0 }, [LEGACY] = { 1, 0, 0 }, [LARGE] = { 1, 0, 0 },
		[NOPAGE] = { 1, 0, 0 }, [TUPLES] = { 1, 0, 0 }, [FULLPARTIAL] = { 1, 0, 0 },
		[TUPLES_EXACT] = { 1, 0, 0 }, [MAPPED] = { 1, 0, 0 },
	};
	static const struct answers ptes[] = {
		[LINUX] = { 512, 0, 0 }, [LEGACY] = { 512, 0, 0 }, [LARGE] = { 512, 0, 0 },
		[NOPAGE] = { 512, 0, 0 }, [TUPLES] = { 1, 0, 0 }, [FULLPARTIAL] = { 512, 0, 0 },
		[TUPLES_EXACT] = { 1, 0, 0 }, [MAPPED] = { 512, 0, 0 },
	};
	/* kpagecount of a page: precise, or the folio's average. */
	static const long kpc[] = { 1, 1, 1, 1, 1, 1, 1, 1 };

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		int p;
		struct mmsim *sim = scheme_sim_with_folio(s, SZ_2M, &p);
		struct folio *f;

		f = folio_at(sim, p, BASE);
		assert_int_equal(f->order, 9);
		check(sim, s, f, pmd);
		OK(sim, mmsim_mprotect(sim, p, BASE + SZ_1M, SZ_1M, MMSIM_PROT_READ));
		check(sim, s, f, ptes);
		assert_int_equal(truth_of(sim, f).pairs, 2);
		assert_int_equal(kpagecount_at(sim, p, BASE + 7 * PAGE), kpc[s]);
		assert_int_equal(order_at(sim, p, BASE), 9);
		mmsim_destroy(sim);
	}
}

/*
 * "Map three pages, unmap two": a 16K folio (4 pages) in one VMA and one
 * table, its last page unmapped (three left), then two more. Each munmap is
 * one rmap call: "tuples" drops to 0 and then -1 while one pair still maps
 * the folio (the mail's drift); the others count entries exactly.
 *
 *   0123        0123        0123
 *   FFFF  ->    FFF.  ->    F...
 */
static void test_map_three_unmap_two(void **state)
{
	static const struct answers three[] = {
		[LINUX] = { 3, 0, 1 }, [LEGACY] = { 3, 0, 1 }, [LARGE] = { 3, 0, 1 },
		[NOPAGE] = { 3, 0, 1 }, [TUPLES] = { 0, 0, 0 }, [FULLPARTIAL] = { 3, 0, 1 },
		[TUPLES_EXACT] = { 1, 0, 0 }, [MAPPED] = { 3, 0, 1 },
	};
	static const struct answers one[] = {
		[LINUX] = { 1, 0, 1 }, [LEGACY] = { 1, 0, 1 }, [LARGE] = { 1, 0, 1 },
		[NOPAGE] = { 1, 0, 1 }, [TUPLES] = { -1, 0, 0 }, [FULLPARTIAL] = { 1, 0, 1 },
		[TUPLES_EXACT] = { 1, 0, 0 }, [MAPPED] = { 1, 0, 1 },
	};
	/*
	 * kpagecount of the last page: 1 where counts are per page; the average
	 * (1 + 2) / 4 = 0 without them; "tuples" has a negative count: 0.
	 */
	static const long kpc[] = { 1, 1, 1, 0, 0, 1, 1, 0 };

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		int p;
		struct mmsim *sim = scheme_sim_with_folio(s, SZ_16K, &p);
		struct folio *f;

		f = folio_at(sim, p, BASE);
		assert_int_equal(f->order, 2);
		OK(sim, mmsim_munmap(sim, p, BASE + 3 * PAGE, PAGE));
		check(sim, s, f, three);
		OK(sim, mmsim_munmap(sim, p, BASE + PAGE, 2 * PAGE));
		check(sim, s, f, one);
		assert_int_equal(truth_of(sim, f).pairs, 1);
		assert_int_equal(kpagecount_at(sim, p, BASE), kpc[s]);
		/* A drifted count must not hide the page from /proc: it is mapped. */
		assert_true(present(sim, p, BASE));
		mmsim_destroy(sim);
	}
}

/*
 * A 64K folio once mapped by three mms, of which only the last child is
 * left. 6.15+ (linux, nopagemapcount) keep a false "shared": the third mm
 * was never tracked. legacy and large guess from the first page and are
 * right, but never reuse a PTE-mapped large folio; tuples says 1 pair;
 * fullpartial sees one full mapping and reuses the folio.
 */
static void test_three_mms(void **state)
{
	static const struct answers all3[] = {
		[LINUX] = { 48, 1, 0 }, [LEGACY] = { 48, 1, 0 }, [LARGE] = { 48, 1, 0 },
		[NOPAGE] = { 48, 1, 0 }, [TUPLES] = { 3, 1, 0 }, [FULLPARTIAL] = { 48, 1, 0 },
		[TUPLES_EXACT] = { 3, 1, 0 }, [MAPPED] = { 48, 1, 0 },
	};
	static const struct answers last[] = {
		[LINUX] = { 16, 1, 0 }, [LEGACY] = { 16, 0, 0 }, [LARGE] = { 16, 0, 0 },
		[NOPAGE] = { 16, 1, 0 }, [TUPLES] = { 1, 0, 0 }, [FULLPARTIAL] = { 16, 0, 0 },
		[TUPLES_EXACT] = { 1, 0, 0 }, [MAPPED] = { 16, 1, 0 },
	};
	/* The child's write: reuse the folio (order 4) or copy one page (0). */
	static const int order_after_write[] = { 0, 0, 0, 0, 0, 4, 0, 0 };

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		int p, c1, c2;
		struct mmsim *sim = scheme_sim_with_folio(s, SZ_64K, &p);
		struct folio *f;

		c1 = do_fork(sim, p);
		c2 = do_fork(sim, p);
		f = folio_at(sim, p, BASE);
		check(sim, s, f, all3);
		OK(sim, mmsim_exit(sim, p));
		OK(sim, mmsim_exit(sim, c1));
		check(sim, s, f, last);
		assert_int_equal(truth_of(sim, f).nr_mms, 1);
		assert_int_equal(sim->mapcount->mm_owns_all(sim, f, find_mm(sim, c2)),
				 s == FULLPARTIAL);
		OK(sim, mmsim_fill(sim, c2, BASE + PAGE, PAGE, 2));
		assert_int_equal(order_at(sim, c2, BASE + PAGE), order_after_write[s]);
		mmsim_destroy(sim);
	}
}

/*
 * Partial munmap after fork: the child unmaps the first half, then the
 * parent the second half, so the two mms map disjoint halves.
 *
 *   P: FFFFFFFFFFFFFFFF   FFFFFFFFFFFFFFFF   FFFFFFFF........
 *   C: FFFFFFFFFFFFFFFF   ........FFFFFFFF   ........FFFFFFFF
 *
 * linux and nopagemapcount track both mms: "shared" throughout. legacy and
 * large see 16 mappings of 16 pages and a first page mapped once: a false
 * "exclusive" (harmless, they never reuse); so does fullpartial (all
 * partial, no page counted twice). tuples loses one per munmap: 1, then 0.
 */
static void test_partial_munmap_after_fork(void **state)
{
	static const struct answers child_half[] = {
		[LINUX] = { 24, 1, 0 }, [LEGACY] = { 24, 1, 0 }, [LARGE] = { 24, 1, 0 },
		[NOPAGE] = { 24, 1, 0 }, [TUPLES] = { 1, 0, 0 }, [FULLPARTIAL] = { 24, 1, 0 },
		[TUPLES_EXACT] = { 2, 1, 0 }, [MAPPED] = { 24, 1, 0 },
	};
	static const struct answers disjoint[] = {
		[LINUX] = { 16, 1, 0 }, [LEGACY] = { 16, 0, 0 }, [LARGE] = { 16, 0, 0 },
		[NOPAGE] = { 16, 1, 0 }, [TUPLES] = { 0, 0, 0 }, [FULLPARTIAL] = { 16, 0, 0 },
		[TUPLES_EXACT] = { 2, 1, 0 }, [MAPPED] = { 16, 1, 0 },
	};

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		int p, c;
		struct mmsim *sim = scheme_sim_with_folio(s, SZ_64K, &p);
		struct mmsim_mapcount_report r = { 0 };
		struct folio *f;

		c = do_fork(sim, p);
		f = folio_at(sim, p, BASE);
		OK(sim, mmsim_munmap(sim, c, BASE, SZ_64K / 2));
		check(sim, s, f, child_half);
		OK(sim, mmsim_munmap(sim, p, BASE + SZ_64K / 2, SZ_64K / 2));
		check(sim, s, f, disjoint);
		assert_int_equal(truth_of(sim, f).nr_mms, 2);
		OK(sim, mmsim_mapcount_report(sim, &r));
		assert_int_equal(r.folios, 1);
		assert_int_equal(r.false_exclusive, s == LEGACY || s == LARGE || s == TUPLES ||
						    s == FULLPARTIAL);
		assert_int_equal(r.wrong_mapcount, s == TUPLES);
		assert_int_equal(r.false_unmapped, s == TUPLES);
		mmsim_destroy(sim);
	}
}

/*
 * mremap of half a folio to another page table, then fork. Entries never
 * change; tuples misses the new pair (no rmap call in mremap), and the
 * child's copy adds one per VMA.
 *
 *   0x100000000000: FFFFFFFF........   0x100000400000: FFFFFFFF
 */
static void test_mremap_part(void **state)
{
	static const struct answers moved[] = {
		[LINUX] = { 16, 0, 0 }, [LEGACY] = { 16, 0, 0 }, [LARGE] = { 16, 0, 0 },
		[NOPAGE] = { 16, 0, 0 }, [TUPLES] = { 1, 0, 0 }, [FULLPARTIAL] = { 16, 0, 0 },
		[TUPLES_EXACT] = { 1, 0, 0 }, [MAPPED] = { 16, 0, 0 },
	};
	static const struct answers forked[] = {
		[LINUX] = { 32, 1, 0 }, [LEGACY] = { 32, 1, 0 }, [LARGE] = { 32, 1, 0 },
		[NOPAGE] = { 32, 1, 0 }, [TUPLES] = { 3, 1, 0 }, [FULLPARTIAL] = { 32, 1, 0 },
		[TUPLES_EXACT] = { 3, 1, 0 }, [MAPPED] = { 32, 1, 0 },
	};
	const unsigned long to = BASE + 2 * SZ_2M;

	(void)state;
	for (int s = 0; s < NR_SCHEMES; s++) {
		int p;
		struct mmsim *sim = scheme_sim_with_folio(s, SZ_64K, &p);
		struct folio *f;

		OK(sim, mmsim_mremap(sim, p, BASE + SZ_64K / 2, SZ_64K / 2, to));
		f = folio_at(sim, p, BASE);
		assert_ptr_equal(folio_at(sim, p, to), f);
		check(sim, s, f, moved);
		assert_int_equal(truth_of(sim, f).pairs, 2);
		do_fork(sim, p);
		check(sim, s, f, forked);
		assert_int_equal(truth_of(sim, f).pairs, 4);
		mmsim_destroy(sim);
	}
}

/* The registry, the config's name check, and what each scheme can answer per page. */
static void test_registry(void **state)
{
	struct mmsim_config cfg = { .scheme = "nosuch" };
	struct mmsim *sim;

	(void)state;
	assert_int_equal(mmsim_create(&cfg, &sim), -EINVAL);
	assert_null(sim);
	assert_int_equal(mmsim_create(NULL, &sim), 0);
	assert_string_equal(mmsim_scheme(sim), "linux");
	mmsim_destroy(sim);
	for (int s = 0; s < NR_SCHEMES; s++) {
		const struct mapcount_ops *ops = mapcount_ops_by_name(names[s]);

		assert_non_null(ops);
		assert_ptr_equal(ops, mapcount_schemes[s]);
		/* Without per-page counts statistics need the average. */
		if (ops->bytes_per_page == 0)
			assert_non_null(ops->average_page_mapcount);
	}
	assert_null(mapcount_schemes[NR_SCHEMES]);
	assert_null(mapcount_ops_by_name("nosuch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_across_page_tables),
		cmocka_unit_test(test_pmd_split),
		cmocka_unit_test(test_map_three_unmap_two),
		cmocka_unit_test(test_three_mms),
		cmocka_unit_test(test_partial_munmap_after_fork),
		cmocka_unit_test(test_mremap_part),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
