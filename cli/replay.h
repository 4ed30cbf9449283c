/* SPDX-License-Identifier: MIT */
/*
 * A capture rebuilt in the simulator (mmsim replay): processes, VMAs, folios
 * of the captured orders and contents by fingerprint, through the public API.
 */
#ifndef MMSIM_CLI_REPLAY_H
#define MMSIM_CLI_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include <mmsim/mmsim.h>

#include "capture_db.h"

struct replay_opts {
	bool mergeable_all;		/* --mergeable all: every process merge-any */
	unsigned long nr_frames;	/* 0: sized from the capture */
	bool verify;			/* the invariant checker after every step (tests) */
	const char *scheme;		/* the mapcount scheme (NULL: the kernel's, "linux") */
	/*
	 * NULL: every captured folio rebuilt at its captured order. Otherwise a
	 * THP policy, thp[0] the top-level enabled and thp[o] that of order o
	 * (2..REPLAY_PMD_ORDER): the captured pages are faulted in, in address
	 * order, by the simulator's fault path under it, each VMA advised with
	 * its captured hg/nh first; large folios then cover pages never touched.
	 */
	const enum mmsim_thp_mode *thp;
};

#define REPLAY_PMD_ORDER	9

/* What was rebuilt, and what only approximately. */
struct replay_report {
	unsigned long procs, forked, vmas, pages, folios;
	unsigned long fork_shared;	/* pages left shared with the parent by fork */
	unsigned long cow_copies;	/* under a THP policy: pages the child copies on write */
	unsigned long zero_pages;	/* mapped the shared zero page */
	unsigned long ksm_pages;	/* KSM pages in the capture, rebuilt unmerged */
	unsigned long other_shared;	/* frames shared across non-parent/child: copied */
	unsigned long swapped;		/* on swap in the capture: not rebuilt */
	unsigned long no_fingerprint;	/* no contents known: zero-filled */
	unsigned long order_missed;	/* a folio not rebuilt at its order */
	unsigned long partial_folios;	/* large folios mapped in part */
	unsigned long skipped_vmas;
	bool faulted;			/* under a THP policy (replay_opts.thp), not as captured */
	unsigned long unmergeable_vmas;	/* of merge-any processes, without mg as captured */	/* outside what the simulator maps */
};

struct replay {
	struct mmsim *sim;
	int *sim_pid;			/* per cap->procs[i] */
	size_t *order;			/* indices into cap->procs, parents before children */
	unsigned long *faults;		/* per cap->procs[i]: page faults its rebuild took */
	unsigned long *page_tables;	/* per cap->procs[i]: page tables it has after it */
	unsigned long frames_at_start;	/* in use before the rebuild (the zero page) */
	struct replay_report rep;
};

/* Builds the capture; 0 or -1 with err. Free with replay_free() either way. */
int replay_build(const struct capture *cap, const struct replay_opts *o, struct replay *r,
		 char *err, size_t len);
void replay_free(struct replay *r);
/* The synthetic contents of a fingerprint: equal for equal ones, zeros for the zero page's. */
void replay_contents(const struct cap_fp *fp, unsigned char *page);
/* Applies one write of the time series (contents, or gone). */
int replay_apply_write(const struct capture *cap, struct replay *r, const struct cap_write *w);
void replay_print_report(FILE *out, const struct replay_report *rep);
/* The captured page at addr of p, or NULL (p->pages is sorted by address). */
const struct cap_page *replay_find_page(const struct cap_proc *p, uint64_t addr);
/* The captured VMA of p containing addr if the replay rebuilds it, else NULL. */
const struct cap_vma *replay_vma_of(const struct cap_proc *p, uint64_t addr);
/* The THP mode a sysfs value names ("always [madvise] never": MMSIM_THP_MADVISE), or -1. */
int replay_thp_mode(const char *value);
/* The captured machine's THP policy, as replay_opts.thp takes it. */
void replay_captured_thp(const struct capture *cap, enum mmsim_thp_mode thp[REPLAY_PMD_ORDER + 1]);
/* --check: the rebuilt /proc views against the captured ones; differences counted. */
unsigned long replay_check(const struct capture *cap, struct replay *r, FILE *out);

#endif /* MMSIM_CLI_REPLAY_H */
