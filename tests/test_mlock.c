// SPDX-License-Identifier: MIT
/*
 * Tests for lib/mlock.c against mm/mlock.c (6.18): which VMAs mlock(),
 * mlock2(MLOCK_ONFAULT), munlock(), mlockall() and munlockall() lock, what
 * they fault in, the errors, and what a locked VMA refuses. The values of
 * smaps and kpageflags are checked against Linux by the mlock scenarios.
 */
#include <errno.h>

#include "test_util.h"

#include "test_vma_util.h"

/* mlock() faults in with write faults; munlock() keeps the pages, not the lock. */
static void test_mlock_populates(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	/* One page from an unaligned start: the page it starts in and the next. */
	OK(sim, mmsim_mlock(sim, pid, BASE + 100, PAGE, false));
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW | VM_LOCKED },
		     { 2 * PAGE, 4 * PAGE, PGOFF(2 * PAGE), F_RW });
	assert_int_equal(smaps_of(sim, pid).rss, 8);
	assert_int_equal(smaps_of(sim, pid).locked, 8);
	assert_true(kpageflag_at(sim, pid, BASE, MMSIM_KPF_MLOCKED));
	assert_true(kpageflag_at(sim, pid, BASE, MMSIM_KPF_UNEVICTABLE));
	assert_false(kpageflag_at(sim, pid, BASE, MMSIM_KPF_ZERO_PAGE));	/* a write fault */
	OK(sim, mmsim_munlock(sim, pid, BASE, 4 * PAGE));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW });
	assert_int_equal(smaps_of(sim, pid).rss, 8);
	assert_int_equal(smaps_of(sim, pid).locked, 0);
	assert_false(kpageflag_at(sim, pid, BASE, MMSIM_KPF_MLOCKED));
	mmsim_destroy(sim);
}

/* MLOCK_ONFAULT: locked now, faulted later, one page at a time. */
static void test_mlock_onfault(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	uint8_t b = 1;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * PAGE, RW));
	OK(sim, mmsim_mlock(sim, pid, BASE, 2 * PAGE, true));
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW | VM_LOCKED | VM_LOCKONFAULT });
	assert_int_equal(smaps_of(sim, pid).rss, 0);
	OK(sim, mmsim_write(sim, pid, BASE, &b, 1));
	assert_int_equal(smaps_of(sim, pid).locked, 4);
	assert_true(kpageflag_at(sim, pid, BASE, MMSIM_KPF_MLOCKED));
	mmsim_destroy(sim);
}

/*
 * A hole is -ENOMEM, found as apply_vma_lock_flags() walks: the VMA before
 * it stays locked. PROT_NONE is locked but not faulted: -ENOMEM
 * (__mlock_posix_error_return() of populate's -EFAULT).
 */
static void test_mlock_errors(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 2 * PAGE, PAGE, RW));
	assert_int_equal(mmsim_mlock(sim, pid, BASE, 3 * PAGE, false), -ENOMEM);
	assert_true(vma_at(sim, pid, BASE)->vm_flags & VM_LOCKED);
	assert_false(vma_at(sim, pid, BASE + 2 * PAGE)->vm_flags & VM_LOCKED);
	assert_int_equal(mmsim_mlock(sim, pid, BASE + 4 * PAGE, PAGE, false), -ENOMEM);
	OK(sim, mmsim_mmap(sim, pid, BASE + 8 * PAGE, PAGE, MMSIM_PROT_NONE));
	assert_int_equal(mmsim_mlock(sim, pid, BASE + 8 * PAGE, PAGE, false), -ENOMEM);
	assert_true(vma_at(sim, pid, BASE + 8 * PAGE)->vm_flags & VM_LOCKED);
	assert_int_equal(mmsim_mlockall(sim, pid, 0), -EINVAL);
	assert_int_equal(mmsim_mlockall(sim, pid, MMSIM_MCL_ONFAULT), -EINVAL);
	assert_int_equal(mmsim_mlockall(sim, pid, 8), -EINVAL);
	/* A locked VMA refuses MADV_DONTNEED and MADV_PAGEOUT (can_madv_lru_vma()). */
	assert_int_equal(mmsim_madvise(sim, pid, BASE, PAGE, MMSIM_MADV_DONTNEED), -EINVAL);
	assert_int_equal(mmsim_madvise(sim, pid, BASE, PAGE, MMSIM_MADV_PAGEOUT), -EINVAL);
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

/*
 * mlockall(MCL_FUTURE) locks (and faults in) the next mapping; the child of
 * a fork inherits neither the VMAs' lock nor def_flags; munlockall() ends it.
 */
static void test_mlockall_future_and_fork(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim), child;

	(void)state;
	OK(sim, mmsim_mlockall(sim, pid, MMSIM_MCL_FUTURE));
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW | VM_LOCKED });
	assert_int_equal(smaps_of(sim, pid).locked, 8);
	child = do_fork(sim, pid);
	CHECK_LAYOUT(sim, child, { 0, 2 * PAGE, PGOFF(0), F_RW });
	assert_true(kpageflag_at(sim, child, BASE, MMSIM_KPF_MLOCKED));	/* through the parent */
	OK(sim, mmsim_mmap(sim, child, BASE + 4 * PAGE, PAGE, RW));
	assert_int_equal(present(sim, child, BASE + 4 * PAGE), 0);
	OK(sim, mmsim_munlockall(sim, pid));
	assert_false(kpageflag_at(sim, child, BASE, MMSIM_KPF_MLOCKED));
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, PAGE, RW));
	assert_int_equal(present(sim, pid, BASE + 4 * PAGE), 0);
	OK(sim, mmsim_mlockall(sim, pid, MMSIM_MCL_CURRENT | MMSIM_MCL_ONFAULT));
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW | VM_LOCKED | VM_LOCKONFAULT },
		     { 4 * PAGE, 5 * PAGE, PGOFF(4 * PAGE), F_RW | VM_LOCKED | VM_LOCKONFAULT });
	assert_int_equal(present(sim, pid, BASE + 4 * PAGE), 0);
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mlock_populates),
		cmocka_unit_test(test_mlock_onfault),
		cmocka_unit_test(test_mlock_errors),
		cmocka_unit_test(test_mlockall_future_and_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
