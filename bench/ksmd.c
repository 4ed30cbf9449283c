// SPDX-License-Identifier: MIT
/*
 * The live ksmd for the benches (mmsim-bench-ksm, mmsim-bench-scale): every
 * KSM setting saved before the first change and restored on every path,
 * signals included; the kernel executor's lock; a workload's full passes
 * timed from full_scans. See bench/README.md, "Kernel side".
 */
#include "ksmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#define SZ_4K		4096UL
#define KSM_DIR		"/sys/kernel/mm/ksm/"
#define LOCK_PATH	"/run/mmsim-kernel.lock"	/* the kernel executor's lock */
#define LOCK_TIMEOUT_S	300
#define MERGEABLE_WAIT_S 120	/* for another process's mergeable memory to go */
#define PASS_TIMEOUT_S	900			/* one kernel pass of 1 GiB takes seconds */
/* After pass 3 ksmd sleeps this long, so it starts no pass 4 (see kernel_passes()). */
#define KSMD_PARK_MS	"3600000"

#define POLL_NS		KSMD_POLL_NS

/* A remark on a side's result. */
#define note(s, ...) bench_note((s)->note, sizeof((s)->note), __VA_ARGS__)

const char *const ksmd_counter_names[KSMD_NR_COUNTERS] = {
	"pages_shared", "pages_sharing", "pages_unshared", "stable_node_chains",
	"stable_node_dups",
};


#define MAX_SETTINGS 24

static struct setting {
	char name[48];
	char path[96];
	char saved[32];		/* the value, or the bracketed word (advisor_mode) */
	bool changed;
} settings[MAX_SETTINGS];
static int nr_settings;
static bool run_changed;	/* run was written: run=2 before putting things back */

static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* The current value: the bracketed word of a choice, else the first line. */
static void current_value(const char *raw, char *out, size_t size)
{
	const char *l = strchr(raw, '['), *r = l ? strchr(l, ']') : NULL;
	size_t n;

	if (l && r) {
		l++;
		n = (size_t)(r - l);
	} else {
		l = raw;
		n = strcspn(raw, "\n");
	}
	if (n >= size)
		n = size - 1;
	memcpy(out, l, n);
	out[n] = '\0';
}

static int read_long(const char *path, long *v)
{
	char buf[64];
	int err = read_text(path, buf, sizeof(buf));

	if (err)
		return err;
	*v = strtol(buf, NULL, 10);
	return 0;
}

/* Async-signal-safe: open, write and close only. */
static int write_raw(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static struct setting *find_setting(const char *name)
{
	for (int i = 0; i < nr_settings; i++)
		if (!strcmp(settings[i].name, name))
			return &settings[i];
	return NULL;
}

/* Every writable file of /sys/kernel/mm/ksm; -errno when KSM is not there. */
static int save_settings(void)
{
	DIR *d = opendir(KSM_DIR);
	struct dirent *de;
	char raw[256];

	if (!d)
		return -errno;
	nr_settings = 0;
	while ((de = readdir(d)) && nr_settings < MAX_SETTINGS) {
		struct setting *s = &settings[nr_settings];
		struct stat st;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(s->name))
			continue;
		/* The length was checked above: the precision tells the compiler so. */
		snprintf(s->path, sizeof(s->path), KSM_DIR "%.47s", de->d_name);
		if (stat(s->path, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & S_IWUSR))
			continue;
		if (read_text(s->path, raw, sizeof(raw)))
			continue;
		snprintf(s->name, sizeof(s->name), "%.47s", de->d_name);
		current_value(raw, s->saved, sizeof(s->saved));
		s->changed = false;
		nr_settings++;
	}
	closedir(d);
	return find_setting("run") ? 0 : -ENOENT;
}

/* Sets a KSM knob (skipping a write of the value it has): 0 or -errno. */
static int ksm_write(const char *name, const char *value)
{
	struct setting *s = find_setting(name);
	char raw[256], cur[32];

	if (!s)
		return -ENOENT;
	if (strcmp(name, "run") && !read_text(s->path, raw, sizeof(raw))) {
		current_value(raw, cur, sizeof(cur));
		if (!strcmp(cur, value))
			return 0;
	}
	s->changed = true;	/* before the write: a signal may come at once */
	if (!strcmp(name, "run"))
		run_changed = true;
	return write_raw(s->path, value);
}

static void restore_one(struct setting *s)
{
	if (s && s->changed && write_raw(s->path, s->saved) == 0)
		s->changed = false;
}

/*
 * Puts every changed setting back, async-signal-safe. run=2 first: it
 * unmerges what is left and frees ksmd's items and stable nodes, without
 * which max_page_sharing could not be written (EBUSY). pages_to_scan before
 * advisor_mode (an advisor owns pages_to_scan once it is on), then
 * sleep_millisecs, whose write wakes ksmd, and run last.
 */
void ksmd_restore_settings(void)
{
	struct setting *run = find_setting("run");

	if (run_changed && run)
		write_raw(run->path, "2");
	for (int i = 0; i < nr_settings; i++) {
		const char *n = settings[i].name;

		if (strcmp(n, "run") && strcmp(n, "sleep_millisecs") && strcmp(n, "advisor_mode") &&
		    strcmp(n, "pages_to_scan"))
			restore_one(&settings[i]);
	}
	restore_one(find_setting("pages_to_scan"));
	restore_one(find_setting("advisor_mode"));
	restore_one(find_setting("sleep_millisecs"));
	restore_one(run);
	if (run && !run->changed)
		run_changed = false;
}

static void on_signal(int sig)
{
	ksmd_restore_settings();	/* idempotent: only what is still changed */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ------------------------------------------------------------------------ */
/* The live kernel                                                          */

static int lock_fd = -1;

/* The kernel executor's lock, so that no scenario drives ksmd meanwhile. */
static const char *take_lock(void)
{
	static char why[160];
	double deadline = bench_now_s() + LOCK_TIMEOUT_S;

	lock_fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock_fd < 0) {
		snprintf(why, sizeof(why), "cannot open %s: %s", LOCK_PATH, strerror(errno));
		return why;
	}
	while (flock(lock_fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK || bench_now_s() > deadline) {
			snprintf(why, sizeof(why), "%s is held by another run (waited %d s)",
				 LOCK_PATH, LOCK_TIMEOUT_S);
			close(lock_fd);
			lock_fd = -1;
			return why;
		}
		usleep(100000);
	}
	return NULL;
}

static void release_lock(void)
{
	if (lock_fd >= 0)
		close(lock_fd);	/* releases the flock */
	lock_fd = -1;
}

/* A process other than us with mergeable memory (/proc/PID/ksm_stat); 0 if none. */
static pid_t other_mergeable(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t self = getpid(), found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char path[64], buf[512];
		pid_t pid = (pid_t)atoi(de->d_name);
		const char *items;

		if (pid <= 0 || pid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ksm_stat", pid);
		if (read_text(path, buf, sizeof(buf)))
			continue;
		items = strstr(buf, "ksm_rmap_items ");
		if (strstr(buf, "ksm_mergeable: yes") || strstr(buf, "ksm_merge_any: yes") ||
		    (items && atol(items + strlen("ksm_rmap_items ")) > 0))
			found = pid;
	}
	closedir(d);
	return found;
}

/* Why the kernel columns cannot be measured; NULL when they can. */
static const char *ksmd_unavailable(void)
{
	static char why[160];
	pid_t pid;
	int err;

	if (geteuid() != 0)
		return "not root (/sys/kernel/mm/ksm must be written)";
	if (access(KSM_DIR "run", F_OK))
		return "this kernel has no KSM (" KSM_DIR ")";
	err = save_settings();
	if (err) {
		snprintf(why, sizeof(why), "cannot read " KSM_DIR ": %s", strerror(-err));
		return why;
	}
	/* Such a process is mostly a short test of another run: wait for it a while. */
	pid = other_mergeable();
	for (int waited = 0; pid && waited < MERGEABLE_WAIT_S; waited++) {
		sleep(1);
		pid = other_mergeable();
	}
	if (pid) {
		snprintf(why, sizeof(why),
			 "process %d has mergeable memory (waited %d s): ksmd would scan it too",
			 (int)pid, MERGEABLE_WAIT_S);
		return why;
	}
	return NULL;
}

/* Reads a sysfs counter through an open fd: one pread at offset 0 re-renders it. */
static long pread_long(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* ksmd's pid (its comm), 0 when there is none. */
static pid_t ksmd_pid(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char path[64], comm[32];
		pid_t pid = (pid_t)atoi(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (!read_text(path, comm, sizeof(comm)) && !strcmp(comm, "ksmd\n"))
			found = pid;
	}
	closedir(d);
	return found;
}

/*
 * Seconds ksmd has run on a CPU (the first field of its schedstat, ns),
 * -1 when unknown. A running task's figure may lag by up to a tick.
 */
static double ksmd_cpu_s(int fd)
{
	char buf[96];
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return (double)strtoull(buf, NULL, 10) / 1e9;
}

/*
 * The three passes, timed. Starts at the write of run=1 (ksmd is woken from
 * its stopped wait; the wake-up is in pass 1's time). Each end is the change
 * of full_scans, read every POLL_NS: it lies between the start of the last
 * read that saw the old value and the end of the first that saw the new one;
 * the midpoint is taken, the widest window is reported. The reader naps
 * between reads rather than spinning: a pass starts with lru_add_drain_all(),
 * which waits for a kworker on every CPU, and a spinning reader delayed the
 * one on its CPU by milliseconds. The window is wide when the reader itself
 * was kept off the CPU (by ksmd, woken onto its CPU by the write of run=1, or
 * by other load).
 *
 * With sleep_millisecs = 0 ksmd would go straight on into pass 4; once pass 3
 * has visited a page (pages_scanned moved past its value at the end of pass
 * 2, so ksmd has read sleep_millisecs for the gap before pass 3 already),
 * sleep_millisecs becomes an hour: that write takes no lock and does not
 * disturb the pass, and after pass 3 ksmd sleeps, so run=0 then stops it with
 * exactly three passes done and the counters read are those after pass 3.
 */
static int kernel_passes(struct ksmd_side *s, long base)
{
	int fs_fd = open(KSM_DIR "full_scans", O_RDONLY | O_CLOEXEC);
	int ps_fd = open(KSM_DIR "pages_scanned", O_RDONLY | O_CLOEXEC);
	double start, last_old, t, t_end, deadline, widest = 0, cpu_start, cpu;
	long pass2_scanned = -1;
	char path[64];
	int cpu_fd = -1;
	bool parked = false;
	int err = 0;
	/* Between reads the CPU is left idle: see the comment above. */
	const struct timespec nap = { .tv_nsec = POLL_NS };

	if (fs_fd < 0 || ps_fd < 0) {
		err = -errno;
		goto out;
	}
	/* Wake from the naps on time: the default timer slack is 50 us. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)ksmd_pid());
	cpu_fd = open(path, O_RDONLY | O_CLOEXEC);
	cpu_start = ksmd_cpu_s(cpu_fd);
	start = bench_now_s();
	err = ksm_write("run", "1");
	if (err)
		goto out;
	last_old = start;
	deadline = start + PASS_TIMEOUT_S;
	for (int k = 0; k < KSMD_PASSES;) {
		long fs;

		t = bench_now_s();
		fs = pread_long(fs_fd);
		t_end = bench_now_s();
		if (fs < 0) {
			err = -EIO;
			goto out;
		}
		if (fs >= base + k + 1) {
			double at = (last_old + t_end) / 2;

			if (t_end - last_old > widest)
				widest = t_end - last_old;
			if (fs > base + k + 1)
				note(s, "full_scans jumped from %ld to %ld", base + k, fs);
			s->secs[k] = at - start;
			cpu = ksmd_cpu_s(cpu_fd);
			s->cpu_secs[k] = cpu_start < 0 || cpu < 0 ? -1 : cpu - cpu_start;
			cpu_start = cpu;
			start = at;
			last_old = t;
			k++;
			deadline = t + PASS_TIMEOUT_S;
			if (k == 2)
				pass2_scanned = pread_long(ps_fd);
			continue;
		}
		last_old = t;
		if (k == 2 && !parked && pread_long(ps_fd) > pass2_scanned) {
			err = ksm_write("sleep_millisecs", KSMD_PARK_MS);
			if (err)
				goto out;
			parked = true;
		}
		if (t > deadline) {
			err = -ETIMEDOUT;
			goto out;
		}
		clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL);
	}
	s->uncertainty_us = widest * 1e6;
	/* ksmd sleeps (or, had it missed the park, is in pass 4): run=0 waits for its batch. */
	err = ksm_write("run", "0");
out:
	if (fs_fd >= 0)
		close(fs_fd);
	if (ps_fd >= 0)
		close(ps_fd);
	if (cpu_fd >= 0)
		close(cpu_fd);
	return err;
}

static int kernel_counters(struct ksmd_side *s)
{
	char path[128];

	for (int c = 0; c < KSMD_NR_COUNTERS; c++) {
		snprintf(path, sizeof(path), KSM_DIR "%s", ksmd_counter_names[c]);
		if (read_long(path, &s->counters[c]))
			return -EIO;
	}
	return 0;
}

static int kernel_run(unsigned long n, ksmd_fill_t fill, void *arg, struct ksmd_side *s)
{
	unsigned long len = n * SZ_4K;
	char value[32];
	long base, after, skipped0 = 0, skipped;
	unsigned char *p;
	int err;

	/* A clean ksmd: nothing merged, no items, full_scans back to 0. */
	err = ksm_write("run", "2");
	if (!err)
		err = ksm_write("advisor_mode", "none");
	if (!err)
		err = ksm_write("max_page_sharing", "256");
	if (!err)
		err = ksm_write("merge_across_nodes", "1");
	if (!err)
		err = ksm_write("smart_scan", "1");
	if (!err)
		err = ksm_write("use_zero_pages", "0");
	if (!err)
		err = ksm_write("stable_node_chains_prune_millisecs", "2000");
	snprintf(value, sizeof(value), "%lu", n + 1);
	if (!err)
		err = ksm_write("pages_to_scan", value);
	if (!err)
		err = ksm_write("sleep_millisecs", "0");
	if (err)
		return err;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	madvise(p, len, MADV_NOHUGEPAGE);
	for (unsigned long i = 0; i < n; i++)
		fill(p + i * SZ_4K, i, arg);
	if (read_long(KSM_DIR "full_scans", &base) ||
	    read_long(KSM_DIR "pages_skipped", &skipped0)) {
		err = -EIO;
		goto out;
	}
	if (madvise(p, len, MADV_MERGEABLE)) {
		err = -errno;
		goto out;
	}
	s->merged[0] = 0;
	err = kernel_passes(s, base);
	if (err)
		goto out;
	err = kernel_counters(s);
	if (err)
		goto out;
	if (!read_long(KSM_DIR "full_scans", &after) && after != base + KSMD_PASSES)
		note(s, "ksmd made %ld passes, not %d (the counters are read after them)",
		     after - base, KSMD_PASSES);
	if (!read_long(KSM_DIR "pages_skipped", &skipped) && skipped != skipped0)
		note(s, "smart scan skipped %ld pages", skipped - skipped0);
	s->done = true;
out:
	/* Unmapping first leaves run=2 only items and nodes to free, no copies to make. */
	munmap(p, len);
	if (!err)
		err = ksm_write("run", "2");
	return err;
}

void ksmd_measure(unsigned long n, ksmd_fill_t fill, void *arg, struct ksmd_side *s)
{
	/* Under the lock: a scenario run holding it may have mergeable memory or changed settings. */
	const char *why = take_lock();
	int err;

	if (!why && (why = ksmd_unavailable()))
		release_lock();
	if (why) {
		snprintf(s->note, sizeof(s->note), "skipped: %s", why);
		return;
	}
	err = kernel_run(n, fill, arg, s);
	ksmd_restore_settings();
	release_lock();
	if (err) {
		s->done = false;
		snprintf(s->note, sizeof(s->note), "skipped: failed: %s", strerror(-err));
	}
}

void ksmd_install_restore(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	atexit(ksmd_restore_settings);
}
