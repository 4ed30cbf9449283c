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
};

/* What was rebuilt, and what only approximately. */
struct replay_report {
	unsigned long procs, forked, vmas, pages, folios;
	unsigned long fork_shared;	/* pages left shared with the parent by fork */
	unsigned long zero_pages;	/* mapped the shared zero page */
	unsigned long ksm_pages;	/* KSM pages in the capture, rebuilt unmerged */
	unsigned long other_shared;	/* frames shared across non-parent/child: copied */
	unsigned long swapped;		/* on swap in the capture: not rebuilt */
	unsigned long no_fingerprint;	/* no contents known: zero-filled */
	unsigned long order_missed;	/* a folio not rebuilt at its order */
	unsigned long partial_folios;	/* large folios mapped in part */
	unsigned long skipped_vmas;
	unsigned long unmergeable_vmas;	/* of merge-any processes, without mg as captured */	/* outside what the simulator maps */
};

struct replay {
	struct mmsim *sim;
	int *sim_pid;			/* per cap->procs[i] */
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
/* --check: the rebuilt /proc views against the captured ones; differences counted. */
unsigned long replay_check(const struct capture *cap, struct replay *r, FILE *out);

#endif /* MMSIM_CLI_REPLAY_H */
