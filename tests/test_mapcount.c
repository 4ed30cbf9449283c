// SPDX-License-Identifier: MIT
/*
 * Scheme "linux" (lib/mapcount/linux.c): the 6.18 folio mapcounts with
 * CONFIG_PAGE_MAPCOUNT and CONFIG_MM_ID, field by field, through the
 * situations of docs/folios.md and docs/mapcount-schemes.md.
 */
#include "test_util.h"

#include "mapcount.h"
#include "sim.h"

static struct folio *folio_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return sim->pages[pfn_of(sim, pid, addr)].folio;
}

static unsigned int mm_id_of(struct mmsim *sim, int pid)
{
	return find_mm(sim, pid)->mm_id;
}

/* A new 64K folio: 16 PTEs, all counted in slot 0 of the faulting mm. */
static void test_new_folio(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim);
	struct folio *f;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, p, BASE, 1, 1));
	f = folio_at(sim, p, BASE);
	assert_int_equal(f->order, 4);
	assert_int_equal(f->_large_mapcount, 15);		/* biased by -1 */
	assert_int_equal(f->_entire_mapcount, -1);
	assert_int_equal(f->_nr_pages_mapped, 16);
	assert_int_equal(f->_mm_id[0], mm_id_of(sim, p));
	assert_int_equal(f->_mm_id_mapcount[0], 15);
	assert_int_equal(f->_mm_id[1], 0);
	assert_int_equal(f->_mm_id_mapcount[1], -1);
	assert_false(f->_mm_ids_shared);
	assert_false(folio_maybe_mapped_shared(sim, f));
	assert_int_equal(f->_refcount, 16);
	for (int i = 0; i < 16; i++)
		assert_int_equal(sim->pages[folio_pfn(f) + i]._mapcount, 0);
	mmsim_destroy(sim);
}

/* A PMD mapping: the entire mapcount and ENTIRELY_MAPPED, one large mapping. */
static void test_pmd_mapping(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct folio *f;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, p, BASE, 1, 1));
	f = folio_at(sim, p, BASE);
	assert_int_equal(f->_entire_mapcount, 0);
	assert_int_equal(f->_nr_pages_mapped, ENTIRELY_MAPPED);
	assert_int_equal(f->_large_mapcount, 0);
	assert_int_equal(sim->mapcount->page_mapcount(sim, f, &sim->pages[folio_pfn(f) + 7]), 1);
	c = do_fork(sim, p);
	assert_int_equal(f->_entire_mapcount, 1);
	assert_int_equal(f->_large_mapcount, 1);
	assert_true(f->_mm_ids_shared);
	assert_int_equal(f->_mm_id[1], mm_id_of(sim, c));
	/* The child's write splits its PMD: 512 PTEs less the copied page. */
	OK(sim, mmsim_fill(sim, c, BASE + 5 * PAGE, PAGE, 2));
	assert_int_equal(f->_entire_mapcount, 0);
	assert_int_equal(f->_nr_pages_mapped, ENTIRELY_MAPPED + 511);
	assert_int_equal(f->_large_mapcount, 511);		/* 1 PMD + 511 PTEs */
	assert_int_equal(f->_mm_id_mapcount[1], 510);
	assert_int_equal(sim->mapcount->page_mapcount(sim, f, &sim->pages[folio_pfn(f) + 5]), 1);
	assert_int_equal(sim->mapcount->page_mapcount(sim, f, &sim->pages[folio_pfn(f) + 6]), 2);
	mmsim_destroy(sim);
}

/*
 * Two mms fit the two slots: after the other goes, the survivor's slot holds
 * every mapping and the bit clears (tests/scenarios/mm-owner-two-reuse.mms
 * shows the reuse on Linux 6.18).
 */
static void test_two_mms(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct folio *f;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, p, BASE, SZ_64K, 1));
	c = do_fork(sim, p);
	f = folio_at(sim, p, BASE);
	assert_true(folio_maybe_mapped_shared(sim, f));
	OK(sim, mmsim_exit(sim, p));
	assert_int_equal(f->_mm_id[0], 0);			/* the parent's slot is free */
	assert_int_equal(f->_mm_id[1], mm_id_of(sim, c));
	assert_false(f->_mm_ids_shared);
	assert_true(sim->mapcount->mm_owns_all(sim, f, find_mm(sim, c)));
	mmsim_destroy(sim);
}

/*
 * A third mm goes untracked; when the two tracked ones leave, nothing tells
 * that the survivor owns everything: a false "maybe shared", never a false
 * "exclusive" (tests/scenarios/mm-owner-false-shared.mms: Linux 6.18 copies).
 */
static void test_third_mm_untracked(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c1, c2;
	struct folio *f;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, p, BASE, SZ_64K, 1));
	c1 = do_fork(sim, p);
	c2 = do_fork(sim, p);
	f = folio_at(sim, p, BASE);
	assert_int_equal(f->_large_mapcount, 47);		/* 48 PTEs in three mms */
	assert_int_equal(f->_mm_id[0], mm_id_of(sim, p));
	assert_int_equal(f->_mm_id[1], mm_id_of(sim, c1));
	OK(sim, mmsim_exit(sim, p));
	OK(sim, mmsim_exit(sim, c1));
	assert_int_equal(f->_mm_id[0], 0);
	assert_int_equal(f->_mm_id[1], 0);
	assert_int_equal(f->_large_mapcount, 15);
	assert_true(folio_maybe_mapped_shared(sim, f));	/* false, but safe */
	assert_false(sim->mapcount->mm_owns_all(sim, f, find_mm(sim, c2)));
	OK(sim, mmsim_fill(sim, c2, BASE + PAGE, PAGE, 2));
	assert_int_equal(order_at(sim, c2, BASE + PAGE), 0);	/* copied, as Linux does */
	mmsim_destroy(sim);
}

/* Partial unmap: pages leave _nr_pages_mapped, the folio goes on the split queue. */
static void test_partially_mapped(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim);
	struct mmsim_stats st;
	struct folio *f;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, p, BASE, SZ_64K, 1));
	f = folio_at(sim, p, BASE);
	OK(sim, mmsim_munmap(sim, p, BASE + 8 * PAGE, 8 * PAGE));
	assert_int_equal(f->_nr_pages_mapped, 8);
	assert_int_equal(f->_large_mapcount, 7);
	assert_int_equal(sim->pages[folio_pfn(f) + 9]._mapcount, -1);
	assert_true(f->flags & FOLIO_partially_mapped);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.nr_deferred_split, 1);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_folio),
		cmocka_unit_test(test_pmd_mapping),
		cmocka_unit_test(test_two_mms),
		cmocka_unit_test(test_third_mm_untracked),
		cmocka_unit_test(test_partially_mapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
