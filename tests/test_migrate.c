// SPDX-License-Identifier: MIT
/*
 * Page migration between NUMA nodes (lib/migrate.c) against mm/migrate.c of
 * 6.18: move_pages(2) statuses, whole large folios, what a migration must
 * not move. The fork-tree and KSM cases are rmap.c's scenarios
 * (tests/scenarios/selftest-rmap-migrate-*.mms).
 */
#include <errno.h>

#include "test_util.h"

static struct mmsim *numa_sim(unsigned int nodes)
{
	return test_sim_cfg((struct mmsim_config){ .nr_frames = 8192, .nr_nodes = nodes,
						   .verify_every_step = true });
}

static int node_of(struct mmsim *sim, int pid, unsigned long addr)
{
	int status;

	OK(sim, mmsim_page_node(sim, pid, addr, &status));
	return status;
}

/* Statuses as move_pages(2) gives them, and the instance's own limits. */
static void test_move_pages_status(void **state)
{
	struct mmsim *sim = numa_sim(2);
	int pid = new_proc(sim), child, status;
	struct mmsim_config bad = { .nr_frames = 8192, .nr_nodes = MMSIM_MAX_NODES + 1 };
	struct mmsim *none;

	(void)state;
	assert_int_equal(mmsim_create(&bad, &none), -EINVAL);
	bad.nr_nodes = 8;
	bad.nr_frames = 1024;	/* 512 frames a node: less than 2 MiB each */
	assert_int_equal(mmsim_create(&bad, &none), -EINVAL);
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_move_pages(sim, pid, BASE, 1, false, &status));
	assert_int_equal(status, -ENOENT);			/* nothing mapped */
	read_byte(sim, pid, BASE);
	OK(sim, mmsim_move_pages(sim, pid, BASE, 1, false, &status));
	assert_int_equal(status, -EFAULT);			/* the zero page */
	OK(sim, mmsim_move_pages(sim, pid, BASE + 8 * PAGE, 1, false, &status));
	assert_int_equal(status, -EFAULT);			/* no VMA */
	assert_int_equal(mmsim_move_pages(sim, pid, BASE, 2, false, &status), -ENODEV);
	OK(sim, mmsim_fill(sim, pid, BASE + PAGE, PAGE, 5));
	assert_int_equal(node_of(sim, pid, BASE + PAGE), 0);	/* first touch: node 0 */
	OK(sim, mmsim_move_pages(sim, pid, BASE + PAGE, 0, false, &status));
	assert_int_equal(status, 0);				/* there already */
	child = do_fork(sim, pid);
	OK(sim, mmsim_move_pages(sim, pid, BASE + PAGE, 1, false, &status));
	assert_int_equal(status, -EACCES);			/* shared, no MOVE_ALL */
	OK(sim, mmsim_move_pages(sim, pid, BASE + PAGE, 1, true, &status));
	assert_int_equal(status, 1);
	assert_int_equal(node_of(sim, child, BASE + PAGE), 1);
	assert_int_equal(pfn_of(sim, child, BASE + PAGE), pfn_of(sim, pid, BASE + PAGE));
	/* Pinned: the refcount freeze fails, the page stays. */
	OK(sim, mmsim_exit(sim, child));
	OK(sim, mmsim_pin_user_pages(sim, pid, BASE + PAGE, PAGE, MMSIM_PIN_WRITE));
	OK(sim, mmsim_move_pages(sim, pid, BASE + PAGE, 0, true, &status));
	assert_int_equal(status, -EBUSY);
	assert_int_equal(node_of(sim, pid, BASE + PAGE), 1);
	mmsim_destroy(sim);
}

/*
 * A large folio moves whole: a PMD-mapped THP stays PMD-mapped, a partly
 * PTE-mapped mTHP keeps its order and its exclusive pages.
 */
static void test_move_large_folios(void **state)
{
	struct mmsim *sim = numa_sim(2);
	int pid = new_proc(sim), status;
	uint8_t b;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, SZ_2M, 9));
	assert_int_equal(order_at(sim, pid, BASE), 9);
	OK(sim, mmsim_move_pages(sim, pid, BASE + 5 * PAGE, 1, false, &status));
	assert_int_equal(status, 1);
	assert_int_equal(order_at(sim, pid, BASE), 9);
	assert_int_equal(node_of(sim, pid, BASE + SZ_2M - PAGE), 1);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 2048);
	OK(sim, mmsim_read(sim, pid, BASE + SZ_2M - 1, &b, 1));
	assert_int_equal(b, 9);
	mmsim_destroy(sim);

	sim = numa_sim(2);
	pid = new_proc(sim);
	if (mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS) == -EOPNOTSUPP) {
		mmsim_destroy(sim);
		return;		/* a profile before 6.8 */
	}
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, SZ_64K, 3));
	OK(sim, mmsim_munmap(sim, pid, BASE + SZ_64K / 2, SZ_64K / 2));
	OK(sim, mmsim_move_pages(sim, pid, BASE, 1, false, &status));
	assert_int_equal(status, 1);
	assert_int_equal(order_at(sim, pid, BASE), 4);
	assert_true(exclusive(sim, pid, BASE + PAGE));
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_pages_status),
		cmocka_unit_test(test_move_large_folios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
