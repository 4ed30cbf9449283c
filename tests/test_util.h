/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the CMocka tests: an instance with the invariant checker
 * on after every step, and one-line questions about an address, asked the
 * way /proc would be.
 */
#ifndef MMSIM_TEST_UTIL_H
#define MMSIM_TEST_UTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mmsim/mmsim.h>

#define BASE	0x100000000000UL	/* inside the scenario language's window */
#define PAGE	4096UL
#define SZ_16K	(16UL << 10)
#define SZ_64K	(64UL << 10)
#define SZ_1M	(1UL << 20)
#define SZ_2M	(2UL << 20)
#define RW	(MMSIM_PROT_READ | MMSIM_PROT_WRITE)

/* Fails the test, printing the model's reason, unless call returns 0. */
#define OK(sim, call)								\
	do {									\
		int ok_err_ = (call);						\
		if (ok_err_)							\
			fail_msg("%s = %d: %s", #call, ok_err_, mmsim_last_error(sim)); \
	} while (0)

/* An instance of cfg with the checker on after every step, every THP size off. */
static inline struct mmsim *test_sim_cfg(struct mmsim_config cfg)
{
	struct mmsim *sim;

	cfg.verify_every_step = true;
	assert_int_equal(mmsim_create(&cfg, &sim), 0);
	/* Scenarios start with every THP size off, as the kernel executor sets it. */
	assert_int_equal(mmsim_set_thp(sim, 0, MMSIM_THP_NEVER), 0);
	assert_int_equal(mmsim_set_thp(sim, SZ_2M, MMSIM_THP_NEVER), 0);
	return sim;
}

/*
 * An instance with the checker on after every step. MMSIM_TEST_SCHEME picks
 * the folio mapcount scheme and MMSIM_TEST_KERNEL the Linux profile (ctest
 * runs the property test under each).
 */
static inline struct mmsim *test_sim(unsigned long nr_frames)
{
	return test_sim_cfg((struct mmsim_config){ .nr_frames = nr_frames,
						   .scheme = getenv("MMSIM_TEST_SCHEME"),
						   .kernel = getenv("MMSIM_TEST_KERNEL") });
}

static inline uint64_t pagemap_of(struct mmsim *sim, int pid, unsigned long addr)
{
	uint64_t pm;

	OK(sim, mmsim_pagemap(sim, pid, addr, &pm));
	return pm;
}

static inline unsigned long pfn_of(struct mmsim *sim, int pid, unsigned long addr)
{
	return (unsigned long)(pagemap_of(sim, pid, addr) & MMSIM_PM_PFN_MASK);
}

static inline int present(struct mmsim *sim, int pid, unsigned long addr)
{
	return !!(pagemap_of(sim, pid, addr) & MMSIM_PM_PRESENT);
}

static inline int exclusive(struct mmsim *sim, int pid, unsigned long addr)
{
	return !!(pagemap_of(sim, pid, addr) & MMSIM_PM_MMAP_EXCLUSIVE);
}

/* /proc/kpagecount of the frame at addr, 0 when nothing is mapped. */
static inline long kpagecount_at(struct mmsim *sim, int pid, unsigned long addr)
{
	uint64_t pm = pagemap_of(sim, pid, addr), count;

	if (!(pm & MMSIM_PM_PRESENT))
		return 0;
	OK(sim, mmsim_kpagecount(sim, (unsigned long)(pm & MMSIM_PM_PFN_MASK), &count));
	return (long)count;
}

static inline int kpageflag_at(struct mmsim *sim, int pid, unsigned long addr, int bit)
{
	uint64_t flags;

	OK(sim, mmsim_kpageflags(sim, pfn_of(sim, pid, addr), &flags));
	return !!(flags & (1ULL << bit));
}

static inline int order_at(struct mmsim *sim, int pid, unsigned long addr)
{
	int order;

	OK(sim, mmsim_folio_order(sim, pid, addr, &order));
	return order;
}

static inline struct mmsim_smaps smaps_of(struct mmsim *sim, int pid)
{
	struct mmsim_smaps s;

	OK(sim, mmsim_smaps(sim, pid, BASE, BASE + (1UL << 40), &s));
	return s;
}

static inline int new_proc(struct mmsim *sim)
{
	int pid;

	OK(sim, mmsim_proc_create(sim, &pid));
	return pid;
}

static inline int do_fork(struct mmsim *sim, int parent)
{
	int child;

	OK(sim, mmsim_fork(sim, parent, &child));
	return child;
}

static inline int read_byte(struct mmsim *sim, int pid, unsigned long addr)
{
	uint8_t b;

	OK(sim, mmsim_read(sim, pid, addr, &b, 1));
	return b;
}

/* mmsim_verify() fails with -EUCLEAN and its reason names what (a corruption test). */
static inline void expect_caught(struct mmsim *sim, const char *what)
{
	int err = mmsim_verify(sim);

	if (err != -EUCLEAN)
		fail_msg("verify = %d, want -EUCLEAN (%s)", err, what);
	if (!strstr(mmsim_last_error(sim), what))
		fail_msg("verify says \"%s\", want it to name \"%s\"", mmsim_last_error(sim), what);
}

#endif /* MMSIM_TEST_UTIL_H */
