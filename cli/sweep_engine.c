// SPDX-License-Identifier: MIT
/*
 * The engines of mmsim sweep: the jobs without a result handed to GNU
 * parallel (here, or over ssh with --sshlogin) or submitted to Slurm as one
 * job array; each job runs as `mmsim sweep exec DIR KEY`.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep.h"

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
	double last = sweep_now();

	for (;;) {
		struct pollfd p = { .fd = fileno(f), .events = POLLIN };
		char buf[256];

		if (poll(&p, 1, 2000) > 0 && !fgets(buf, sizeof(buf), f))
			break;
		/* On a terminal one line redrawn; in a log a line a minute. */
		if (isatty(2)) {
			fprintf(stderr, "\rSlurm job %s: %d of %d jobs have results ", id,
				count_done(dir, jobs, nr), nr);
		} else if (sweep_now() - last >= 60) {
			last = sweep_now();
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

	if (sweep_path(sdir, sizeof(sdir), dir, "/slurm") || sweep_make_dirs(sdir) ||
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

/* --retry-failed, the todo list, then the engine asked for. */
int sweep_run_engine(const struct sweep_opts *o, const struct sweep_grid *g, const char *mmsim,
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
