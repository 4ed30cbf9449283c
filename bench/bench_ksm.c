// SPDX-License-Identifier: MIT
/*
 * mmsim-bench-ksm: KSM's "half-dup" workload (half unique pages,
 * half a few repeated contents) on the simulator and on the live kernel's ksmd in the same
 * run, three full passes each, against the physical limits of one core
 * (XXH64 and memcmp of 4 KiB pages) measured in that run too. See
 * bench/README.md.
 *
 * The workload: N pages; odd pages are filled with byte (i % 8) + 1 (so four
 * distinct contents), even pages are unique (byte 0x55 with the page index in
 * the first 8 bytes); MADV_MERGEABLE on the whole range. Pass 1 only
 * checksums, pass 2 merges the odd half, pass 3 finds the KSM pages in their
 * nodes and checksums and searches the unique half again.
 *
 * Kernel side: ksmd runs free with pages_to_scan = N + 1 (every page, plus
 * the step that ends the pass, so that one batch is exactly one pass) and
 * sleep_millisecs = 0; the bench busy-polls full_scans and timestamps each
 * change. Every KSM setting is saved first and restored on every path,
 * signals included; the kernel executor's lock keeps a scenario run from
 * sharing ksmd with us.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include <mmsim/mmsim.h>

#include "bench_util.h"
#include "ksmd.h"
#include "run.h"

#define SZ_4K		4096UL
#define MiB		(1UL << 20)
#define SIM_BASE	0x100000000000UL



#define NR_PASSES	KSMD_PASSES
#define MAX_SIZES	8

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static struct {
	unsigned long sizes[MAX_SIZES];	/* bytes */
	int nr_sizes;
	bool quick, no_kernel, check;
	const char *json, *plot;		/* --plot PREFIX: PREFIX.png and .svg */
} opt;

/* ------------------------------------------------------------------------ */
/* Results                                                                  */

/* The counters that must agree, in the order printed. */
#define counter_names	ksmd_counter_names
#define NR_COUNTERS	KSMD_NR_COUNTERS

struct size_result {
	unsigned long pages;
	double xxh_pps, memcmp_pps;	/* the physical limits, median of three sweeps */
	double xxh_pps_max, memcmp_pps_max;
	struct ksmd_side sim, kernel;
	bool counters_match;
};

static struct size_result results[MAX_SIZES];

/* A remark on a side's result. */
#define note(s, ...) bench_note((s)->note, sizeof((s)->note), __VA_ARGS__)

/* ------------------------------------------------------------------------ */
/* The workload's contents                                                  */

/* Page i of the half-dup workload into buf. */
static void fill_page(unsigned char *buf, unsigned long i)
{
	uint64_t idx = i;

	if (i & 1) {
		memset(buf, (int)(i % 8) + 1, SZ_4K);
	} else {
		memset(buf, 0x55, SZ_4K);
		memcpy(buf, &idx, sizeof(idx));
	}
}

/* fill_page() as the live ksmd's workload fills it. */
static void ksmd_fill_page(unsigned char *buf, unsigned long i, void *arg)
{
	(void)arg;
	fill_page(buf, i);
}

/* ------------------------------------------------------------------------ */
/* The physical limits on one core                                          */

static volatile uint64_t sink;

/*
 * XXH64 (seed 0, what calc_checksum() uses) of every page, and memcmp of
 * each page with an equal copy in a second buffer, over n pages: pages/s,
 * median and best of three sweeps. Both buffers are written first, so every
 * page is backed by memory of its own.
 */
static int measure_limits(struct size_result *r)
{
	unsigned long n = r->pages, len = n * SZ_4K;
	unsigned char *a = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned char *b = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	double x[3], m[3];

	if (a == MAP_FAILED || b == MAP_FAILED)
		return -ENOMEM;
	for (unsigned long i = 0; i < n; i++) {
		fill_page(a + i * SZ_4K, i);
		fill_page(b + i * SZ_4K, i);
	}
	for (int rep = 0; rep < 3; rep++) {
		uint64_t h = 0;
		long diff = 0;
		double t0 = bench_now_s();

		for (unsigned long i = 0; i < n; i++)
			h += XXH64(a + i * SZ_4K, SZ_4K, 0);
		x[rep] = (double)n / (bench_now_s() - t0);
		t0 = bench_now_s();
		for (unsigned long i = 0; i < n; i++)
			diff += memcmp(a + i * SZ_4K, b + i * SZ_4K, SZ_4K) != 0;
		m[rep] = (double)n / (bench_now_s() - t0);
		sink += h + (uint64_t)diff;
	}
	munmap(a, len);
	munmap(b, len);
	qsort(x, 3, sizeof(double), bench_cmp_double);
	qsort(m, 3, sizeof(double), bench_cmp_double);
	r->xxh_pps = x[1];
	r->xxh_pps_max = x[2];
	r->memcmp_pps = m[1];
	r->memcmp_pps_max = m[2];
	return 0;
}

/*
 * The bound of pass k (pages/s), as baselines.md defines it: the byte work
 * the pass must do on one core. Pass 1 checksums every page; a merging pass
 * checksums every page it visits and compares in full, once, each page that
 * merges. strict: count only the pages the pass really checksums, i.e. not
 * those already KSM pages at its start (cmp_and_merge_page() returns before
 * calc_checksum() for a page in its stable node): pass 3 checksums only the
 * unique half, so its strict bound is twice the loose one.
 */
static double pass_bound(const struct size_result *r, const struct ksmd_side *s, int k, bool strict)
{
	double n = (double)r->pages;
	double checksummed = strict ? n - (double)s->merged[k] : n;
	double compared = (double)(s->merged[k + 1] - s->merged[k]);

	if (compared < 0)
		compared = 0;
	return n / (checksummed / r->xxh_pps + compared / r->memcmp_pps);
}

/* ------------------------------------------------------------------------ */
/* The simulator                                                            */

static long sim_counter(struct mmsim *sim, const char *name)
{
	long v;

	CHECK(sim, mmsim_ksm_counter(sim, name, &v));
	return v;
}

static long sim_merged(struct mmsim *sim)
{
	return sim_counter(sim, "pages_shared") + sim_counter(sim, "pages_sharing");
}

static void run_sim(struct size_result *r)
{
	struct ksmd_side *s = &r->sim;
	unsigned long n = r->pages;
	struct mmsim_config cfg = {
		/* the pages, their page tables, and room to spare */
		.nr_frames = n + n / 256 + 16384,
		.seed = 1,
		.verify_every_step = false,
	};
	unsigned char buf[SZ_4K];
	struct mmsim *sim;
	int pid;

	CHECK(NULL, mmsim_create(&cfg, &sim));
	CHECK(sim, mmsim_proc_create(sim, &pid));
	CHECK(sim, mmsim_mmap(sim, pid, SIM_BASE, n * SZ_4K, MMSIM_PROT_READ | MMSIM_PROT_WRITE));
	CHECK(sim, mmsim_madvise(sim, pid, SIM_BASE, n * SZ_4K, MMSIM_MADV_NOHUGEPAGE));
	for (unsigned long i = 0; i < n; i++) {
		fill_page(buf, i);
		CHECK(sim, mmsim_write(sim, pid, SIM_BASE + i * SZ_4K, buf, SZ_4K));
	}
	/* The kernel's values as kernel_run() sets them (and the model's defaults). */
	CHECK(sim, mmsim_ksm_set(sim, "max_page_sharing", 256));
	CHECK(sim, mmsim_ksm_set(sim, "smart_scan", 1));
	CHECK(sim, mmsim_ksm_set(sim, "use_zero_pages", 0));
	CHECK(sim, mmsim_ksm_set(sim, "stable_node_chains_prune_millisecs", 2000));
	CHECK(sim, mmsim_ksm_set(sim, "pages_to_scan", n + 1));
	CHECK(sim, mmsim_ksm_set(sim, "sleep_millisecs", 0));
	CHECK(sim, mmsim_madvise(sim, pid, SIM_BASE, n * SZ_4K, MMSIM_MADV_MERGEABLE));
	for (int k = 0; k < NR_PASSES; k++) {
		double t0;

		s->merged[k] = sim_merged(sim);
		t0 = bench_now_s();
		CHECK(sim, mmsim_ksm_scan(sim, 1));
		s->secs[k] = bench_now_s() - t0;
	}
	s->merged[NR_PASSES] = sim_merged(sim);
	for (int c = 0; c < NR_COUNTERS; c++)
		s->counters[c] = sim_counter(sim, counter_names[c]);
	if (sim_counter(sim, "full_scans") != NR_PASSES)
		note(s, "full_scans %ld, not %d", sim_counter(sim, "full_scans"), NR_PASSES);
	if (sim_counter(sim, "pages_skipped"))
		note(s, "smart scan skipped %ld pages", sim_counter(sim, "pages_skipped"));
	mmsim_destroy(sim);
	s->done = true;
}

/* ------------------------------------------------------------------------ */
/* Report                                                                   */

enum verdict { V_PASS, V_FAIL, V_SKIPPED };
static const char *const verdict_names[] = { "PASS", "FAIL", "skipped" };

struct target {
	const char *what;	/* for the table */
	const char *key;	/* for JSON */
	int pass;		/* 0-based */
	double want;		/* the minimum */
	double got;		/* NaN-free: valid only when verdict != V_SKIPPED */
	enum verdict v;
};

static double pps(const struct size_result *r, const struct ksmd_side *s, int k)
{
	return (double)r->pages / s->secs[k];
}

/* The targets: pass 1 >= 80% of its bound; passes 2 and 3 >= 5x ksmd and >= 60% of theirs. */
static int targets(const struct size_result *r, struct target *t)
{
	int nr = 0;

	t[nr++] = (struct target){ .what = "pass 1: sim / bound (xxh64)",
				   .key = "pass1_pct_of_bound", .pass = 0, .want = 0.80 };
	for (int k = 1; k < NR_PASSES; k++) {
		t[nr++] = (struct target){
			.what = k == 1 ? "pass 2: sim / ksmd" : "pass 3: sim / ksmd",
			.key = k == 1 ? "pass2_x_kernel" : "pass3_x_kernel", .pass = k, .want = 5.0 };
		t[nr++] = (struct target){
			.what = k == 1 ? "pass 2: sim / bound" : "pass 3: sim / bound",
			.key = k == 1 ? "pass2_pct_of_bound" : "pass3_pct_of_bound", .pass = k,
			.want = 0.60 };
	}
	for (int i = 0; i < nr; i++) {
		bool vs_kernel = t[i].want > 1;

		if (!r->sim.done || (vs_kernel && !r->kernel.done)) {
			t[i].v = V_SKIPPED;
			continue;
		}
		t[i].got = vs_kernel ? pps(r, &r->sim, t[i].pass) / pps(r, &r->kernel, t[i].pass) :
				       pps(r, &r->sim, t[i].pass) /
					       pass_bound(r, &r->sim, t[i].pass, false);
		t[i].v = t[i].got >= t[i].want ? V_PASS : V_FAIL;
	}
	return nr;
}

/* The counters the workload must end with when max_page_sharing is 256. */
static void expected_counters(unsigned long n, long *c)
{
	long copies = (long)(n / 8), dups = (copies + 255) / 256;	/* of each of 4 contents */

	c[0] = 4 * dups;
	c[1] = (long)(n / 2) - 4 * dups;
	c[2] = (long)(n / 2);
	c[3] = dups > 1 ? 4 : 0;
	c[4] = dups > 1 ? 4 * dups : 0;
}

static int print_size(struct size_result *r)
{
	const struct ksmd_side *sm = &r->sim, *k = &r->kernel;
	struct target t[8];
	int nr = targets(r, t), fails = 0;
	long expect[NR_COUNTERS];

	printf("== half-dup, %lu MiB (%lu pages) ==\n", r->pages * SZ_4K / MiB, r->pages);
	printf("limits on one core: xxh64 %.0f k pages/s, memcmp %.0f k pages/s (median of 3)\n\n",
	       r->xxh_pps / 1e3, r->memcmp_pps / 1e3);
	printf("%-28s %12s %12s %9s %12s %9s %12s %9s\n", "pass", "sim kp/s", "ksmd kp/s",
	       "sim/ksmd", "bound kp/s", "sim %bnd", "strict kp/s", "sim %str");
	for (int p = 0; p < NR_PASSES; p++) {
		static const char *const names[] = { "1 (checksums)", "2 (merging)", "3" };
		char kcol[24] = "skipped", rcol[16] = "-";
		double b = pass_bound(r, sm, p, false), bs = pass_bound(r, sm, p, true);

		if (k->done) {
			snprintf(kcol, sizeof(kcol), "%.1f", pps(r, k, p) / 1e3);
			snprintf(rcol, sizeof(rcol), "%.1fx", pps(r, sm, p) / pps(r, k, p));
		}
		printf("%-28s %12.1f %12s %9s %12.1f %8.0f%% %12.1f %8.0f%%\n", names[p],
		       pps(r, sm, p) / 1e3, kcol, rcol, b / 1e3, 100 * pps(r, sm, p) / b, bs / 1e3,
		       100 * pps(r, sm, p) / bs);
	}

	printf("\n%-28s %12s %12s\n", "counter after 3 passes", "sim", "ksmd");
	expected_counters(r->pages, expect);
	r->counters_match = true;
	for (int c = 0; c < NR_COUNTERS; c++) {
		long want = k->done ? k->counters[c] : expect[c];
		char kcol[24] = "skipped";

		if (k->done)
			snprintf(kcol, sizeof(kcol), "%ld", k->counters[c]);
		if (sm->counters[c] != want)
			r->counters_match = false;
		printf("%-28s %12ld %12s%s\n", counter_names[c], sm->counters[c], kcol,
		       sm->counters[c] != want ? "  MISMATCH" : "");
	}
	if (!r->counters_match)
		printf("MISMATCH: the simulator's counters differ from %s\n",
		       k->done ? "the kernel's" : "the workload's expected values");
	else if (!k->done)
		printf("(no kernel figures: compared with the workload's expected values)\n");

	printf("\n%-32s %10s %10s  %s\n", "target", "measured", "wanted", "result");
	for (int i = 0; i < nr; i++) {
		char got[16] = "-", want[16];
		bool x = t[i].want > 1;

		if (t[i].v != V_SKIPPED)
			snprintf(got, sizeof(got), x ? "%.1fx" : "%.0f%%", x ? t[i].got : 100 * t[i].got);
		snprintf(want, sizeof(want), x ? ">= %.0fx" : ">= %.0f%%", x ? t[i].want : 100 * t[i].want);
		printf("%-32s %10s %10s  %s\n", t[i].what, got, want, verdict_names[t[i].v]);
		fails += t[i].v == V_FAIL;
	}
	fails += !r->counters_match;
	if (k->done)
		printf("kernel pass boundaries: each within +-%.0f us (full_scans read every %d us)\n",
		       k->uncertainty_us / 2, KSMD_POLL_NS / 1000);
	if (k->note[0])
		printf("note: kernel: %s\n", k->note);
	if (sm->note[0])
		printf("note: sim: %s\n", sm->note);
	printf("\n");
	return fails;
}

static void json_side(FILE *f, const char *key, const struct size_result *r,
		      const struct ksmd_side *s)
{
	fprintf(f, "      \"%s\": {\n", key);
	if (s->done) {
		fprintf(f, "        \"pass_seconds\": [%.6f, %.6f, %.6f],\n", s->secs[0], s->secs[1],
			s->secs[2]);
		fprintf(f, "        \"pages_per_s\": [%.0f, %.0f, %.0f],\n", pps(r, s, 0),
			pps(r, s, 1), pps(r, s, 2));
		fprintf(f, "        \"counters\": {");
		for (int c = 0; c < NR_COUNTERS; c++)
			fprintf(f, "%s\"%s\": %ld", c ? ", " : "", counter_names[c], s->counters[c]);
		fprintf(f, "},\n");
		if (s == &r->kernel)
			fprintf(f, "        \"boundary_window_us\": %.1f,\n", s->uncertainty_us);
	}
	fprintf(f, "        \"note\": ");
	scn_json_string(f, s->note);
	fprintf(f, "\n      }");
}

static int write_json(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "{\n  \"benchmark\": \"mmsim-bench-ksm\",\n  \"workload\": \"half-dup\",\n"
		"  \"clock\": \"CLOCK_MONOTONIC\",\n  \"sizes\": [\n");
	for (int i = 0; i < opt.nr_sizes; i++) {
		struct size_result *r = &results[i];
		struct target t[8];
		int nr = targets(r, t);

		fprintf(f, "%s    {\n      \"bytes\": %lu,\n      \"pages\": %lu,\n", i ? ",\n" : "",
			r->pages * SZ_4K, r->pages);
		fprintf(f, "      \"limits\": {\"xxh64_pages_per_s\": %.0f, "
			"\"xxh64_pages_per_s_max\": %.0f, \"memcmp_pages_per_s\": %.0f, "
			"\"memcmp_pages_per_s_max\": %.0f},\n",
			r->xxh_pps, r->xxh_pps_max, r->memcmp_pps, r->memcmp_pps_max);
		if (r->sim.done)
			fprintf(f, "      \"bound_pages_per_s\": [%.0f, %.0f, %.0f],\n"
				"      \"strict_bound_pages_per_s\": [%.0f, %.0f, %.0f],\n",
				pass_bound(r, &r->sim, 0, false), pass_bound(r, &r->sim, 1, false),
				pass_bound(r, &r->sim, 2, false), pass_bound(r, &r->sim, 0, true),
				pass_bound(r, &r->sim, 1, true), pass_bound(r, &r->sim, 2, true));
		json_side(f, "sim", r, &r->sim);
		fprintf(f, ",\n");
		json_side(f, "kernel", r, &r->kernel);
		fprintf(f, ",\n      \"counters_match\": %s,\n      \"targets\": [",
			r->counters_match ? "true" : "false");
		for (int j = 0; j < nr; j++) {
			fprintf(f, "%s\n        {\"name\": \"%s\", \"want\": %.2f, ", j ? "," : "",
				t[j].key, t[j].want);
			if (t[j].v == V_SKIPPED)
				fprintf(f, "\"measured\": null, ");
			else
				fprintf(f, "\"measured\": %.4f, ", t[j].got);
			fprintf(f, "\"result\": \"%s\"}", verdict_names[t[j].v]);
		}
		fprintf(f, "\n      ]\n    }");
	}
	fprintf(f, "\n  ]\n}\n");
	if (fclose(f))
		return -errno;
	return 0;
}

/*
 * --plot: thousand pages per second of each full pass, the simulator, the
 * kernel and the checksum-and-compare bound, one panel per size.
 */
static int plot(const char *prefix)
{
	FILE *dat, *gp;
	int err = bench_plot_open(prefix, 600 * opt.nr_sizes + 200, 700, &dat, &gp);

	if (err)
		return err;
	for (int i = 0; i < opt.nr_sizes; i++) {
		struct size_result *r = &results[i];

		fprintf(dat, "# %lu MiB\npass simulator kernel bound\n", r->pages * SZ_4K / MiB);
		for (int p = 0; p < 3; p++) {
			fprintf(dat, "%d", p + 1);
			fprintf(dat, r->sim.done ? " %.1f" : " NaN", pps(r, &r->sim, p) / 1000);
			fprintf(dat, r->kernel.done ? " %.1f" : " NaN", pps(r, &r->kernel, p) / 1000);
			fprintf(dat, r->sim.done ? " %.1f\n" : " NaN\n",
				pass_bound(r, &r->sim, p, false) / 1000);
		}
		fprintf(dat, "\n\n");
	}
	fprintf(gp, "  set style data histograms\n  set style histogram clustered gap 1\n"
		"  set style fill solid 0.8 border -1\n  set grid ytics\n  set logscale y\n"
		"  set xlabel 'full pass'\n  set ylabel 'thousand pages/s (log, higher is faster)'\n"
		"  set key top left noenhanced\n"
		"  set multiplot layout 1,%d title 'mmsim-bench-ksm: half-dup workload'\n",
		opt.nr_sizes);
	for (int i = 0; i < opt.nr_sizes; i++) {
		bool has[3] = { results[i].sim.done, results[i].kernel.done, results[i].sim.done };

		fprintf(gp, "  set title '%lu MiB'\n", results[i].pages * SZ_4K / MiB);
		bench_plot_columns(gp, prefix, i, has, 3);
	}
	fprintf(gp, "  unset multiplot\n");
	return bench_plot_finish(prefix, dat, gp);
}

/* ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim-bench-ksm [--quick] [--json FILE] [--plot PREFIX] [--size MiB]...\n"
		"                       [--no-kernel] [--check]\n"
		"  --plot PREFIX  pages/s per pass as PREFIX.png and PREFIX.svg (gnuplot;\n"
		"               PREFIX.dat and PREFIX.gp are kept)\n"
		"  --quick      16 MiB only (for CI)\n"
		"  --json FILE  also write the results as JSON to FILE\n"
		"  --size MiB   a workload size (repeatable; default 64 and 1024)\n"
		"  --no-kernel  the simulator and the limits only (e.g. under a profiler)\n"
		"  --check      exit 1 when a target is missed or a counter differs\n");
}

int main(int argc, char **argv)
{
	int fails = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;

		if (!strcmp(a, "--quick")) {
			opt.quick = true;
		} else if (!strcmp(a, "--json") && more) {
			opt.json = argv[++i];
		} else if (!strcmp(a, "--plot") && more) {
			opt.plot = argv[++i];
		} else if (!strcmp(a, "--size") && more && opt.nr_sizes < MAX_SIZES) {
			opt.sizes[opt.nr_sizes++] = strtoul(argv[++i], NULL, 10) * MiB;
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
	if (!opt.nr_sizes) {
		if (opt.quick) {
			opt.sizes[opt.nr_sizes++] = 16 * MiB;
		} else {
			opt.sizes[opt.nr_sizes++] = 64 * MiB;
			opt.sizes[opt.nr_sizes++] = 1024 * MiB;
		}
	}
	for (int i = 0; i < opt.nr_sizes; i++) {
		/* 8 MiB at least: each content then needs more than one dup (chains show). */
		if (opt.sizes[i] < 8 * MiB) {
			fprintf(stderr, "mmsim-bench-ksm: --size must be at least 8 (MiB)\n");
			return 2;
		}
	}

	ksmd_install_restore();

	for (int i = 0; i < opt.nr_sizes; i++) {
		struct size_result *r = &results[i];
		int err;

		r->pages = opt.sizes[i] / SZ_4K;
		/* The kernel first, then the limits and the simulator: one thing at a time. */
		if (opt.no_kernel)
			snprintf(r->kernel.note, sizeof(r->kernel.note), "skipped: --no-kernel");
		else
			ksmd_measure(r->pages, ksmd_fill_page, NULL, &r->kernel);
		err = measure_limits(r);
		if (err) {
			fprintf(stderr, "mmsim-bench-ksm: limits: %s\n", strerror(-err));
			return 2;
		}
		run_sim(r);
	}
	printf("mmsim-bench-ksm: half-dup workload, three full passes; kp/s = thousand pages/s\n\n");
	for (int i = 0; i < opt.nr_sizes; i++)
		fails += print_size(&results[i]);
	printf("bound: every page checksummed (xxh64) + one memcmp per page merged in the pass;\n"
	       "strict: only the pages the pass really checksums (not those KSM pages already).\n");
	if (opt.plot && plot(opt.plot))
		fprintf(stderr, "mmsim-bench-ksm: gnuplot failed; %s.gp and %s.dat are written\n",
			opt.plot, opt.plot);
	if (opt.json) {
		int err = write_json(opt.json);

		if (err) {
			fprintf(stderr, "mmsim-bench-ksm: %s: %s\n", opt.json, strerror(-err));
			return 2;
		}
	}
	return opt.check && fails ? 1 : 0;
}
