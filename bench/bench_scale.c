// SPDX-License-Identifier: MIT
/*
 * mmsim-bench-scale: the half-duplicate KSM workload (half the pages unique,
 * half in four contents, three full passes) from 64 MiB to 64 GiB. Through
 * the library: ns per page of the writes, of each KSM pass and of a full
 * verify, and the host memory per simulated page (jemalloc's stats and
 * RSS). End to end: `mmsim run` of the same scenario file with the default
 * verification and with --verify=off, beside `mmsim run --kernel` for the
 * sizes this machine can hold. See bench/README.md.
 */
#include "bench_util.h"
#include "ksmd.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef MMSIM_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#define BASE	0x100000000000UL
#define MIB	(1UL << 20)
#define MAX_SIZES 8

struct options {
	unsigned long sizes[MAX_SIZES];	/* MiB */
	int nr_sizes;
	int reps;			/* end-to-end repetitions (best of) */
	int verify_reps;		/* full checks in a row (best of) */
	bool no_kernel, no_e2e;
	unsigned long kernel_max;	/* MiB: larger sizes skip the kernel */
	const char *mmsim;		/* the mmsim command */
	const char *plot;		/* --plot PREFIX: PREFIX.png and .svg */
};

/* Bytes the simulator asks the host for: jemalloc's allocated, or 0 without it. */
static unsigned long allocated_bytes(void)
{
#ifdef MMSIM_HAVE_JEMALLOC
	uint64_t epoch = 1;
	size_t allocated = 0, len = sizeof(allocated), elen = sizeof(epoch);

	if (mallctl("epoch", &epoch, &elen, &epoch, elen) ||
	    mallctl("stats.allocated", &allocated, &len, NULL, 0))
		return 0;
	return allocated;
#else
	return 0;
#endif
}

static unsigned long rss_bytes(void)
{
	unsigned long size = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%lu %lu", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (unsigned long)sysconf(_SC_PAGESIZE);
}

static unsigned long mem_available_mib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long kb = 0;
	char line[128];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return kb / 1024;
}

/* The simulated machine: the workload plus a sixteenth for page tables and slack. */
static unsigned long machine_mib(unsigned long mib)
{
	return mib + mib / 16 + 16;
}

static void size_name(unsigned long mib, char *buf, size_t len)
{
	if (mib % 1024)
		snprintf(buf, len, "%luM", mib);
	else
		snprintf(buf, len, "%luG", mib / 1024);
}

struct sim_result {
	double write_ns, pass_ns[3], verify_ns;	/* per page */
	double alloc_per_page, rss_per_page;	/* bytes per simulated page */
	double alloc_after_exit;		/* bytes left per page after the exit */
	long shared, sharing, unshared, volatile_;
};

/*
 * The library phases are timed in CPU time of this process: on a machine
 * shared with other work, wall time would measure the others too.
 */
static double cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double per_page(double t0, unsigned long pages)
{
	return (cpu_now_ns() - t0) / (double)pages;
}

/* The workload through the library, checker off, each phase timed. */
static void run_sim(const struct options *o, unsigned long mib, struct sim_result *r)
{
	unsigned long pages = mib * MIB / 4096, half = pages / 2, quarter = half / 4;
	unsigned long before = allocated_bytes(), rss_before = rss_bytes();
	struct mmsim_config cfg = { .nr_frames = machine_mib(mib) * MIB / 4096,
				    .verify = MMSIM_VERIFY_OFF };
	struct mmsim_fill fill;
	struct mmsim *sim;
	double t0;
	int pid;

	CHECK(NULL, mmsim_create(&cfg, &sim));
	CHECK(sim, mmsim_proc_create(sim, &pid));
	CHECK(sim, mmsim_mmap(sim, pid, BASE, mib * MIB, MMSIM_PROT_READ | MMSIM_PROT_WRITE));
	CHECK(sim, mmsim_madvise(sim, pid, BASE, mib * MIB, MMSIM_MADV_MERGEABLE));
	t0 = cpu_now_ns();
	/* As the scenario writes it: seed 1, the first unique page is number 0. */
	fill = (struct mmsim_fill){ MMSIM_FILL_UNIQUE, 1 };
	CHECK(sim, mmsim_write_fill(sim, pid, BASE, half * 4096, &fill, NULL));
	for (unsigned long i = 0; i < 4; i++) {
		fill = (struct mmsim_fill){ MMSIM_FILL_PATTERN, 0x0101010101010101ULL * (i + 1) };
		CHECK(sim, mmsim_write_fill(sim, pid, BASE + (half + i * quarter) * 4096,
					    quarter * 4096, &fill, NULL));
	}
	r->write_ns = per_page(t0, pages);
	for (int p = 0; p < 3; p++) {
		t0 = cpu_now_ns();
		CHECK(sim, mmsim_ksm_scan(sim, 1));
		r->pass_ns[p] = per_page(t0, pages);
	}
	/* The first check also faults in the checker's per-frame array. */
	for (int i = 0; i < o->verify_reps; i++) {
		double ns;

		t0 = cpu_now_ns();
		CHECK(sim, mmsim_verify(sim));
		ns = per_page(t0, pages);
		if (!i || ns < r->verify_ns)
			r->verify_ns = ns;
	}
	/* After the check: what its per-frame recount keeps is counted too. */
	r->alloc_per_page = (double)(allocated_bytes() - before) / (double)pages;
	r->rss_per_page = (double)(rss_bytes() - rss_before) / (double)pages;
	CHECK(sim, mmsim_ksm_counter(sim, "pages_shared", &r->shared));
	CHECK(sim, mmsim_ksm_counter(sim, "pages_sharing", &r->sharing));
	CHECK(sim, mmsim_ksm_counter(sim, "pages_unshared", &r->unshared));
	CHECK(sim, mmsim_ksm_counter(sim, "pages_volatile", &r->volatile_));
	CHECK(sim, mmsim_exit(sim, pid));
	CHECK(sim, mmsim_ksm_scan(sim, 1));	/* ksmd frees the exited mm's items */
	r->alloc_after_exit = (double)(allocated_bytes() - before) / (double)pages;
	mmsim_destroy(sim);
}

/* What the counters must be at any size: every count scales with the pages. */
static bool counters_scale(unsigned long mib, const struct sim_result *r)
{
	unsigned long pages = mib * MIB / 4096, quarter = pages / 8;
	/* max_page_sharing 256: each of the four contents needs ceil(quarter / 256) KSM pages. */
	long shared = 4 * (long)((quarter + 255) / 256);

	return r->shared == shared && r->sharing == (long)(pages / 2) - shared &&
	       r->unshared == (long)(pages / 2) && r->volatile_ == 0;
}

/* Page i of the workload as the scenario writes it: the unique half, then four quarters. */
static void scale_fill_page(unsigned char *page, unsigned long i, void *arg)
{
	unsigned long pages = *(const unsigned long *)arg, half = pages / 2, quarter = half / 4;
	struct mmsim_fill fill = { MMSIM_FILL_UNIQUE, 1 };

	if (i >= half) {
		fill = (struct mmsim_fill){ MMSIM_FILL_PATTERN,
					    0x0101010101010101ULL * ((i - half) / quarter + 1) };
		i = (i - half) % quarter;
	}
	mmsim_fill_page(&fill, i, page);
}

/*
 * The live ksmd's own passes over the same workload, in the same run: ns
 * per page of each pass (ksmd_measure() takes the kernel executor's lock and
 * puts every KSM setting back). Why a size is not measured is printed.
 */
static void run_ksmd(const struct options *o, const unsigned long *mib,
		     const struct sim_result *sim, int n)
{
	const char *why = o->no_kernel ? "--no-kernel" :
			  geteuid() ? "not root (/sys/kernel/mm/ksm must be written)" : NULL;
	double prev = 0, prev_p[3] = { 0 };

	printf("\n# the live ksmd, the same workload and passes: ksmd's CPU ns per page (schedstat),"
	       " wall ns per page in parentheses\n");
	printf("%-6s %17s %17s %17s %9s %9s %9s %8s\n", "size", "ksmd pass1", "ksmd pass2",
	       "ksmd pass3", "k/sim p1", "k/sim p2", "k/sim p3", "counters");
	for (int i = 0; i < n; i++) {
		unsigned long pages = mib[i] * MIB / 4096, avail = mem_available_mib();
		struct ksmd_side k = { 0 };
		struct sim_result kr = { 0 };
		char name[24];
		double sum;

		size_name(mib[i], name, sizeof(name));
		if (why) {
			printf("%-6s skipped: %s\n", name, why);
			continue;
		}
		if (mib[i] > o->kernel_max) {
			printf("%-6s skipped: above --kernel-max %lu MiB\n", name, o->kernel_max);
			continue;
		}
		if (mib[i] > avail / 2) {
			printf("%-6s skipped: needs %lu MiB of memory, %lu MiB available (at most half)\n",
			       name, mib[i], avail);
			continue;
		}
		ksmd_measure(pages, scale_fill_page, &pages, &k);
		if (!k.done) {
			printf("%-6s %s\n", name, k.note);
			continue;
		}
		kr.shared = k.counters[0];
		kr.sharing = k.counters[1];
		kr.unshared = k.counters[2];
		printf("%-6s", name);
		for (int p = 0; p < 3; p++) {
			char cell[40];

			snprintf(cell, sizeof(cell), "%.0f (%.0f)", k.cpu_secs[p] * 1e9 / (double)pages,
				 k.secs[p] * 1e9 / (double)pages);
			printf(" %17s", cell);
		}
		for (int p = 0; p < 3; p++)
			printf(" %9.1f", k.cpu_secs[p] * 1e9 / (double)pages / sim[i].pass_ns[p]);
		printf(" %8s\n", counters_scale(mib[i], &kr) ? "exact" : "WRONG");
		printf("       pass boundaries within +-%.0f us; ksmd's CPU time may lag a tick\n",
		       k.uncertainty_us / 2);
		if (k.note[0])
			printf("       note: %s\n", k.note);
		sum = (k.cpu_secs[0] + k.cpu_secs[1] + k.cpu_secs[2]) * 1e9 / (double)pages;
		if (prev)
			printf("       growth of ksmd's passes' CPU ns/page from the size before: %.2fx"
			       " (pass 2: %.2fx, pass 3: %.2fx)\n", sum / prev,
			       k.cpu_secs[1] / (double)pages / prev_p[1],
			       k.cpu_secs[2] / (double)pages / prev_p[2]);
		for (int p = 0; p < 3; p++)
			prev_p[p] = k.cpu_secs[p] / (double)pages;
		prev = sum;
		fflush(stdout);
	}
}

/* The scenario file of the workload, as tests/scenarios/ksm-half-duplicate-*.mms. */
static int write_scenario(unsigned long mib, char *path, size_t len)
{
	unsigned long half = mib * MIB / 2, quarter = half / 4;
	char name[24], mem[24], h[24], q[24];
	FILE *f;
	int fd;

	snprintf(path, len, "/tmp/mmsim-bench-scale-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		return -1;
	size_name(mib, name, sizeof(name));
	size_name(machine_mib(mib), mem, sizeof(mem));
	size_name(half / MIB, h, sizeof(h));
	size_name(quarter / MIB, q, sizeof(q));
	fprintf(f, "memory %s\nproc A\nmmap A %#lx %s\nmadvise A %#lx %s mergeable\n"
		"write A %#lx %s unique\n", mem, BASE, name, BASE, name, BASE, h);
	for (unsigned long i = 0; i < 4; i++)
		fprintf(f, "write A %#lx %s byte=%lu\n", BASE + half + i * quarter, q, i + 1);
	fprintf(f, "ksm scan 3\nprobe ksm.pages_sharing\n");
	return fclose(f);
}

/* The first line of the run's output that says why it failed, into why. */
static void failure_line(const char *out, char *why, size_t len)
{
	FILE *f = fopen(out, "r");
	char line[512];

	snprintf(why, len, "no reason in its output");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Bail out!", 9) && !strstr(line, "# SKIP") &&
		    strncmp(line, "not ok", 6))
			continue;
		/* Cut explicitly to what why holds: a Bail out! line can be long. */
		size_t n = strcspn(line, "\n");

		line[n < len ? n : len - 1] = '\0';
		memcpy(why, line, strlen(line) + 1);
		break;
	}
	fclose(f);
}

/*
 * Seconds of one `mmsim run ARGS FILE`, or -1 when it failed (its status in
 * *status, the line of its output that says why in why); *cpu: its user
 * and system time.
 */
static double time_run(const struct options *o, const char *arg, const char *file, int *status,
		       double *cpu, char *why, size_t len)
{
	struct rusage ru;
	char out[96];
	double t0;
	pid_t pid;
	int ws;

	snprintf(out, sizeof(out), "%s.out", file);
	/* Else the child's freopen() writes our buffered lines a second time. */
	fflush(stdout);
	t0 = bench_now_s();
	pid = fork();

	if (pid == 0) {
		if (!freopen(out, "w", stdout))
			_exit(127);
		execl(o->mmsim, o->mmsim, "run", "--quiet", arg, file, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &ws, 0, &ru) < 0) {
		snprintf(why, len, "fork failed");
		unlink(out);
		return -1;
	}
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if (*status)
		failure_line(out, why, len);
	unlink(out);
	return *status ? -1 : bench_now_s() - t0;
}

/* The best wall time of reps runs, and the CPU time of that run. */
static double best_run(const struct options *o, const char *arg, const char *file, int reps,
		       int *status, double *cpu, char *why, size_t len)
{
	double best = -1;

	for (int i = 0; i < reps; i++) {
		double c, t = time_run(o, arg, file, status, &c, why, len);

		if (t < 0)
			return -1;
		if (best < 0 || t < best) {
			best = t;
			*cpu = c;
		}
	}
	return best;
}

static void usage(void)
{
	fprintf(stderr, "usage: mmsim-bench-scale [--sizes MiB,...] [--reps N] [--verify-reps N]\n"
		"                         [--no-kernel]\n"
		"                         [--no-e2e] [--kernel-max MiB] [--mmsim PATH]\n"
		"                         [--plot PREFIX]\n"
		"  --plot PREFIX  CPU ns per page of each phase against the size, as\n"
		"                 PREFIX.png and PREFIX.svg (gnuplot; the table in PREFIX.dat)\n");
	exit(2);
}

static void parse(int argc, char **argv, struct options *o)
{
	static const unsigned long sizes[] = { 64, 1024, 4096, 16384, 65536 };

	*o = (struct options){ .reps = 3, .verify_reps = 3, .kernel_max = 4096, .mmsim = NULL };
	memcpy(o->sizes, sizes, sizeof(sizes));
	o->nr_sizes = 5;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			o->nr_sizes = bench_parse_list(argv[++i], o->sizes, MAX_SIZES, 1UL << 22);
			if (!o->nr_sizes)
				usage();
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			o->reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--verify-reps") && i + 1 < argc) {
			o->verify_reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--kernel-max") && i + 1 < argc) {
			o->kernel_max = strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--mmsim") && i + 1 < argc) {
			o->mmsim = argv[++i];
		} else if (!strcmp(argv[i], "--no-kernel")) {
			o->no_kernel = true;
		} else if (!strcmp(argv[i], "--no-e2e")) {
			o->no_e2e = true;
		} else if (!strcmp(argv[i], "--plot") && i + 1 < argc) {
			o->plot = argv[++i];
		} else {
			usage();
		}
	}
	if (o->reps < 1 || o->verify_reps < 1)
		usage();
}

/* ../cli/mmsim beside this binary's directory, as the build tree lays them out. */
static const char *find_mmsim(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	char *slash;

	if (n <= 0)
		return "mmsim";
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return "mmsim";
	strcpy(slash, "/../cli/mmsim");
	return access(path, X_OK) ? "mmsim" : path;
}

/*
 * --plot: the library phases' CPU ns per page against the size, one bar per
 * phase: flat bars are linear time, growing ones the growth the README
 * discusses (the KSM passes' tree descents).
 */
static int plot(const char *prefix, const unsigned long *mib, const struct sim_result *r, int n)
{
	static const char *const phases[] = { "write", "pass1", "pass2", "pass3", "verify" };
	bool has[5] = { true, true, true, true, true };
	FILE *dat, *gp;
	int err = bench_plot_open(prefix, 900, 600, &dat, &gp);

	if (err)
		return err;
	fprintf(dat, "size");
	for (int p = 0; p < 5; p++)
		fprintf(dat, " %s", phases[p]);
	fprintf(dat, "\n");
	for (int i = 0; i < n; i++) {
		char name[24];

		size_name(mib[i], name, sizeof(name));
		fprintf(dat, "%s %.0f %.0f %.0f %.0f %.0f\n", name, r[i].write_ns, r[i].pass_ns[0],
			r[i].pass_ns[1], r[i].pass_ns[2], r[i].verify_ns);
	}
	fprintf(gp, "  set style data histograms\n  set style histogram clustered gap 1\n"
		"  set style fill solid 0.8 border -1\n  set grid ytics\n  set key top left\n  set yrange [0:*]\n"
		"  set xlabel 'simulated memory'\n  set ylabel 'CPU ns per page (lower is faster)'\n"
		"  set title 'mmsim-bench-scale: half-duplicate workload'\n");
	bench_plot_columns(gp, prefix, 0, has, 5);
	return bench_plot_finish(prefix, dat, gp);
}

int main(int argc, char **argv)
{
	struct sim_result done[MAX_SIZES];
	unsigned long done_mib[MAX_SIZES];
	int nr_done = 0;
	struct options o;
	double prev_pass = 0;
	bool kernel_ok = geteuid() == 0 && !access("/sys/kernel/mm/ksm/run", W_OK);

	parse(argc, argv, &o);
	ksmd_install_restore();
	if (!o.mmsim)
		o.mmsim = find_mmsim();
	printf("# mmsim-bench-scale: half-duplicate KSM workload, three passes; CPU ns per page\n");
	printf("%-6s %9s %9s %9s %9s %9s %10s %10s %10s %8s\n", "size", "write", "pass1",
	       "pass2", "pass3", "verify", "alloc B/p", "RSS B/p", "freed B/p", "counters");
	for (int i = 0; i < o.nr_sizes; i++) {
		unsigned long mib = o.sizes[i], avail = mem_available_mib();
		struct sim_result r = { 0 };
		char name[24];

		size_name(mib, name, sizeof(name));
		/* At most 256 bytes of host memory a page, and half of what is free. */
		if (mib / 16 > avail / 2) {
			printf("%-6s skipped: needs about %lu MiB of host memory, %lu MiB available\n",
			       name, mib / 16, avail);
			continue;
		}
		run_sim(&o, mib, &r);
		printf("%-6s %9.0f %9.0f %9.0f %9.0f %9.0f %10.0f %10.0f %10.0f %8s\n", name,
		       r.write_ns, r.pass_ns[0], r.pass_ns[1], r.pass_ns[2], r.verify_ns,
		       r.alloc_per_page, r.rss_per_page, r.alloc_after_exit,
		       counters_scale(mib, &r) ? "exact" : "WRONG");
		if (prev_pass)
			printf("       growth of the passes' ns/page from the size before: %.2fx"
			       " (pass 2: %.2fx, pass 3: %.2fx)\n",
			       (r.pass_ns[0] + r.pass_ns[1] + r.pass_ns[2]) / prev_pass,
			       r.pass_ns[1] / done[nr_done - 1].pass_ns[1],
			       r.pass_ns[2] / done[nr_done - 1].pass_ns[2]);
		prev_pass = r.pass_ns[0] + r.pass_ns[1] + r.pass_ns[2];
		done_mib[nr_done] = mib;
		done[nr_done++] = r;
		fflush(stdout);
	}
	if (o.plot && nr_done && plot(o.plot, done_mib, done, nr_done))
		fprintf(stderr, "mmsim-bench-scale: gnuplot failed; %s.gp and %s.dat are written\n",
			o.plot, o.plot);
	if (nr_done)
		run_ksmd(&o, done_mib, done, nr_done);
	if (o.no_e2e)
		return 0;
	printf("\n# end to end, `%s run FILE`, best of %d (kernel: one run), seconds\n", o.mmsim,
	       o.reps);
	printf("%-6s %10s %10s %10s %10s %10s %12s %12s\n", "size", "sim", "(cpu)", "sim off",
	       "(cpu)", "kernel", "kern/sim", "kern/sim off");
	for (int i = 0; i < o.nr_sizes; i++) {
		unsigned long mib = o.sizes[i];
		double sim, off, kern = -1, sim_cpu = 0, off_cpu = 0, kern_cpu = 0;
		const char *kwhy = NULL;
		char failed[256] = "", kfailed[256] = "";
		int kstatus = 0;
		char name[24], file[64];
		int status = 0;

		size_name(mib, name, sizeof(name));
		if (mib > o.kernel_max)
			continue;
		if (write_scenario(mib, file, sizeof(file))) {
			fprintf(stderr, "mmsim-bench-scale: cannot write a scenario in /tmp\n");
			return 2;
		}
		sim = best_run(&o, "--verify=command", file, o.reps, &status, &sim_cpu, failed,
			       sizeof(failed));
		off = best_run(&o, "--verify=off", file, o.reps, &status, &off_cpu, failed,
			       sizeof(failed));
		if (o.no_kernel)
			kwhy = "--no-kernel";
		else if (!kernel_ok)
			kwhy = "not root, or no /sys/kernel/mm/ksm";
		else if (machine_mib(mib) >= mem_available_mib() / 2)
			kwhy = "no room: needs over half of MemAvailable";
		else if ((kern = best_run(&o, "--kernel", file, 1, &kstatus, &kern_cpu, kfailed,
					  sizeof(kfailed))) < 0)
			kwhy = kfailed;
		unlink(file);
		if (sim < 0 || off < 0) {
			printf("%-6s the simulator failed (status %d): %s\n", name, status, failed);
			continue;
		}
		if (kern < 0)
			printf("%-6s %10.2f %10.2f %10.2f %10.2f %10s %12s %12s\n       kernel skipped: %s\n",
			       name, sim, sim_cpu, off, off_cpu, "skipped", "-", "-", kwhy);
		else
			printf("%-6s %10.2f %10.2f %10.2f %10.2f %10.2f %12.1f %12.1f\n", name, sim,
			       sim_cpu, off, off_cpu, kern, kern / sim, kern / off);
		fflush(stdout);
	}
	return 0;
}
