// SPDX-License-Identifier: MIT
/*
 * Tests for lib/profile.c: the Linux versions an instance can behave as, and
 * the library's answers where a version lacks an interface. The behaviours
 * themselves are checked against the real kernels by tests/scenarios/era/.
 */
#include "test_util.h"

#include <errno.h>
#include <string.h>

static struct mmsim *profile_sim(const char *kernel, const char *scheme)
{
	struct mmsim_config cfg = { .nr_frames = 4096, .verify_every_step = true,
				    .kernel = kernel, .scheme = scheme };
	struct mmsim *sim;

	assert_int_equal(mmsim_create(&cfg, &sim), 0);
	return sim;
}

/* Each version brings its era's mapcount scheme; an explicit scheme wins. */
static void test_profile_schemes(void **state)
{
	static const struct { const char *kernel, *scheme; } want[] = {
		{ NULL, "linux" }, { "6.18", "linux" }, { "7.3", "linux" }, { "6.12", "large" },
		{ "6.1", "legacy" },
	};
	struct mmsim *sim;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		sim = profile_sim(want[i].kernel, NULL);
		assert_string_equal(mmsim_scheme(sim), want[i].scheme);
		assert_string_equal(mmsim_kernel(sim), want[i].kernel ? want[i].kernel : "6.18");
		mmsim_destroy(sim);
	}
	sim = profile_sim("6.1", "tuples");
	assert_string_equal(mmsim_scheme(sim), "tuples");
	mmsim_destroy(sim);
}

static void test_profile_unknown_version(void **state)
{
	struct mmsim_config cfg = { .kernel = "6.19" };
	struct mmsim *sim = (struct mmsim *)1;

	(void)state;
	assert_int_equal(mmsim_create(&cfg, &sim), -EINVAL);
	assert_null(sim);
	cfg.kernel = "6.1x";
	assert_int_equal(mmsim_create(&cfg, &sim), -EINVAL);
}

/* What 6.1 lacks answers -EOPNOTSUPP, and the instance is left as it was. */
static void test_profile_61_lacks(void **state)
{
	struct mmsim *sim = profile_sim("6.1", NULL);
	long v;
	int pid;

	(void)state;
	assert_int_equal(mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS), -EOPNOTSUPP);
	assert_non_null(strstr(mmsim_last_error(sim), "per-size THP"));
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	assert_int_equal(mmsim_ksm_set(sim, "smart_scan", 1), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_counter(sim, "smart_scan", &v), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_counter(sim, "pages_skipped", &v), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_counter(sim, "ksm_zero_pages", &v), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_counter(sim, "general_profit", &v), -EOPNOTSUPP);
	OK(sim, mmsim_ksm_counter(sim, "pages_shared", &v));
	pid = new_proc(sim);
	assert_int_equal(mmsim_prctl_set_memory_merge(sim, pid, true), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_stat(sim, pid, "ksm_merge_any", &v), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_stat(sim, pid, "ksm_merging_pages", &v), -EOPNOTSUPP);
	OK(sim, mmsim_ksm_stat(sim, pid, "ksm_rmap_items", &v));
	assert_int_equal(v, 0);
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

/*
 * One write into a huge zero PMD, in three instances of three versions in
 * one process: 6.18 gets a THP, 6.12 and 6.1 one small copy (and the rest
 * stays the zero page). No instance sees another's profile.
 */
static void test_profile_instances_apart(void **state)
{
	static const struct { const char *kernel; int order; unsigned long rss_kb; } want[] = {
		{ "6.18", 9, 2048 }, { "6.12", 0, 4 }, { "6.1", 0, 4 },
	};
	struct mmsim *sims[3];
	int pids[3];
	uint8_t b = 9;

	(void)state;
	for (int i = 0; i < 3; i++) {
		sims[i] = profile_sim(want[i].kernel, NULL);
		OK(sims[i], mmsim_set_thp(sims[i], SZ_2M, MMSIM_THP_ALWAYS));
		OK(sims[i], mmsim_set_thp(sims[i], 0, MMSIM_THP_ALWAYS));
		pids[i] = new_proc(sims[i]);
		OK(sims[i], mmsim_mmap(sims[i], pids[i], BASE, SZ_2M, RW));
		assert_int_equal(read_byte(sims[i], pids[i], BASE), 0);
	}
	for (int i = 0; i < 3; i++)
		OK(sims[i], mmsim_write(sims[i], pids[i], BASE + 0x10000, &b, 1));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(order_at(sims[i], pids[i], BASE + 0x10000), want[i].order);
		assert_int_equal(smaps_of(sims[i], pids[i]).rss, want[i].rss_kb);
		assert_int_equal(read_byte(sims[i], pids[i], BASE + 0x10000), 9);
		mmsim_destroy(sims[i]);
	}
}

/*
 * 7.3's rmap_walk_ksm() searches the offset a stable item saved (seed 003's
 * pgoff); the others search everything. Still a knob of its own afterwards.
 */
static void test_profile_73_rmap_walk(void **state)
{
	static const struct { const char *kernel; long walk; } want[] = {
		{ "6.18", MMSIM_KSM_RMAP_WALK_FULL }, { "7.3", MMSIM_KSM_RMAP_WALK_PGOFF },
		{ "6.12", MMSIM_KSM_RMAP_WALK_FULL }, { "6.1", MMSIM_KSM_RMAP_WALK_FULL },
	};
	struct mmsim *sim;
	long v;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		sim = profile_sim(want[i].kernel, NULL);
		OK(sim, mmsim_ksm_counter(sim, "rmap_walk", &v));
		assert_int_equal(v, want[i].walk);
		mmsim_destroy(sim);
	}
	sim = profile_sim("7.3", NULL);
	OK(sim, mmsim_ksm_set(sim, "rmap_walk", MMSIM_KSM_RMAP_WALK_FULL));
	OK(sim, mmsim_ksm_counter(sim, "rmap_walk", &v));
	assert_int_equal(v, MMSIM_KSM_RMAP_WALK_FULL);
	mmsim_destroy(sim);
}

/* One page written in 2M, then khugepaged with max_ptes_none 511: the folio order it leaves. */
static int khugepaged_order(const char *kernel, bool pmd_too)
{
	struct mmsim *sim = profile_sim(kernel, NULL);
	int pid = new_proc(sim), order;
	uint8_t b = 5;

	OK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_NEVER));
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_NEVER));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_write(sim, pid, BASE + PAGE, &b, 1));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	if (pmd_too)
		OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_MADVISE));
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_HUGEPAGE));
	OK(sim, mmsim_khugepaged_set(sim, "max_ptes_none", 511));
	OK(sim, mmsim_khugepaged_scan(sim, 1));
	order = order_at(sim, pid, BASE + PAGE);
	assert_int_equal(read_byte(sim, pid, BASE + PAGE), 5);
	mmsim_destroy(sim);
	return order;
}

/*
 * 7.3's khugepaged collapses into mTHP sizes too (khugepaged_mthp): with
 * only 64K enabled a 64K folio; with 2M allowed as well the PMD order comes
 * first. Before, the thread runs for 2M alone.
 */
static void test_profile_73_khugepaged_mthp(void **state)
{
	(void)state;
	assert_int_equal(khugepaged_order("7.3", false), 4);
	assert_int_equal(khugepaged_order("7.3", true), 9);
	assert_int_equal(khugepaged_order("6.18", false), 0);
	assert_int_equal(khugepaged_order("6.18", true), 9);
	assert_int_equal(khugepaged_order("6.12", false), 0);
}

/*
 * MADV_POPULATE_READ over [page][hole][6 pages]: -ENOMEM on every version;
 * before 6.9 (madvise's VMA walk) all seven mapped pages are populated,
 * after only the page before the hole (era/v6.1-madv-populate-walks-vmas).
 */
static void test_profile_61_populate_walks_vmas(void **state)
{
	static const struct { const char *kernel; int present; } want[] = {
		{ "6.1", 7 }, { "6.12", 1 }, { "6.18", 1 }, { "7.3", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct mmsim *sim = profile_sim(want[i].kernel, NULL);
		int pid = new_proc(sim), n = 0;

		OK(sim, mmsim_mmap(sim, pid, BASE, 8 * PAGE, RW));
		OK(sim, mmsim_munmap(sim, pid, BASE + PAGE, PAGE));
		assert_int_equal(mmsim_madvise(sim, pid, BASE, 8 * PAGE, MMSIM_MADV_POPULATE_READ),
				 -ENOMEM);
		for (unsigned long a = BASE; a < BASE + 8 * PAGE; a += PAGE)
			n += present(sim, pid, a);
		assert_int_equal(n, want[i].present);
		mmsim_destroy(sim);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_schemes),
		cmocka_unit_test(test_profile_unknown_version),
		cmocka_unit_test(test_profile_61_lacks),
		cmocka_unit_test(test_profile_instances_apart),
		cmocka_unit_test(test_profile_73_rmap_walk),
		cmocka_unit_test(test_profile_73_khugepaged_mthp),
		cmocka_unit_test(test_profile_61_populate_walks_vmas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
