// SPDX-License-Identifier: MIT
/*
 * The flagship demo: a process writes a 2 MiB transparent huge page, forks,
 * and the child writes one page. It prints what happened to the folios and
 * their mapcounts at each step, as /proc would show them on Linux 6.18.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/mmsim.h>

#define BASE 0x100000000000UL
#define SZ_2M (2UL << 20)
#define PAGE 4096UL

static void die(struct mmsim *sim, const char *what, int err)
{
	fprintf(stderr, "thp_fork: %s: %s (%s)\n", what, strerror(-err),
		sim ? mmsim_last_error(sim) : "");
	exit(1);
}

#define CHECK(sim, call)				\
	do {						\
		int err_ = (call);			\
		if (err_)				\
			die(sim, #call, err_);		\
	} while (0)

static void show_page(struct mmsim *sim, const char *who, int pid, unsigned long index)
{
	unsigned long addr = BASE + index * PAGE;
	uint64_t pm, count;
	int order;

	CHECK(sim, mmsim_pagemap(sim, pid, addr, &pm));
	CHECK(sim, mmsim_folio_order(sim, pid, addr, &order));
	CHECK(sim, mmsim_kpagecount(sim, pm & MMSIM_PM_PFN_MASK, &count));
	printf("  %-6s page %3lu: frame %#7llx, folio order %d, mapped %" PRIu64
	       " time%s, %s\n", who, index, (unsigned long long)(pm & MMSIM_PM_PFN_MASK), order, count,
	       count == 1 ? "" : "s", (pm & MMSIM_PM_MMAP_EXCLUSIVE) ? "exclusive" : "shared");
}

static void show_smaps(struct mmsim *sim, const char *who, int pid)
{
	struct mmsim_smaps s;

	CHECK(sim, mmsim_smaps(sim, pid, BASE, BASE + SZ_2M, &s));
	printf("  %-6s Rss %lu kB, Pss %lu kB, AnonHugePages %lu kB, "
	       "Shared_Dirty %lu kB, Private_Dirty %lu kB\n",
	       who, s.rss, s.pss, s.anon_huge_pages, s.shared_dirty, s.private_dirty);
}

static void show(struct mmsim *sim, int parent, int child)
{
	show_page(sim, "parent", parent, 0);
	show_page(sim, "parent", parent, 5);
	if (child) {
		show_page(sim, "child", child, 0);
		show_page(sim, "child", child, 5);
	}
	show_smaps(sim, "parent", parent);
	if (child)
		show_smaps(sim, "child", child);
	CHECK(sim, mmsim_verify(sim));
	printf("  (every invariant of the model checked)\n\n");
}

int main(void)
{
	struct mmsim_config cfg = { .nr_frames = 16384, .verify_every_step = true };
	struct mmsim *sim;
	int parent, child;

	CHECK(NULL, mmsim_create(&cfg, &sim));
	CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_proc_create(sim, &parent));
	CHECK(sim, mmsim_mmap(sim, parent, BASE, SZ_2M, MMSIM_PROT_READ | MMSIM_PROT_WRITE));

	printf("1. The parent writes one byte into a fresh, 2 MiB-aligned mapping.\n"
	       "   The write fault allocates a whole 2 MiB folio (order 9) and maps it\n"
	       "   with one PMD entry: every page counts one mapping, all exclusive.\n");
	CHECK(sim, mmsim_fill(sim, parent, BASE, 1, 'p'));
	show(sim, parent, 0);

	printf("2. fork(): the child maps the same folio through its own PMD. Nothing\n"
	       "   is copied; both PMDs lose write access, every page is mapped twice\n"
	       "   and Pss halves.\n");
	CHECK(sim, mmsim_fork(sim, parent, &child));
	show(sim, parent, child);

	printf("3. The child writes page 5. The folio is shared, so the kernel splits\n"
	       "   the child's PMD into 512 PTEs and copies just that one page into a\n"
	       "   new small folio. The parent keeps its PMD; page 5 of the big folio\n"
	       "   is now mapped once (by the parent), the others twice.\n");
	CHECK(sim, mmsim_fill(sim, child, BASE + 5 * PAGE, PAGE, 'c'));
	show(sim, parent, child);

	printf("4. The child exits. The parent is the folio's only user again, so its\n"
	       "   next write reuses the 2 MiB folio in place: no copy, order 9 stays.\n");
	CHECK(sim, mmsim_exit(sim, child));
	CHECK(sim, mmsim_fill(sim, parent, BASE, 1, 'P'));
	show(sim, parent, 0);

	mmsim_destroy(sim);
	return 0;
}
