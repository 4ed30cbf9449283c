// SPDX-License-Identifier: MIT
/*
 * mmsim sweep: plans a grid's jobs in the output directory and hands them to
 * an existing scheduler (GNU parallel here, Slurm as one job array, GNU
 * parallel over ssh); each job is run by `mmsim sweep exec`, then collected.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
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
static int make_dirs(const char *path)
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
	ret = make_dirs(path);
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
	ret = make_dirs(path);
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

/* ---- exec: one job, run and timed; its meta.json says it finished ---- */

struct job_cmd {
	int timeout;
	bool json_file;
	char **argv;
	int argc;
};

static void job_cmd_free(struct job_cmd *c)
{
	for (int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
}

static int read_cmd(const char *dir, const char *key, struct job_cmd *c)
{
	char path[PATH_MAX], line[PATH_MAX + 16];
	FILE *f;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	if (sweep_job_path(path, sizeof(path), dir, key, "cmd"))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "timeout ", 8)) {
			c->timeout = atoi(line + 8);
		} else if (!strncmp(line, "json ", 5)) {
			c->json_file = !strcmp(line + 5, "file");
		} else if (!strncmp(line, "arg ", 4)) {
			char **a = realloc(c->argv, (size_t)(c->argc + 2) * sizeof(*a));

			if (!a) {
				ret = -ENOMEM;
				break;
			}
			c->argv = a;
			a[c->argc] = strdup(line + 4);
			if (!a[c->argc])
				ret = -ENOMEM;
			a[++c->argc] = NULL;
		} else {
			ret = -EINVAL;
		}
	}
	fclose(f);
	if (!ret && !c->argc)
		ret = -EINVAL;
	if (ret)
		job_cmd_free(c);
	return ret;
}

/* Each {json} in the words becomes the job's result file. */
static int place_json(struct job_cmd *c, const char *result)
{
	for (int i = 0; i < c->argc; i++) {
		size_t from = 0;
		char *p, *w;

		/* Searched from after each replacement: the path may hold "{json}" too. */
		while ((p = strstr(c->argv[i] + from, "{json}"))) {
			int head = (int)(p - c->argv[i]);

			if (asprintf(&w, "%.*s%s%s", head, c->argv[i], result, p + 6) < 0)
				return -ENOMEM;
			free(c->argv[i]);
			c->argv[i] = w;
			from = (size_t)head + strlen(result);
		}
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct job_end {
	int status;		/* from waitpid */
	bool timed_out;
	int stopped_by;		/* a signal that stopped us: no result */
};

/*
 * The child ended: were we stopped too? A cancelled Slurm job, or a ^C,
 * signals every process, the command often first: a command killed by
 * SIGTERM, SIGINT, SIGHUP or SIGKILL waits a second for our own signal, so
 * that a cancellation is not taken for the job's result.
 */
static int stopped_too(int status)
{
	struct timespec ts = { 0 };
	sigset_t stop;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGKILL)
		ts.tv_sec = 1;
	sig = sigtimedwait(&stop, NULL, &ts);
	return sig > 0 ? sig : 0;
}

/*
 * Waits for the child, killing its process group at the timeout. SIGTERM,
 * SIGINT and SIGHUP (a cancelled allocation, ^C) stop it too and leave no
 * result, so the next run of the sweep runs the job again.
 */
static void wait_job(pid_t pid, int timeout, const sigset_t *set, struct job_end *end)
{
	double deadline = timeout ? now() + timeout : 0;

	memset(end, 0, sizeof(*end));
	for (;;) {
		struct timespec ts = { .tv_sec = 1 };
		siginfo_t info;
		int sig;

		if (waitpid(pid, &end->status, WNOHANG) == pid) {
			end->stopped_by = stopped_too(end->status);
			return;
		}
		if (deadline) {
			double left = deadline - now();

			if (left <= 0) {
				end->timed_out = true;
				kill(-pid, SIGKILL);
				waitpid(pid, &end->status, 0);
				return;
			}
			if (left < 1) {
				ts.tv_sec = 0;
				ts.tv_nsec = (long)(left * 1e9);
			}
		}
		sig = sigtimedwait(set, &info, &ts);
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
			end->stopped_by = sig;
			kill(-pid, SIGTERM);
			waitpid(pid, &end->status, 0);
			return;
		}
	}
}

static pid_t start_job(const struct job_cmd *c, const char *out, const char *errf,
		       const sigset_t *old)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	setpgid(0, 0);
	sigprocmask(SIG_SETMASK, old, NULL);
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	int in = open("/dev/null", O_RDONLY);

	if (o < 0 || e < 0 || in < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || dup2(in, 0) < 0)
		_exit(126);
	execv(c->argv[0], c->argv);
	fprintf(stderr, "mmsim sweep: cannot run %s: %s\n", c->argv[0], strerror(errno));
	_exit(127);
}

static int write_meta(const char *dir, const char *key, const struct job_end *end, double start,
		      double seconds)
{
	char path[PATH_MAX], tmp[PATH_MAX], host[256] = "", when[32];
	cJSON *m = cJSON_CreateObject();
	time_t t = (time_t)start;
	struct tm tm;
	char *text;
	FILE *f;
	int ret = 0;

	gethostname(host, sizeof(host) - 1);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddNumberToObject(m, "exit_status",
				WIFEXITED(end->status) && !end->timed_out ? WEXITSTATUS(end->status) : -1);
	cJSON_AddNumberToObject(m, "signal",
				WIFSIGNALED(end->status) && !end->timed_out ? WTERMSIG(end->status) : 0);
	cJSON_AddBoolToObject(m, "timed_out", end->timed_out);
	cJSON_AddStringToObject(m, "started", when);
	cJSON_AddNumberToObject(m, "seconds", seconds);
	cJSON_AddStringToObject(m, "host", host);
	cJSON_AddStringToObject(m, "version", sweep_version());
	text = cJSON_Print(m);
	cJSON_Delete(m);
	sweep_job_path(path, sizeof(path), dir, key, "meta.json");
	f = text && !sweep_path(tmp, sizeof(tmp), path, ".tmp") ? fopen(tmp, "w") : NULL;
	if (!f || fprintf(f, "%s\n", text) < 0)
		ret = -EIO;
	if (f && fclose(f))
		ret = -EIO;
	free(text);
	if (!ret && rename(tmp, path))
		ret = -errno;
	return ret;
}

/* Runs one job unless it has a result; <0 on a broken plan, else 0. */
static int exec_one(const char *dir, const char *key)
{
	char meta[PATH_MAX], out[PATH_MAX], errf[PATH_MAX], result[PATH_MAX];
	struct job_cmd c;
	struct job_end end;
	sigset_t set, old;
	double start;
	pid_t pid;
	int ret;

	if (sweep_job_path(meta, sizeof(meta), dir, key, "meta.json"))
		return -ENAMETOOLONG;
	if (!access(meta, F_OK))
		return 0;	/* resume: it ran already */
	ret = read_cmd(dir, key, &c);
	if (ret) {
		fprintf(stderr, "mmsim sweep exec: %s/jobs/%s/cmd: %s\n", dir, key,
			ret == -EINVAL ? "not a job's command file" : strerror(-ret));
		return ret;
	}
	sweep_job_path(out, sizeof(out), dir, key, "stdout");
	sweep_job_path(errf, sizeof(errf), dir, key, "stderr");
	sweep_job_path(result, sizeof(result), dir, key, "result.json");
	unlink(result);
	ret = place_json(&c, result);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	start = now();
	pid = ret ? -1 : start_job(&c, out, errf, &old);
	if (pid > 0) {
		wait_job(pid, c.timeout, &set, &end);
		if (end.stopped_by) {
			job_cmd_free(&c);
			signal(end.stopped_by, SIG_DFL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			raise(end.stopped_by);
			return -EINTR;
		}
		ret = write_meta(dir, key, &end, start, now() - start);
	} else if (!ret) {
		ret = -errno;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	job_cmd_free(&c);
	if (ret)
		fprintf(stderr, "mmsim sweep exec: job %s: %s\n", key, strerror(-ret));
	return ret;
}

/* Keys of array task TASK: lines TASK*CHUNK .. +CHUNK-1 of LIST. */
static int exec_task(const char *dir, const char *list, long task, long chunk)
{
	char line[64];
	FILE *f = fopen(list, "r");
	long n = 0;
	int ret = 0;

	if (!f) {
		fprintf(stderr, "mmsim sweep exec: %s: %s\n", list, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (n >= task * chunk && n < (task + 1) * chunk && exec_one(dir, line) < 0)
			ret = 2;
		n++;
	}
	fclose(f);
	return ret;
}

int sweep_exec(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2) {
		sweep_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		if (argc != 7 || strcmp(argv[3], "--task") || strcmp(argv[5], "--chunk")) {
			sweep_usage(stderr);
			return 2;
		}
		return exec_task(argv[0], argv[2], atol(argv[4]), atol(argv[6]));
	}
	for (int i = 1; i < argc; i++)
		if (exec_one(argv[0], argv[i]) < 0)
			ret = 2;
	/* A job that failed has its result (meta.json); 2 only for a broken plan. */
	return ret;
}

/* ---- engines ---- */

struct sweep_opts {
	const char *grid, *out, *engine, *hosts;
	int jobs, chunk;
	bool no_wait, retry_failed, dry_run;
};

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

/* Runs ARGV and waits; its exit status, or 127 when it cannot start. */
static int run_tool(char **argv)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 127;
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "mmsim sweep: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool job_done(const char *dir, const char *key)
{
	char meta[PATH_MAX];

	return !sweep_job_path(meta, sizeof(meta), dir, key, "meta.json") && !access(meta, F_OK);
}

/* --retry-failed: a failed job's result goes, so it runs again. */
static void forget_failures(const char *dir, const struct sweep_grid *g,
			    const struct sweep_job *jobs, int nr)
{
	for (int n = 0; n < nr; n++) {
		char meta[PATH_MAX];
		struct sweep_outcome o;

		if (sweep_read_outcome(dir, jobs[n].key, g, &o) || o.ok || !o.done)
			continue;
		sweep_job_path(meta, sizeof(meta), dir, jobs[n].key, "meta.json");
		unlink(meta);
	}
}

/* The jobs without results, one key a line, in FILE; how many. */
static int write_todo(const char *file, const char *dir, const struct sweep_job *jobs, int nr)
{
	FILE *f = fopen(file, "w");
	int todo = 0;

	if (!f)
		return -errno;
	for (int n = 0; n < nr; n++)
		if (!job_done(dir, jobs[n].key)) {
			fprintf(f, "%s\n", jobs[n].key);
			todo++;
		}
	return fclose(f) ? -EIO : todo;
}

static int count_done(const char *dir, const struct sweep_job *jobs, int nr)
{
	int done = 0;

	for (int n = 0; n < nr; n++)
		done += job_done(dir, jobs[n].key);
	return done;
}

/* GNU parallel runs `mmsim sweep exec DIR KEY` for each key of the todo list. */
static int run_parallel(const struct sweep_opts *o, const char *mmsim, const char *dir,
			const char *todo)
{
	char jobs[32], joblog[PATH_MAX];
	char *argv[32];
	int n = 0;

	snprintf(jobs, sizeof(jobs), "%d", o->jobs);
	if (sweep_path(joblog, sizeof(joblog), dir, "/parallel.joblog"))
		return -ENAMETOOLONG;
	argv[n++] = "parallel";
	argv[n++] = "--will-cite";
	argv[n++] = "--halt";
	argv[n++] = "never";
	argv[n++] = "--joblog";
	argv[n++] = joblog;
	if (isatty(2))
		argv[n++] = "--bar";
	if (o->jobs) {
		argv[n++] = "--jobs";
		argv[n++] = jobs;
	}
	if (o->hosts) {
		bool file = !access(o->hosts, R_OK);

		argv[n++] = file ? "--sshloginfile" : "--sshlogin";
		argv[n++] = (char *)o->hosts;
	}
	argv[n++] = (char *)mmsim;
	argv[n++] = "sweep";
	argv[n++] = "exec";
	argv[n++] = (char *)dir;
	argv[n++] = "{}";
	argv[n++] = "::::";
	argv[n++] = (char *)todo;
	argv[n] = NULL;
	n = run_tool(argv);
	if (n == 127)
		fprintf(stderr, "mmsim sweep: GNU parallel is needed (Debian: apt-get install "
			"parallel; scripts/deps.sh installs it)\n");
	return n == 127 ? -ENOENT : 0;
}

/* The sbatch script of one submission: array task i runs its chunk of the todo list. */
static int write_sbatch(const char *path, const struct sweep_grid *g, const struct sweep_opts *o,
			const char *mmsim, const char *dir, const char *todo, int tasks, int chunk)
{
	char cwd[PATH_MAX];
	FILE *f = fopen(path, "w");

	if (!f || !getcwd(cwd, sizeof(cwd))) {
		if (f)
			fclose(f);
		return -errno;
	}
	fprintf(f, "#!/bin/sh\n# mmsim sweep %s: %d array tasks, %d jobs each at most\n", g->name,
		tasks, chunk);
	fprintf(f, "#SBATCH --job-name=mmsim-sweep-%s\n", g->name);
	if (o->jobs)
		fprintf(f, "#SBATCH --array=0-%d%%%d\n", tasks - 1, o->jobs);
	else
		fprintf(f, "#SBATCH --array=0-%d\n", tasks - 1);
	fprintf(f, "#SBATCH --output=%s/slurm/slurm-%%A_%%a.out\n", dir);
	fprintf(f, "#SBATCH --chdir=%s\n", cwd);
	fprintf(f, "exec '%s' sweep exec '%s' --list '%s' --task \"$SLURM_ARRAY_TASK_ID\" "
		"--chunk %d\n", mmsim, dir, todo, chunk);
	return fclose(f) ? -EIO : 0;
}

/* The files of the next submission N: DIR/slurm/array-N.sh, todo-N, jobid-N. */
static int next_submission(const char *sdir, char *script, char *todo, char *idfile, size_t len,
			   int *seq)
{
	char name[32];

	*seq = 0;
	do {
		snprintf(name, sizeof(name), "/array-%d.sh", ++*seq);
		if (sweep_path(script, len, sdir, name))
			return -ENAMETOOLONG;
	} while (!access(script, F_OK));
	snprintf(name, sizeof(name), "/todo-%d", *seq);
	if (sweep_path(todo, len, sdir, name))
		return -ENAMETOOLONG;
	snprintf(name, sizeof(name), "/jobid-%d", *seq);
	return sweep_path(idfile, len, sdir, name);
}

/*
 * An array an earlier submission left queued or running (--no-wait): a new
 * one would run its jobs a second time beside it. Its id in ID, or false.
 */
static bool earlier_array_queued(const char *sdir, int seq, char *id, size_t len)
{
	for (int k = 1; k < seq; k++) {
		char path[PATH_MAX], name[32], cmd[96], line[64] = "";
		FILE *f, *p;

		snprintf(name, sizeof(name), "/jobid-%d", k);
		if (sweep_path(path, sizeof(path), sdir, name) || !(f = fopen(path, "r")))
			continue;
		if (!fgets(id, (int)len, f))
			id[0] = '\0';
		fclose(f);
		id[strcspn(id, "\n")] = '\0';
		if (!id[0] || id[strspn(id, "0123456789")])
			continue;	/* only digits go into the command line */
		snprintf(cmd, sizeof(cmd), "squeue -h -j %s -o %%i 2>/dev/null", id);
		p = popen(cmd, "r");
		if (p && fgets(line, sizeof(line), p) && line[0] != '\n') {
			pclose(p);
			return true;
		}
		if (p)
			pclose(p);
	}
	return false;
}

/* Until sbatch --wait returns (EOF on its stdout): a progress line. */
static void wait_array(FILE *f, const char *id, const char *dir, const struct sweep_job *jobs,
		       int nr)
{
	double last = now();

	for (;;) {
		struct pollfd p = { .fd = fileno(f), .events = POLLIN };
		char buf[256];

		if (poll(&p, 1, 2000) > 0 && !fgets(buf, sizeof(buf), f))
			break;
		/* On a terminal one line redrawn; in a log a line a minute. */
		if (isatty(2)) {
			fprintf(stderr, "\rSlurm job %s: %d of %d jobs have results ", id,
				count_done(dir, jobs, nr), nr);
		} else if (now() - last >= 60) {
			last = now();
			fprintf(stderr, "Slurm job %s: %d of %d jobs have results\n", id,
				count_done(dir, jobs, nr), nr);
		}
	}
	if (isatty(2))
		fprintf(stderr, "\n");
}

/* Starts sbatch with its stdout on a pipe; *out reads it. */
static pid_t start_sbatch(const struct sweep_opts *o, const struct sweep_grid *g,
			  const char *script, FILE **out)
{
	char *argv[64];
	int n = 0, fds[2];
	pid_t pid;

	argv[n++] = "sbatch";
	argv[n++] = "--parsable";
	if (!o->no_wait)
		argv[n++] = "--wait";
	for (int i = 0; i < g->nr_slurm_options && n < 60; i++)
		argv[n++] = g->slurm_options[i];
	argv[n++] = (char *)script;
	argv[n] = NULL;
	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "mmsim sweep: cannot run sbatch: %s (Debian: slurm-client)\n",
			strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	*out = pid > 0 ? fdopen(fds[0], "r") : NULL;
	if (pid > 0 && !*out)
		close(fds[0]);
	return pid;
}

/* sbatch --parsable prints the job id first; with --wait it returns when the array ends. */
static int run_slurm(const struct sweep_opts *o, const struct sweep_grid *g, const char *mmsim,
		     const char *dir, const struct sweep_job *jobs, int nr, int todo_n)
{
	char sdir[PATH_MAX], todo[PATH_MAX], script[PATH_MAX], idfile[PATH_MAX], id[64] = "";
	int chunk = o->chunk ? o->chunk : g->slurm_chunk, tasks, status, seq;
	FILE *f = NULL, *idf;
	pid_t pid;

	if (sweep_path(sdir, sizeof(sdir), dir, "/slurm") || make_dirs(sdir) ||
	    next_submission(sdir, script, todo, idfile, sizeof(script), &seq))
		return -EIO;
	if (earlier_array_queued(sdir, seq, id, sizeof(id))) {
		fprintf(stderr, "mmsim sweep: Slurm job %s of this sweep is still queued or running: "
			"wait for it (squeue -j %s) or cancel it (scancel %s) first\n", id, id, id);
		return -EBUSY;
	}
	if (write_todo(todo, dir, jobs, nr) != todo_n)
		return -EIO;
	if (!chunk)	/* Slurm's default MaxArraySize is 1001 */
		chunk = (todo_n + 999) / 1000;
	tasks = (todo_n + chunk - 1) / chunk;
	if (write_sbatch(script, g, o, mmsim, dir, todo, tasks, chunk))
		return -EIO;
	pid = start_sbatch(o, g, script, &f);
	if (pid < 0 || !f)
		return -errno;
	id[0] = '\0';
	if (fgets(id, sizeof(id), f))
		id[strcspn(id, ";\n")] = '\0';
	if (id[0]) {
		fprintf(stderr, "mmsim sweep: Slurm job %s: %d array tasks for %d jobs (%s)\n", id,
			tasks, todo_n, script);
		if ((idf = fopen(idfile, "w"))) {
			fprintf(idf, "%s\n", id);
			fclose(idf);
		}
	}
	if (!o->no_wait && id[0])
		wait_array(f, id, dir, jobs, nr);
	fclose(f);
	waitpid(pid, &status, 0);
	if (!id[0]) {
		fprintf(stderr, "mmsim sweep: sbatch did not submit the array\n");
		return -EIO;
	}
	if (o->no_wait) {
		printf("submitted Slurm job %s; when it ends: mmsim sweep collect %s\n", id, dir);
		return 1;	/* nothing to collect yet */
	}
	return 0;
}

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

static int run_engine(const struct sweep_opts *o, const struct sweep_grid *g, const char *mmsim,
		      const char *dir, const struct sweep_job *jobs, int nr)
{
	char todo[PATH_MAX];
	int todo_n;

	if (o->retry_failed)
		forget_failures(dir, g, jobs, nr);
	todo_n = sweep_path(todo, sizeof(todo), dir, "/todo");
	if (!todo_n)
		todo_n = write_todo(todo, dir, jobs, nr);
	if (todo_n < 0)
		return todo_n;
	fprintf(stderr, "mmsim sweep %s: %d jobs, %d with results already, %d to run (%s)\n",
		g->name, nr, nr - todo_n, todo_n, o->engine);
	if (!todo_n)
		return 0;
	if (!strcmp(o->engine, "slurm"))
		return run_slurm(o, g, mmsim, dir, jobs, nr, todo_n);
	return run_parallel(o, mmsim, dir, todo);
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
	ret = make_dirs(o.out);
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
		ret = run_engine(&o, &g, mmsim, dir, jobs, nr);
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
