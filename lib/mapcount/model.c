// SPDX-License-Identifier: MIT
/*
 * The cost model of the mapcount schemes: the cost counters of an operation
 * (cost.c) turned into the kernel time it would take, with per-event costs
 * calibrated on a live kernel (mmsim-calibrate-mapcount) and kept in a file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mmsim/mmsim.h>

static const char *const keys[] = {
	"fork_entry", "zap_entry", "fork_call", "zap_call", "free_page", "line", "atomic", "iter",
	"step", "scale",
};
#define NR_KEYS (sizeof(keys) / sizeof(keys[0]))

double *mmsim_mapcount_model_field(struct mmsim_mapcount_model *m, size_t i, const char **key)
{
	double *f[] = { &m->fork_entry, &m->zap_entry, &m->fork_call, &m->zap_call, &m->free_page,
			&m->line, &m->atomic, &m->iter, &m->step, &m->scale };

	if (i >= NR_KEYS)
		return NULL;
	if (key)
		*key = keys[i];
	return f[i];
}

/*
 * The caller's per-entry and per-call work (fork or zap) plus the rmap work
 * (lines, atomics, loops) at user-space costs times scale, plus walk steps.
 */
double mmsim_mapcount_model_predict(const struct mmsim_mapcount_model *m, int op,
				    const struct mmsim_mapcount_cost *c)
{
	double entry = op == MMSIM_MC_FORK ? m->fork_entry : op == MMSIM_MC_ZAP ? m->zap_entry : 0;
	double call = op == MMSIM_MC_FORK ? m->fork_call : op == MMSIM_MC_ZAP ? m->zap_call : 0;
	double work = (double)c->lines * m->line + (double)c->atomics * m->atomic +
		      (double)(c->page_iters + c->scan_ptes) * m->iter;

	return (double)c->entries * entry + (double)c->calls * call + m->scale * work +
	       (double)c->rmap_steps * m->step;
}

int mmsim_mapcount_model_save(const struct mmsim_mapcount_model *m, const char *path)
{
	struct mmsim_mapcount_model w = *m;
	const char *key;
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "# mmsim mapcount cost model (mmsim-calibrate-mapcount), ns per event\n");
	fprintf(f, "kernel %s\n", m->kernel);
	for (size_t i = 0; i < NR_KEYS; i++) {
		double v = *mmsim_mapcount_model_field(&w, i, &key);

		fprintf(f, "%s %.4f\n", key, v);
	}
	return fclose(f) ? -errno : 0;
}

/* One "KEY NS" line into m; the key's bit, or 0 when it is no key or NS is negative. */
static unsigned int model_line(struct mmsim_mapcount_model *m, const char *line)
{
	char key[64];
	double v;

	if (sscanf(line, "%63s %lf", key, &v) != 2 || v < 0)
		return 0;
	for (size_t i = 0; i < NR_KEYS; i++)
		if (!strcmp(key, keys[i])) {
			*mmsim_mapcount_model_field(m, i, NULL) = v;
			return 1u << i;
		}
	return 0;
}

int mmsim_mapcount_model_load(struct mmsim_mapcount_model *m, const char *path, char *why,
			      size_t len)
{
	char line[256];
	unsigned int seen = 0;
	int nr = 0, err;
	FILE *f = fopen(path, "re");

	memset(m, 0, sizeof(*m));
	if (!f) {
		err = -errno;
		snprintf(why, len, "%s: %s", path, strerror(-err));
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned int bit;

		nr++;
		if (line[0] == '#' || line[0] == '\n' || sscanf(line, "kernel %79s", m->kernel) == 1)
			continue;
		bit = model_line(m, line);
		if (!bit) {
			snprintf(why, len, "%s:%d: expected \"KEY NS\" with a known key and NS >= 0",
				 path, nr);
			fclose(f);
			return -EINVAL;
		}
		seen |= bit;
	}
	fclose(f);
	if (seen != (1u << NR_KEYS) - 1) {
		snprintf(why, len, "%s: some of the %zu keys are missing", path, NR_KEYS);
		return -EINVAL;
	}
	return 0;
}
