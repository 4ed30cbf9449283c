// SPDX-License-Identifier: MIT
/*
 * The live kernel's settings, saved before a front end changes them and put
 * back whatever happens: at the end, on a fatal signal, or (after a SIGKILL,
 * which runs no handler) by the next start, from a file under /run.
 */
#include "kernel_settings.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/swap.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"

/*
 * One set per process, in fixed buffers: the restore runs from a signal
 * handler too, so it keeps to plain system calls on memory it need not
 * allocate. This is the one piece of process-wide state of the front ends,
 * and it is so because a signal handler has no other way to reach it.
 */
struct setting {
	char path[112];
	char saved[64];
};

static struct setting settings[64];
static int nr_settings;
static volatile sig_atomic_t armed;	/* changed and not yet put back */
static volatile sig_atomic_t swap_file;	/* KERNEL_SWAP_PATH is ours to take off */
static void (*guard_hook)(void);

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
static struct sigaction old_actions[4];
static bool guarded;

#define NR_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/* ---- Files ------------------------------------------------------------------------ */

int sysfs_write(const char *path, const char *value)
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

int sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int sysfs_read_line(const char *path, char *buf, size_t len)
{
	int ret = sysfs_read(path, buf, len);

	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

int sysfs_read_number(const char *path, long long *v)
{
	char buf[64], *end;
	int ret = sysfs_read_line(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return errno || end == buf ? -EINVAL : 0;
}

void sysfs_current_value(const char *raw, char *out, size_t len)
{
	const char *b = strchr(raw, '['), *e = b ? strchr(b, ']') : NULL;

	if (b && e)
		snprintf(out, len, "%.*s", (int)(e - b - 1), b + 1);
	else
		snprintf(out, len, "%.*s", (int)strcspn(raw, "\n"), raw);
}

/* ---- The lock --------------------------------------------------------------------- */

int kernel_lock(int *fd, char *err, size_t len)
{
	struct timespec pause = { .tv_nsec = 100000000L };
	time_t deadline = time(NULL) + KERNEL_LOCK_TIMEOUT_S;
	char pid[24];

	*fd = open(KERNEL_LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		return scn_fail(err, len, "cannot open %s: %s", KERNEL_LOCK_PATH, scn_errno_name(errno));
	while (flock(*fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return scn_fail(err, len, "flock %s: %s", KERNEL_LOCK_PATH,
					scn_errno_name(errno));
		if (time(NULL) > deadline) {
			if (pread(*fd, pid, sizeof(pid) - 1, 0) <= 0)
				pid[0] = '\0';
			pid[sizeof(pid) - 1] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			return scn_fail(err, len, "another kernel run (pid %s) holds %s; waited %d s",
					pid[0] ? pid : "?", KERNEL_LOCK_PATH, KERNEL_LOCK_TIMEOUT_S);
		}
		nanosleep(&pause, NULL);
	}
	/* Only informative: who holds the lock, for a run that waits for it. */
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (!ftruncate(*fd, 0))
		(void)!pwrite(*fd, pid, strlen(pid), 0);
	return 0;
}

/* ---- The saved set ---------------------------------------------------------------- */

int settings_save(const char *path)
{
	struct setting *s = &settings[nr_settings];
	char raw[64];
	int ret;

	if (nr_settings == (int)(sizeof(settings) / sizeof(settings[0])) ||
	    strlen(path) >= sizeof(s->path))
		return -ENOSPC;
	ret = sysfs_read_line(path, raw, sizeof(raw));
	if (ret)
		return ret;
	snprintf(s->path, sizeof(s->path), "%s", path);
	sysfs_current_value(raw, s->saved, sizeof(s->saved));
	nr_settings++;
	return 0;
}

const char *settings_saved_value(const char *path)
{
	for (int i = 0; i < nr_settings; i++)
		if (!strcmp(settings[i].path, path))
			return settings[i].saved;
	return NULL;
}

int settings_nr(void)
{
	return nr_settings;
}

const char *settings_path(int i)
{
	return i >= 0 && i < nr_settings ? settings[i].path : NULL;
}

bool settings_armed(void)
{
	return armed;
}

static bool under(const char *path, const char *dir)
{
	return !strncmp(path, dir, strlen(dir));
}

static void restore_failed(const char *what)
{
	static const char msg[] = "mmsim: could not restore ";

	/* Nothing more to do when even stderr refuses: not checked. */
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)!write(STDERR_FILENO, what, strlen(what));
	(void)!write(STDERR_FILENO, "\n", 1);
}

/*
 * swapoff() reads back what is still out (a killed run's processes may not
 * have exited yet), then the file goes. EINVAL: it was never swapped on.
 */
static int swap_file_off(void)
{
	if (!swap_file)
		return 0;
	if ((swapoff(KERNEL_SWAP_PATH) && errno != EINVAL && errno != ENOENT) ||
	    (unlink(KERNEL_SWAP_PATH) && errno != ENOENT)) {
		restore_failed("(swap off and remove) " KERNEL_SWAP_PATH);
		return 1;
	}
	swap_file = 0;
	return 0;
}

/* Async-signal-safe: the writes, and a message per failure on stderr. */
static int restore_all(void)
{
	const char *advisor = settings_saved_value(KSM_DIR "advisor_mode");
	int failed = 0;
	bool ksm = false;

	for (int i = 0; i < nr_settings; i++)
		ksm |= under(settings[i].path, KSM_DIR);
	if (ksm)
		sysfs_write(KSM_DIR "run", "2");
	for (int i = 0; i < nr_settings; i++) {
		struct setting *s = &settings[i];

		/* With the advisor on, the kernel owns pages_to_scan (and refuses writes). */
		if (advisor && strcmp(advisor, "none") && !strcmp(s->path, KSM_DIR "pages_to_scan"))
			continue;
		if (sysfs_write(s->path, s->saved)) {
			restore_failed(s->path);
			failed++;
		}
	}
	return failed + swap_file_off();
}

int settings_put_back(void)
{
	int failed = 0;

	if (armed) {
		failed = restore_all();
		/* All back: the file has done its job; else the next start tries again. */
		if (!failed)
			unlink(KERNEL_SAVED_PATH);
		armed = 0;
	}
	nr_settings = 0;
	return failed;
}

int settings_arm(char *err, size_t len)
{
	static const char tmp[] = KERNEL_SAVED_PATH ".new";
	FILE *f = fopen(tmp, "w");
	int ok;

	if (!f)
		return scn_fail(err, len, "cannot write %s: %s", tmp, scn_errno_name(errno));
	fprintf(f, "# mmsim kernel executor, pid %d: the settings before it changed them.\n"
		"# mmsim kernel-restore (or the next mmsim run --kernel) puts them back.\n",
		(int)getpid());
	for (int i = 0; i < nr_settings; i++)
		fprintf(f, "%s %s\n", settings[i].path, settings[i].saved);
	if (swap_file)
		fprintf(f, "swapfile %s\n", KERNEL_SWAP_PATH);
	ok = !fflush(f) && !fsync(fileno(f));
	ok &= !fclose(f);
	if (!ok || rename(tmp, KERNEL_SAVED_PATH)) {
		scn_fail(err, len, "cannot write %s: %s", KERNEL_SAVED_PATH, scn_errno_name(errno));
		unlink(tmp);
		return -1;
	}
	armed = 1;
	return 0;
}

int settings_swap_file_arm(char *err, size_t len)
{
	swap_file = 1;
	return settings_arm(err, len);
}

bool settings_swap_file_armed(void)
{
	return swap_file;
}

/* One "PATH VALUE" line of the file into the set; -1 when it is not one of ours. */
static int saved_line(char *line)
{
	char *value = strchr(line, ' ');
	struct setting *s = &settings[nr_settings];

	line[strcspn(line, "\n")] = '\0';
	/* Only our own swap file: a stray line cannot make root remove another. */
	if (!strcmp(line, "swapfile " KERNEL_SWAP_PATH)) {
		swap_file = 1;
		return 0;
	}
	if (!value || nr_settings == (int)(sizeof(settings) / sizeof(settings[0])))
		return -1;
	*value++ = '\0';
	/* Only our own files, so a stray file cannot make root write elsewhere. */
	if ((!under(line, KSM_DIR) && !under(line, THP_DIR)) || strstr(line, "..") || !*value ||
	    strchr(value, ' ') || strlen(line) >= sizeof(s->path) || strlen(value) >= sizeof(s->saved))
		return -1;
	snprintf(s->path, sizeof(s->path), "%s", line);
	snprintf(s->saved, sizeof(s->saved), "%s", value);
	nr_settings++;
	return 0;
}

/* What the dead run changed, each on out: how many differ from the file. */
static int report_changed(FILE *out)
{
	char now[64], raw[64];
	int changed = 0;

	for (int i = 0; i < nr_settings; i++) {
		if (sysfs_read_line(settings[i].path, raw, sizeof(raw)))
			continue;
		sysfs_current_value(raw, now, sizeof(now));
		if (strcmp(now, settings[i].saved) && ++changed)
			fprintf(out, "mmsim:   %s: %s -> %s\n", settings[i].path, now, settings[i].saved);
	}
	if (swap_file && !access(KERNEL_SWAP_PATH, F_OK) && ++changed)
		fprintf(out, "mmsim:   swap file %s: swap off and remove\n", KERNEL_SWAP_PATH);
	return changed;
}

int settings_recover(FILE *out, bool *found, char *err, size_t len)
{
	char line[256];
	int lineno = 0, failed, changed, nr;
	long pid = 0;
	FILE *f = fopen(KERNEL_SAVED_PATH, "r");

	*found = false;
	if (!f)
		return errno == ENOENT ? 0 : scn_fail(err, len, "cannot read %s: %s",
						      KERNEL_SAVED_PATH, scn_errno_name(errno));
	*found = true;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#') {
			sscanf(line, "# mmsim kernel executor, pid %ld", &pid);
			continue;
		}
		if (saved_line(line)) {
			fclose(f);
			nr_settings = 0;
			swap_file = 0;
			return scn_fail(err, len, "%s:%d: not a line mmsim writes (PATH VALUE under %s or "
					"%s, or swapfile %s); look at the file, then remove it",
					KERNEL_SAVED_PATH, lineno, KSM_DIR, THP_DIR, KERNEL_SWAP_PATH);
		}
	}
	fclose(f);
	fprintf(out, "mmsim: a kernel run (pid %ld) ended without restoring the settings; "
		"restoring them from %s:\n", pid, KERNEL_SAVED_PATH);
	changed = report_changed(out);
	nr = nr_settings + swap_file;
	failed = restore_all();
	nr_settings = 0;
	fprintf(out, "mmsim: %d of %d settings were changed; %s\n", changed, nr,
		failed ? "some could not be restored" : "all restored");
	fflush(out);
	if (failed)
		return scn_fail(err, len, "%d settings of %s could not be restored; the file is kept",
				failed, KERNEL_SAVED_PATH);
	if (unlink(KERNEL_SAVED_PATH))
		return scn_fail(err, len, "cannot remove %s: %s", KERNEL_SAVED_PATH,
				scn_errno_name(errno));
	return 0;
}

/* ---- Fatal signals ---------------------------------------------------------------- */

static void on_fatal_signal(int sig)
{
	if (armed && guard_hook)
		guard_hook();
	settings_put_back();
	/* Die of the signal once the handler returns: it is blocked until then. */
	signal(sig, SIG_DFL);
	raise(sig);
}

void settings_guard(void (*before_put_back)(void))
{
	struct sigaction sa = { .sa_handler = on_fatal_signal };

	guard_hook = before_put_back;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NR_FATAL; i++)
		sigaddset(&sa.sa_mask, fatal_signals[i]);
	for (size_t i = 0; i < NR_FATAL; i++)
		sigaction(fatal_signals[i], &sa, &old_actions[i]);
	guarded = true;
}

void settings_unguard(void)
{
	for (size_t i = 0; guarded && i < NR_FATAL; i++)
		sigaction(fatal_signals[i], &old_actions[i], NULL);
	guarded = false;
	guard_hook = NULL;
}

void settings_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < NR_FATAL; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}
