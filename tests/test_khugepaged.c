// SPDX-License-Identifier: MIT
/*
 * MADV_COLLAPSE (lib/khugepaged.c). What the live kernel can show is in
 * tests/scenarios/collapse-*.mms; here what it cannot (no swap device on
 * this machine) and what only the model can: allocation failures.
 */
#include <errno.h>

#include "test_util.h"

/* A 2M range of small pages, page i holding byte i + 1. */
static int small_pages_proc(struct mmsim *sim)
{
	int pid = new_proc(sim);

	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	for (unsigned long i = 0; i < 512; i++)
		OK(sim, mmsim_fill(sim, pid, BASE + i * PAGE, PAGE, (int)(i % 255) + 1));
	return pid;
}

static void assert_bytes_kept(struct mmsim *sim, int pid)
{
	for (unsigned long i = 0; i < 512; i += 37)
		assert_int_equal(read_byte(sim, pid, BASE + i * PAGE), (int)(i % 255) + 1);
}

/*
 * Swapped-out pages are read back (__collapse_huge_page_swapin()) and copied:
 * the THP holds every byte, the swap slots are free again.
 */
static void test_collapse_swapped_pages(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = small_pages_proc(sim);
	struct mmsim_stats st;

	(void)state;
	OK(sim, mmsim_madvise(sim, pid, BASE + SZ_1M, SZ_1M / 2, MMSIM_MADV_PAGEOUT));
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.nr_swap_used, 128);
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_COLLAPSE));
	assert_int_equal(order_at(sim, pid, BASE + SZ_1M), 9);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.nr_swap_used, 0);
	assert_int_equal(st.pswpin, 128);
	assert_int_equal(st.thp_collapse_alloc, 1);
	assert_int_equal(smaps_of(sim, pid).rss, 2048);
	assert_bytes_kept(sim, pid);
	mmsim_destroy(sim);
}

/*
 * Each allocation the collapse makes (the THP, any the contents need) fails in
 * turn: -ENOMEM, the small pages still mapped with their bytes, every frame
 * of the failed THP back; then the collapse succeeds.
 */
static void test_collapse_allocation_failure(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = small_pages_proc(sim), err;
	struct mmsim_stats before, after;
	unsigned long n;

	(void)state;
	mmsim_get_stats(sim, &before);
	for (n = 1;; n++) {
		mmsim_fail_nth_alloc(sim, n);
		err = mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_COLLAPSE);
		mmsim_fail_nth_alloc(sim, 0);
		OK(sim, mmsim_verify(sim));
		if (!err)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_int_equal(order_at(sim, pid, BASE), 0);
		mmsim_get_stats(sim, &after);
		assert_int_equal(after.nr_free_frames, before.nr_free_frames);
		assert_int_equal(smaps_of(sim, pid).rss, 2048);
		assert_true(n < 600);
	}
	/* At least the THP's allocation failed once (the contents may need none). */
	assert_true(n >= 2);
	assert_int_equal(order_at(sim, pid, BASE), 9);
	assert_bytes_kept(sim, pid);
	mmsim_get_stats(sim, &after);
	/* The 512 small folios went, the THP came: no frame lost or leaked. */
	assert_int_equal(after.nr_free_frames, before.nr_free_frames);
	assert_true(after.thp_collapse_alloc_failed >= 1);
	mmsim_destroy(sim);
}

/* A block already PMD-mapped counts as collapsed and is left alone. */
static void test_collapse_pmd_mapped(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = new_proc(sim);
	unsigned long pfn;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, SZ_2M, 7));
	pfn = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_COLLAPSE));
	assert_int_equal(pfn_of(sim, pid, BASE), pfn);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collapse_swapped_pages),
		cmocka_unit_test(test_collapse_allocation_failure),
		cmocka_unit_test(test_collapse_pmd_mapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
