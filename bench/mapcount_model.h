/* SPDX-License-Identifier: MIT */
/*
 * The cost model of the mapcount schemes: predicted kernel time of an
 * operation from the cost counters (mmsim_mapcount_costs()) and per-event
 * costs calibrated on the live kernel by mmsim-calibrate-mapcount, which
 * writes them to a file that mmsim-bench-mapcount reads (bench/README.md).
 */
#ifndef MMSIM_BENCH_MAPCOUNT_MODEL_H
#define MMSIM_BENCH_MAPCOUNT_MODEL_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mmsim/mmsim.h>

struct mapcount_model {
	char kernel[80];	/* uname -r of the calibration */
	double fork_entry;	/* ns a PTE costs fork beyond the rmap, batched */
	double zap_entry;	/* ns a PTE costs a zap beyond the rmap, batched */
	double fork_call;	/* ns an rmap call (a batch) adds to fork: unbatched PTEs cost it each */
	double zap_call;	/* the same for a zap */
	double free_page;	/* ns a page of a freed PTE-mapped THP adds to munmap */
	double line;		/* ns a struct page cache line costs */
	double atomic;		/* ns an atomic RMW adds on a line already touched */
	double iter;		/* ns a per-page loop iteration or PTE scanned adds */
	double step;		/* ns an rmap-walk step costs */
	double scale;		/* kernel / user space, applied to line, atomic, iter */
};

static const char *const mapcount_model_keys[] = {
	"fork_entry", "zap_entry", "fork_call", "zap_call", "free_page", "line", "atomic", "iter",
	"step", "scale",
};
#define MAPCOUNT_MODEL_NR_KEYS (sizeof(mapcount_model_keys) / sizeof(mapcount_model_keys[0]))

static inline double *mapcount_model_field(struct mapcount_model *m, size_t i)
{
	double *f[] = { &m->fork_entry, &m->zap_entry, &m->fork_call, &m->zap_call, &m->free_page,
			&m->line, &m->atomic, &m->iter, &m->step, &m->scale };

	return f[i];
}

/*
 * ns the kernel would spend on the operation whose counters are c: the
 * caller's per-entry and per-call work (fork or zap) plus the rmap work
 * (lines, atomics, loops), at user-space costs times scale.
 */
static inline double mapcount_model_predict(const struct mapcount_model *m, int op,
					    const struct mmsim_mapcount_cost *c)
{
	double entry = op == MMSIM_MC_FORK ? m->fork_entry : op == MMSIM_MC_ZAP ? m->zap_entry : 0;
	double call = op == MMSIM_MC_FORK ? m->fork_call : op == MMSIM_MC_ZAP ? m->zap_call : 0;
	double work = (double)c->lines * m->line + (double)c->atomics * m->atomic +
		      (double)(c->page_iters + c->scan_ptes) * m->iter;

	return (double)c->entries * entry + (double)c->calls * call + m->scale * work +
	       (double)c->rmap_steps * m->step;
}

static inline int mapcount_model_save(const struct mapcount_model *m, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "# mmsim mapcount cost model (mmsim-calibrate-mapcount), ns per event\n");
	fprintf(f, "kernel %s\n", m->kernel);
	for (size_t i = 0; i < MAPCOUNT_MODEL_NR_KEYS; i++)
		fprintf(f, "%s %.4f\n", mapcount_model_keys[i],
			*mapcount_model_field((struct mapcount_model *)m, i));
	return fclose(f) ? -errno : 0;
}

/* 0, or -errno; a malformed line names itself in why (file:line). */
static inline int mapcount_model_load(struct mapcount_model *m, const char *path, char *why,
				      size_t why_size)
{
	char line[256], key[64];
	unsigned int seen = 0;
	int nr = 0;
	FILE *f = fopen(path, "r");

	*m = (struct mapcount_model){ 0 };
	if (!f) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		double v;
		size_t i;

		nr++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "kernel %79s", m->kernel) == 1)
			continue;
		for (i = 0; i < MAPCOUNT_MODEL_NR_KEYS; i++)
			if (sscanf(line, "%63s %lf", key, &v) == 2 && !strcmp(key, mapcount_model_keys[i]))
				break;
		if (i == MAPCOUNT_MODEL_NR_KEYS || v < 0) {
			snprintf(why, why_size, "%s:%d: expected \"KEY NS\" with a known key and NS >= 0",
				 path, nr);
			fclose(f);
			return -EINVAL;
		}
		*mapcount_model_field(m, i) = v;
		seen |= 1u << i;
	}
	fclose(f);
	if (seen != (1u << MAPCOUNT_MODEL_NR_KEYS) - 1) {
		snprintf(why, why_size, "%s: some of the %zu keys are missing", path,
			 MAPCOUNT_MODEL_NR_KEYS);
		return -EINVAL;
	}
	return 0;
}

#endif /* MMSIM_BENCH_MAPCOUNT_MODEL_H */
