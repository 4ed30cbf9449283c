// SPDX-License-Identifier: MIT
/*
 * Scenarios on another Linux under qemu (mmsim run/diff --kernel-image).
 *
 * The guest is an initramfs written here, in memory: busybox (static) for a
 * shell /init, mmsim-static as /bin/mmsim, and the scenario files. /init
 * mounts /proc, /sys, debugfs (gup_test's), /dev and a tmpfs on /run (the
 * executor's lock) and /tmp, runs `mmsim run --kernel` on the files, prints
 * what it prints on the serial console between two markers and powers off. With
 * `mmsim qemu-exec` the guest runs one static program of the caller's instead
 * of mmsim (bench/kernel_mapcount_timing.c times the kernel so). qemu runs with
 * -machine mem-merge=off: guest memory must not be KSM-mergeable on the host
 * (docs/scenario-language.md, what the kernel executor does).
 * The archive is a plain (uncompressed) newc cpio in a memfd that qemu
 * opens as /proc/self/fd/N: nothing is left on disk, no cpio or gzip tool
 * is needed, and the host needs no root (the guest's init is root).
 *
 * The environment can point elsewhere: MMSIM_QEMU (the qemu binary),
 * MMSIM_QEMU_ACCEL (tcg, the default, or kvm: TCG again when KVM cannot run
 * the guest), MMSIM_QEMU_SMP (virtual CPUs, 2 by default),
 * MMSIM_QEMU_TIMEOUT (seconds for the whole boot),
 * MMSIM_QEMU_BOOT_TRIES (boots tried when the guest dies before the run
 * starts, 3 by default), MMSIM_QEMU_CONSOLE (a
 * file to keep the whole console log in), MMSIM_STATIC (the static mmsim)
 * and MMSIM_BUSYBOX (a static busybox).
 */
#include "qemu.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARK_BEGIN	"@mmsim-guest-begin "
#define MARK_END	"@mmsim-guest-end "
#define GUEST_DIR	"/scenarios"
#define TAIL_LINES	40
#define LINE_MAX_	4096

static int failf(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int failf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Finding what the guest needs ------------------------------------------------ */

/* 1 for a static ELF executable (no PT_INTERP), 0 for a dynamic one, -1 otherwise. */
static int elf_static(const char *path)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;

	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		goto out;
	ret = 1;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (size_t)i * sizeof(ph))) != sizeof(ph)) {
			ret = -1;
			break;
		}
		if (ph.p_type == PT_INTERP) {
			ret = 0;
			break;
		}
	}
out:
	close(fd);
	return ret;
}

/* mmsim-static: $MMSIM_STATIC, this binary if static, or mmsim-static beside it. */
static int find_static_mmsim(char *path, size_t len, char *err, size_t errlen)
{
	const char *env = getenv("MMSIM_STATIC");
	char self[4000];	/* room for "/mmsim-static" in path */
	ssize_t n;

	if (env && *env) {
		if (elf_static(env) != 1)
			return failf(err, errlen, "MMSIM_STATIC=%s is not a static x86-64 executable", env);
		snprintf(path, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return failf(err, errlen, "cannot find this program (/proc/self/exe): %s",
			     strerror(errno));
	self[n] = '\0';
	if (elf_static(self) == 1) {
		snprintf(path, len, "%s", self);
		return 0;
	}
	*strrchr(self, '/') = '\0';
	snprintf(path, len, "%s/mmsim-static", self);
	if (elf_static(path) != 1)
		return failf(err, errlen, "no static mmsim at %s: build the mmsim-static target "
			     "(needs libc.a and libxxhash.a) or set MMSIM_STATIC", path);
	return 0;
}

static int find_busybox(char *path, size_t len, char *err, size_t errlen)
{
	static const char *const where[] = { "/bin/busybox", "/usr/bin/busybox", "/sbin/busybox" };
	const char *env = getenv("MMSIM_BUSYBOX");

	if (env && *env) {
		if (elf_static(env) != 1)
			return failf(err, errlen, "MMSIM_BUSYBOX=%s is not a static x86-64 executable", env);
		snprintf(path, len, "%s", env);
		return 0;
	}
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if (elf_static(where[i]) == 1) {
			snprintf(path, len, "%s", where[i]);
			return 0;
		}
	}
	return failf(err, errlen, "no static busybox (apt-get install busybox-static, or set "
		     "MMSIM_BUSYBOX)");
}

static int find_qemu(char *path, size_t len, char *err, size_t errlen)
{
	const char *env = getenv("MMSIM_QEMU"), *p = getenv("PATH");

	if (env && *env) {
		snprintf(path, len, "%s", env);
		return access(path, X_OK) ? failf(err, errlen, "MMSIM_QEMU=%s: %s", env,
						  strerror(errno)) : 0;
	}
	for (p = p ? p : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(path, len, "%.*s/qemu-system-x86_64", (int)n, p);
		if (n && !access(path, X_OK))
			return 0;
		p += n + (p[n] == ':');
	}
	return failf(err, errlen, "no qemu-system-x86_64 in PATH (apt-get install "
		     "qemu-system-x86, or set MMSIM_QEMU)");
}

/* ---- The initramfs: a cpio archive ("newc") in a memfd --------------------------- */

struct cpio {
	FILE *f;
	unsigned int ino;
};

static void cpio_entry(struct cpio *c, const char *name, unsigned int mode, unsigned int rdev_major,
		       unsigned int rdev_minor, const void *data, size_t size)
{
	static const char zeros[4];
	size_t nlen = strlen(name) + 1;

	fprintf(c->f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		++c->ino, mode, 0u, 0u, (mode & S_IFMT) == S_IFDIR ? 2u : 1u, 0u, size, 0u, 0u,
		rdev_major, rdev_minor, nlen, 0u);
	fwrite(name, 1, nlen, c->f);
	fwrite(zeros, 1, (4 - (110 + nlen) % 4) % 4, c->f);
	if (size)
		fwrite(data, 1, size, c->f);
	fwrite(zeros, 1, (4 - size % 4) % 4, c->f);
}

static int cpio_file(struct cpio *c, const char *name, unsigned int mode, const char *path,
		     char *err, size_t errlen)
{
	FILE *f = fopen(path, "rbe");
	char *data = NULL;
	long size;
	int ret = -1;

	if (!f)
		return failf(err, errlen, "cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		failf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	data = malloc(size ? (size_t)size : 1);
	if (!data) {
		failf(err, errlen, "out of memory");
		goto out;
	}
	if (fread(data, 1, (size_t)size, f) != (size_t)size) {
		failf(err, errlen, "cannot read %s", path);
		goto out;
	}
	cpio_entry(c, name, S_IFREG | mode, 0, 0, data, (size_t)size);
	ret = 0;
out:
	free(data);
	fclose(f);
	return ret;
}

/* 'it'\''s' for it's: a word the guest's shell takes as it is. */
static void shell_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The file the guest knows as files[i]: its own directory keeps names apart. */
static void guest_path(char *buf, size_t len, char **files, int i)
{
	snprintf(buf, len, GUEST_DIR "/%d/%s", i, base_name(files[i]));
}

/* The guest's /init: `mmsim run --kernel ARGS FILE...`, or exec (/bin/guest-exec) with ARGS. */
static char *init_script(const char *exec, const char *args, char **files, int nfiles)
{
	char *text = NULL, path[4200];
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	fputs("#!/bin/busybox sh\n"
	      "# Written by mmsim (cli/qemu.c): run the scenarios, print, power off.\n"
	      "/bin/busybox --install -s /bin\n"
	      "export PATH=/bin\n"
	      "mount -t proc proc /proc\n"
	      "mount -t sysfs sysfs /sys\n"
	      "mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null\n"
	      "mount -t devtmpfs devtmpfs /dev 2>/dev/null\n"
	      "mount -t tmpfs -o mode=0755 tmpfs /run\n"
	      "mount -t tmpfs tmpfs /tmp\n"
	      "# A kernel with virtio-blk built in sees the empty disk: ext2 on /var/tmp, where\n"
	      "# a scenario's swap file goes (swapon refuses a file on tmpfs). Blocks of a\n"
	      "# page, or swapon skips every page whose blocks are not contiguous.\n"
	      "if [ -b /dev/vda ] && mke2fs -q -b 4096 /dev/vda; then\n"
	      "  mkdir -p /var/tmp && mount -t ext2 /dev/vda /var/tmp\n"
	      "fi\n"
	      "cd " GUEST_DIR "\n"
	      "echo \"" MARK_BEGIN "$(uname -r)\"\n", f);
	fputs(exec ? "/bin/guest-exec " : "/bin/mmsim run --kernel ", f);
	fputs(args, f);
	for (int i = 0; i < nfiles; i++) {
		guest_path(path, sizeof(path), files, i);
		fputc(' ', f);
		shell_quote(f, path);
	}
	fputs("\n"
	      "echo \"" MARK_END "$?\"\n"
	      "poweroff -f\n"
	      "echo o >/proc/sysrq-trigger\n", f);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* Writes the initramfs into a new memfd; its descriptor, or -1. */
static int make_initramfs(const char *busybox, const char *mmsim, const char *exec, const char *args,
			  char **files, int nfiles, char *err, size_t errlen)
{
	static const char *const dirs[] = { "bin", "dev", "proc", "sys", "run", "tmp",
					    GUEST_DIR + 1 };
	struct cpio c = { 0 };
	char *init = init_script(exec, args, files, nfiles), name[4200];
	int fd = memfd_create("mmsim-initramfs", MFD_CLOEXEC), ret = -1;

	if (fd < 0 || !init) {
		failf(err, errlen, "cannot build the initramfs: %s", strerror(errno));
		goto out;
	}
	c.f = fdopen(dup(fd), "wb");
	if (!c.f) {
		failf(err, errlen, "cannot build the initramfs: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		cpio_entry(&c, dirs[i], S_IFDIR | 0755, 0, 0, NULL, 0);
	/* The kernel opens /dev/console for init before anything is mounted. */
	cpio_entry(&c, "dev/console", S_IFCHR | 0600, 5, 1, NULL, 0);
	cpio_entry(&c, "init", S_IFREG | 0755, 0, 0, init, strlen(init));
	if (cpio_file(&c, "bin/busybox", 0755, busybox, err, errlen) ||
	    (mmsim && cpio_file(&c, "bin/mmsim", 0755, mmsim, err, errlen)) ||
	    (exec && cpio_file(&c, "bin/guest-exec", 0755, exec, err, errlen)))
		goto out;
	for (int i = 0; i < nfiles; i++) {
		snprintf(name, sizeof(name), "%s/%d", GUEST_DIR + 1, i);
		cpio_entry(&c, name, S_IFDIR | 0755, 0, 0, NULL, 0);
		guest_path(name, sizeof(name), files, i);
		/* A file that cannot be read is left out: the guest says so in its place. */
		if (access(files[i], R_OK) == 0 && cpio_file(&c, name + 1, 0644, files[i], err, errlen))
			goto out;
	}
	cpio_entry(&c, "TRAILER!!!", 0, 0, 0, NULL, 0);
	if (fflush(c.f) || ferror(c.f)) {
		failf(err, errlen, "cannot build the initramfs: %s", strerror(errno));
		goto out;
	}
	ret = fd;
	fd = -1;
out:
	if (c.f)
		fclose(c.f);
	if (fd >= 0)
		close(fd);
	free(init);
	return ret;
}

/* ---- The guest's console ------------------------------------------------------------ */

enum guest_mode { GUEST_TAP, GUEST_JSON, GUEST_RESULTS };

struct guest {
	enum guest_mode mode;
	char **files;
	int nfiles;
	struct qemu_file_result *res;	/* GUEST_RESULTS */
	int cur;			/* the file whose queries arrive, -1 before */
	char release[128];
	bool begun, ended;
	bool kvm_failed;		/* qemu said KVM failed */
	int status;
	double t_start, t_begin, t_end;
	char *tail[TAIL_LINES];		/* the console's last lines, for a failure */
	int ntail;
	FILE *log;			/* MMSIM_QEMU_CONSOLE */
};

static void keep_tail(struct guest *g, const char *line)
{
	char *copy = strdup(line);

	if (!copy)
		return;
	free(g->tail[g->ntail % TAIL_LINES]);
	g->tail[g->ntail++ % TAIL_LINES] = copy;
}

/* A line of the guest's output, its file names put back as given here. */
static void put_local(struct guest *g, const char *line, FILE *out)
{
	const char *p = line;
	char gp[4200];

	while (*p) {
		const char *best = NULL;
		size_t blen = 0;
		int bi = -1;

		for (int i = 0; i < g->nfiles; i++) {
			const char *hit;

			guest_path(gp, sizeof(gp), g->files, i);
			hit = strstr(p, gp);
			if (hit && (!best || hit < best)) {
				best = hit;
				blen = strlen(gp);
				bi = i;
			}
		}
		if (!best) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, (size_t)(best - p), out);
		if (g->mode == GUEST_JSON)
			scn_json_escaped(out, g->files[bi]);
		else
			fputs(g->files[bi], out);
		p = best + blen;
	}
}

/* A message line of the guest into buf, its file names made local. */
static void put_message(struct guest *g, const char *msg, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len - 1, "w");

	buf[len - 1] = '\0';
	if (f) {
		put_local(g, msg, f);
		fclose(f);
	}
}

static void result_line(struct guest *g, const char *line)
{
	size_t fl = strlen(QEMU_FILE), ql = strlen(QEMU_QUERY), bl = strlen(QEMU_BAIL);
	size_t ll = strlen(QEMU_LACKS), ml = strlen(QEMU_LACKS_MACHINE);
	struct qemu_file_result *r = g->cur >= 0 ? &g->res[g->cur] : NULL;

	if (!strncmp(line, QEMU_FILE " ", fl + 1)) {
		int idx, status, nr;

		if (sscanf(line + fl, "%d %d %d", &idx, &status, &nr) != 3 || idx < 0 ||
		    idx >= g->nfiles || nr < 0)
			return;
		g->cur = idx;
		r = &g->res[idx];
		scn_report_free(&r->report);
		r->status = status;
		r->report.results = calloc(nr ? (size_t)nr : 1, sizeof(*r->report.results));
		r->report.cap = r->report.results ? nr : 0;
	} else if (r && !strncmp(line, QEMU_QUERY " ", ql + 1)) {
		struct scn_result *res;
		int lineno, skip, used = 0;
		long long value;

		if (r->report.nr >= r->report.cap ||
		    sscanf(line + ql, "%d %d %lld %n", &lineno, &skip, &value, &used) != 3)
			return;
		res = &r->report.results[r->report.nr++];
		res->ans.value = value;
		res->ans.skip = skip;
		snprintf(res->ans.reason, sizeof(res->ans.reason), "%s", line + ql + used);
		if (skip)
			r->report.skipped++;
	} else if (r && !strncmp(line, QEMU_BAIL " ", bl + 1)) {
		put_message(g, line + bl + 1, r->report.bail, sizeof(r->report.bail));
	} else if (r && !strncmp(line, QEMU_LACKS " ", ll + 1)) {
		put_message(g, line + ll + 1, r->report.lacks, sizeof(r->report.lacks));
	} else if (r && !strncmp(line, QEMU_LACKS_MACHINE " ", ml + 1)) {
		put_message(g, line + ml + 1, r->report.lacks, sizeof(r->report.lacks));
		r->report.lacks_machine = true;
	}
}

static void console_line(struct guest *g, char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		line[--n] = '\0';
	if (g->log)
		fprintf(g->log, "%s\n", line);
	keep_tail(g, line);
	/* The firmware's terminal resets may come first on the marker's line. */
	if (!g->begun) {
		const char *m = strstr(line, MARK_BEGIN);

		if (m) {
			g->begun = true;
			g->t_begin = now_s();
			snprintf(g->release, sizeof(g->release), "%s", m + strlen(MARK_BEGIN));
		}
		return;
	}
	if (g->ended)
		return;
	if (!strncmp(line, MARK_END, strlen(MARK_END))) {
		g->ended = true;
		g->t_end = now_s();
		g->status = atoi(line + strlen(MARK_END));
		return;
	}
	if (g->mode == GUEST_RESULTS)
		result_line(g, line);
	else {
		put_local(g, line, stdout);
		fputc('\n', stdout);
		fflush(stdout);
	}
}

static void print_tail(struct guest *g)
{
	int first = g->ntail > TAIL_LINES ? g->ntail - TAIL_LINES : 0;

	fprintf(stderr, "mmsim: the guest's console ended with:\n");
	for (int i = first; i < g->ntail; i++)
		fprintf(stderr, "  | %s\n", g->tail[i % TAIL_LINES]);
}

/* Forgets a boot that died before the run began, for the next one. */
static void guest_reset(struct guest *g)
{
	for (int i = 0; i < TAIL_LINES; i++) {
		free(g->tail[i]);
		g->tail[i] = NULL;
	}
	g->ntail = 0;
	g->release[0] = '\0';
	g->begun = g->ended = g->kvm_failed = false;
	g->status = 0;
	g->cur = -1;
}

/* ---- Booting ---------------------------------------------------------------------- */

/*
 * TCG unless MMSIM_QEMU_ACCEL says kvm: software emulation works wherever
 * qemu does and boots these kernels in seconds, while nested KVM (a CI
 * runner that is itself a VM) can take a minute to fail on the guest.
 */
static const char *pick_accel(void)
{
	const char *env = getenv("MMSIM_QEMU_ACCEL");

	return env && *env ? env : "tcg";
}

/*
 * A guest that dies before the run starts is the emulator's failure, not a
 * result (seen: 6.12 panicking in text_poke_bp_batch() under TCG during
 * boot): boot again, up to this many times in all.
 */
static int boot_tries(void)
{
	const char *env = getenv("MMSIM_QEMU_BOOT_TRIES");

	return env && atoi(env) > 0 ? atoi(env) : 3;
}

/* The guest's virtual CPUs: one, for timing, keeps TCG's threads off each other. */
static const char *guest_cpus(void)
{
	const char *env = getenv("MMSIM_QEMU_SMP");

	return env && atoi(env) > 0 && atoi(env) <= 64 ? env : "2";
}

/* Seconds for the guest to start the run: a boot that hangs is a boot that died. */
#define BOOT_TIMEOUT_S	180

static long timeout_s(int nfiles)
{
	const char *env = getenv("MMSIM_QEMU_TIMEOUT");

	if (env && atol(env) > 0)
		return atol(env);
	return 300 + 120L * nfiles;
}

/* Splits what arrived on fd into lines for fn; false at EOF. */
struct reader {
	int fd;
	char buf[LINE_MAX_ + 1];
	size_t have;
};

static bool read_lines(struct reader *r, struct guest *g, void (*fn)(struct guest *, char *))
{
	ssize_t n = read(r->fd, r->buf + r->have, LINE_MAX_ - r->have);
	char *nl;

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0) {
		if (r->have) {
			r->buf[r->have] = '\0';
			fn(g, r->buf);
			r->have = 0;
		}
		return false;
	}
	r->have += (size_t)n;
	r->buf[r->have] = '\0';
	while ((nl = memchr(r->buf, '\n', r->have))) {
		*nl = '\0';
		fn(g, r->buf);
		r->have -= (size_t)(nl + 1 - r->buf);
		memmove(r->buf, nl + 1, r->have);
		r->buf[r->have] = '\0';
	}
	if (r->have == LINE_MAX_) {	/* a line this long is not ours */
		fn(g, r->buf);
		r->have = 0;
	}
	return true;
}

/*
 * qemu's own messages: kept for a failure report. KVM that cannot run the
 * guest (nested KVM often fails so) stops the machine with "KVM internal
 * error" and waits forever: note it, to stop at once.
 */
static void qemu_line(struct guest *g, char *line)
{
	char msg[LINE_MAX_ + 16];

	if (strstr(line, "KVM internal error") || strstr(line, "failed to initialize kvm") ||
	    strstr(line, "failed to initialize KVM"))
		g->kvm_failed = true;
	snprintf(msg, sizeof(msg), "qemu: %s", line);
	if (g->log)
		fprintf(g->log, "%s\n", msg);
	keep_tail(g, msg);
}

/* The guest's virtio disk, for a swap file (kernels with virtio-blk built in). */
#define GUEST_DISK_SIZE	(256L << 20)

/*
 * One boot with accel; 0 once the guest said it finished, 1 when KVM failed
 * before the run began, -1 with the reason otherwise.
 */
static int boot_once(struct guest *g, const char *qemu, const char *image, int initrd_fd,
		     const char *accel, char *err, size_t errlen)
{
	char initrd[64], machine[64], node0[64], disk[96], *argv[48];
	struct reader out = { 0 }, qerr = { 0 };
	int pout[2], perr[2], argc = 0, wstatus, open_fds = 2, disk_fd;
	double deadline;
	pid_t pid;

	/* An empty disk for each boot, sparse: the guest's writes are all it costs. */
	disk_fd = memfd_create("mmsim-disk", MFD_CLOEXEC);
	if (disk_fd < 0 || ftruncate(disk_fd, GUEST_DISK_SIZE)) {
		if (disk_fd >= 0)
			close(disk_fd);
		return failf(err, errlen, "cannot make the guest's disk: %s", strerror(errno));
	}
	if (pipe2(pout, O_CLOEXEC)) {
		close(disk_fd);
		return failf(err, errlen, "pipe: %s", strerror(errno));
	}
	if (pipe2(perr, O_CLOEXEC)) {
		close(pout[0]);
		close(pout[1]);
		close(disk_fd);
		return failf(err, errlen, "pipe: %s", strerror(errno));
	}
	snprintf(disk, sizeof(disk), "file=/proc/self/fd/%d,if=virtio,format=raw", disk_fd);
	/* qemu opens the memfd by its number: it inherits it. */
	snprintf(initrd, sizeof(initrd), "/proc/self/fd/%d", initrd_fd);
	snprintf(machine, sizeof(machine), "pc,accel=%s,mem-merge=off", accel);
	argv[argc++] = (char *)qemu;
	argv[argc++] = "-nodefaults";
	argv[argc++] = "-no-user-config";
	argv[argc++] = "-nographic";
	argv[argc++] = "-serial";
	argv[argc++] = "stdio";
	argv[argc++] = "-monitor";
	argv[argc++] = "none";
	argv[argc++] = "-no-reboot";
	argv[argc++] = "-machine";
	argv[argc++] = machine;
	argv[argc++] = "-cpu";
	argv[argc++] = strcmp(accel, "kvm") ? "max" : "host";
	argv[argc++] = "-smp";
	argv[argc++] = (char *)guest_cpus();
	argv[argc++] = "-m";
	argv[argc++] = "3G";
	/*
	 * Two NUMA nodes, for move_pages() (numa 2, rmap.c's migrate tests):
	 * node 0 has the CPUs and 2G, so every process's memory comes from it
	 * first, as in the model; node 1 is 1G of memory alone. merge=off is
	 * mem-merge=off's, per backend.
	 */
	snprintf(node0, sizeof(node0), "node,nodeid=0,cpus=0-%d,memdev=ram0",
		 atoi(guest_cpus()) - 1);
	argv[argc++] = "-object";
	argv[argc++] = "memory-backend-ram,id=ram0,size=2G,merge=off";
	argv[argc++] = "-object";
	argv[argc++] = "memory-backend-ram,id=ram1,size=1G,merge=off";
	argv[argc++] = "-numa";
	argv[argc++] = node0;
	argv[argc++] = "-numa";
	argv[argc++] = "node,nodeid=1,memdev=ram1";
	argv[argc++] = "-drive";
	argv[argc++] = disk;
	argv[argc++] = "-kernel";
	argv[argc++] = (char *)image;
	argv[argc++] = "-initrd";
	argv[argc++] = initrd;
	argv[argc++] = "-append";
	argv[argc++] = "console=ttyS0 panic=-1 quiet";
	argv[argc] = NULL;

	g->kvm_failed = false;
	g->t_start = now_s();
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(pout[1], STDOUT_FILENO) < 0 ||
		    dup2(perr[1], STDERR_FILENO) < 0 || fcntl(initrd_fd, F_SETFD, 0) ||
		    fcntl(disk_fd, F_SETFD, 0))
			_exit(127);
		execv(qemu, argv);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", qemu, strerror(errno));
		_exit(127);
	}
	close(pout[1]);
	close(perr[1]);
	close(disk_fd);
	out.fd = pout[0];
	qerr.fd = perr[0];
	if (pid < 0) {
		close(pout[0]);
		close(perr[0]);
		return failf(err, errlen, "fork: %s", strerror(errno));
	}
	deadline = g->t_start + (double)timeout_s(g->nfiles);
	while (open_fds) {
		struct pollfd p[2] = { { .fd = out.fd, .events = POLLIN },
				       { .fd = qerr.fd, .events = POLLIN } };
		double left = deadline - now_s();

		if (g->kvm_failed && !g->begun) {
			kill(pid, SIGKILL);
			break;
		}
		if (left <= 0) {
			kill(pid, SIGKILL);
			failf(err, errlen, "the guest did not finish within %ld s (MMSIM_QEMU_TIMEOUT)",
			      timeout_s(g->nfiles));
			break;
		}
		if (!g->begun && now_s() - g->t_start > BOOT_TIMEOUT_S) {
			kill(pid, SIGKILL);
			failf(err, errlen, "the guest did not start the run within %d s", BOOT_TIMEOUT_S);
			break;
		}
		if (!g->begun && left > BOOT_TIMEOUT_S)
			left = BOOT_TIMEOUT_S;
		if (poll(p, 2, (int)(left * 1000) + 1) < 0) {
			if (errno == EINTR)
				continue;
			kill(pid, SIGKILL);
			failf(err, errlen, "poll: %s", strerror(errno));
			break;
		}
		if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !read_lines(&out, g, console_line)) {
			out.fd = -1;
			open_fds--;
		}
		if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !read_lines(&qerr, g, qemu_line)) {
			qerr.fd = -1;
			open_fds--;
		}
	}
	close(pout[0]);
	close(perr[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (err[0])
		return -1;
	if (g->kvm_failed && !g->begun)
		return 1;
	if (!g->begun)
		return failf(err, errlen, "the guest never started the run (qemu %s %d)",
			     WIFEXITED(wstatus) ? "exited with" : "was killed by signal",
			     WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus));
	if (!g->ended)
		return failf(err, errlen, "Linux %s stopped before the run finished (a crash?)",
			     g->release);
	return 0;
}

/*
 * Boots image with the files and `mmsim run --kernel ARGS` as the guest's
 * work, or the static program exec with ARGS; feeds the console to g line
 * by line. 0 once the guest said it finished (g->status is its exit
 * status), else -1 with the reason.
 */
static int boot(struct guest *g, const char *image, const char *exec, const char *args, char *err,
		size_t errlen)
{
	char qemu[4096], busybox[4096], mmsim[4096];
	const char *log = getenv("MMSIM_QEMU_CONSOLE"), *accel;
	int fd, ret;

	err[0] = '\0';
	if (access(image, R_OK))
		return failf(err, errlen, "kernel image %s: %s", image, strerror(errno));
	if (find_qemu(qemu, sizeof(qemu), err, errlen) ||
	    find_busybox(busybox, sizeof(busybox), err, errlen) ||
	    (!exec && find_static_mmsim(mmsim, sizeof(mmsim), err, errlen)))
		return -1;
	if (exec && elf_static(exec) != 1)
		return failf(err, errlen, "%s is not a static x86-64 executable", exec);
	fd = make_initramfs(busybox, exec ? NULL : mmsim, exec, args, g->files, g->nfiles, err, errlen);
	if (fd < 0)
		return -1;
	g->log = log && *log ? fopen(log, "we") : NULL;
	accel = pick_accel();
	for (int tries = boot_tries(), tried = 1;; tried++) {
		ret = boot_once(g, qemu, image, fd, accel, err, errlen);
		if (!ret || g->begun)
			break;	/* finished, or failed with the run under way: a result */
		if (!strcmp(accel, "kvm")) {
			/* Tried as one boot: KVM that fails here fails every time. */
			fprintf(stderr, "mmsim: KVM cannot run the guest (%s): booting again with TCG\n",
				ret == 1 ? "qemu said so" : err);
			accel = "tcg";
			tried--;
		} else if (tried < tries) {
			fprintf(stderr, "mmsim: boot %d of %d died before the run started (%s): "
				"booting again\n", tried, tries, err);
		} else {
			char last[320];

			snprintf(last, sizeof(last), "%s", err);
			if (tries > 1)
				failf(err, errlen, "the guest died before the run started, %d times "
				      "(MMSIM_QEMU_BOOT_TRIES); the last: %s", tries, last);
			break;
		}
		print_tail(g);
		guest_reset(g);
		err[0] = '\0';
	}
	close(fd);
	if (g->log)
		fclose(g->log);
	if (ret)
		print_tail(g);
	else
		fprintf(stderr, "mmsim: Linux %s under qemu (%s): booted in %.1f s, ran in %.1f s\n",
			g->release, accel, g->t_begin - g->t_start, g->t_end - g->t_begin);
	return ret;
}

static void guest_free(struct guest *g)
{
	for (int i = 0; i < TAIL_LINES; i++)
		free(g->tail[i]);
}

int qemu_run_tap(const char *image, bool json, bool allow_skip, char **files, int nfiles)
{
	static const char *const args[2][2] = { { "", "--allow-skip" }, { "--json", "--json --allow-skip" } };
	struct guest g = { .mode = json ? GUEST_JSON : GUEST_TAP, .files = files,
			   .nfiles = nfiles, .cur = -1 };
	char err[512] = "";
	int ret = boot(&g, image, NULL, args[json][allow_skip], err, sizeof(err));

	guest_free(&g);
	if (ret) {
		if (!json)
			printf("Bail out! qemu: %s\n", err);
		else
			fprintf(stderr, "mmsim: qemu: %s\n", err);
		return 2;
	}
	return g.status;
}

void qemu_run_reports(const char *image, char **files, int nfiles, struct qemu_file_result *res,
		      char *release, size_t release_len)
{
	struct guest g = { .mode = GUEST_RESULTS, .files = files, .nfiles = nfiles, .res = res,
			   .cur = -1 };
	char err[512] = "";

	for (int i = 0; i < nfiles; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].status = -1;
	}
	/* A guest that cannot run leaves every file without a result: each gets err. */
	boot(&g, image, NULL, "--results", err, sizeof(err));
	snprintf(release, release_len, "%s", g.release);
	for (int i = 0; i < nfiles; i++) {
		if (res[i].status >= 0)
			continue;
		scn_report_free(&res[i].report);
		res[i].status = 2;
		/* The message may be cut to fit: a Bail out! line needs no more. */
		snprintf(res[i].report.bail, sizeof(res[i].report.bail), "qemu: %.*s",
			 (int)sizeof(res[i].report.bail) - 8,
			 err[0] ? err : "the guest did not run this file");
	}
	guest_free(&g);
}

int qemu_exec(const char *image, const char *exec, char **args, int nargs)
{
	struct guest g = { .mode = GUEST_TAP, .cur = -1 };
	char err[512] = "", *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int ret;

	if (!f) {
		fprintf(stderr, "mmsim: qemu-exec: %s\n", strerror(errno));
		return 2;
	}
	for (int i = 0; i < nargs; i++) {
		if (i)
			fputc(' ', f);
		shell_quote(f, args[i]);
	}
	if (fclose(f)) {
		free(text);
		fprintf(stderr, "mmsim: qemu-exec: %s\n", strerror(errno));
		return 2;
	}
	ret = boot(&g, image, exec, text, err, sizeof(err));
	free(text);
	guest_free(&g);
	if (ret) {
		fprintf(stderr, "mmsim: qemu: %s\n", err);
		return 2;
	}
	return g.status;
}
