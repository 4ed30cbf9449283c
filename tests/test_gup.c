// SPDX-License-Identifier: MIT
/*
 * Pages held by others (lib/gup.c, lib/splice.c): vmsplice() references and
 * longterm pins, against mm/gup.c, mm/memory.c's fork path and fs/splice.c
 * of 6.18. "live" facts were observed on 6.18.44 through the scenarios
 * named (the kernel executor: vmsplice(2), io_uring fixed buffers).
 */
#include <errno.h>
#include <string.h>

#include "test_util.h"

static unsigned long free_frames(struct mmsim *sim)
{
	struct mmsim_stats st;

	mmsim_get_stats(sim, &st);
	return st.nr_free_frames;
}

/* Bad arguments fail with the kernel's errno and leave nothing held. */
static void test_pin_args(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	uint8_t b;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 8 * PAGE, PAGE, MMSIM_PROT_READ));
	assert_int_equal(mmsim_pin_user_pages(sim, 999, BASE, PAGE, 0), -ESRCH);
	assert_int_equal(mmsim_pin_user_pages(sim, pid, BASE + 1, PAGE, 0), -EINVAL);
	assert_int_equal(mmsim_pin_user_pages(sim, pid, BASE, 0, 0), -EINVAL);
	assert_int_equal(mmsim_pin_user_pages(sim, pid, BASE, PAGE, 1 << 7), -EINVAL);
	/* A hole after two pages: the pages taken go back, the faults stay. */
	assert_int_equal(mmsim_pin_user_pages(sim, pid, BASE + 2 * PAGE, 4 * PAGE, MMSIM_PIN_WRITE),
			 -EFAULT);
	assert_true(present(sim, pid, BASE + 3 * PAGE));
	assert_int_equal(mmsim_pin_read(sim, pid, 0, &b, 1), -ENOENT);
	/* A write pin of a read-only VMA. */
	assert_int_equal(mmsim_pin_user_pages(sim, pid, BASE + 8 * PAGE, PAGE, MMSIM_PIN_WRITE),
			 -EFAULT);
	OK(sim, mmsim_pin_user_pages(sim, pid, BASE + 8 * PAGE, PAGE, 0));
	assert_int_equal(mmsim_pin_user_pages(sim, pid, BASE, PAGE, 0), -EBUSY);
	assert_int_equal(mmsim_pin_read(sim, pid, PAGE, &b, 1), -EINVAL);
	OK(sim, mmsim_pin_read(sim, pid, PAGE - 1, &b, 1));
	assert_int_equal(b, 0);
	OK(sim, mmsim_unpin_user_pages(sim, pid));
	OK(sim, mmsim_unpin_user_pages(sim, pid));	/* nothing pinned: nothing to do */
	mmsim_destroy(sim);
}

/*
 * fork() with a pinned page (selftest-cow-iouring-fork-base-page, live on
 * 6.18.44): the child gets its own copy at once, the parent keeps the
 * pinned frame, exclusive, and the pin sees the parent's write.
 */
static void test_pin_fork_copies(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim), child;
	unsigned long pinned;
	uint8_t b;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	pinned = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_pin_user_pages(sim, pid, BASE, PAGE, MMSIM_PIN_WRITE));
	child = do_fork(sim, pid);
	assert_int_equal(pfn_of(sim, pid, BASE), pinned);
	assert_int_not_equal(pfn_of(sim, child, BASE), pinned);
	assert_true(exclusive(sim, pid, BASE));
	assert_true(exclusive(sim, child, BASE));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 0xff));
	assert_int_equal(pfn_of(sim, pid, BASE), pinned);
	OK(sim, mmsim_pin_read(sim, pid, 0, &b, 1));
	assert_int_equal(b, 0xff);
	OK(sim, mmsim_read(sim, child, BASE, &b, 1));
	assert_int_equal(b, 1);
	/* Unpinned, the next fork shares the page again. */
	OK(sim, mmsim_unpin_user_pages(sim, pid));
	child = do_fork(sim, pid);
	assert_int_equal(pfn_of(sim, child, BASE), pinned);
	mmsim_destroy(sim);
}

/*
 * A R/O pin of a page a child shares unshares it first (cow.c's "R/O GUP
 * pin on R/O-mapped shared page"): the parent maps a copy, exclusive and
 * still read-only, so a later write reuses it and the pin sees the write.
 */
static void test_ro_pin_unshares(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim), child;
	uint8_t b;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	child = do_fork(sim, pid);
	assert_int_equal(pfn_of(sim, pid, BASE), pfn_of(sim, child, BASE));
	OK(sim, mmsim_pin_user_pages(sim, pid, BASE, PAGE, MMSIM_PIN_FAST));
	assert_int_not_equal(pfn_of(sim, pid, BASE), pfn_of(sim, child, BASE));
	assert_true(exclusive(sim, pid, BASE));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 0xff));
	OK(sim, mmsim_pin_read(sim, pid, 0, &b, 1));
	assert_int_equal(b, 0xff);
	OK(sim, mmsim_read(sim, child, BASE, &b, 1));
	assert_int_equal(b, 1);
	mmsim_destroy(sim);
}

/*
 * vmsplice(): 16 buffers of a page at most, then EAGAIN (SPLICE_F_NONBLOCK);
 * the pipe reads what the pages hold when it is read, and what it still
 * holds goes when its process exits.
 */
static void test_vmsplice_pipe(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	static uint8_t buf[20 * 4096];
	unsigned long before;
	size_t n;

	(void)state;
	assert_int_equal(mmsim_pipe_read(sim, pid, buf, sizeof(buf), &n), -EBADF);
	OK(sim, mmsim_mmap(sim, pid, BASE, 20 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 20 * PAGE, 7));
	assert_int_equal(mmsim_vmsplice(sim, pid, BASE + 32 * PAGE, PAGE, &n), -EFAULT);
	OK(sim, mmsim_vmsplice(sim, pid, BASE, 20 * PAGE, &n));
	assert_int_equal(n, 16 * PAGE);
	assert_int_equal(mmsim_vmsplice(sim, pid, BASE, PAGE, &n), -EAGAIN);
	/* Unmapped, the pages stay for the pipe; a new fault gets new ones. */
	OK(sim, mmsim_munmap(sim, pid, BASE, 20 * PAGE));
	OK(sim, mmsim_pipe_read(sim, pid, buf, 100, &n));
	assert_int_equal(n, 100);
	OK(sim, mmsim_pipe_read(sim, pid, buf, sizeof(buf), &n));
	assert_int_equal(n, 16 * PAGE - 100);
	assert_int_equal(buf[n - 1], 7);
	assert_int_equal(mmsim_pipe_read(sim, pid, buf, sizeof(buf), &n), -EAGAIN);
	/* Full at exit: the pipe lets go of its pages after the mappings. */
	before = free_frames(sim);
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 4 * PAGE, 3));
	OK(sim, mmsim_vmsplice(sim, pid, BASE, 4 * PAGE, &n));
	OK(sim, mmsim_exit(sim, pid));
	assert_true(free_frames(sim) >= before);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_args),
		cmocka_unit_test(test_pin_fork_copies),
		cmocka_unit_test(test_ro_pin_unshares),
		cmocka_unit_test(test_vmsplice_pipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
