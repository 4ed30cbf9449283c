// SPDX-License-Identifier: MIT
/*
 * The mapcount schemes' cost counters: per operation, the atomic
 * read-modify-writes, struct page cache lines, per-page loop iterations,
 * page-table scans and rmap-walk steps that the kernel's implementation of
 * the scheme would spend (docs/mapcount-schemes.md, "Costs"). Lines follow
 * the kernel's layout, not ours: a 64-byte struct page per pfn, a large
 * folio's mapcount fields in its second page (struct folio's page 1).
 */
#include <string.h>

#include "../mapcount.h"

static const char *const op_names[MMSIM_MC_NR_OPS] = {
	[MMSIM_MC_FAULT] = "fault",
	[MMSIM_MC_FORK] = "fork",
	[MMSIM_MC_ZAP] = "zap",
	[MMSIM_MC_SPLIT] = "split",
	[MMSIM_MC_RMAP_WALK] = "rmap_walk",
	[MMSIM_MC_OTHER] = "other",
	[MMSIM_MC_FOLIO_MAPCOUNT] = "folio_mapcount",
	[MMSIM_MC_MAYBE_SHARED] = "maybe_shared",
	[MMSIM_MC_PAGE_MAPCOUNT] = "page_mapcount",
	[MMSIM_MC_OWNS_ALL] = "owns_all",
};

const char *mmsim_mapcount_op_name(int op)
{
	return op >= 0 && op < MMSIM_MC_NR_OPS ? op_names[op] : NULL;
}

void mmsim_mapcount_costs(const struct mmsim *sim, struct mmsim_mapcount_cost out[MMSIM_MC_NR_OPS])
{
	memcpy(out, sim->mc_cost.c, sizeof(sim->mc_cost.c));
}

void mmsim_mapcount_costs_reset(struct mmsim *sim)
{
	memset(sim->mc_cost.c, 0, sizeof(sim->mc_cost.c));
}

/* Off by default: the counting costs the simulator's own fork a tenth. */
void mmsim_mapcount_costs_enable(struct mmsim *sim, bool on)
{
	struct mapcount_cost_state *st = &sim->mc_cost;

	if (on != st->enabled)
		st->counting += on ? 1 : -1;
	st->enabled = on;
}

/*
 * A split or an rmap walk makes its rmap calls its own; questions keep
 * theirs. The outermost call of a nest is the one counted.
 */
void __mc_begin(const struct mmsim *sim, enum mmsim_mapcount_op op)
{
	struct mapcount_cost_state *st = mc_state(sim);

	if (st->depth++)
		return;
	if (st->ctx && op < MMSIM_MC_FOLIO_MAPCOUNT)
		op = (enum mmsim_mapcount_op)(st->ctx - 1);
	st->op = op;
	st->lo = st->hi = st->flushed = st->extra = 0;
	st->c[op].calls++;
}

void __mc_end(const struct mmsim *sim)
{
	struct mapcount_cost_state *st = mc_state(sim);
	unsigned long lines;

	if (--st->depth)
		return;
	lines = st->flushed + (st->hi - st->lo);
	if (st->extra && (st->extra - 1 < st->lo || st->extra - 1 >= st->hi))
		lines++;
	st->c[st->op].lines += lines;
}

/* Lines [pfn, pfn + nr) join the call's run, or start a new one when apart. */
static void touch_run(struct mapcount_cost_state *st, unsigned long pfn, unsigned long nr)
{
	unsigned long end = pfn + nr;

	if (st->lo == st->hi) {
		st->lo = pfn;
		st->hi = end;
	} else if (end >= st->lo && pfn <= st->hi) {
		st->lo = MIN(st->lo, pfn);
		st->hi = MAX(st->hi, end);
	} else {
		st->flushed += st->hi - st->lo;
		st->lo = pfn;
		st->hi = end;
	}
}

void __mc_pages(const struct mmsim *sim, unsigned long pfn, long nr, long atomics_per_page)
{
	struct mapcount_cost_state *st = mc_state(sim);

	if (!st->depth || nr <= 0)
		return;
	st->c[st->op].page_iters += (unsigned long)nr;
	st->c[st->op].atomics += (unsigned long)(nr * atomics_per_page);
	touch_run(st, pfn, (unsigned long)nr);
}

void __mc_line(const struct mmsim *sim, unsigned long pfn, long atomics)
{
	struct mapcount_cost_state *st = mc_state(sim);

	if (!st->depth)
		return;
	st->c[st->op].atomics += (unsigned long)atomics;
	if (pfn < st->lo || pfn >= st->hi)
		touch_run(st, pfn, 1);
}

void __mc_folio(const struct mmsim *sim, const struct folio *folio, int atomics)
{
	struct mapcount_cost_state *st = mc_state(sim);
	unsigned long line = folio_pfn(folio) + (folio_test_large(folio) ? 1 : 0);

	if (!st->depth)
		return;
	st->c[st->op].atomics += (unsigned long)atomics;
	if (st->extra && st->extra != line + 1)
		touch_run(st, st->extra - 1, 1);
	st->extra = line + 1;
}

void __mc_count(const struct mmsim *sim, long entries, long scan_ptes, long rmap_steps)
{
	struct mapcount_cost_state *st = mc_state(sim);

	if (!st->depth)
		return;
	st->c[st->op].entries += (unsigned long)entries;
	st->c[st->op].scan_ptes += (unsigned long)scan_ptes;
	st->c[st->op].rmap_steps += (unsigned long)rmap_steps;
}

void __mc_atomics(const struct mmsim *sim, long atomics)
{
	struct mapcount_cost_state *st = mc_state(sim);

	if (st->depth)
		st->c[st->op].atomics += (unsigned long)atomics;
}

int mc_force(struct mmsim *sim, enum mmsim_mapcount_op op)
{
	int prev = sim->mc_cost.ctx;

	if (!prev)
		sim->mc_cost.ctx = op + 1;
	return prev;
}

void mc_unforce(struct mmsim *sim, int prev)
{
	sim->mc_cost.ctx = prev;
}
