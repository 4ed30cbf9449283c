// SPDX-License-Identifier: MIT
/*
 * mmsim capture: a snapshot of live processes' anonymous memory (VMAs,
 * pages, frames, folio orders, content fingerprints) and of the KSM and THP
 * settings, read from /proc without changing anything, into a capture file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture_db.h"
#include "capture_cmd.h"

#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE 67
#endif

#define PM_PRESENT	(1ULL << 63)
#define PM_SWAP		(1ULL << 62)
#define PM_FILE		(1ULL << 61)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define CHUNK_PAGES	512UL

static volatile int stop_flag;		/* set by SIGINT, SIGTERM, SIGHUP */

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* What one capture reads with: the machine-wide files, root's or not. */
struct reader {
	int kpageflags, kpagecount;	/* -1 without root: no pfns either */
	char *err;
	size_t len;
};

struct cap_args {
	int pids[256];
	int nr_pids;
	bool children, merge_any, leave_running;
	long after_ms, interval_ms, duration_ms;
	const char *out;
	char **command;
};

static int fail(struct reader *r, const char *fmt, const char *a, int pid, int e)
{
	char what[256];

	snprintf(what, sizeof(what), fmt, a);
	if (e == ENOENT || e == ESRCH)
		snprintf(r->err, r->len, "process %d does not exist or exited during the capture (%s)",
			 pid, what);
	else if (e == EACCES || e == EPERM)
		snprintf(r->err, r->len, "process %d: %s: permission denied (capture your own "
			 "processes, or run as root)", pid, what);
	else
		snprintf(r->err, r->len, "process %d: %s: %s", pid, what, strerror(e));
	return -1;
}

/* ---- /proc/PID/stat, ksm_stat, smaps ---------------------------------------------- */

static int read_stat(struct reader *r, struct cap_proc *p)
{
	char path[64], buf[4096], *s;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/stat", p->pid);
	f = fopen(path, "re");
	if (!f)
		return fail(r, "%s", path, p->pid, errno);
	n = (int)fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	s = strrchr(buf, ')');
	if (!s || !strchr(buf, '('))
		return fail(r, "%s: unreadable", path, p->pid, EINVAL);
	snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(s - strchr(buf, '(') - 1),
		 strchr(buf, '(') + 1);
	/* Fields after the comm: state ppid ... starttime is the 22nd of the line. */
	if (sscanf(s + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d "
		   "%*d %llu", &p->ppid, &p->start_time) != 2)
		return fail(r, "%s: unreadable", path, p->pid, EINVAL);
	snprintf(path, sizeof(path), "/proc/%d/ksm_stat", p->pid);
	f = fopen(path, "re");
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			if (!strncmp(buf, "ksm_merge_any: yes", 18))
				p->merge_any = true;
		fclose(f);
	}
	return 0;
}

static bool smaps_header(const char *line, struct cap_vma *v)
{
	unsigned long long s, e, off;
	char perms[8];
	int n = 0;

	if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &n) != 4 || !n)
		return false;
	memset(v, 0, sizeof(*v));
	v->start = s;
	v->end = e;
	v->pgoff = off;
	snprintf(v->perms, sizeof(v->perms), "%s", perms);
	line += n;
	while (*line == ' ')
		line++;
	snprintf(v->name, sizeof(v->name), "%s", line);
	v->name[strcspn(v->name, "\n")] = '\0';
	return true;
}

static void smaps_field(const char *line, struct cap_vma *v)
{
	static const struct { const char *key; size_t off; } fields[] = {
		{ "Rss:", offsetof(struct cap_vma, rss_kb) },
		{ "Pss:", offsetof(struct cap_vma, pss_kb) },
		{ "Anonymous:", offsetof(struct cap_vma, anonymous_kb) },
		{ "AnonHugePages:", offsetof(struct cap_vma, anon_huge_kb) },
		{ "Swap:", offsetof(struct cap_vma, swap_kb) },
	};

	if (!strncmp(line, "VmFlags:", 8)) {
		snprintf(v->vm_flags, sizeof(v->vm_flags), "%.159s", line + 9);
		v->vm_flags[strcspn(v->vm_flags, "\n")] = '\0';
		return;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strncmp(line, fields[i].key, strlen(fields[i].key)))
			*(long *)((char *)v + fields[i].off) = atol(line + strlen(fields[i].key));
}

/* The process's totals: smaps_rollup's Anonymous, AnonHugePages and Pss_Anon. */
static int read_rollup(struct reader *r, struct cap_proc *p)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", p->pid);
	f = fopen(path, "re");
	if (!f)
		return fail(r, "%s", path, p->pid, errno);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Anonymous: %ld", &p->anonymous_kb);
		sscanf(line, "AnonHugePages: %ld", &p->anon_huge_kb);
		sscanf(line, "Pss_Anon: %ld", &p->pss_anon_kb);
	}
	fclose(f);
	return 0;
}

static int read_smaps(struct reader *r, struct cap_proc *p)
{
	char path[64], line[1024];
	size_t room = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", p->pid);
	f = fopen(path, "re");
	if (!f)
		return fail(r, "%s", path, p->pid, errno);
	while (fgets(line, sizeof(line), f)) {
		struct cap_vma v;

		if (smaps_header(line, &v)) {
			if (p->nr_vmas == room) {
				void *n = realloc(p->vmas, (room ? room * 2 : 64) * sizeof(v));

				if (!n) {
					fclose(f);
					return fail(r, "%s", "out of memory", p->pid, ENOMEM);
				}
				p->vmas = n;
				room = room ? room * 2 : 64;
			}
			p->vmas[p->nr_vmas++] = v;
		} else if (p->nr_vmas) {
			smaps_field(line, &p->vmas[p->nr_vmas - 1]);
		}
	}
	fclose(f);
	if (!p->nr_vmas)
		return fail(r, "%s is empty (a kernel thread, or exiting)", path, p->pid, ESRCH);
	return 0;
}

/* ---- Pages ------------------------------------------------------------------------ */

/* A private mapping whose anonymous pages KSM could see. */
static bool vma_captured(const struct cap_vma *v)
{
	static const char *const special[] = { "[vvar]", "[vdso]", "[vsyscall]", "[vvar_vclock]" };

	if (v->perms[3] != 'p')
		return false;
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (!strcmp(v->name, special[i]))
			return false;
	return true;
}

static uint64_t kpage(int fd, uint64_t pfn)
{
	uint64_t v = 0;

	if (fd < 0 || pread(fd, &v, 8, (off_t)(pfn * 8)) != 8)
		return 0;
	return v;
}

/*
 * The folio of a compound page: its head's pfn and its order (as kernel_exec's
 * walk). last, the previous page's, answers for the pages of the same folio
 * without walking again (a THP's 512 pages would cost 512 walks).
 */
static void folio_of(struct reader *r, struct cap_page *pg, const struct cap_page *last)
{
	uint64_t head = pg->pfn, n = 1;

	pg->folio_pfn = pg->pfn;
	pg->folio_order = 0;
	if (!(pg->kpageflags & (3ULL << CAP_KPF_COMPOUND_HEAD)))
		return;
	if (last && last->folio_order && (pg->kpageflags & (1ULL << CAP_KPF_COMPOUND_TAIL)) &&
	    pg->pfn > last->folio_pfn && pg->pfn < last->folio_pfn + (1ULL << last->folio_order)) {
		pg->folio_pfn = last->folio_pfn;
		pg->folio_order = last->folio_order;
		return;
	}
	while (head > 0 && !(kpage(r->kpageflags, head) & (1ULL << CAP_KPF_COMPOUND_HEAD)) &&
	       pg->pfn - head < (1UL << 18))
		head--;
	while (n < (1UL << 18) && (kpage(r->kpageflags, head + n) & (1ULL << CAP_KPF_COMPOUND_TAIL)))
		n++;
	pg->folio_pfn = head;
	while ((1UL << pg->folio_order) < n)
		pg->folio_order++;
}

static struct cap_page *add_page(struct cap_proc *p, size_t *room)
{
	if (p->nr_pages == *room) {
		size_t n = *room ? *room * 2 : 1024;
		void *a = realloc(p->pages, n * sizeof(*p->pages));

		if (!a)
			return NULL;
		p->pages = a;
		*room = n;
	}
	memset(&p->pages[p->nr_pages], 0, sizeof(*p->pages));
	return &p->pages[p->nr_pages++];
}

/* Fingerprints pages [first, first + n) of p, consecutive addresses, through /proc/PID/mem. */
static int fingerprint_run(struct reader *r, int memfd, struct cap_proc *p, size_t first, size_t n,
			   unsigned char *buf)
{
	ssize_t got = pread(memfd, buf, n * 4096, (off_t)p->pages[first].addr);

	if (got != (ssize_t)(n * 4096))
		return fail(r, "reading /proc/PID/mem at %s", "its pages", p->pid,
			    got < 0 ? errno : ESRCH);
	for (size_t i = 0; i < n; i++) {
		cap_fingerprint(buf + i * 4096, &p->pages[first + i].fp);
		p->pages[first + i].has_fp = true;
	}
	return 0;
}

/* The present anonymous pages of one VMA, from pagemap (their contents later). */
static int scan_vma(struct reader *r, int pmfd, struct cap_proc *p, const struct cap_vma *v,
		    size_t *room)
{
	uint64_t pm[CHUNK_PAGES];

	for (uint64_t a = v->start; a < v->end; a += CHUNK_PAGES * 4096) {
		size_t n = (size_t)((v->end - a) / 4096 < CHUNK_PAGES ? (v->end - a) / 4096 : CHUNK_PAGES);
		ssize_t got = pread(pmfd, pm, n * 8, (off_t)(a / 4096 * 8));

		if (got != (ssize_t)(n * 8))
			return fail(r, "reading /proc/%s/pagemap", "PID", p->pid, got < 0 ? errno : ESRCH);
		for (size_t i = 0; i < n; i++) {
			struct cap_page *pg;
			uint64_t flags = 0;

			if (!(pm[i] & (PM_PRESENT | PM_SWAP)))
				continue;
			if (pm[i] & PM_PRESENT && r->kpageflags >= 0) {
				flags = kpage(r->kpageflags, pm[i] & PM_PFN_MASK);
				if (!(flags & ((1ULL << CAP_KPF_ANON) | (1ULL << CAP_KPF_ZERO_PAGE))))
					continue;	/* page cache of a private file mapping */
			} else if (pm[i] & PM_PRESENT && (pm[i] & PM_FILE)) {
				continue;
			}
			pg = add_page(p, room);
			if (!pg)
				return fail(r, "%s", "out of memory", p->pid, ENOMEM);
			pg->addr = a + i * 4096;
			pg->swap = !(pm[i] & PM_PRESENT);
			pg->exclusive = pm[i] & PM_EXCLUSIVE;
			if (pg->swap)
				continue;
			pg->pfn = pm[i] & PM_PFN_MASK;
			pg->kpageflags = flags;
			pg->kpagecount = kpage(r->kpagecount, pg->pfn);
			folio_of(r, pg, p->nr_pages > 1 ? &p->pages[p->nr_pages - 2] : NULL);
		}
	}
	return 0;
}

/* Fingerprints every present page but the zero page's, in runs of adjacent addresses. */
static int fingerprint_all(struct reader *r, struct cap_proc *p)
{
	unsigned char *buf = malloc(CHUNK_PAGES * 4096);
	char path[64];
	size_t i = 0;
	int memfd, ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/mem", p->pid);
	memfd = open(path, O_RDONLY | O_CLOEXEC);
	if (memfd < 0 || !buf) {
		ret = fail(r, "%s", path, p->pid, buf ? errno : ENOMEM);
		goto out;
	}
	while (!ret && i < p->nr_pages) {
		size_t n = 0;

		while (i + n < p->nr_pages && n < CHUNK_PAGES && !p->pages[i + n].swap &&
		       !(p->pages[i + n].kpageflags & (1ULL << CAP_KPF_ZERO_PAGE)) &&
		       p->pages[i + n].addr == p->pages[i].addr + n * 4096)
			n++;
		if (!n) {
			if (p->pages[i].kpageflags & (1ULL << CAP_KPF_ZERO_PAGE)) {
				static const unsigned char zero[4096];

				cap_fingerprint(zero, &p->pages[i].fp);
				p->pages[i].has_fp = true;
			}
			i++;
			continue;
		}
		ret = fingerprint_run(r, memfd, p, i, n, buf);
		i += n;
	}
out:
	if (memfd >= 0)
		close(memfd);
	free(buf);
	return ret;
}

static int scan_pages(struct reader *r, struct cap_proc *p, bool series)
{
	char path[64];
	size_t room = 0;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(r, "%s", path, p->pid, errno);
	/*
	 * Reading pagemap costs 8 bytes a page present or not: a VMA with nothing
	 * resident or swapped (a sanitizer's shadow, a runtime's reservation)
	 * is not walked at all. The time series walks them all: pages may come.
	 */
	for (size_t i = 0; !ret && i < p->nr_vmas; i++)
		if (vma_captured(&p->vmas[i]) && (p->vmas[i].rss_kb || p->vmas[i].swap_kb || series))
			ret = scan_vma(r, fd, p, &p->vmas[i], &room);
	close(fd);
	return ret ? ret : fingerprint_all(r, p);
}

static int capture_proc_now(struct reader *r, struct cap_proc *p)
{
	if (read_stat(r, p) || read_smaps(r, p) || read_rollup(r, p) || scan_pages(r, p, false))
		return -1;
	/* Gone meanwhile? Then what we read may be half of its teardown. */
	if (kill(p->pid, 0) && errno == ESRCH)
		return fail(r, "%s", "checking it still exists", p->pid, ESRCH);
	return 0;
}

/* ---- Settings and counters ------------------------------------------------------------ */

static void add_setting(struct capture *cap, size_t *room, const char *name, const char *path)
{
	char buf[128];
	FILE *f = fopen(path, "re");
	struct cap_setting *s;

	if (!f)
		return;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if (cap->nr_settings == *room) {
		void *n = realloc(cap->settings, (*room + 32) * sizeof(*s));

		if (!n)
			return;
		cap->settings = n;
		*room += 32;
	}
	s = &cap->settings[cap->nr_settings++];
	snprintf(s->name, sizeof(s->name), "%.95s", name);
	/* A sysfs setting is one short line; a longer one is kept cut, as a setting. */
	_Static_assert(sizeof(s->value) == 64, "the precision below is value's size - 1");
	snprintf(s->value, sizeof(s->value), "%.63s", buf);
}

/* Every file of a sysfs directory (one level), and hugepages-*kB/enabled. */
static void add_dir(struct capture *cap, size_t *room, const char *dir, const char *prefix)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char path[512], name[96];

		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%.200s", dir, names[i]->d_name);
			snprintf(name, sizeof(name), "%.40s/%.40s", prefix, names[i]->d_name);
			if (!strncmp(names[i]->d_name, "hugepages-", 10)) {
				snprintf(path, sizeof(path), "%s/%.200s/enabled", dir, names[i]->d_name);
				snprintf(name, sizeof(name), "%.40s/%.40s/enabled", prefix,
					 names[i]->d_name);
			}
			if (strcmp(names[i]->d_name, "khugepaged"))
				add_setting(cap, room, name, path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void capture_settings(struct capture *cap)
{
	size_t room = 0;

	add_dir(cap, &room, "/sys/kernel/mm/ksm", "ksm");
	add_dir(cap, &room, "/sys/kernel/mm/transparent_hugepage", "transparent_hugepage");
	add_dir(cap, &room, "/sys/kernel/mm/transparent_hugepage/khugepaged",
		"transparent_hugepage/khugepaged");
}

/* ---- Which processes ------------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Adds the descendants of the listed pids (by ppid, through /proc). */
static void add_children(int *pids, int *nr, int max)
{
	bool grew = true;

	while (grew) {
		struct dirent *d;
		DIR *dir = opendir("/proc");

		grew = false;
		while (dir && (d = readdir(dir))) {
			char path[300], buf[512], *s;
			int pid = atoi(d->d_name), ppid;
			FILE *f;
			bool known = false;

			if (pid <= 0)
				continue;
			for (int i = 0; i < *nr; i++)
				known |= pids[i] == pid;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			if (known || !(f = fopen(path, "re")))
				continue;
			s = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
			fclose(f);
			if (!s || sscanf(s + 2, "%*c %d", &ppid) != 1)
				continue;
			for (int i = 0; i < *nr && *nr < max; i++)
				if (pids[i] == ppid) {
					pids[(*nr)++] = pid;
					grew = true;
					break;
				}
		}
		if (dir)
			closedir(dir);
	}
}

static void now_utc(char *out, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_for(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);	/* a signal ends it early: the caller checks stop_flag */
}

/* One snapshot of every listed process. */
static int snapshot(struct reader *r, struct capture *cap, int *pids, int nr)
{
	struct utsname u;

	qsort(pids, (size_t)nr, sizeof(*pids), cmp_int);
	cap->procs = calloc((size_t)nr, sizeof(*cap->procs));
	if (!cap->procs)
		return fail(r, "%s", "out of memory", 0, ENOMEM);
	cap->schema_version = CAPTURE_SCHEMA_VERSION;
	if (!uname(&u))
		snprintf(cap->kernel, sizeof(cap->kernel), "%s", u.release);
	now_utc(cap->captured_at, sizeof(cap->captured_at));
	capture_settings(cap);
	for (int i = 0; i < nr; i++) {
		cap->procs[i].pid = pids[i];
		cap->nr_procs++;
		if (stop_flag || capture_proc_now(r, &cap->procs[i]))
			return -1;
	}
	return 0;
}

/* ---- The time series ------------------------------------------------------------------- */

static int add_write(struct capture *cap, size_t *room, const struct cap_write *w)
{
	if (cap->nr_writes == *room) {
		size_t n = *room ? *room * 2 : 1024;
		void *a = realloc(cap->writes, n * sizeof(*w));

		if (!a)
			return -1;
		cap->writes = a;
		*room = n;
	}
	cap->writes[cap->nr_writes++] = *w;
	return 0;
}

/*
 * One sample: the process's pages read again; every page whose fingerprint
 * changed, appeared or went is a write. cur (the last state) becomes the new.
 */
static int sample_proc(struct reader *r, struct capture *cap, size_t *room, struct cap_proc *cur,
		       int seq, long t_ms)
{
	struct cap_proc now = { .pid = cur->pid };
	size_t i = 0, j = 0;
	int ret;

	now.vmas = cur->vmas;
	now.nr_vmas = cur->nr_vmas;
	ret = scan_pages(r, &now, true);
	while (!ret && (i < cur->nr_pages || j < now.nr_pages)) {
		struct cap_page *a = i < cur->nr_pages ? &cur->pages[i] : NULL;
		struct cap_page *b = j < now.nr_pages ? &now.pages[j] : NULL;
		struct cap_write w = { .seq = seq, .t_ms = t_ms, .pid = cur->pid };

		if (a && (!b || a->addr < b->addr)) {
			w.addr = a->addr;
			i++;
		} else if (b && (!a || b->addr < a->addr)) {
			w.addr = b->addr;
			w.present = b->has_fp;
			w.fp = b->fp;
			j++;
		} else {
			i++;
			j++;
			if (a->has_fp == b->has_fp && !memcmp(a->fp.b, b->fp.b, 16))
				continue;
			w.addr = b->addr;
			w.present = b->has_fp;
			w.fp = b->fp;
		}
		if (add_write(cap, room, &w))
			ret = fail(r, "%s", "out of memory", cur->pid, ENOMEM);
	}
	free(cur->pages);
	cur->pages = now.pages;
	cur->nr_pages = now.nr_pages;
	return ret;
}

static int time_series(struct reader *r, struct capture *cap, const struct cap_args *a)
{
	struct cap_proc *cur = calloc(cap->nr_procs, sizeof(*cur));
	long start = mono_ms();
	size_t room = 0;
	int ret = 0;

	if (!cur)
		return fail(r, "%s", "out of memory", 0, ENOMEM);
	for (size_t k = 0; k < cap->nr_procs; k++) {
		cur[k] = cap->procs[k];
		cur[k].pages = malloc((cap->procs[k].nr_pages + 1) * sizeof(struct cap_page));
		if (!cur[k].pages) {
			ret = fail(r, "%s", "out of memory", 0, ENOMEM);
			break;
		}
		memcpy(cur[k].pages, cap->procs[k].pages, cap->procs[k].nr_pages * sizeof(struct cap_page));
	}
	cap->interval_ms = a->interval_ms;
	cap->duration_ms = a->duration_ms;
	for (int seq = 1; !ret && (long)seq * a->interval_ms <= a->duration_ms; seq++) {
		long due = start + seq * a->interval_ms;

		while (!stop_flag && mono_ms() < due)
			sleep_for(due - mono_ms());
		if (stop_flag)
			break;
		for (size_t k = 0; !ret && k < cap->nr_procs; k++)
			ret = sample_proc(r, cap, &room, &cur[k], seq, mono_ms() - start);
	}
	for (size_t k = 0; k < cap->nr_procs; k++)
		free(cur[k].pages);
	free(cur);
	return stop_flag ? -1 : ret;
}

/* ---- The command form ------------------------------------------------------------------ */

/* Starts the command in its own process group, merge-any if asked; traced to stop at exit. */
static pid_t start_command(const struct cap_args *a, char *err, size_t len)
{
	int pipefd[2];
	pid_t pid;
	int e = 0;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		setpgid(0, 0);
		if (a->merge_any && prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0))
			e = errno;
		if (!e) {
			execvp(a->command[0], a->command);
			e = errno;
		}
		if (write(pipefd[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	setpgid(pid, pid);
	if (read(pipefd[0], &e, sizeof(e)) == sizeof(e)) {
		waitpid(pid, NULL, 0);
		snprintf(err, len, "%s: %s%s", a->command[0],
			 a->merge_any && e != ENOENT ? "PR_SET_MEMORY_MERGE or exec: " : "",
			 strerror(e));
		pid = -1;
	}
	close(pipefd[0]);
	return pid;
}

/*
 * Waits until the command is about to exit (ptrace's exit stop: its memory
 * still there) or --after has passed. 1: stopped at exit, 0: time is up.
 */
static int wait_command(pid_t pid, const struct cap_args *a, char *err, size_t len)
{
	long deadline = a->after_ms ? mono_ms() + a->after_ms : 0;
	bool traced = !a->after_ms &&
		      !ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)PTRACE_O_TRACEEXIT);
	int status;

	if (!a->after_ms && !traced) {
		snprintf(err, len, "cannot trace the command to capture it at exit (%s): use --after",
			 strerror(errno));
		return -1;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (stop_flag)
			return -1;
		if (w == pid && WIFSTOPPED(status) && status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
			return 1;
		if (w == pid && WIFSTOPPED(status)) {
			ptrace(PTRACE_CONT, pid, 0, (void *)(long)WSTOPSIG(status));
			continue;
		}
		if (w == pid) {
			snprintf(err, len, "%s exited before it could be captured", a->command[0]);
			return -1;
		}
		if (deadline && mono_ms() >= deadline)
			return 0;
		sleep_for(5);
	}
}

/* ---- The command line ------------------------------------------------------------------- */

static void capture_usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim capture -o FILE --pid PID [--pid PID ...] [--children]\n"
		"                     [--interval MS --duration S]\n"
		"       mmsim capture -o FILE [--merge-any] [--after S [--leave-running]]\n"
		"                     [--children] [--interval MS --duration S] -- COMMAND ARGS...\n"
		"\n"
		"Records the processes' VMAs, their present anonymous pages (frame, kpageflags,\n"
		"kpagecount, pagemap bits, a 128-bit fingerprint of the contents, never the\n"
		"contents) and the KSM and THP settings into FILE, an SQLite database\n"
		"(docs/capture-format.md). Nothing is changed on the machine.\n"
		"  --children       the processes' descendants too\n"
		"  --merge-any      start COMMAND with PR_SET_MEMORY_MERGE (all its anonymous\n"
		"                   memory mergeable, kept across exec and fork)\n"
		"  --after S        capture S seconds after the start (default: when COMMAND\n"
		"                   exits, stopped by ptrace before its memory goes); then\n"
		"                   COMMAND is sent SIGTERM unless --leave-running\n"
		"  --interval MS --duration S\n"
		"                   after the snapshot, re-read the pages every MS ms for S s\n"
		"                   and record which were written (by fingerprint)\n"
		"Without root only your own processes, without frames or folio orders.\n");
}

static bool parse_long(const char *s, long scale, long *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0 || v * scale > 1e12)
		return false;
	*out = (long)(v * scale);
	return true;
}

static int parse_args(int argc, char **argv, struct cap_args *a)
{
	for (int i = 0; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--")) {
			a->command = argv + i + 1;
			if (i + 1 == argc)
				return -1;
			break;
		} else if (!strcmp(o, "--children")) {
			a->children = true;
			continue;
		} else if (!strcmp(o, "--merge-any")) {
			a->merge_any = true;
			continue;
		} else if (!strcmp(o, "--leave-running")) {
			a->leave_running = true;
			continue;
		} else if (!v) {
			return -1;
		} else if (!strcmp(o, "-o")) {
			a->out = v;
		} else if (!strcmp(o, "--pid")) {
			char *end;
			long pid = strtol(v, &end, 10);

			if (*end || pid <= 0 || pid > 1 << 22 || a->nr_pids == 256)
				return -1;
			a->pids[a->nr_pids++] = (int)pid;
		} else if (!strcmp(o, "--after")) {
			if (!parse_long(v, 1000, &a->after_ms) || !a->after_ms)
				return -1;
		} else if (!strcmp(o, "--interval")) {
			if (!parse_long(v, 1, &a->interval_ms) || !a->interval_ms)
				return -1;
		} else if (!strcmp(o, "--duration")) {
			if (!parse_long(v, 1000, &a->duration_ms))
				return -1;
		} else {
			return -1;
		}
		i++;
	}
	if (!a->out || !a->command == !a->nr_pids || (!a->interval_ms != !a->duration_ms))
		return -1;
	if (!a->command && (a->merge_any || a->after_ms || a->leave_running))
		return -1;
	return 0;
}

static void install_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, NULL);
}

static int run_capture(struct cap_args *a, pid_t cmd, char *err, size_t len)
{
	struct reader r = { .err = err, .len = len };
	struct capture cap = { 0 };
	int ret;

	r.kpageflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	r.kpagecount = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	if (r.kpageflags < 0 || r.kpagecount < 0) {
		fprintf(stderr, "mmsim capture: /proc/kpageflags unreadable (%s): no frames, folio "
			"orders or sharing recorded (run as root for them)\n", strerror(errno));
		if (r.kpageflags >= 0)
			close(r.kpageflags);
		r.kpageflags = -1;
	}
	if (a->children)
		add_children(a->pids, &a->nr_pids, 256);
	ret = snapshot(&r, &cap, a->pids, a->nr_pids);
	if (!ret && cmd > 0 && !a->leave_running && !a->interval_ms)
		kill(-cmd, SIGTERM);	/* done with it: the capture is in memory */
	if (!ret && a->interval_ms)
		ret = time_series(&r, &cap, a);
	if (!ret && !stop_flag)
		ret = capture_save(&cap, a->out, &stop_flag, err, len);
	if (stop_flag && (ret || !err[0]))
		snprintf(err, len, "interrupted: no capture written");
	if (!ret) {
		size_t pages = 0;

		for (size_t i = 0; i < cap.nr_procs; i++)
			pages += cap.procs[i].nr_pages;
		fprintf(stderr, "mmsim capture: %zu processes, %zu anonymous pages, %zu writes "
			"in the time series -> %s\n", cap.nr_procs, pages, cap.nr_writes, a->out);
	}
	if (r.kpageflags >= 0)
		close(r.kpageflags);
	if (r.kpagecount >= 0)
		close(r.kpagecount);
	capture_free(&cap);
	return ret;
}

int cmd_capture(int argc, char **argv)
{
	struct cap_args a = { 0 };
	char err[512] = "";
	pid_t cmd = 0;
	int ret, at_exit = 0;

	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		capture_usage(stdout);
		return 0;
	}
	if (parse_args(argc, argv, &a)) {
		capture_usage(stderr);
		return 2;
	}
	install_stop();
	if (a.command) {
		cmd = start_command(&a, err, sizeof(err));
		if (cmd < 0) {
			fprintf(stderr, "mmsim capture: %s\n", err[0] ? err : strerror(errno));
			return 1;
		}
		at_exit = wait_command(cmd, &a, err, sizeof(err));
		if (at_exit < 0) {
			kill(-cmd, SIGTERM);
			waitpid(cmd, NULL, 0);
			fprintf(stderr, "mmsim capture: %s\n", err[0] ? err : "interrupted");
			return 1;
		}
		a.pids[a.nr_pids++] = cmd;
	}
	ret = run_capture(&a, cmd, err, sizeof(err));
	if (at_exit > 0)
		ptrace(PTRACE_DETACH, cmd, 0, 0);
	if (cmd > 0 && a.leave_running && !ret)
		fprintf(stderr, "mmsim capture: %d (%s) left running\n", cmd, a.command[0]);
	else if (cmd > 0) {
		kill(-cmd, SIGTERM);
		waitpid(cmd, NULL, 0);
	}
	if (ret) {
		fprintf(stderr, "mmsim capture: %s\n", err);
		return 1;
	}
	return 0;
}
