// SPDX-License-Identifier: MIT
/*
 * MADV_COLLAPSE and khugepaged (lib/khugepaged.c). What the live kernel can
 * show is in tests/scenarios/collapse-*.mms and khugepaged-*.mms; here what
 * it cannot (no swap device on this machine: max_ptes_swap) and what only
 * the model can: allocation failures, the list of mms.
 */
#include <errno.h>

#include "test_util.h"

#include "sim.h"

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

/* 2M THPs on MADV_HUGEPAGE, the small pages' block advised: the mm is khugepaged's. */
static void advise_huge(struct mmsim *sim, int pid)
{
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_MADVISE));
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_HUGEPAGE));
}

static long khugepaged_counter(struct mmsim *sim, const char *name)
{
	long v;

	OK(sim, mmsim_khugepaged_counter(sim, name, &v));
	return v;
}

/* The kernel's defaults and the store functions' checks. */
static void test_khugepaged_tunables(void **state)
{
	struct mmsim *sim = test_sim(1024);

	(void)state;
	assert_int_equal(khugepaged_counter(sim, "pages_to_scan"), 4096);
	assert_int_equal(khugepaged_counter(sim, "max_ptes_none"), 511);
	assert_int_equal(khugepaged_counter(sim, "max_ptes_swap"), 64);
	assert_int_equal(khugepaged_counter(sim, "max_ptes_shared"), 256);
	assert_int_equal(khugepaged_counter(sim, "scan_sleep_millisecs"), 10000);
	assert_int_equal(mmsim_khugepaged_set(sim, "pages_to_scan", 0), -EINVAL);
	assert_int_equal(mmsim_khugepaged_set(sim, "max_ptes_none", 512), -EINVAL);
	assert_int_equal(mmsim_khugepaged_set(sim, "max_ptes_shared", 1UL << 40), -EINVAL);
	assert_int_equal(mmsim_khugepaged_set(sim, "full_scans", 1), -ENOENT);
	assert_int_equal(mmsim_khugepaged_set(sim, NULL, 1), -EINVAL);
	assert_int_equal(khugepaged_counter(sim, "max_ptes_none"), 511);
	OK(sim, mmsim_khugepaged_set(sim, "max_ptes_none", 0));
	assert_int_equal(khugepaged_counter(sim, "max_ptes_none"), 0);
	mmsim_destroy(sim);
}

/*
 * max_ptes_swap: 128 pages swapped out collapse with 128, not with 127;
 * then the pages come back from swap into the THP. With 300 swapped out
 * khugepaged wants half the block recently used (referenced < 256): no
 * collapse even with every limit at 511.
 */
static void test_khugepaged_max_ptes_swap(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = small_pages_proc(sim), pid2;
	struct mmsim_stats st;

	(void)state;
	advise_huge(sim, pid);
	OK(sim, mmsim_madvise(sim, pid, BASE + SZ_1M, SZ_1M / 2, MMSIM_MADV_PAGEOUT));
	OK(sim, mmsim_khugepaged_set(sim, "max_ptes_swap", 127));
	OK(sim, mmsim_khugepaged_scan(sim, 1));
	assert_int_equal(order_at(sim, pid, BASE), 0);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.nr_swap_used, 128);
	OK(sim, mmsim_khugepaged_set(sim, "max_ptes_swap", 128));
	OK(sim, mmsim_khugepaged_scan(sim, 1));
	assert_int_equal(order_at(sim, pid, BASE), 9);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.nr_swap_used, 0);
	assert_int_equal(st.pswpin, 128);
	assert_bytes_kept(sim, pid);
	assert_int_equal(khugepaged_counter(sim, "pages_collapsed"), 1);

	pid2 = new_proc(sim);
	OK(sim, mmsim_mmap(sim, pid2, BASE, SZ_2M, RW));
	OK(sim, mmsim_madvise(sim, pid2, BASE, SZ_2M, MMSIM_MADV_NOHUGEPAGE));
	OK(sim, mmsim_fill(sim, pid2, BASE, SZ_2M, 3));
	OK(sim, mmsim_madvise(sim, pid2, BASE, SZ_2M, MMSIM_MADV_HUGEPAGE));
	OK(sim, mmsim_madvise(sim, pid2, BASE, 300 * PAGE, MMSIM_MADV_PAGEOUT));
	OK(sim, mmsim_khugepaged_set(sim, "max_ptes_swap", 511));
	OK(sim, mmsim_khugepaged_scan(sim, 2));
	assert_int_equal(order_at(sim, pid2, BASE + 400 * PAGE), 0);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.nr_swap_used, 300);
	assert_int_equal(khugepaged_counter(sim, "pages_collapsed"), 1);
	mmsim_destroy(sim);
}

/*
 * The list of mms: a child of a registered mm is registered; an exited mm
 * leaves; nothing is scanned while 2M THPs are off, and turning them on
 * starts the thread, whose first batch is a pass.
 */
static void test_khugepaged_mm_list(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = small_pages_proc(sim), child;

	(void)state;
	OK(sim, mmsim_khugepaged_scan(sim, 3));
	assert_int_equal(khugepaged_counter(sim, "full_scans"), 0);	/* thread stopped */
	advise_huge(sim, pid);
	assert_int_equal(sim->khugepaged.nr_mm_slots, 1);
	OK(sim, mmsim_fork(sim, pid, &child));
	assert_int_equal(sim->khugepaged.nr_mm_slots, 2);
	OK(sim, mmsim_khugepaged_set(sim, "max_ptes_shared", 0));
	OK(sim, mmsim_khugepaged_scan(sim, 3));
	assert_int_equal(khugepaged_counter(sim, "full_scans"), 3);
	assert_int_equal(order_at(sim, pid, BASE), 0);		/* every page shared */
	OK(sim, mmsim_exit(sim, child));
	assert_int_equal(sim->khugepaged.nr_mm_slots, 1);
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_NEVER));
	OK(sim, mmsim_khugepaged_scan(sim, 1));
	assert_int_equal(khugepaged_counter(sim, "full_scans"), 3);
	assert_int_equal(order_at(sim, pid, BASE), 0);
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_MADVISE));	/* the thread's first pass */
	assert_int_equal(khugepaged_counter(sim, "full_scans"), 4);
	assert_int_equal(order_at(sim, pid, BASE), 9);
	assert_bytes_kept(sim, pid);
	mmsim_destroy(sim);
}

/* A THP allocation failing in khugepaged leaves the block as it was; the next pass collapses it. */
static void test_khugepaged_allocation_failure(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = small_pages_proc(sim);
	struct mmsim_stats st;

	(void)state;
	advise_huge(sim, pid);
	mmsim_fail_nth_alloc(sim, 1);
	OK(sim, mmsim_khugepaged_scan(sim, 1));
	mmsim_fail_nth_alloc(sim, 0);
	assert_int_equal(order_at(sim, pid, BASE), 0);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.thp_collapse_alloc_failed, 1);
	assert_bytes_kept(sim, pid);
	OK(sim, mmsim_khugepaged_scan(sim, 1));
	assert_int_equal(order_at(sim, pid, BASE), 9);
	assert_bytes_kept(sim, pid);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collapse_swapped_pages),
		cmocka_unit_test(test_collapse_allocation_failure),
		cmocka_unit_test(test_collapse_pmd_mapped),
		cmocka_unit_test(test_khugepaged_tunables),
		cmocka_unit_test(test_khugepaged_max_ptes_swap),
		cmocka_unit_test(test_khugepaged_mm_list),
		cmocka_unit_test(test_khugepaged_allocation_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
