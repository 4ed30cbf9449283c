// SPDX-License-Identifier: MIT
/*
 * mmsim-kernel-mapcount-timing: the ATC'24 shapes timed on whatever Linux
 * runs it, built static so that `mmsim qemu-exec` can run it in a guest of
 * another version (scripts/qemu-mapcount-timing.sh, bench/README.md).
 *
 * Two layouts of --size MiB: 4K pages (MADV_NOHUGEPAGE), and 2 MiB THPs made
 * PTE-mapped by an mremap to a 4 KiB-misaligned address (every PMD split,
 * the folios stay order 9). Per repetition, on a fresh mapping: the first
 * fork (the parent's fork() call alone, the child waiting), the child's
 * munmap of its copy (nothing freed), a second fork whose child exits at
 * once (fork+exit, steady state), and the parent's munmap (the folios
 * freed). ns per 4 KiB page, best and median of --reps after one untimed
 * repetition; the forks less what a fork and a fork+exit of this process
 * cost without the mapping (the best of as many, timed before each).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"

#define SZ_4K	4096UL
#define SZ_2M	(2UL << 20)
#define MAX_REPS 100

enum { T_FORK, T_MUNMAP_CHILD, T_FORK_EXIT, T_MUNMAP, NR_T };
static const char *const t_names[NR_T] = { "fork", "munmap_child", "fork_exit", "munmap" };

static const char *const thp_path = "/sys/kernel/mm/transparent_hugepage/enabled";

static void fail(const char *what)
{
	fprintf(stderr, "mmsim-kernel-mapcount-timing: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Pages of [p, p + len) that /proc/kpageflags calls THP (KPF_THP); -1 when it cannot tell. */
static long thp_pages(const char *p, unsigned long len)
{
	int pm = open("/proc/self/pagemap", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
	long n = 0;

	for (unsigned long off = 0; n >= 0 && off < len; off += SZ_4K) {
		uint64_t e, flags;

		if (pm < 0 || kf < 0 ||
		    pread(pm, &e, sizeof(e), (off_t)((uintptr_t)(p + off) / SZ_4K * 8)) != sizeof(e) ||
		    !(e & MMSIM_PM_PRESENT) || !(e & MMSIM_PM_PFN_MASK) ||
		    pread(kf, &flags, sizeof(flags), (off_t)((e & MMSIM_PM_PFN_MASK) * 8)) != sizeof(flags))
			n = -1;
		else
			n += !!(flags & (1ULL << MMSIM_KPF_THP));
	}
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return n;
}

/* len bytes at a 2 MiB boundary plus shift, inside a reservation of len + 4 MiB. */
static char *reserve(unsigned long len, unsigned long shift)
{
	char *res = mmap(NULL, len + 2 * SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0), *p;

	if (res == MAP_FAILED)
		fail("mmap");
	p = (char *)((((uintptr_t)res + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1)) + shift);
	munmap(res, (size_t)(p - res));
	munmap(p + len, (size_t)(res + len + 2 * SZ_2M - (p + len)));
	return p;
}

/* A written mapping: 4K pages, or 2 MiB THPs PTE-mapped by a 4 KiB-misaligned move. */
static char *populate(unsigned long len, int thp, int *bad)
{
	char *p = reserve(len, 0), *dst;

	if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p)
		fail("mmap");
	madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (unsigned long off = 0; off < len; off += SZ_4K)
		p[off] = 1;
	if (!thp)
		return p;
	if (bench_smaps_anon_huge(p) != (long)(len >> 10)) {
		fprintf(stderr, "note: AnonHugePages %ld kB of %lu before the move\n", bench_smaps_anon_huge(p),
			len >> 10);
		*bad = 1;
	}
	dst = reserve(len, SZ_4K);
	if (mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED)
		fail("mremap");
	/* khugepaged must not collapse them back while we measure. */
	madvise(dst, len, MADV_NOHUGEPAGE);
	if (bench_smaps_anon_huge(dst) != 0 || thp_pages(dst, len) != (long)(len / SZ_4K)) {
		fprintf(stderr, "note: after the move AnonHugePages %ld kB (want 0), THP pages %ld of %lu\n",
			bench_smaps_anon_huge(dst), thp_pages(dst, len), len / SZ_4K);
		*bad = 1;
	}
	return dst;
}

/*
 * ns of the parent's fork() call, its child waiting until then; the child
 * then unmaps [p, p + len) if p (its copy: shared, nothing freed) and
 * sends the ns that took into *munmap_ns.
 */
static double first_fork(char *p, size_t len, double *munmap_ns)
{
	int go[2], back[2], status;
	double t0, t, ns = 0;
	pid_t pid;
	char c = 0;

	if (pipe(go) || pipe(back))
		fail("pipe");
	t0 = bench_now_ns();
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		t0 = bench_now_ns();
		if (p)
			munmap(p, len);
		ns = bench_now_ns() - t0;
		_exit(write(back[1], &ns, sizeof(ns)) == sizeof(ns) ? 0 : 1);
	}
	t = bench_now_ns() - t0;
	if (write(go[1], &c, 1) != 1 || read(back[0], &ns, sizeof(ns)) != sizeof(ns))
		fail("the child's munmap");
	if (munmap_ns)
		*munmap_ns = ns;
	waitpid(pid, &status, 0);
	close(go[0]);
	close(go[1]);
	close(back[0]);
	close(back[1]);
	return t;
}

/* ns of a fork whose child exits at once, until the parent has reaped it. */
static double fork_exit(void)
{
	double t0 = bench_now_ns();
	pid_t pid = fork();
	int status;

	if (pid < 0)
		fail("fork");
	if (pid == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	return bench_now_ns() - t0;
}

/*
 * One repetition: the four times in ns; and before it, in base, what a fork
 * and a fork+exit cost without the mapping (the process, its binary, its
 * stack), to be subtracted so that a page's share does not depend on --size.
 */
static void one_rep(unsigned long len, int thp, double t[NR_T], double base[2], int *bad)
{
	char *p;
	double t0;

	base[0] = first_fork(NULL, 0, NULL);
	base[1] = fork_exit();
	p = populate(len, thp, bad);
	t[T_FORK] = first_fork(p, len, &t[T_MUNMAP_CHILD]);
	t[T_FORK_EXIT] = fork_exit();
	t0 = bench_now_ns();
	munmap(p, len);
	t[T_MUNMAP] = bench_now_ns() - t0;
}

/* Writes s to the THP "enabled" file; its old setting into old (the bracketed word). */
static int set_thp(const char *s, char *old, size_t len)
{
	char buf[128] = "", *a, *b;
	FILE *f = fopen(thp_path, "r");

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	a = strchr(buf, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!a || !b)
		return -1;
	*b = '\0';
	snprintf(old, len, "%s", a + 1);
	f = fopen(thp_path, "w");
	if (!f)
		return -1;
	fputs(s, f);
	return fclose(f);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: mmsim-kernel-mapcount-timing [--size MiB] [--reps N] [--set-thp]\n"
		"  --size MiB  memory per layout (default 64; a multiple of 2)\n"
		"  --reps N    repetitions, each on a fresh mapping (default 5)\n"
		"  --set-thp   write madvise to %s first and restore it after\n"
		"              (for a guest; the live host's setting is the kernel lock's)\n", thp_path);
}

int main(int argc, char **argv)
{
	unsigned long mib = 64;
	int reps = 5, bad = 0, set = 0;
	char old[64] = "";
	struct utsname u;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--size") && i + 1 < argc)
			mib = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--set-thp"))
			set = 1;
		else {
			usage(strcmp(argv[i], "--help") ? stderr : stdout);
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
	}
	if (!mib || mib % 2 || mib > 65536 || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "mmsim-kernel-mapcount-timing: --size must be a positive multiple of 2 "
			"(MiB), --reps 1..%d\n", MAX_REPS);
		return 2;
	}
	if (set && set_thp("madvise", old, sizeof(old))) {
		fprintf(stderr, "mmsim-kernel-mapcount-timing: cannot set %s\n", thp_path);
		return 2;
	}
	uname(&u);
	printf("kernel-timing release %s size_mib %lu reps %d\n", u.release, mib, reps);
	printf("%-7s %-13s %9s %9s %9s   (ns per 4 KiB page)\n", "layout", "op", "best", "median",
	       "worst");
	for (int thp = 0; thp < 2; thp++) {
		double v[NR_T][MAX_REPS], t[NR_T], base[2], fixed[2] = { 1e30, 1e30 };
		double n = (double)((mib << 20) / SZ_4K);

		/* One untimed first: under TCG the first pass also translates the code. */
		for (int r = -1; r < reps; r++) {
			one_rep(mib << 20, thp, t, base, &bad);
			if (r < 0)
				continue;
			for (int o = 0; o < NR_T; o++)
				v[o][r] = t[o];
			for (int i = 0; i < 2; i++)
				fixed[i] = base[i] < fixed[i] ? base[i] : fixed[i];
		}
		/* A fork's fixed cost (the best seen) is not the pages'. */
		for (int r = 0; r < reps; r++) {
			v[T_FORK][r] -= fixed[0];
			v[T_FORK_EXIT][r] -= fixed[1];
		}
		for (int o = 0; o < NR_T; o++) {
			double med = bench_median(v[o], (size_t)reps);	/* sorts v[o] */

			printf("%-7s %-13s %9.2f %9.2f %9.2f\n", thp ? "pte_2m" : "4k", t_names[o],
			       v[o][0] / n, med / n, v[o][reps - 1] / n);
		}
		printf("# %s: fixed costs subtracted (best of %d, no mapping): fork %.1f us, "
		       "fork+exit %.1f us\n", thp ? "pte_2m" : "4k", reps, fixed[0] / 1e3, fixed[1] / 1e3);
	}
	if (set && old[0] && set_thp(old, old, sizeof(old)))
		fprintf(stderr, "mmsim-kernel-mapcount-timing: cannot restore %s\n", thp_path);
	if (bad)
		printf("note: the 2M layout was not what it should be (see above)\n");
	return bad ? 1 : 0;
}
