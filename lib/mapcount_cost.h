/* SPDX-License-Identifier: MIT */
/*
 * The cost counters' state in struct mmsim: what the kernel's mapcount code
 * would do per operation (lib/mapcount/cost.c keeps them, lib/mapcount.h
 * has the helpers the schemes and the rmap call sites count with).
 */
#ifndef MMSIM_MAPCOUNT_COST_H
#define MMSIM_MAPCOUNT_COST_H

#include <mmsim/mmsim.h>

struct mapcount_cost_state {
	struct mmsim_mapcount_cost c[MMSIM_MC_NR_OPS];
	int op;			/* the operation of the call in progress */
	int ctx;		/* 1 + an operation a split or walk forces on its rmap calls; 0 none */
	int depth;		/* nested calls: counted as the outermost one */
	int counting;		/* > 0: count (enabled, and no pause in force) */
	bool enabled;		/* mmsim_mapcount_costs_enable() */
	/* struct page lines (pfns) the call touched: one run, and those before it */
	unsigned long lo, hi, flushed;
	unsigned long extra;	/* a folio's mapcount line, 0 = none */
};

#endif /* MMSIM_MAPCOUNT_COST_H */
