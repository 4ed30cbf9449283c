// SPDX-License-Identifier: MIT
/*
 * mmsim-calibrate-mapcount: the per-event costs of the mapcount cost model
 * (mmsim_mapcount_model_predict()), measured on the live kernel of this machine beside the
 * simulator's counters for the same workloads, printed and saved to a file.
 *
 * The kernel runs the "linux" scheme (per-page _mapcount, 6.18): every PTE
 * of a large folio comes with its page's atomic, so one kernel cannot show
 * the mapcount work apart from the rest. User space measures what a struct
 * page cache line, an atomic on it and a loop iteration cost; the kernel's
 * fork and munmap of PTE-mapped 2 MiB THPs (munmap in a child: nothing
 * freed; in the parent: the folios freed) give, less the "linux" scheme's
 * counted work at those costs, what each PTE costs the callers (fork_entry,
 * zap_entry) and what freeing adds (free_page). Zero-page PTEs (no rmap at
 * all, one PTE a batch) give what a batch costs beyond its PTEs (fork_call,
 * zap_call): what pre-6.9 kernels, with one rmap call per PTE, paid on
 * every PTE of a large folio.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"

#define SZ_4K		4096UL
#define SZ_2M		(2UL << 20)
#define LOCK_PATH	"/run/mmsim-kernel.lock"
#define THP_2M		"/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled"
#define THP_TOP		"/sys/kernel/mm/transparent_hugepage/enabled"
#define BASE		0x100000000000UL
#define MIN(a, b)	((a) < (b) ? (a) : (b))

static struct {
	unsigned long len;
	int reps;
	const char *out;
} opt = { 256UL << 20, 5, "mapcount-costs.txt" };

/* ---- the 2M THP setting, restored on every exit ---------------------------- */

static char saved_2m[24];
static volatile sig_atomic_t changed_2m;

static int bracketed(const char *path, char *word, size_t size)
{
	char buf[256], *l, *r;
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	l = strchr(buf, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!r || (size_t)(r - l - 1) >= size)
		return -EIO;
	memcpy(word, l + 1, (size_t)(r - l - 1));
	word[r - l - 1] = '\0';
	return 0;
}

/* Async-signal-safe. */
static void restore_2m(void)
{
	int fd;

	if (!changed_2m)
		return;
	fd = open(THP_2M, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, saved_2m, strlen(saved_2m)) > 0)
			changed_2m = 0;
		close(fd);
	}
}

static void on_signal(int sig)
{
	restore_2m();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* 2M THPs on MADV_HUGEPAGE: per size "madvise", unless the setting in force gives them. */
static int allow_2m_thp(void)
{
	char size[24], top[24];
	FILE *f;

	if (bracketed(THP_2M, size, sizeof(size)) || bracketed(THP_TOP, top, sizeof(top)))
		return -ENOENT;
	if (!strcmp(size, "always") || !strcmp(size, "madvise") ||
	    (!strcmp(size, "inherit") && strcmp(top, "never")))
		return 0;
	snprintf(saved_2m, sizeof(saved_2m), "%s", size);
	changed_2m = 1;
	f = fopen(THP_2M, "w");
	if (!f || fputs("madvise", f) < 0 || fclose(f))
		return -EIO;
	return 0;
}

/* ---- kernel workloads, ns per PTE, best of opt.reps ------------------------- */

static volatile unsigned long sink;

static char *kmap_aligned(unsigned long len)
{
	char *p = mmap(NULL, len + SZ_2M, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + len, (size_t)(p + len + SZ_2M - (a + len)));
	return a;
}

/*
 * len of zero-page PTEs: read faults on a mapping without THPs; its first
 * page written, so that the VMA has an anon_vma and fork copies its PTEs.
 */
static char *zero_ptes(unsigned long len)
{
	char *p = kmap_aligned(len);
	unsigned long sum = 0;

	if (!p)
		return NULL;
	madvise(p, len, MADV_NOHUGEPAGE);
	p[0] = 1;
	for (unsigned long off = 0; off < len; off += SZ_4K)
		sum += (unsigned char)((volatile char *)p)[off];
	sink += sum;
	return p;
}

/*
 * 2M THPs, written, then moved 4 KiB past a PMD boundary: every PMD split,
 * the folios stay order 9, each across two page tables (511 + 1 PTEs), as
 * bench/bench_core.c's fork_2m_pte and the simulator's workload below.
 */
static char *pte_mapped_thps(unsigned long len)
{
	char *p = kmap_aligned(len), *res, *dst;

	if (!p)
		return NULL;
	madvise(p, len, MADV_HUGEPAGE);
	for (unsigned long off = 0; off < len; off += SZ_4K)
		((volatile char *)p)[off] = 1;
	res = mmap(NULL, len + 2 * SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (res == MAP_FAILED)
		return NULL;
	dst = (char *)((((uintptr_t)res + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1)) + SZ_4K);
	if (mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED)
		return NULL;
	munmap(res, (size_t)(dst - res));
	munmap(dst + len, (size_t)(res + len + 2 * SZ_2M - (dst + len)));
	madvise(dst, len, MADV_NOHUGEPAGE);	/* khugepaged leaves them alone */
	return dst;
}

/* /proc/vmstat thp_fault_alloc: how many 2M THPs the faults got. */
static unsigned long thp_fault_alloc(void)
{
	char line[128];
	unsigned long v = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "thp_fault_alloc %lu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* The parent's fork() alone, ns; the child exits at once. */
static double time_fork(void)
{
	double t0 = bench_now_ns(), t;
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	t = bench_now_ns() - t0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return t;
}

static double best_fork(unsigned long n)
{
	double best = 1e300;

	for (int r = 0; r < opt.reps; r++) {
		double t = time_fork();

		if (t < 0)
			return -1;
		best = MIN(best, t);
	}
	return best / (double)n;
}

/* munmap of p in a child, after the fork: the folios stay mapped by the parent. */
static double child_munmap(char *p, unsigned long len)
{
	int fds[2], status;
	double t = -1;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		double t0 = bench_now_ns(), d;

		munmap(p, len);
		d = bench_now_ns() - t0;
		_exit(write(fds[1], &d, sizeof(d)) == sizeof(d) ? 0 : 1);
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], &t, sizeof(t)) != sizeof(t))
		t = -1;
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return t;
}

struct kernel_times {
	double fork_zero, zap_zero, fork_thp, zap_thp_shared, zap_thp_free;	/* ns per PTE */
	double fork_empty;						/* ns per fork */
};

/* munmap of a fresh populate(opt.len) each time: ns per PTE, -1 without memory. */
static double best_munmap(char *(*populate)(unsigned long len), unsigned long n)
{
	double best = 1e300;

	for (int r = 0; r < opt.reps; r++) {
		char *p = populate(opt.len);
		double t0;

		if (!p)
			return -1;
		t0 = bench_now_ns();
		munmap(p, opt.len);
		best = MIN(best, bench_now_ns() - t0);
	}
	return best / (double)n;
}

static int measure_kernel(struct kernel_times *k)
{
	unsigned long n = opt.len / SZ_4K, before;
	double best;
	char *p;

	k->fork_empty = best_fork(1);
	p = zero_ptes(opt.len);
	if (!p)
		return -ENOMEM;
	k->fork_zero = best_fork(n) - k->fork_empty / (double)n;
	munmap(p, opt.len);
	k->zap_zero = best_munmap(zero_ptes, n);
	if (k->zap_zero < 0)
		return -ENOMEM;

	before = thp_fault_alloc();
	p = pte_mapped_thps(opt.len);
	if (!p)
		return -ENOMEM;
	if (thp_fault_alloc() - before < opt.len / SZ_2M)
		fprintf(stderr, "note: only %lu of %lu 2M THPs allocated\n",
			thp_fault_alloc() - before, opt.len / SZ_2M);
	/* The first fork clears PageAnonExclusive; the steady state is what repeats. */
	if (time_fork() < 0)
		return -ECHILD;
	k->fork_thp = best_fork(n) - k->fork_empty / (double)n;
	best = 1e300;
	for (int r = 0; r < opt.reps; r++) {
		double t = child_munmap(p, opt.len);

		if (t < 0)
			return -ECHILD;
		best = MIN(best, t);
	}
	k->zap_thp_shared = best / (double)n;
	munmap(p, opt.len);
	k->zap_thp_free = best_munmap(pte_mapped_thps, n);
	return k->zap_thp_free < 0 ? -ENOMEM : 0;
}

/* ---- user space: a struct page line, an atomic on it, a loop iteration ----- */

struct line64 {
	long v;
	char pad[56];
} __attribute__((aligned(64)));

static double user_pass(struct line64 *a, unsigned long n, bool atomic)
{
	double best = 1e300;

	for (int r = 0; r < opt.reps + 1; r++) {
		double t0 = bench_now_ns();

		if (atomic)
			for (unsigned long i = 0; i < n; i++)
				__atomic_fetch_add(&a[i].v, 1, __ATOMIC_SEQ_CST);
		else
			for (unsigned long i = 0; i < n; i++)
				((volatile struct line64 *)a)[i].v++;
		best = MIN(best, bench_now_ns() - t0);
	}
	return best / (double)n;
}

static double user_iter(void)
{
	static int x[512];
	volatile int *v = x;
	double best = 1e300;
	const int loops = 2000;

	for (int r = 0; r < opt.reps; r++) {
		double t0 = bench_now_ns();

		for (int l = 0; l < loops; l++)
			for (int i = 0; i < 512; i++)
				v[i] += 1;
		best = MIN(best, bench_now_ns() - t0);
	}
	return best / (512.0 * loops);
}

/* ---- the simulator's counters for the same workloads, per PTE --------------- */

struct sim_counts {
	struct mmsim_mapcount_cost fork, zap;	/* steady fork; a child's munmap */
};

static void sim_counts(const char *scheme, unsigned long len, struct sim_counts *out)
{
	struct mmsim_config cfg = { .nr_frames = 4 * (len >> 12) + 65536, .scheme = scheme };
	struct mmsim_mapcount_cost c[MMSIM_MC_NR_OPS];
	const unsigned long to = BASE + 4 * len + SZ_4K;
	struct mmsim *sim;
	int p, c1, c2;

	CHECK(NULL, mmsim_create(&cfg, &sim));
	CHECK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_NEVER));
	CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_proc_create(sim, &p));
	CHECK(sim, mmsim_mmap(sim, p, BASE, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE));
	CHECK(sim, mmsim_fill(sim, p, BASE, len, 1));
	CHECK(sim, mmsim_mremap(sim, p, BASE, len, to));
	CHECK(sim, mmsim_fork(sim, p, &c1));	/* clears PageAnonExclusive */
	CHECK(sim, mmsim_exit(sim, c1));
	mmsim_mapcount_costs_enable(sim, true);
	CHECK(sim, mmsim_fork(sim, p, &c2));
	mmsim_mapcount_costs(sim, c);
	out->fork = c[MMSIM_MC_FORK];
	mmsim_mapcount_costs_reset(sim);
	CHECK(sim, mmsim_munmap(sim, c2, to, len));
	mmsim_mapcount_costs(sim, c);
	out->zap = c[MMSIM_MC_ZAP];
	mmsim_destroy(sim);
}

/*
 * Solves entry + c x call = thp, entry + call = zero (c: calls a PTE), both
 * costs kept >= 0.
 */
static void per_call(double *entry, double *call, double thp, double zero,
		     const struct mmsim_mapcount_cost *counts)
{
	double c = (double)counts->calls / (double)counts->entries;

	*entry = (thp - c * zero) / (1 - c);
	if (*entry < 0)
		*entry = 0;
	*call = zero > *entry ? zero - *entry : 0;
}

/* The user-space cost of the rmap work in c, per entry. */
static double work(const struct mmsim_mapcount_model *m, const struct mmsim_mapcount_cost *c)
{
	struct mmsim_mapcount_model w = *m;

	w.fork_entry = w.zap_entry = w.fork_call = w.zap_call = w.step = 0;
	w.scale = 1;
	return mmsim_mapcount_model_predict(&w, MMSIM_MC_OTHER, c) / (double)c->entries;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mmsim-calibrate-mapcount [--size MiB] [--reps N] [--out FILE]\n"
		"  measures the live kernel (root, 2M THPs) and writes the cost model's constants\n"
		"  to FILE (default mapcount-costs.txt) for mmsim-bench-mapcount --costs FILE\n");
}

int main(int argc, char **argv)
{
	struct mmsim_mapcount_model m = { 0 };
	struct kernel_times k;
	struct sim_counts sc;
	struct utsname u;
	struct line64 *a;
	double wf, wz;
	unsigned long n;
	int lock_fd, err;

	for (int i = 1; i < argc; i++) {
		bool more = i + 1 < argc;

		if (!strcmp(argv[i], "--size") && more)
			opt.len = strtoul(argv[++i], NULL, 0) << 20;
		else if (!strcmp(argv[i], "--reps") && more)
			opt.reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--out") && more)
			opt.out = argv[++i];
		else {
			usage();
			return 2;
		}
	}
	if (!opt.len || opt.len % SZ_2M || opt.reps < 1 || opt.reps > 100) {
		usage();
		return 2;
	}
	n = opt.len / SZ_4K;
	uname(&u);
	snprintf(m.kernel, sizeof(m.kernel), "%.79s", u.release);

	/* User space first: nothing of the kernel runs meanwhile. */
	a = aligned_alloc(64, n * sizeof(*a));
	if (!a)
		return 1;
	memset(a, 0, n * sizeof(*a));
	m.line = user_pass(a, n, false);
	m.atomic = user_pass(a, n, true) - m.line;
	m.iter = user_iter();
	free(a);
	if (m.atomic < 0)
		m.atomic = 0;

	lock_fd = open(LOCK_PATH, O_RDWR | O_CREAT, 0644);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX)) {
		fprintf(stderr, "mmsim-calibrate-mapcount: %s: %s\n", LOCK_PATH, strerror(errno));
		return 77;
	}
	atexit(restore_2m);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = allow_2m_thp();
	if (!err)
		err = measure_kernel(&k);
	restore_2m();
	close(lock_fd);
	if (err) {
		fprintf(stderr, "mmsim-calibrate-mapcount: kernel measurement: %s\n", strerror(-err));
		return 1;
	}

	sim_counts("linux", opt.len, &sc);
	/* The kernel's rmap work beyond a zero-page PTE, against user-space costs. */
	wf = work(&m, &sc.fork);
	wz = work(&m, &sc.zap);
	m.scale = 1;
	/*
	 * A zero-page PTE is a batch of one without rmap work: entry + call =
	 * its cost. A THP's PTE: entry + call x (calls a PTE) + its rmap work.
	 */
	per_call(&m.fork_entry, &m.fork_call, k.fork_thp - wf, k.fork_zero, &sc.fork);
	per_call(&m.zap_entry, &m.zap_call, k.zap_thp_shared - wz, k.zap_zero, &sc.zap);
	m.free_page = k.zap_thp_free > k.zap_thp_shared ? k.zap_thp_free - k.zap_thp_shared : 0;
	m.step = m.line;

	printf("kernel %s, %lu MiB, best of %d\n\n", m.kernel, opt.len >> 20, opt.reps);
	printf("%-36s %10s %10s %8s\n", "kernel, ns per PTE", "measured", "predicted", "error");
	printf("%-36s %10.2f %10s\n", "fork, zero-page PTEs", k.fork_zero, "(call)");
	printf("%-36s %10.2f %10s\n", "munmap, zero-page PTEs", k.zap_zero, "(call)");
	{
		double pf = mmsim_mapcount_model_predict(&m, MMSIM_MC_FORK, &sc.fork) / (double)sc.fork.entries;
		double pz = mmsim_mapcount_model_predict(&m, MMSIM_MC_ZAP, &sc.zap) / (double)sc.zap.entries;

		printf("%-36s %10.2f %10.2f %+7.0f%%\n", "fork, PTE-mapped 2M THPs", k.fork_thp, pf,
		       100 * (pf / k.fork_thp - 1));
		printf("%-36s %10.2f %10.2f %+7.0f%%\n", "munmap in a child, PTE-mapped THPs",
		       k.zap_thp_shared, pz, 100 * (pz / k.zap_thp_shared - 1));
	}
	printf("%-36s %10.2f %10s\n", "munmap, PTE-mapped THPs freed", k.zap_thp_free, "(free_page)");
	printf("\nsimulator counters (scheme linux), per PTE: fork atomics %.2f lines %.2f iters %.2f;"
	       " zap atomics %.2f lines %.2f iters %.2f\n",
	       (double)sc.fork.atomics / (double)sc.fork.entries,
	       (double)sc.fork.lines / (double)sc.fork.entries,
	       (double)sc.fork.page_iters / (double)sc.fork.entries,
	       (double)sc.zap.atomics / (double)sc.zap.entries,
	       (double)sc.zap.lines / (double)sc.zap.entries,
	       (double)sc.zap.page_iters / (double)sc.zap.entries);
	printf("user space: line %.3f ns, atomic %.3f ns more, iteration %.3f ns: the mapcount work"
	       " of a PTE is %.2f ns in fork, %.2f ns in munmap\n"
	       "(the rows marked are predicted exactly by construction: what is left of each PTE"
	       " is fork_entry, zap_entry,\n and what an unbatched zero-page PTE costs more is"
	       " fork_call, zap_call)\n\n", m.line, m.atomic, m.iter, wf, wz);
	for (size_t i = 0; mmsim_mapcount_model_field(&m, i, NULL); i++) {
		const char *key;
		double v = *mmsim_mapcount_model_field(&m, i, &key);

		printf("%-12s %.4f\n", key, v);
	}
	err = mmsim_mapcount_model_save(&m, opt.out);
	if (err) {
		fprintf(stderr, "mmsim-calibrate-mapcount: %s: %s\n", opt.out, strerror(-err));
		return 1;
	}
	printf("\nsaved to %s\n", opt.out);
	return 0;
}
