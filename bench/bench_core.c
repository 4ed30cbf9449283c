// SPDX-License-Identifier: MIT
/*
 * mmsim-bench-core: the simulator's core operations timed against the live
 * kernel doing the same work, in the same run. See bench/README.md.
 *
 * Every figure is the median over --reps repetitions of (elapsed time of the
 * repetition / operations in it), timed with clock_gettime(CLOCK_MONOTONIC);
 * the minimum is written to the JSON file too. All kernel measurements run
 * first, before any simulator instance exists, so that the kernel's fork does
 * not also copy the simulator's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mmsim/mmsim.h>

#include "bench_util.h"
#include "kernel_settings.h"
#include "run.h"

#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((a) - 1))
#define SZ_4K	4096UL
#define SZ_64K	(64UL << 10)
#define SZ_2M	(2UL << 20)
#define MiB	(1UL << 20)

/* Simulator addresses: a 2 MiB-aligned source and a destination for mremap. */
#define SIM_BASE	0x100000000000UL
#define SIM_MOVED	0x200000000000UL


/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static struct {
	unsigned long len;	/* bytes per measurement */
	int reps;
	bool quick, no_kernel, check;
	const char *json, *only, *plot;	/* --plot PREFIX: PREFIX.png and .svg */
} opt = {
	.len = 256 * MiB,
	.reps = 5,
};

/* ------------------------------------------------------------------------ */
/* Operations and results                                                   */

enum op_id {
	OP_FAULT_4K,
	OP_FAULT_4K_DATA,
	OP_FAULT_64K,
	OP_FAULT_2M,
	OP_FORK_4K,
	OP_FORK_2M_PTE,
	OP_MUNMAP_4K,
	OP_MUNMAP_2M_PTE,
	NR_OPS,
};

struct op {
	const char *name;	/* for --only and JSON */
	const char *title;	/* for the table */
	const char *unit;	/* what one "op" is */
	unsigned int target_den;	/* sim <= kernel / target_den; 0: no target */
};

static const struct op ops[NR_OPS] = {
	[OP_FAULT_4K] = { "fault_4k", "write fault 4K", "fault", 15 },
	[OP_FAULT_4K_DATA] = { "fault_4k_data", "write fault 4K, contents", "fault", 0 },
	[OP_FAULT_64K] = { "fault_64k", "write fault 64K mTHP", "fault", 0 },
	[OP_FAULT_2M] = { "fault_2m", "write fault 2M THP", "fault", 0 },
	[OP_FORK_4K] = { "fork_4k", "fork+exit, 4K pages", "PTE", 8 },
	[OP_FORK_2M_PTE] = { "fork_2m_pte", "fork+exit, PTE-mapped 2M", "PTE", 8 },
	[OP_MUNMAP_4K] = { "munmap_4k", "munmap, 4K pages", "page", 10 },
	[OP_MUNMAP_2M_PTE] = { "munmap_2m_pte", "munmap, PTE-mapped 2M", "page", 10 },
};

struct side {
	bool done;
	double median, min;	/* ns per op */
	char note[160];		/* why skipped, or a warning about the setup */
};

static struct {
	struct side sim, kernel;
	double floor;		/* ns per op of the bare descriptor passes; 0: none */
} results[NR_OPS];

static bool selected(enum op_id id)
{
	const char *p = opt.only;
	size_t n = strlen(ops[id].name);

	if (!p)
		return true;
	while ((p = strstr(p, ops[id].name))) {
		if ((p == opt.only || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

/* A remark on a side's result. */
#define note(s, ...) bench_note((s)->note, sizeof((s)->note), __VA_ARGS__)

/* Median and minimum of the per-repetition figures. */
static void summarize(struct side *s, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	s->min = v[0];
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s->done = true;
}

/* ------------------------------------------------------------------------ */
/* THP sysfs settings: cli/kernel_settings.c saves and restores them         */

static int lock_fd = -1;

static void kernel_close(void)
{
	settings_put_back();
	if (lock_fd >= 0)
		close(lock_fd);	/* releases the flock */
	lock_fd = -1;
}

/*
 * The kernel executor's lock (no scenario changes THP meanwhile), what a
 * killed run left put back, and every per-size hugepages-*kB/enabled saved
 * with its restore armed: 0, or -1 with why in why.
 */
static int kernel_open(char *why, size_t len)
{
	glob_t g;
	bool found;
	int err = 0;

	if (kernel_lock(&lock_fd, why, len) || settings_recover(stderr, &found, why, len))
		goto fail;
	if (glob(THP_DIR "hugepages-*kB/enabled", 0, NULL, &g) != 0) {
		snprintf(why, len, "no %shugepages-*kB/enabled", THP_DIR);
		goto fail;
	}
	for (size_t i = 0; i < g.gl_pathc && !err; i++)
		err = settings_save(g.gl_pathv[i]);
	if (err)
		snprintf(why, len, "%s: %s", g.gl_pathv[settings_nr()], strerror(-err));
	globfree(&g);
	if (!err && !settings_arm(why, len))
		return 0;
fail:
	kernel_close();
	return -1;
}

/* Every per-size control to "never" except the one for size (KiB), set to mode. */
static int set_only_size(unsigned long kib, const char *mode)
{
	char want[64];

	snprintf(want, sizeof(want), "/hugepages-%lukB/enabled", kib);
	for (int i = 0; i < settings_nr(); i++) {
		const char *path = settings_path(i), *w = strstr(path, want) ? mode : "never";
		char raw[128], cur[24];
		int err;

		if (!sysfs_read(path, raw, sizeof(raw))) {
			sysfs_current_value(raw, cur, sizeof(cur));
			if (!strcmp(cur, w))
				continue;
		}
		err = sysfs_write(path, w);
		if (err)
			return err;
	}
	return 0;
}

static unsigned long read_ulong(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoul(buf, NULL, 10);
}

static unsigned long thp_fault_allocs(unsigned long kib)
{
	char path[128];

	snprintf(path, sizeof(path), THP_DIR "hugepages-%lukB/stats/anon_fault_alloc", kib);
	return read_ulong(path);
}

/* ------------------------------------------------------------------------ */
/* The live kernel                                                          */

static volatile unsigned long sink;

static char *kmap(unsigned long len, unsigned long align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t a, e;

	if (p == MAP_FAILED)
		return NULL;
	if (!align)
		return p;
	a = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	e = (uintptr_t)p + len + align;
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	if (e > a + len)
		munmap((void *)(a + len), e - (a + len));
	return (char *)a;
}

/* Writes c once per step bytes: one fault each. Returns the elapsed ns. */
static double ktouch(char *p, unsigned long len, unsigned long step, char c)
{
	volatile char *v = p;
	double t0 = bench_now_ns();

	for (unsigned long off = 0; off < len; off += step)
		v[off] = c;
	return bench_now_ns() - t0;
}

/* Reads back what was written, so that no compiler may drop the writes. */
static void kconsume(const char *p, unsigned long len, unsigned long step)
{
	const volatile char *v = p;
	unsigned long sum = 0;

	for (unsigned long off = 0; off < len; off += step)
		sum += (unsigned char)v[off];
	sink += sum;
}

/* Is the page at p part of a THP (KPF_THP) still? -1 when it cannot tell. */
static int kpage_is_thp(const void *p)
{
	uint64_t pm, flags;
	int fd, ret = -1;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return -1;
	if (pread(fd, &pm, sizeof(pm), (off_t)((uintptr_t)p / SZ_4K * 8)) == sizeof(pm) &&
	    (pm & MMSIM_PM_PRESENT) && (pm & MMSIM_PM_PFN_MASK)) {
		int kf = open("/proc/kpageflags", O_RDONLY);

		if (kf >= 0) {
			if (pread(kf, &flags, sizeof(flags),
				  (off_t)((pm & MMSIM_PM_PFN_MASK) * 8)) == sizeof(flags))
				ret = !!(flags & (1ULL << MMSIM_KPF_THP));
			close(kf);
		}
	}
	close(fd);
	return ret;
}

/*
 * A populated mapping of len bytes: 4K pages (MADV_NOHUGEPAGE), or 2M THPs
 * PTE-mapped by a move to a 4K-misaligned address, which splits every PMD
 * but keeps the folios whole (order 9), as move_page_tables() does.
 */
static char *kpopulate(unsigned long len, bool pte_mapped_thp, struct side *s)
{
	char *p, *res, *dst;
	unsigned long before;

	if (!pte_mapped_thp) {
		p = kmap(len, 0);
		if (!p)
			return NULL;
		madvise(p, len, MADV_NOHUGEPAGE);
		ktouch(p, len, SZ_4K, 1);
		kconsume(p, len, SZ_4K);
		return p;
	}
	p = kmap(len, SZ_2M);
	if (!p)
		return NULL;
	madvise(p, len, MADV_HUGEPAGE);
	before = thp_fault_allocs(2048);
	ktouch(p, len, SZ_4K, 1);
	if (thp_fault_allocs(2048) - before < len / SZ_2M)
		note(s, "only %lu of %lu 2M THPs allocated", thp_fault_allocs(2048) - before,
		     len / SZ_2M);
	res = mmap(NULL, len + 2 * SZ_2M, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED) {
		munmap(p, len);
		return NULL;
	}
	dst = (char *)((((uintptr_t)res + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1)) + SZ_4K);
	if (mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED) {
		munmap(p, len);
		munmap(res, len + 2 * SZ_2M);
		return NULL;
	}
	munmap(res, (size_t)(dst - res));
	munmap(dst + len, (size_t)(res + len + 2 * SZ_2M - (dst + len)));
	/* khugepaged must not collapse them back while we measure. */
	madvise(dst, len, MADV_NOHUGEPAGE);
	kconsume(dst, len, SZ_4K);
	if (bench_smaps_anon_huge(dst) != 0)
		note(s, "AnonHugePages %ld kB after the move, not 0", bench_smaps_anon_huge(dst));
	if (kpage_is_thp(dst) == 0 || kpage_is_thp(dst + len / 2) == 0)
		note(s, "folios are not THPs after the move");
	return dst;
}

static int kernel_fault(enum op_id id, struct side *s)
{
	unsigned long step = id == OP_FAULT_64K ? SZ_64K : id == OP_FAULT_2M ? SZ_2M : SZ_4K;
	unsigned long n = opt.len / step, before = 0, got = 0;
	double v[opt.reps];
	int err;

	if (id == OP_FAULT_64K && (err = set_only_size(64, "always")))
		return err;
	if (id == OP_FAULT_2M && (err = set_only_size(2048, "madvise")))
		return err;
	for (int r = 0; r < opt.reps; r++) {
		char *p = kmap(opt.len, step == SZ_4K ? 0 : SZ_2M);

		if (!p)
			return -ENOMEM;
		madvise(p, opt.len, step == SZ_4K ? MADV_NOHUGEPAGE : MADV_HUGEPAGE);
		if (step > SZ_4K)
			before = thp_fault_allocs(step >> 10);
		v[r] = ktouch(p, opt.len, step, id == OP_FAULT_4K_DATA) / (double)n;
		if (step > SZ_4K)
			got += thp_fault_allocs(step >> 10) - before;
		kconsume(p, opt.len, step);
		munmap(p, opt.len);
	}
	if (step > SZ_4K && got < n * (unsigned long)opt.reps)
		note(s, "only %lu of %lu faults got a %luK folio", got, n * (unsigned long)opt.reps,
		     step >> 10);
	summarize(s, v, opt.reps);
	return 0;
}

static int kernel_fork(enum op_id id, struct side *s)
{
	bool thp = id == OP_FORK_2M_PTE;
	unsigned long n = opt.len / SZ_4K;
	double v[opt.reps];
	char *p;
	int err;

	if (thp && (err = set_only_size(2048, "madvise")))
		return err;
	p = kpopulate(opt.len, thp, s);
	if (!p)
		return -ENOMEM;
	for (int r = 0; r < opt.reps; r++) {
		double t0 = bench_now_ns();
		int status;
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			err = -errno;
			munmap(p, opt.len);
			return err;
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
			munmap(p, opt.len);
			return -ECHILD;
		}
		v[r] = (bench_now_ns() - t0) / (double)n;
	}
	kconsume(p, opt.len, SZ_4K);
	munmap(p, opt.len);
	summarize(s, v, opt.reps);
	return 0;
}

static int kernel_munmap(enum op_id id, struct side *s)
{
	bool thp = id == OP_MUNMAP_2M_PTE;
	unsigned long n = opt.len / SZ_4K;
	double v[opt.reps];
	int err;

	if (thp && (err = set_only_size(2048, "madvise")))
		return err;
	for (int r = 0; r < opt.reps; r++) {
		char *p = kpopulate(opt.len, thp, s);
		double t0;

		if (!p)
			return -ENOMEM;
		t0 = bench_now_ns();
		if (munmap(p, opt.len))
			return -errno;
		v[r] = (bench_now_ns() - t0) / (double)n;
	}
	summarize(s, v, opt.reps);
	return 0;
}

/* Why the kernel columns cannot be measured here; NULL when they can. */
static const char *kernel_unavailable(enum op_id id)
{
	static char why[256];
	bool needs_sysfs = id != OP_FAULT_4K && id != OP_FAULT_4K_DATA && id != OP_FORK_4K &&
			   id != OP_MUNMAP_4K;

	if (opt.no_kernel)
		return "--no-kernel";
	if (!needs_sysfs)
		return NULL;
	if (geteuid() != 0)
		return "not root (THP sysfs controls needed)";
	if (access(THP_DIR "hugepages-64kB/enabled", W_OK) && id == OP_FAULT_64K)
		return "no hugepages-64kB control";
	if (access(THP_DIR "hugepages-2048kB/enabled", W_OK) && id != OP_FAULT_64K)
		return "no hugepages-2048kB control";
	if (kernel_open(why, sizeof(why)))
		return why;
	return NULL;
}

static void run_kernel(enum op_id id)
{
	struct side *s = &results[id].kernel;
	const char *why = kernel_unavailable(id);
	int err;

	if (why) {
		snprintf(s->note, sizeof(s->note), "skipped: %.140s", why);
		return;
	}
	switch (id) {
	case OP_FAULT_4K:
	case OP_FAULT_4K_DATA:
	case OP_FAULT_64K:
	case OP_FAULT_2M:
		err = kernel_fault(id, s);
		break;
	case OP_FORK_4K:
	case OP_FORK_2M_PTE:
		err = kernel_fork(id, s);
		break;
	default:
		err = kernel_munmap(id, s);
		break;
	}
	if (err) {
		s->done = false;
		snprintf(s->note, sizeof(s->note), "skipped: failed: %s", strerror(-err));
	}
	kernel_close();
}

/* ------------------------------------------------------------------------ */
/* The simulator                                                            */

static struct mmsim *sim_new(int *pid)
{
	struct mmsim_config cfg = {
		/* the pages, a child's page tables, and room to spare */
		.nr_frames = 2 * (opt.len / SZ_4K) + 16384,
		.seed = 1,
		.verify_every_step = false,
	};
	struct mmsim *sim;

	CHECK(NULL, mmsim_create(&cfg, &sim));
	CHECK(sim, mmsim_proc_create(sim, pid));
	return sim;
}

/*
 * Writes byte c at the start of every step bytes, one call (and one fault)
 * each. With c = 0 the model stores no contents for the page (it keeps only
 * pages that are not all zeroes), so the time is the fault path alone; with
 * c != 0 each written page also gets a 4 KiB contents buffer.
 */
static double sim_touch(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			unsigned long step, int c)
{
	double t0 = bench_now_ns();

	for (unsigned long off = 0; off < len; off += step)
		CHECK(sim, mmsim_fill(sim, pid, addr + off, 1, c));
	return bench_now_ns() - t0;
}

static void sim_expect_order(struct mmsim *sim, int pid, unsigned long addr, int want,
			     struct side *s)
{
	int order;

	CHECK(sim, mmsim_folio_order(sim, pid, addr, &order));
	if (order != want)
		note(s, "folio order %d at %#lx, expected %d", order, addr, want);
}

/* As kpopulate(); returns the address of the populated range. */
static unsigned long sim_populate(struct mmsim *sim, int pid, bool pte_mapped_thp,
				  struct side *s)
{
	struct mmsim_smaps sm;

	CHECK(sim, mmsim_mmap(sim, pid, SIM_BASE, opt.len, MMSIM_PROT_READ | MMSIM_PROT_WRITE));
	if (!pte_mapped_thp) {
		CHECK(sim, mmsim_madvise(sim, pid, SIM_BASE, opt.len, MMSIM_MADV_NOHUGEPAGE));
		sim_touch(sim, pid, SIM_BASE, opt.len, SZ_4K, 1);
		sim_expect_order(sim, pid, SIM_BASE, 0, s);
		return SIM_BASE;
	}
	CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_MADVISE));
	CHECK(sim, mmsim_madvise(sim, pid, SIM_BASE, opt.len, MMSIM_MADV_HUGEPAGE));
	sim_touch(sim, pid, SIM_BASE, opt.len, SZ_4K, 1);
	CHECK(sim, mmsim_mremap(sim, pid, SIM_BASE, opt.len, SIM_MOVED + SZ_4K));
	CHECK(sim, mmsim_madvise(sim, pid, SIM_MOVED + SZ_4K, opt.len, MMSIM_MADV_NOHUGEPAGE));
	CHECK(sim, mmsim_smaps(sim, pid, SIM_MOVED, SIM_MOVED + 2 * opt.len, &sm));
	if (sm.anon_huge_pages)
		note(s, "AnonHugePages %lu kB after the move, not 0", sm.anon_huge_pages);
	if (sm.rss != opt.len >> 10)
		note(s, "Rss %lu kB after the move, expected %lu", sm.rss, opt.len >> 10);
	sim_expect_order(sim, pid, SIM_MOVED + SZ_4K, 9, s);
	sim_expect_order(sim, pid, SIM_MOVED + SZ_4K + opt.len / 2, 9, s);
	return SIM_MOVED + SZ_4K;
}

static void sim_fault(enum op_id id, struct side *s)
{
	unsigned long step = id == OP_FAULT_64K ? SZ_64K : id == OP_FAULT_2M ? SZ_2M : SZ_4K;
	int want = id == OP_FAULT_64K ? 4 : id == OP_FAULT_2M ? 9 : 0;
	double v[opt.reps];

	for (int r = 0; r < opt.reps; r++) {
		int pid;
		struct mmsim *sim = sim_new(&pid);

		CHECK(sim, mmsim_mmap(sim, pid, SIM_BASE, opt.len,
				      MMSIM_PROT_READ | MMSIM_PROT_WRITE));
		if (step == SZ_4K) {
			CHECK(sim, mmsim_madvise(sim, pid, SIM_BASE, opt.len,
						 MMSIM_MADV_NOHUGEPAGE));
		} else if (id == OP_FAULT_64K) {
			CHECK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
			CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_NEVER));
		} else {
			CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_MADVISE));
			CHECK(sim, mmsim_madvise(sim, pid, SIM_BASE, opt.len,
						 MMSIM_MADV_HUGEPAGE));
		}
		v[r] = sim_touch(sim, pid, SIM_BASE, opt.len, step, id == OP_FAULT_4K_DATA) /
		       (double)(opt.len / step);
		if (r == 0) {
			sim_expect_order(sim, pid, SIM_BASE, want, s);
			sim_expect_order(sim, pid, SIM_BASE + opt.len - SZ_4K, want, s);
		}
		mmsim_destroy(sim);
	}
	summarize(s, v, opt.reps);
}

static void sim_fork(enum op_id id, struct side *s)
{
	unsigned long n = opt.len / SZ_4K;
	double v[opt.reps];
	int pid, child;
	struct mmsim *sim = sim_new(&pid);

	sim_populate(sim, pid, id == OP_FORK_2M_PTE, s);
	for (int r = 0; r < opt.reps; r++) {
		double t0 = bench_now_ns();

		CHECK(sim, mmsim_fork(sim, pid, &child));
		CHECK(sim, mmsim_exit(sim, child));
		v[r] = (bench_now_ns() - t0) / (double)n;
	}
	mmsim_destroy(sim);
	summarize(s, v, opt.reps);
}

static void sim_munmap(enum op_id id, struct side *s)
{
	unsigned long n = opt.len / SZ_4K;
	double v[opt.reps];

	for (int r = 0; r < opt.reps; r++) {
		int pid;
		struct mmsim *sim = sim_new(&pid);
		unsigned long addr = sim_populate(sim, pid, id == OP_MUNMAP_2M_PTE,
						  r ? &(struct side){0} : s);
		double t0 = bench_now_ns();

		CHECK(sim, mmsim_munmap(sim, pid, addr, opt.len));
		v[r] = (bench_now_ns() - t0) / (double)n;
		mmsim_destroy(sim);
	}
	summarize(s, v, opt.reps);
}

/* ------------------------------------------------------------------------ */
/* The descriptor floor                                                     */

/* An array on huge pages, touched, as the simulator's descriptor arrays are. */
static void *floor_array(size_t size)
{
	void *p = kmap(ALIGN_UP(size, SZ_2M), SZ_2M);

	if (!p) {
		fprintf(stderr, "mmsim-bench-core: mmap %zu bytes: %s\n", size, strerror(errno));
		exit(2);
	}
	madvise(p, size, MADV_HUGEPAGE);
	memset(p, 1, size);
	return p;
}

/*
 * One bare pass, per page in pfn order, over what munmap and fork cannot
 * avoid touching: clear an 8-byte PTE, read-modify-write the frame's
 * struct page and (small folios) its folio slot, nothing else. Cold: opt.len
 * of other memory is written before each pass, as the page contents are
 * before munmap_4k; warm: the arrays were just walked, as fork's are.
 * The best repetition's ns per page: a floor is what the machine can do.
 */
static double descriptor_pass(bool folio_slots, bool cold)
{
	unsigned long n = opt.len / SZ_4K;
	struct mmsim_layout lay;
	uint64_t *pte = floor_array(n * sizeof(*pte));	/* a pte_t */
	unsigned char *pages, *slots, *other = cold ? floor_array(opt.len) : NULL;
	double v[opt.reps];

	/* The model's own sizes (the layout is the library's, bench/README.md). */
	mmsim_get_layout(&lay);
	pages = floor_array(n * lay.page);
	slots = folio_slots ? floor_array(n * lay.folio_slot) : NULL;

	for (int r = 0; r < opt.reps; r++) {
		uint64_t sum = 0;
		double t0;

		if (other)
			memset(other, r + 2, opt.len);
		t0 = bench_now_ns();
		for (unsigned long i = 0; i < n; i++) {
			uint32_t *page = (uint32_t *)(pages + i * lay.page);

			sum += pte[i];
			pte[i] = 0;
			/* The mapcount's decrement and the frame's reset, in one line. */
			sum += page[0]--;
			page[2] = 0;
			if (slots) {
				sum += slots[i * lay.folio_slot];
				memset(slots + i * lay.folio_slot, 0, lay.folio_slot);
			}
		}
		v[r] = (bench_now_ns() - t0) / (double)n;
		sink += sum;
	}
	munmap(pte, ALIGN_UP(n * sizeof(*pte), SZ_2M));
	munmap(pages, ALIGN_UP(n * lay.page, SZ_2M));
	if (slots)
		munmap(slots, ALIGN_UP(n * lay.folio_slot, SZ_2M));
	if (other)
		munmap(other, opt.len);
	qsort(v, (size_t)opt.reps, sizeof(*v), bench_cmp_double);
	return v[0];
}

/*
 * The floor of each fork and munmap figure: fork+exit walks the descriptors
 * twice (copy, then zap), warm from the repetition before; munmap once, cold
 * after 4K pages' contents, warm after the PTE-mapped THPs' split. A small
 * folio brings its folio slot, a PTE-mapped 2M folio one slot in 512.
 */
static void measure_floor(enum op_id id)
{
	switch (id) {
	case OP_FORK_4K:
		results[id].floor = 2 * descriptor_pass(true, false);
		break;
	case OP_FORK_2M_PTE:
		results[id].floor = 2 * descriptor_pass(false, false);
		break;
	case OP_MUNMAP_4K:
		results[id].floor = descriptor_pass(true, true);
		break;
	case OP_MUNMAP_2M_PTE:
		results[id].floor = descriptor_pass(false, false);
		break;
	default:
		break;
	}
}

static void run_sim(enum op_id id)
{
	struct side *s = &results[id].sim;

	switch (id) {
	case OP_FAULT_4K:
	case OP_FAULT_4K_DATA:
	case OP_FAULT_64K:
	case OP_FAULT_2M:
		sim_fault(id, s);
		break;
	case OP_FORK_4K:
	case OP_FORK_2M_PTE:
		sim_fork(id, s);
		break;
	default:
		sim_munmap(id, s);
		break;
	}
}

/* ------------------------------------------------------------------------ */
/* Report                                                                   */

enum verdict { V_NONE, V_PASS, V_FAIL, V_SKIPPED };

static enum verdict verdict(enum op_id id, double *ratio)
{
	const struct side *sim = &results[id].sim, *k = &results[id].kernel;

	*ratio = 0;
	if (!sim->done || !k->done)
		return ops[id].target_den ? V_SKIPPED : V_NONE;
	*ratio = sim->median / k->median;
	if (!ops[id].target_den)
		return V_NONE;
	return *ratio <= 1.0 / ops[id].target_den ? V_PASS : V_FAIL;
}

static const char *const verdict_names[] = { "-", "PASS", "FAIL", "skipped" };

static int print_table(void)
{
	int fails = 0;

	printf("mmsim-bench-core: %lu MiB per measurement, median of %d repetition%s\n\n",
	       opt.len / MiB, opt.reps, opt.reps == 1 ? "" : "s");
	printf("%-26s %14s %14s %10s %10s  %-7s %8s\n", "operation", "sim ns/op", "kernel ns/op",
	       "sim/kern", "target", "result", "floor");
	for (int i = 0; i < NR_OPS; i++) {
		const struct side *k = &results[i].kernel, *sm = &results[i].sim;
		char kcol[32], tcol[16], rcol[16], fcol[16];
		double ratio;
		enum verdict v;

		if (!selected(i))
			continue;
		v = verdict(i, &ratio);
		fails += v == V_FAIL;
		if (k->done)
			snprintf(kcol, sizeof(kcol), "%.1f", k->median);
		else
			snprintf(kcol, sizeof(kcol), "skipped");
		if (ops[i].target_den)
			snprintf(tcol, sizeof(tcol), "<= 1/%u", ops[i].target_den);
		else
			snprintf(tcol, sizeof(tcol), "-");
		if (k->done && sm->done)
			snprintf(rcol, sizeof(rcol), "1/%.1f", 1.0 / ratio);
		else
			snprintf(rcol, sizeof(rcol), "-");
		if (results[i].floor)
			snprintf(fcol, sizeof(fcol), "%.1f", results[i].floor);
		else
			snprintf(fcol, sizeof(fcol), "-");
		printf("%-26s %14.1f %14s %10s %10s  %-7s %8s\n", ops[i].title, sm->median, kcol,
		       rcol, tcol, verdict_names[v], fcol);
	}
	printf("\nns/op: per fault (write fault), per PTE copied (fork), per page (munmap).\n"
	       "floor: ns/op of bare passes over the PTEs, struct pages and folio slots the\n"
	       "operation touches, with no other work (bench/README.md).\n");
	for (int i = 0; i < NR_OPS; i++) {
		if (!selected(i))
			continue;
		if (results[i].kernel.note[0])
			printf("note: %s, kernel: %s\n", ops[i].name, results[i].kernel.note);
		if (results[i].sim.note[0])
			printf("note: %s, sim: %s\n", ops[i].name, results[i].sim.note);
	}
	return fails;
}

static void json_side(FILE *f, const char *key, const struct side *s)
{
	fprintf(f, "      \"%s\": {", key);
	if (s->done)
		fprintf(f, "\"median_ns\": %.3f, \"min_ns\": %.3f, ", s->median, s->min);
	else
		fprintf(f, "\"median_ns\": null, \"min_ns\": null, ");
	fprintf(f, "\"note\": ");
	scn_json_string(f, s->note);
	fprintf(f, "}");
}

static int write_json(const char *path)
{
	FILE *f = fopen(path, "w");
	bool first = true;

	if (!f)
		return -errno;
	fprintf(f, "{\n  \"benchmark\": \"mmsim-bench-core\",\n  \"bytes\": %lu,\n"
		"  \"repetitions\": %d,\n  \"statistic\": \"median\",\n"
		"  \"clock\": \"CLOCK_MONOTONIC\",\n  \"operations\": [\n", opt.len, opt.reps);
	for (int i = 0; i < NR_OPS; i++) {
		double ratio;
		enum verdict v;

		if (!selected(i))
			continue;
		v = verdict(i, &ratio);
		fprintf(f, "%s    {\n      \"name\": \"%s\",\n      \"title\": \"%s\",\n"
			"      \"unit\": \"%s\",\n", first ? "" : ",\n", ops[i].name,
			ops[i].title, ops[i].unit);
		json_side(f, "sim", &results[i].sim);
		fprintf(f, ",\n");
		json_side(f, "kernel", &results[i].kernel);
		fprintf(f, ",\n");
		if (results[i].sim.done && results[i].kernel.done)
			fprintf(f, "      \"ratio\": %.5f,\n", ratio);
		else
			fprintf(f, "      \"ratio\": null,\n");
		if (ops[i].target_den)
			fprintf(f, "      \"target_ratio\": %.5f,\n", 1.0 / ops[i].target_den);
		else
			fprintf(f, "      \"target_ratio\": null,\n");
		if (results[i].floor)
			fprintf(f, "      \"floor_ns\": %.3f,\n", results[i].floor);
		else
			fprintf(f, "      \"floor_ns\": null,\n");
		fprintf(f, "      \"result\": \"%s\"\n    }", verdict_names[v]);
		first = false;
	}
	fprintf(f, "\n  ]\n}\n");
	if (fclose(f))
		return -errno;
	return 0;
}

/*
 * --plot: ns per operation of the simulator and the kernel side by side, one
 * pair of bars per operation (log scale), the model's descriptor floor beside.
 */
static int plot(const char *prefix)
{
	FILE *dat, *gp;
	bool has[3] = { false };
	int err = bench_plot_open(prefix, 1400, 800, &dat, &gp);

	if (err)
		return err;
	fprintf(dat, "operation simulator kernel floor\n");
	for (int i = 0; i < NR_OPS; i++) {
		const struct side *sm = &results[i].sim, *k = &results[i].kernel;

		if (!selected(i))
			continue;
		fprintf(dat, "\"%s\"", ops[i].title);
		fprintf(dat, sm->done ? " %.3f" : " NaN", sm->median);
		fprintf(dat, k->done ? " %.3f" : " NaN", k->median);
		fprintf(dat, results[i].floor ? " %.3f\n" : " NaN\n", results[i].floor);
		has[0] |= sm->done;
		has[1] |= k->done;
		has[2] |= results[i].floor != 0;
	}
	fprintf(gp, "  set title 'mmsim-bench-core: %lu MiB, median of %d, ns per operation (lower is "
		"faster)' noenhanced\n  set style data histograms\n  set style histogram clustered "
		"gap 1\n  set style fill solid 0.8 border -1\n  set logscale y\n  set grid ytics\n"
		"  set ylabel 'ns per op (log)'\n  set key top left noenhanced\n"
		"  set xtics rotate by -25 noenhanced\n  set bmargin 9\n", opt.len / MiB, opt.reps);
	bench_plot_columns(gp, prefix, 0, has, 3);
	return bench_plot_finish(prefix, dat, gp);
}

/* ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim-bench-core [--quick] [--json FILE] [--plot PREFIX] [--reps N] [--size MiB]\n"
		"                        [--only OP[,OP...]] [--no-kernel] [--check]\n"
		"  --quick      16 MiB and 3 repetitions (a few seconds, for CI)\n"
		"  --json FILE  also write the results as JSON to FILE\n"
		"  --plot PREFIX  the table as PREFIX.png and PREFIX.svg (gnuplot; .dat, .gp kept)\n"
		"  --reps N     repetitions per measurement (default 5); the median is used\n"
		"  --size MiB   memory per measurement (default 256), a multiple of 2\n"
		"  --only OPS   run only these: ");
	for (int i = 0; i < NR_OPS; i++)
		fprintf(f, "%s%s", ops[i].name, i + 1 < NR_OPS ? "," : "\n");
	fprintf(f,
		"  --no-kernel  time the simulator only (e.g. under a profiler)\n"
		"  --check      exit 1 when a target is missed\n");
}

int main(int argc, char **argv)
{
	bool size_set = false, reps_set = false;
	int fails;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;

		if (!strcmp(a, "--quick")) {
			opt.quick = true;
		} else if (!strcmp(a, "--json") && more) {
			opt.json = argv[++i];
		} else if (!strcmp(a, "--plot") && more) {
			opt.plot = argv[++i];
		} else if (!strcmp(a, "--reps") && more) {
			opt.reps = atoi(argv[++i]);
			reps_set = true;
		} else if (!strcmp(a, "--size") && more) {
			opt.len = strtoul(argv[++i], NULL, 10) * MiB;
			size_set = true;
		} else if (!strcmp(a, "--only") && more) {
			opt.only = argv[++i];
		} else if (!strcmp(a, "--no-kernel")) {
			opt.no_kernel = true;
		} else if (!strcmp(a, "--check")) {
			opt.check = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (opt.quick) {
		if (!size_set)
			opt.len = 16 * MiB;
		if (!reps_set)
			opt.reps = 3;
	}
	if (opt.reps < 1 || opt.reps > 1000 || opt.len < SZ_2M || opt.len % SZ_2M) {
		fprintf(stderr, "mmsim-bench-core: --reps 1..1000, --size a positive multiple of 2\n");
		return 2;
	}

	settings_guard(NULL);
	atexit(kernel_close);

	/* The kernel first: its fork must not copy a simulator's memory too. */
	for (int i = 0; i < NR_OPS; i++)
		if (selected(i))
			run_kernel(i);
	for (int i = 0; i < NR_OPS; i++)
		if (selected(i)) {
			run_sim(i);
			measure_floor(i);
		}

	fails = print_table();
	if (opt.plot && plot(opt.plot))
		fprintf(stderr, "mmsim-bench-core: gnuplot failed; %s.gp and %s.dat are written\n",
			opt.plot, opt.plot);
	if (opt.json) {
		int err = write_json(opt.json);

		if (err) {
			fprintf(stderr, "mmsim-bench-core: %s: %s\n", opt.json, strerror(-err));
			return 2;
		}
	}
	return opt.check && fails ? 1 : 0;
}
