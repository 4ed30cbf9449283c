// SPDX-License-Identifier: MIT
/*
 * The live ksmd for the benches (mmsim-bench-ksm, mmsim-bench-scale): the
 * kernel executor's lock, the KSM settings saved and put back on every path
 * through cli/kernel_settings.c, and a workload's full passes timed from
 * full_scans, with ksmd's CPU time. See bench/README.md, "Kernel side".
 */
#include "ksmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "kernel_settings.h"

#define SZ_4K		4096UL
#define PASS_TIMEOUT_S	900			/* one kernel pass of 1 GiB takes seconds */
/* After pass 3 ksmd sleeps this long, so it starts no pass 4 (see kernel_passes()). */
#define KSMD_PARK_MS	"3600000"
#define POLL_NS		KSMD_POLL_NS
#define MERGEABLE_WAIT_S 120	/* for another process's mergeable memory to go */

/* A remark on a side's result. */
#define note(s, ...) bench_note((s)->note, sizeof((s)->note), __VA_ARGS__)

const char *const ksmd_counter_names[KSMD_NR_COUNTERS] = {
	"pages_shared", "pages_sharing", "pages_unshared", "stable_node_chains",
	"stable_node_dups",
};


/* Every knob the bench writes, in the order they go back: run first, sleep_millisecs last. */
static const char *const ksm_knobs[] = {
	"run", "advisor_mode", "pages_to_scan", "max_page_sharing", "use_zero_pages", "smart_scan",
	"merge_across_nodes", "stable_node_chains_prune_millisecs", "sleep_millisecs",
};

static int lock_fd = -1;

static int read_long(const char *path, long *v)
{
	long long value;
	int err = sysfs_read_number(path, &value);

	if (!err)
		*v = (long)value;
	return err;
}

/* Sets a KSM knob saved by kernel_open(): 0 or -errno. */
static int ksm_write(const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), KSM_DIR "%s", name);
	if (!settings_saved_value(path))
		return -ENOENT;
	return sysfs_write(path, value);
}


/*
 * The kernel executor's lock, so that no scenario drives ksmd meanwhile;
 * what a killed run left put back; the knobs saved and their restore armed
 * (at exit, on a fatal signal, after a SIGKILL by the next start). 0, or
 * -1 with why the kernel cannot be measured.
 */
static int kernel_open(char *why, size_t len)
{
	char path[128];
	bool found;

	if (kernel_lock(&lock_fd, why, len) || settings_recover(stderr, &found, why, len))
		goto fail;
	for (size_t i = 0; i < sizeof(ksm_knobs) / sizeof(ksm_knobs[0]); i++) {
		int err;

		snprintf(path, sizeof(path), KSM_DIR "%s", ksm_knobs[i]);
		err = settings_save(path);
		/* advisor_mode (6.7), smart_scan (6.7) and the like may be absent. */
		if (err && (err != -ENOENT || i == 0)) {
			snprintf(why, len, "cannot read %s: %s", path, strerror(-err));
			goto fail;
		}
	}
	if (!settings_arm(why, len))
		return 0;
fail:
	ksmd_close();
	return -1;
}

void ksmd_close(void)
{
	settings_put_back();
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
		if (sysfs_read(path, buf, sizeof(buf)))
			continue;
		items = strstr(buf, "ksm_rmap_items ");
		if (strstr(buf, "ksm_mergeable: yes") || strstr(buf, "ksm_merge_any: yes") ||
		    (items && atol(items + strlen("ksm_rmap_items ")) > 0))
			found = pid;
	}
	closedir(d);
	return found;
}

/*
 * Why the kernel columns cannot be measured; NULL when they can. With the
 * lock (kernel_open()), as another kernel run has mergeable processes
 * while it holds it.
 */
static const char *kernel_unavailable(void)
{
	static char why[160];
	pid_t pid;

	if (geteuid() != 0)
		return "not root (/sys/kernel/mm/ksm must be written)";
	if (access(KSM_DIR "run", F_OK))
		return "this kernel has no KSM (" KSM_DIR ")";
	if (kernel_open(why, sizeof(why)))
		return why;
	/* Such a process is mostly a short test of another run: wait for it a while. */
	pid = other_mergeable();
	for (int waited = 0; pid && waited < MERGEABLE_WAIT_S; waited++) {
		sleep(1);
		pid = other_mergeable();
	}
	if (pid) {
		ksmd_close();
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
		if (!sysfs_read_line(path, comm, sizeof(comm)) && !strcmp(comm, "ksmd"))
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
	const char *why = kernel_unavailable();
	int err;

	if (why) {
		snprintf(s->note, sizeof(s->note), "skipped: %.240s", why);
		return;
	}
	err = kernel_run(n, fill, arg, s);
	ksmd_close();
	if (err) {
		s->done = false;
		snprintf(s->note, sizeof(s->note), "skipped: failed: %s", strerror(-err));
	}
}

void ksmd_install_restore(void)
{
	settings_guard(NULL);
	atexit(ksmd_close);
}
