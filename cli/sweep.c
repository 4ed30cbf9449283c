// SPDX-License-Identifier: MIT
/*
 * mmsim sweep: plans a grid's jobs in the output directory and hands them to
 * an existing scheduler (GNU parallel here, Slurm as one job array, GNU
 * parallel over ssh); each job is run by `mmsim sweep exec`, then collected.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mmsim/mmsim.h>

#include "sweep.h"

/* The release each job's row names: the library's, as `mmsim --version` says. */
const char *sweep_version(void)
{
	return mmsim_version();
}

static void sweep_usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim sweep GRID --out DIR [--engine local|slurm|parallel-ssh] [--jobs N]\n"
		"                  [--hosts H1,H2|FILE] [--no-wait] [--chunk N] [--retry-failed]\n"
		"                  [--dry-run]\n"
		"       mmsim sweep collect DIR\n"
		"       mmsim sweep plot DIR --y METRIC --x PARAM [--lines PARAM]\n"
		"                  [--where PARAM=VALUE]... [--out FILE.png|FILE.svg]\n"
		"       mmsim sweep exec DIR KEY...   (what the engines run for each job)\n"
		"\n"
		"  GRID          an INI file: [sweep] command (a template with {param},\n"
		"                {input} and {json}), inputs (globs), ok_exit, timeout;\n"
		"                [params] name = values; [metrics] name = JSON path;\n"
		"                [slurm] options, chunk (docs/sweeps.md)\n"
		"  --engine local        all cores here through GNU parallel (default)\n"
		"  --engine slurm        one Slurm job array (sbatch --array); waits, or\n"
		"                        --no-wait and `mmsim sweep collect DIR` later\n"
		"  --engine parallel-ssh GNU parallel --sshlogin over --hosts; DIR, the\n"
		"                        inputs and mmsim must be at the same paths there\n"
		"  --jobs N      jobs at once (per host for parallel-ssh; the array's\n"
		"                throttle for slurm); default: every core\n"
		"  --retry-failed  run failed jobs again (jobs with results are skipped)\n"
		"  --dry-run     print the jobs, run nothing\n"
		"  collect       DIR/results.csv and DIR/results.sqlite: one row per job\n"
		"  plot          a metric against one parameter, a line per value of\n"
		"                another, through gnuplot\n");
}

int sweep_job_path(char *buf, size_t len, const char *dir, const char *key, const char *file)
{
	int n = snprintf(buf, len, "%s/jobs/%s%s%s", dir, key, file ? "/" : "", file ? file : "");

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* BUF = DIR followed by SUFFIX; -ENAMETOOLONG when it does not fit. */
int sweep_path(char *buf, size_t len, const char *dir, const char *suffix)
{
	int n = snprintf(buf, len, "%s%s", dir, suffix);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* mkdir -p */
int sweep_make_dirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0777) && errno != EEXIST)
		return -errno;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out = in ? fopen(to, "w") : NULL;
	char buf[8192];
	size_t n;
	int ret = 0;

	if (!in || !out)
		ret = -errno;
	while (!ret && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			ret = -EIO;
	if (in)
		fclose(in);
	if (out && fclose(out) && !ret)
		ret = -EIO;
	return ret;
}

/* jobs/KEY/cmd: what exec runs, one word a line after a small header. */
static int write_cmd(const char *dir, const struct sweep_grid *g, const struct sweep_job *j)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	if (sweep_job_path(path, sizeof(path), dir, j->key, NULL))
		return -ENAMETOOLONG;
	ret = sweep_make_dirs(path);
	if (ret)
		return ret;
	sweep_job_path(path, sizeof(path), dir, j->key, "cmd");
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "timeout %d\njson %s\n", g->timeout, sweep_json_to_file(g) ? "file" : "stdout");
	for (int w = 0; w < j->argc; w++)
		fprintf(f, "arg %s\n", j->argv[w]);
	return fclose(f) ? -EIO : 0;
}

int sweep_write_plan(const char *dir, const struct sweep_grid *g, const struct sweep_job *jobs,
		     int nr, char *err, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	for (int n = 0; n < nr; n++)
		for (int w = 0; w < jobs[n].argc; w++)
			if (strpbrk(jobs[n].argv[w], "\n\t")) {
				snprintf(err, len, "job %d: a command word holds a tab or newline", n);
				return -EINVAL;
			}
	snprintf(path, sizeof(path), "%s/jobs", dir);
	ret = sweep_make_dirs(path);
	snprintf(path, sizeof(path), "%s/grid.ini", dir);
	if (!ret)
		ret = copy_file(g->path, path);
	snprintf(path, sizeof(path), "%s/jobs.tsv", dir);
	f = ret ? NULL : fopen(path, "w");
	if (!f) {
		snprintf(err, len, "%s: %s", dir, strerror(ret ? -ret : errno));
		return ret ? ret : -errno;
	}
	fprintf(f, "job\tkey");
	for (int i = 0; i < g->nr_params; i++)
		fprintf(f, "\t%s", g->params[i].name);
	fprintf(f, "\n");
	for (int n = 0; n < nr; n++) {
		fprintf(f, "%d\t%s", jobs[n].index, jobs[n].key);
		for (int i = 0; i < g->nr_params; i++)
			fprintf(f, "\t%s", jobs[n].values[i]);
		fprintf(f, "\n");
	}
	if (fclose(f)) {
		snprintf(err, len, "%s: write error", path);
		return -EIO;
	}
	for (int n = 0; n < nr; n++) {
		ret = write_cmd(dir, g, &jobs[n]);
		if (ret) {
			snprintf(err, len, "%s/jobs/%s: %s", dir, jobs[n].key, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int bad_use(const char *fmt, const char *arg)
{
	fprintf(stderr, "mmsim sweep: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (mmsim sweep --help)\n");
	return -EINVAL;
}

static int parse_opts(int argc, char **argv, struct sweep_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->engine = "local";
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--no-wait")) {
			o->no_wait = true;
		} else if (!strcmp(a, "--retry-failed")) {
			o->retry_failed = true;
		} else if (!strcmp(a, "--dry-run")) {
			o->dry_run = true;
		} else if (strcmp(a, "--out") && strcmp(a, "--engine") && strcmp(a, "--hosts") &&
			   strcmp(a, "--jobs") && strcmp(a, "--chunk")) {
			if (a[0] == '-')
				return bad_use("unknown option %s", a);
			if (o->grid)
				return bad_use("one grid at a time (%s is a second)", a);
			o->grid = a;
		} else if (!v) {
			return bad_use("%s needs a value", a);
		} else if (!strcmp(a, "--out")) {
			o->out = argv[++i];
		} else if (!strcmp(a, "--engine")) {
			o->engine = argv[++i];
		} else if (!strcmp(a, "--hosts")) {
			o->hosts = argv[++i];
		} else {
			char *end;
			long n = strtol(v, &end, 10);

			if (!*v || *end || n < 1 || n > 100000)
				return bad_use("%s needs a count from 1 to 100000", a);
			*(a[2] == 'j' ? &o->jobs : &o->chunk) = (int)n;
			i++;
		}
	}
	if (!o->grid)
		return bad_use("%s", "no GRID file");
	if (!o->out && !o->dry_run)
		return bad_use("%s", "no --out DIR");
	if (strcmp(o->engine, "local") && strcmp(o->engine, "slurm") &&
	    strcmp(o->engine, "parallel-ssh"))
		return bad_use("no engine '%s' (local, slurm, parallel-ssh)", o->engine);
	if (!strcmp(o->engine, "parallel-ssh") && !o->hosts)
		return bad_use("%s", "--engine parallel-ssh needs --hosts H1,H2 or a file of hosts");
	if (strcmp(o->engine, "parallel-ssh") && o->hosts)
		return bad_use("%s", "--hosts is for --engine parallel-ssh");
	if ((o->no_wait || o->chunk) && strcmp(o->engine, "slurm"))
		return bad_use("%s", "--no-wait and --chunk are for --engine slurm");
	return 0;
}

/* --dry-run: each job's index, key, values and command. */
static void print_jobs(const struct sweep_grid *g, const struct sweep_job *jobs, int nr)
{
	for (int n = 0; n < nr; n++) {
		printf("%d %s", jobs[n].index, jobs[n].key);
		for (int i = 0; i < g->nr_params; i++)
			printf(" %s=%s", g->params[i].name, jobs[n].values[i]);
		printf(" :");
		for (int w = 0; w < jobs[n].argc; w++)
			printf(" %s", jobs[n].argv[w]);
		printf("\n");
	}
}

/* One sweep at a time in a DIR: two would run the same jobs side by side. */
static int lock_dir(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	if (sweep_path(path, sizeof(path), dir, "/lock"))
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "mmsim sweep: %s: %s\n", path, strerror(errno));
		return -EIO;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "mmsim sweep: another mmsim sweep is running in %s\n", dir);
		close(fd);
		return -EBUSY;
	}
	return fd;
}

static int sweep_run(int argc, char **argv)
{
	char err[512], mmsim[PATH_MAX], dir[PATH_MAX];
	struct sweep_grid g;
	struct sweep_opts o;
	struct sweep_job *jobs;
	int nr, ret, lock = -1;

	if (parse_opts(argc, argv, &o))
		return 2;
	if (!realpath("/proc/self/exe", mmsim)) {
		fprintf(stderr, "mmsim sweep: cannot find my own binary\n");
		return 2;
	}
	if (sweep_grid_load(o.grid, &g, err, sizeof(err)) ||
	    sweep_expand(&g, mmsim, &jobs, &nr, err, sizeof(err))) {
		fprintf(stderr, "mmsim sweep: %s\n", err);
		sweep_grid_free(&g);
		return 2;
	}
	if (!o.jobs)
		o.jobs = g.jobs;	/* a benchmark grid may ask for one job at a time */
	if (o.dry_run) {
		print_jobs(&g, jobs, nr);
		sweep_jobs_free(jobs, nr);
		sweep_grid_free(&g);
		return 0;
	}
	ret = sweep_make_dirs(o.out);
	if (ret || !realpath(o.out, dir)) {
		fprintf(stderr, "mmsim sweep: %s: %s\n", o.out, strerror(ret ? -ret : errno));
		ret = -EIO;
	} else {
		lock = lock_dir(dir);
		ret = lock < 0 ? lock : sweep_write_plan(dir, &g, jobs, nr, err, sizeof(err));
		if (ret && lock >= 0)
			fprintf(stderr, "mmsim sweep: %s\n", err);
	}
	if (!ret)
		ret = sweep_run_engine(&o, &g, mmsim, dir, jobs, nr);
	if (lock >= 0)
		close(lock);
	sweep_jobs_free(jobs, nr);
	sweep_grid_free(&g);
	if (ret < 0)
		return 2;
	if (ret > 0)
		return 0;	/* submitted, not waited for */
	return sweep_collect(dir, false);
}

int cmd_sweep(int argc, char **argv)
{
	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		sweep_usage(stdout);
		return 0;
	}
	if (argc >= 1 && !strcmp(argv[0], "exec"))
		return sweep_exec(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "plot"))
		return sweep_plot(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "collect")) {
		if (argc != 2) {
			sweep_usage(stderr);
			return 2;
		}
		return sweep_collect(argv[1], false);
	}
	return sweep_run(argc, argv);
}

