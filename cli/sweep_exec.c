// SPDX-License-Identifier: MIT
/*
 * mmsim sweep exec: runs one job of a sweep's plan, timed, with its output in
 * its directory and, last, its meta.json; what every engine runs for each job.
 * A job stopped by a cancellation leaves no meta.json, so it runs again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sweep.h"

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

double sweep_now(void)
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
	double deadline = timeout ? sweep_now() + timeout : 0;

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
			double left = deadline - sweep_now();

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
	start = sweep_now();
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
		ret = write_meta(dir, key, &end, start, sweep_now() - start);
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

static int exec_usage(void)
{
	fprintf(stderr, "usage: mmsim sweep exec DIR KEY...\n"
		"       mmsim sweep exec DIR --list FILE --task I --chunk C\n");
	return 2;
}

int sweep_exec(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2)
		return exec_usage();
	if (!strcmp(argv[1], "--list")) {
		if (argc != 7 || strcmp(argv[3], "--task") || strcmp(argv[5], "--chunk"))
			return exec_usage();
		return exec_task(argv[0], argv[2], atol(argv[4]), atol(argv[6]));
	}
	for (int i = 1; i < argc; i++)
		if (exec_one(argv[0], argv[i]) < 0)
			ret = 2;
	/* A job that failed has its result (meta.json); 2 only for a broken plan. */
	return ret;
}

