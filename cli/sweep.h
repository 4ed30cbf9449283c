/* SPDX-License-Identifier: MIT */
/*
 * mmsim sweep: a grid of experiments (a command template x parameter values)
 * expanded into independent jobs, run by an existing scheduler (GNU parallel,
 * Slurm, parallel over ssh) and collected into one table. docs/sweeps.md.
 */
#ifndef MMSIM_CLI_SWEEP_H
#define MMSIM_CLI_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#define SWEEP_MAX_OK_EXIT 8

/* One parameter the grid varies: its name and its values, in file order. */
struct sweep_param {
	char *name;
	char **values;
	int nr;
	int line;		/* where it was declared, for errors */
};

/* A column of the results taken from each job's JSON: name = path. */
struct sweep_metric {
	char *name;
	char *path;
};

struct sweep_grid {
	char *path;		/* the grid file as given */
	char *dir;		/* its directory: inputs and exec programs are relative to it */
	char *name;		/* [sweep] name, default the file's base name */
	char **command;		/* the template's words */
	int nr_command;
	char **inputs;		/* globs, as written */
	int nr_inputs;
	struct sweep_param *params;	/* "input" first when there are inputs */
	int nr_params;
	struct sweep_metric *metrics;
	int nr_metrics;
	int ok_exit[SWEEP_MAX_OK_EXIT];	/* exit statuses that count as a result */
	int nr_ok_exit;
	int timeout;		/* seconds, 0 for none */
	int jobs;		/* jobs at once unless --jobs says: 0 for every core */
	char **slurm_options;	/* [slurm] options: extra sbatch words */
	int nr_slurm_options;
	int slurm_chunk;	/* jobs per array task, 0 for automatic */
};

/* One cell of the grid. */
struct sweep_job {
	int index;		/* in expansion order: the first parameter varies slowest */
	char key[17];		/* hex XXH64 of the command with its values: the job's directory */
	char **values;		/* one per grid parameter */
	char **argv;		/* the command to run, NULL-terminated; "{json}" left in place */
	int argc;
};

/* Parses GRID (no globbing yet). Returns 0, or -errno with "file:line: why" in err. */
int sweep_grid_load(const char *path, struct sweep_grid *g, char *err, size_t len);
void sweep_grid_free(struct sweep_grid *g);

/*
 * Expands the grid into jobs: inputs globbed (relative to the grid's directory,
 * sorted), the cartesian product of the parameters in declaration order, each
 * command resolved: "bench NAME" runs mmsim-bench-NAME found beside MMSIM (or in
 * ../bench from it), "exec PROG" runs PROG, anything else is an mmsim subcommand.
 */
int sweep_expand(struct sweep_grid *g, const char *mmsim, struct sweep_job **jobs, int *nr,
		 char *err, size_t len);
void sweep_jobs_free(struct sweep_job *jobs, int nr);

/* Whether the command writes its JSON to {json} (else its stdout is the JSON). */
bool sweep_json_to_file(const struct sweep_grid *g);

/*
 * The value at PATH in a JSON document, as text ("" for null or absent):
 * segments split on '.', each a member name, an array index, or NAME=VALUE
 * (the first array element whose member NAME reads VALUE); a one-element
 * array is entered by itself. Returns false when the path leads nowhere.
 */
struct cJSON;
bool sweep_json_path(const struct cJSON *doc, const char *path, char *out, size_t len);

/* BUF = DIR followed by SUFFIX; -ENAMETOOLONG when it does not fit. */
int sweep_path(char *buf, size_t len, const char *dir, const char *suffix);

/* Files of one job inside the output directory. */
int sweep_job_path(char *buf, size_t len, const char *dir, const char *key, const char *file);

/* What became of one job, read from its meta.json (and its JSON, for "ok"). */
struct sweep_outcome {
	bool done;		/* it has a result: meta.json */
	bool ok;		/* done, an exit status of ok_exit, and JSON that parses */
	char outcome[32];	/* ok, missing, exit N, signal N, timeout, bad json */
	int exit_status;	/* -1 when it did not exit */
	int signal;
	double seconds;
	char started[32];
	char host[256];
	char version[64];
};

int sweep_read_outcome(const char *dir, const char *key, const struct sweep_grid *g,
		       struct sweep_outcome *o);
/* The job's JSON result, parsed (NULL when none or not JSON). */
struct cJSON *sweep_read_json(const char *dir, const char *key, const struct sweep_grid *g);

/* The state of a sweep's output directory: the plan sweep wrote, and results. */
int sweep_write_plan(const char *dir, const struct sweep_grid *g, const struct sweep_job *jobs,
		     int nr, char *err, size_t len);
int sweep_collect(const char *dir, bool quiet);

/* What `mmsim sweep GRID` was asked for. */
struct sweep_opts {
	const char *grid, *out, *engine, *hosts;
	int jobs, chunk;
	bool no_wait, retry_failed, dry_run;
};

/*
 * Runs the jobs without a result through o->engine (cli/sweep_engine.c):
 * 0 when they ran, 1 when a Slurm array was submitted without waiting,
 * <0 when the engine could not run.
 */
int sweep_run_engine(const struct sweep_opts *o, const struct sweep_grid *g, const char *mmsim,
		     const char *dir, const struct sweep_job *jobs, int nr);
int sweep_make_dirs(const char *path);
double sweep_now(void);	/* seconds, CLOCK_REALTIME */
int sweep_exec(int argc, char **argv);
int sweep_plot(int argc, char **argv);
const char *sweep_version(void);
int cmd_sweep(int argc, char **argv);

#endif
