// SPDX-License-Identifier: MIT
/*
 * Tests of the scan-time advisor (lib/ksm.c, lib/ksm_sysfs.c): its sysfs
 * knobs and their errors, what switching advisor_mode does, the versions
 * that have it, and the pages_to_scan it picks after each full scan. The
 * expected values were worked out by hand from the kernel's formulas in
 * mm/ksm.c (scan_time_advisor(), 6.18), step by step in the comments, not
 * taken from what the model printed. ksmd's CPU is the model's estimate:
 * the tests set its per-page costs, so every scan's time and CPU is known.
 */
#include <errno.h>

#include "test_util.h"

static long counter(struct mmsim *sim, const char *name)
{
	long v;

	OK(sim, mmsim_ksm_counter(sim, name, &v));
	return v;
}

/* A process with npages of different contents, mergeable, at BASE. */
static int distinct_pages(struct mmsim *sim, unsigned long npages)
{
	int pid = new_proc(sim);

	OK(sim, mmsim_mmap(sim, pid, BASE, npages * PAGE, RW));
	OK(sim, mmsim_madvise(sim, pid, BASE, npages * PAGE, MMSIM_MADV_MERGEABLE));
	for (unsigned long i = 0; i < npages; i++) {
		unsigned long tag = i + 1;

		OK(sim, mmsim_write(sim, pid, BASE + i * PAGE, &tag, sizeof(tag)));
	}
	return pid;
}

/* One full scan, then the pages_to_scan the advisor left. */
static long scan_once(struct mmsim *sim)
{
	OK(sim, mmsim_ksm_scan(sim, 1));
	return counter(sim, "pages_to_scan");
}

static void test_knobs_and_errors(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	/* The kernel's defaults (mm/ksm.c's initializers). */
	assert_int_equal(counter(sim, "advisor_mode"), MMSIM_KSM_ADVISOR_NONE);
	assert_int_equal(counter(sim, "advisor_max_cpu"), 70);
	assert_int_equal(counter(sim, "advisor_min_pages_to_scan"), 500);
	assert_int_equal(counter(sim, "advisor_max_pages_to_scan"), 30000);
	assert_int_equal(counter(sim, "advisor_target_scan_time"), 200);
	/* advisor_target_scan_time_store() refuses 0; the mode only knows two words. */
	assert_int_equal(mmsim_ksm_set(sim, "advisor_target_scan_time", 0), -EINVAL);
	assert_int_equal(counter(sim, "advisor_target_scan_time"), 200);
	assert_int_equal(mmsim_ksm_set(sim, "advisor_mode", 2), -EINVAL);
	assert_int_equal(counter(sim, "advisor_mode"), MMSIM_KSM_ADVISOR_NONE);
	/* kstrtoul() into an unsigned int: the low 32 bits stay, as in the kernel. */
	OK(sim, mmsim_ksm_set(sim, "advisor_max_cpu", (1UL << 32) + 50));
	assert_int_equal(counter(sim, "advisor_max_cpu"), 50);
	/* Any unsigned long for the page limits, even 0 (no check in the store). */
	OK(sim, mmsim_ksm_set(sim, "advisor_max_pages_to_scan", 0));
	assert_int_equal(counter(sim, "advisor_max_pages_to_scan"), 0);
	/* pages_to_scan_store() refuses while the advisor is on. */
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	assert_int_equal(mmsim_ksm_set(sim, "pages_to_scan", 1000), -EINVAL);
	assert_int_equal(counter(sim, "pages_to_scan"), 500);
	mmsim_destroy(sim);
}

/* set_advisor_defaults(): what the mode switch does to pages_to_scan. */
static void test_mode_switching(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	OK(sim, mmsim_ksm_set(sim, "pages_to_scan", 1234));
	/* On: from advisor_min_pages_to_scan. */
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	assert_int_equal(counter(sim, "pages_to_scan"), 500);
	/* A new minimum changes nothing until the mode is switched on again. */
	OK(sim, mmsim_ksm_set(sim, "advisor_min_pages_to_scan", 800));
	assert_int_equal(counter(sim, "pages_to_scan"), 500);
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	assert_int_equal(counter(sim, "pages_to_scan"), 500);	/* same mode: no reset */
	/* Off: the boot default 100, not the 1234 set before. */
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_NONE));
	assert_int_equal(counter(sim, "pages_to_scan"), 100);
	OK(sim, mmsim_ksm_set(sim, "pages_to_scan", 1234));
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	assert_int_equal(counter(sim, "pages_to_scan"), 800);
	mmsim_destroy(sim);
}

/* Linux 6.1 has no advisor files (6.7 added them); 6.12 and 7.3 have them. */
static void test_versions(void **state)
{
	static const char *const with[] = { "6.12", "6.18", "7.3" };
	struct mmsim *sim = test_sim_cfg((struct mmsim_config){ .nr_frames = 1024, .kernel = "6.1" });
	long v;

	(void)state;
	assert_int_equal(mmsim_ksm_set(sim, "advisor_mode", 1), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_set(sim, "advisor_max_cpu", 50), -EOPNOTSUPP);
	assert_int_equal(mmsim_ksm_counter(sim, "advisor_target_scan_time", &v), -EOPNOTSUPP);
	OK(sim, mmsim_ksm_set(sim, "pages_to_scan", 1000));	/* without an advisor: fine */
	mmsim_destroy(sim);
	for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++) {
		sim = test_sim_cfg((struct mmsim_config){ .nr_frames = 1024, .kernel = with[i] });
		OK(sim, mmsim_ksm_set(sim, "advisor_mode", 1));
		assert_int_equal(counter(sim, "pages_to_scan"), 500);
		mmsim_destroy(sim);
	}
}

/*
 * The advisor where CPU is dear: 1000 pages of different contents, 1 ms of
 * CPU for a new page, 2 ms for a compared one, sleep_millisecs 20, target
 * 200 s, smart_scan off (every page every time). The 10% floor decides.
 */
static void test_cpu_floor(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	distinct_pages(sim, 1000);
	OK(sim, mmsim_ksm_set(sim, "smart_scan", 0));
	OK(sim, mmsim_ksm_set(sim, "cpu_ns_new", 1000000));
	OK(sim, mmsim_ksm_set(sim, "cpu_ns_compared", 2000000));
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	/*
	 * Scan 1 at 500 pages a batch: 500, sleep, 500, sleep, then the third
	 * batch finds the end: 40 ms of sleep + 1000 ms of CPU = 1.04 s, so
	 * scan_time 1; cpu_percent 1000 * 100 / 1000 = 100; factor 200 * 100 /
	 * 1 = 20000; change ewma(0, 100) = 30; pages 500 * 100 / 20000 = 2,
	 * * 30 / 100 = 0; per_page_cost 500 / 100 = 5: min(0, 5 * 70) = 0,
	 * max(0, 5 * 10) = 50.
	 */
	assert_int_equal(scan_once(sim), 50);
	assert_int_equal(counter(sim, "ksmd_cpu_ns"), 1000000000L);
	/*
	 * Scan 2 at 50: 20 batches and their sleeps (400 ms) + 2000 ms of CPU:
	 * scan_time 2; cpu_percent 2000 * 100 / 2000 = 100; factor 10000;
	 * change 2 * 100 / 1 = 200, ewma(30, 200) = 81; pages 50 * 100 /
	 * 10000 = 0; per_page_cost 50 / 100 = 0, so 1: max(min(0, 70), 10) = 10.
	 */
	assert_int_equal(scan_once(sim), 10);
	mmsim_destroy(sim);
}

/*
 * The kernel zeroes the advisor's CPU sample when the mode is switched on:
 * its first scan counts every nanosecond ksmd ever ran. The same first scan
 * as above, after a ksmd that had used 59.4 s: cpu_percent (59400 + 1000)
 * * 100 / 1000 = 6040; per_page_cost 500 / 6040 = 0, so 1: pages 10.
 */
static void test_first_sample_counts_all_cpu(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	distinct_pages(sim, 1000);
	OK(sim, mmsim_ksm_set(sim, "smart_scan", 0));
	OK(sim, mmsim_ksm_set(sim, "cpu_ns_new", 1000000));
	OK(sim, mmsim_ksm_set(sim, "ksmd_cpu_ns", 59400000000UL));
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	assert_int_equal(scan_once(sim), 10);
	mmsim_destroy(sim);
}

/*
 * Long scans against a short target: the target formula asks for more and
 * advisor_max_cpu, then advisor_max_pages_to_scan, hold it back. 1000
 * pages, 1 ms of CPU each, sleep_millisecs 1000, target 1 s, max_cpu 20,
 * min_pages 100.
 */
static void test_cpu_and_page_ceilings(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	distinct_pages(sim, 1000);
	OK(sim, mmsim_ksm_set(sim, "smart_scan", 0));
	OK(sim, mmsim_ksm_set(sim, "sleep_millisecs", 1000));
	OK(sim, mmsim_ksm_set(sim, "cpu_ns_new", 1000000));
	OK(sim, mmsim_ksm_set(sim, "cpu_ns_compared", 1000000));
	OK(sim, mmsim_ksm_set(sim, "advisor_target_scan_time", 1));
	OK(sim, mmsim_ksm_set(sim, "advisor_max_cpu", 20));
	OK(sim, mmsim_ksm_set(sim, "advisor_min_pages_to_scan", 100));
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	assert_int_equal(counter(sim, "pages_to_scan"), 100);
	/*
	 * Scan 1: 10 batches of 100, each followed by 1 s of sleep, the 11th
	 * finds the end: 10 s + 1 s of CPU, scan_time 11; cpu_percent 1000 *
	 * 100 / 11000 = 9; factor 1 * 100 / 11 = 9; change ewma(0, 100) = 30;
	 * pages 100 * 100 / 9 = 1111, * 30 / 100 = 333; per_page_cost 100 / 9
	 * = 11: min(333, 11 * 20) = 220, max(220, 110) = 220.
	 */
	assert_int_equal(scan_once(sim), 220);
	/*
	 * Scan 2 at 220: 4 full batches (4 s of sleep), the 5th ends it, + 1 s
	 * of CPU: scan_time 5; cpu_percent 1000 * 100 / 5000 = 20; factor 20;
	 * change 5 * 100 / 11 = 45, ewma(30, 45) = 34; pages 220 * 100 / 20 =
	 * 1100, * 34 / 100 = 374; per_page_cost 220 / 20 = 11: min(374, 220).
	 */
	assert_int_equal(scan_once(sim), 220);
	/* Scan 3, the same scan: change ewma(34, 100) = 53, pages 583, min(583, 220). */
	assert_int_equal(scan_once(sim), 220);
	/* Scan 4 with a ceiling of 150 pages: change 67, pages 737, 220, then min(220, 150). */
	OK(sim, mmsim_ksm_set(sim, "advisor_max_pages_to_scan", 150));
	assert_int_equal(scan_once(sim), 150);
	/* Off again: the advisor leaves pages_to_scan alone, which is back at 100. */
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_NONE));
	assert_int_equal(scan_once(sim), 100);
	mmsim_destroy(sim);
}

/* A minimum of 0 pages: the kernel's ksmd would scan nothing forever; the model refuses. */
static void test_zero_pages_to_scan_refused(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	distinct_pages(sim, 10);
	OK(sim, mmsim_ksm_set(sim, "advisor_min_pages_to_scan", 0));
	OK(sim, mmsim_ksm_set(sim, "advisor_mode", MMSIM_KSM_ADVISOR_SCAN_TIME));
	assert_int_equal(mmsim_ksm_scan(sim, 1), -EINVAL);
	assert_int_equal(counter(sim, "full_scans"), 0);
	mmsim_destroy(sim);
}

/* Without per-page costs ksmd's CPU is 0 and the clock is its sleeps alone. */
static void test_no_cost_no_cpu(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	distinct_pages(sim, 250);
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "ksmd_cpu_ns"), 0);
	/* Batches of 100: 100, 100, 50 and the end in the third: three sleeps of 20 ms. */
	assert_int_equal(counter(sim, "ksmd_clock_ms"), 60);
	mmsim_destroy(sim);
}

/*
 * hz (not Linux: CONFIG_HZ) times the sleeps as the kernel's timer does.
 * 250 pages in batches of 100, sleep_millisecs 20 at HZ=250 (4 ms a
 * jiffy): msecs_to_jiffies(20) = 5, plus the wheel's round-up, 6 jiffies
 * from the tick the batch began on. Without CPU: 3 batches x 24 ms = 72.
 * With 1 ms a page: a batch of 100 pages takes 25 jiffies, the next starts
 * 25 + 6 = 31 jiffies (124 ms) after it began, twice, and the last (50 ms:
 * 12 whole jiffies) ends its period at 18 jiffies, 72 ms: 124 + 124 + 72.
 */
static void test_hz_sleeps(void **state)
{
	struct mmsim *sim = test_sim(4096);

	(void)state;
	distinct_pages(sim, 250);
	assert_int_equal(mmsim_ksm_set(sim, "hz", 100001), -EINVAL);
	OK(sim, mmsim_ksm_set(sim, "hz", 250));
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "ksmd_clock_ms"), 72);
	mmsim_destroy(sim);

	sim = test_sim(4096);
	distinct_pages(sim, 250);
	OK(sim, mmsim_ksm_set(sim, "hz", 250));
	OK(sim, mmsim_ksm_set(sim, "cpu_ns_new", 1000000));
	OK(sim, mmsim_ksm_scan(sim, 1));
	assert_int_equal(counter(sim, "ksmd_clock_ms"), 124 + 124 + 72);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_knobs_and_errors),
		cmocka_unit_test(test_mode_switching),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_cpu_floor),
		cmocka_unit_test(test_first_sample_counts_all_cpu),
		cmocka_unit_test(test_cpu_and_page_ceilings),
		cmocka_unit_test(test_zero_pages_to_scan_refused),
		cmocka_unit_test(test_no_cost_no_cpu),
		cmocka_unit_test(test_hz_sleeps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
