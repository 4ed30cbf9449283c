/* SPDX-License-Identifier: MIT */
/*
 * What mmsim whatif mapcount and thp share: rows of named columns printed as
 * an aligned table, CSV or JSON (byte for byte the same for the same rows),
 * the cost model's defaults and the measured fork and exit of a process.
 */
#ifndef MMSIM_CLI_WHATIF_H
#define MMSIM_CLI_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <mmsim/mmsim.h>

#include "replay.h"

enum wtab_format { WTAB_TABLE, WTAB_CSV, WTAB_JSON };

struct wtab {
	const char *const *cols;	/* column names */
	size_t nr_cols;
	size_t nr_text;			/* the first nr_text columns are text, the rest numbers */
	char **cells;			/* nr_rows * nr_cols, owned */
	size_t nr_rows, size;
};

void wtab_init(struct wtab *t, const char *const *cols, size_t nr_cols, size_t nr_text);
/*
 * Appends a row: nr_text strings, then nr_cols - nr_text doubles (integers
 * as such, others with prec decimals). 0 or -1.
 */
int wtab_add(struct wtab *t, int prec, ...);
void wtab_print(const struct wtab *t, enum wtab_format f, FILE *out);
void wtab_free(struct wtab *t);
/* s as a JSON string, quoted and escaped. */
void wtab_json_string(const char *s, FILE *out);
/* The opening of a whatif command's JSON object: the capture, its kernel, the model's. */
void whatif_json_header(const char *file, const struct capture *cap,
			const struct mmsim_mapcount_model *m);

/* The cost model calibrated on this project's machine (bench/mapcount-costs.txt). */
void whatif_default_model(struct mmsim_mapcount_model *m);

/* What a fork or an exit did: the cost counters summed over operations, and more. */
struct whatif_cost {
	struct mmsim_mapcount_cost c;	/* all operations summed */
	unsigned long page_tables;	/* page tables the fork allocated, the exit freed */
	unsigned long pages_freed;	/* frames of folios the exit freed */
	double ns;			/* predicted kernel time (the cost model) */
};
/*
 * Forks pid, counting the fork, then lets the child exit uncounted: the model
 * is as before but for the parent's PTEs write-protected by the fork. 0 or -errno.
 */
int whatif_fork(struct mmsim *sim, int pid, const struct mmsim_mapcount_model *m,
		struct whatif_cost *out);
/* Lets pid exit, counted. 0 or -errno. */
int whatif_exit(struct mmsim *sim, int pid, const struct mmsim_mapcount_model *m,
		struct whatif_cost *out);

/* The options both commands take; argv[*i] consumed (and its value). 1: not one of them, -1: bad. */
struct whatif_policy;
struct whatif_opts {
	enum wtab_format format;
	bool per_process, verify;
	struct mmsim_mapcount_model model;
	const struct whatif_policy *policy;	/* mapcount --thp: faults under it (NULL: as captured) */
};
int whatif_common_opt(int argc, char **argv, int *i, struct whatif_opts *o, char *err,
		      size_t len);

/* A command's own options: one repeatable (list_opt), one taken once (one_opt, may be NULL). */
struct whatif_cmd {
	const char *name;		/* "mapcount" */
	void (*usage)(FILE *out);
	const char *list_opt;		/* "--scheme": its values into list[*nr], at most max */
	const char **list;
	int max, *nr;
	const char *one_opt;		/* "--thp": its value into *one */
	const char **one;
};
/*
 * FILE and the options, FILE loaded into cap: -1 when the command is to run,
 * else its exit status (0 after --help, 2 after an error said on stderr).
 */
int whatif_args(int argc, char **argv, const struct whatif_cmd *cmd, struct whatif_opts *o,
		struct capture *cap);

/* A THP policy: thp[0] the top-level enabled, thp[o] hugepages-<size>kB/enabled of order o. */
struct whatif_policy {
	char name[96];
	enum mmsim_thp_mode thp[REPLAY_PMD_ORDER + 1];
};
/*
 * A policy by name: "captured" (the capture's settings), "never",
 * "always-SIZE" (that size always, every other never), "always-all", or
 * "top=MODE,SIZE=MODE,..." (the switches not named never). 0 or -1 with err.
 */
int whatif_parse_policy(const char *spec, const struct capture *cap, struct whatif_policy *p,
			char *err, size_t len);
/* "16K" ... "2M", the size of a folio of order o. */
const char *whatif_size_name(int o, char *buf, size_t len);

#endif /* MMSIM_CLI_WHATIF_H */
