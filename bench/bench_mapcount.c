// SPDX-License-Identifier: MIT
/*
 * mmsim-bench-mapcount: the six folio mapcount schemes side by side.
 * Per scheme and folio layout (4K pages, PTE-mapped 2M THPs, PMD-mapped 2M
 * THPs, 64K mTHPs): ns per fault, fork, COW, munmap, mremap and mapcount
 * query; the metadata each scheme keeps per folio; and the accuracy report
 * (mmsim_mapcount_report()) over a workload built from the seed 001 cases.
 * With --costs FILE (from mmsim-calibrate-mapcount): the kernel time each
 * scheme would take, predicted from its cost counters, and the ratios
 * between schemes predicted beside those measured on the simulator.
 * Simulator only: the schemes are not kernels we can boot here.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/mmsim.h>

#include "bench_util.h"

#define BASE	0x100000000000UL
#define SZ_64K	(64UL << 10)
#define SZ_2M	(2UL << 20)
#define RW	(MMSIM_PROT_READ | MMSIM_PROT_WRITE)

enum layout { L_4K, L_PTE_2M, L_PMD_2M, L_64K, NR_LAYOUTS };
static const char *const layout_names[NR_LAYOUTS] = { "4k", "pte_2m", "pmd_2m", "mthp_64k" };
static const unsigned long folio_size[NR_LAYOUTS] = { 4096, SZ_2M, SZ_2M, SZ_64K };

enum op { OP_FAULT, OP_FORK, OP_COW, OP_MUNMAP, OP_MREMAP, OP_QUERY, NR_OPS };
static const char *const op_names[NR_OPS] = { "fault", "fork", "cow", "munmap", "mremap", "query" };

#define MAX_SCHEMES 8

/* The ops the cost model predicts, and the counters' operation for each. */
enum { P_FAULT, P_FORK, P_MUNMAP, P_QUERY, NR_PRED };
static const char *const pred_names[NR_PRED] = { "fault", "fork", "munmap", "query" };
static const int pred_op[NR_PRED] = { OP_FAULT, OP_FORK, OP_MUNMAP, OP_QUERY };

struct result {
	double ns[NR_LAYOUTS][NR_OPS];		/* median ns per folio */
	double pred[NR_LAYOUTS][NR_PRED];	/* predicted kernel ns per folio */
	struct mmsim_mapcount_cost cost[NR_LAYOUTS][NR_PRED];	/* counters, per folio run */
	struct mmsim_mapcount_cost zap_child[NR_LAYOUTS];	/* the child's munmap alone */
	struct mmsim_mapcount_report report;
	unsigned long bytes[NR_LAYOUTS];	/* metadata per folio */
};

static struct result results[MAX_SCHEMES];
static int nr_schemes;

static struct mmsim *new_sim_as(const char *scheme, const char *kernel, unsigned long size)
{
	struct mmsim_config cfg = { .nr_frames = 4 * (size >> 12) + 65536, .scheme = scheme,
				    .kernel = kernel };
	struct mmsim *sim;

	CHECK(NULL, mmsim_create(&cfg, &sim));
	CHECK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_NEVER));
	return sim;
}

static struct mmsim *new_sim(const char *scheme, unsigned long size)
{
	return new_sim_as(scheme, NULL, size);
}

/* The counters of the operation just done, then zero for the next one. */
static void take_costs(struct mmsim *sim, int op, struct mmsim_mapcount_cost *out)
{
	struct mmsim_mapcount_cost c[MMSIM_MC_NR_OPS];

	mmsim_mapcount_costs(sim, c);
	if (out)
		*out = c[op];
	mmsim_mapcount_costs_reset(sim);
}

/*
 * mremap() of [BASE, BASE + size) to to, one VMA at a time: before 6.17 a
 * move must not span VMAs (EFAULT), and the PTE-mapped layout's mprotect()
 * split the range into many.
 */
static void move_range(struct mmsim *sim, int p, unsigned long size, unsigned long to)
{
	for (unsigned long a = BASE; a < BASE + size;) {
		struct mmsim_vma_info vi;
		unsigned long end;

		CHECK(sim, mmsim_vma_info(sim, p, a, &vi));
		end = vi.end < BASE + size ? vi.end : BASE + size;
		CHECK(sim, mmsim_mremap(sim, p, a, end - a, to + (a - BASE)));
		a = end;
	}
}

/*
 * One repetition of every operation on size bytes laid out as asked. With
 * cost (the counting pass, whose times are not used): each operation's
 * counters, fault (its rmap calls), fork, and both munmaps.
 */
static void run_once_as(const char *scheme, const char *kernel, enum layout l, unsigned long size,
			double *ns, struct mmsim_mapcount_cost *cost,
			struct mmsim_mapcount_cost *zap_child)
{
	struct mmsim *sim = new_sim_as(scheme, kernel, size);
	unsigned long nr = size / folio_size[l], fsz = folio_size[l];
	unsigned long to = BASE + 64 * size;
	int p, c;
	double t;

	if (l == L_PTE_2M || l == L_PMD_2M)
		CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	if (l == L_64K)
		CHECK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_proc_create(sim, &p));
	CHECK(sim, mmsim_mmap(sim, p, BASE, size, RW));
	mmsim_mapcount_costs_enable(sim, cost != NULL);

	t = bench_now_ns();
	CHECK(sim, mmsim_fill(sim, p, BASE, size, 1));
	if (cost)
		take_costs(sim, MMSIM_MC_FAULT, &cost[P_FAULT]);
	if (l == L_PTE_2M) {
		/* Read-only first pages split every PMD: the folios stay order 9. */
		for (unsigned long a = BASE; a < BASE + size; a += SZ_2M)
			CHECK(sim, mmsim_mprotect(sim, p, a, 4096, MMSIM_PROT_READ));
	}
	ns[OP_FAULT] = (bench_now_ns() - t) / nr;

	if (cost)
		take_costs(sim, 0, NULL);	/* the PMD splits */
	t = bench_now_ns();
	CHECK(sim, mmsim_fork(sim, p, &c));
	ns[OP_FORK] = (bench_now_ns() - t) / nr;
	if (cost)
		take_costs(sim, MMSIM_MC_FORK, &cost[P_FORK]);

	t = bench_now_ns();
	for (unsigned long a = BASE; a < BASE + size; a += fsz)
		CHECK(sim, mmsim_fill(sim, c, a + fsz - 4096, 4096, 2));
	ns[OP_COW] = (bench_now_ns() - t) / nr;

	ns[OP_QUERY] = 0;	/* time_query() times it on its own */

	t = bench_now_ns();
	move_range(sim, p, size, to);
	ns[OP_MREMAP] = (bench_now_ns() - t) / nr;

	if (cost)
		take_costs(sim, 0, NULL);
	t = bench_now_ns();
	CHECK(sim, mmsim_munmap(sim, c, BASE, size));
	if (zap_child) {
		struct mmsim_mapcount_cost all[MMSIM_MC_NR_OPS];

		mmsim_mapcount_costs(sim, all);	/* the parent's munmap adds to them */
		*zap_child = all[MMSIM_MC_ZAP];
	}
	CHECK(sim, mmsim_munmap(sim, p, to, size));
	ns[OP_MUNMAP] = (bench_now_ns() - t) / (2 * nr);
	if (cost)
		take_costs(sim, MMSIM_MC_ZAP, &cost[P_MUNMAP]);
	mmsim_destroy(sim);
}

static void run_once(const char *scheme, enum layout l, unsigned long size, double *ns,
		     struct mmsim_mapcount_cost *cost)
{
	run_once_as(scheme, NULL, l, size, ns, cost, NULL);
}

/* folio_mapcount() and folio_maybe_mapped_shared() of every folio, after fork. */
static double time_query(const char *scheme, enum layout l, unsigned long size,
			 struct mmsim_mapcount_cost *cost)
{
	struct mmsim *sim = new_sim(scheme, size);
	unsigned long n = 0, reps = 200;
	volatile long sink = 0;
	int p, c;
	double t;

	if (l == L_PTE_2M || l == L_PMD_2M)
		CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	if (l == L_64K)
		CHECK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_proc_create(sim, &p));
	CHECK(sim, mmsim_mmap(sim, p, BASE, size, RW));
	CHECK(sim, mmsim_fill(sim, p, BASE, size, 1));
	if (l == L_PTE_2M)
		for (unsigned long a = BASE; a < BASE + size; a += SZ_2M)
			CHECK(sim, mmsim_mprotect(sim, p, a, 4096, MMSIM_PROT_READ));
	CHECK(sim, mmsim_fork(sim, p, &c));
	mmsim_mapcount_query_range(sim, p, BASE, size, &n);	/* warm, and the count */
	t = bench_now_ns();
	for (unsigned long r = 0; r < reps; r++)
		sink += mmsim_mapcount_query_range(sim, p, BASE, size, NULL);
	t = (bench_now_ns() - t) / (double)(reps * n);
	if (cost) {
		struct mmsim_mapcount_cost q[MMSIM_MC_NR_OPS];

		/* The same two questions once per folio, counted. */
		mmsim_mapcount_costs_enable(sim, true);
		sink += mmsim_mapcount_query_range(sim, p, BASE, size, NULL);
		mmsim_mapcount_costs(sim, q);
		*cost = q[MMSIM_MC_FOLIO_MAPCOUNT];
		cost->calls += q[MMSIM_MC_MAYBE_SHARED].calls;
		cost->lines += q[MMSIM_MC_MAYBE_SHARED].lines;
		cost->atomics += q[MMSIM_MC_MAYBE_SHARED].atomics;
		cost->page_iters += q[MMSIM_MC_MAYBE_SHARED].page_iters;
	}
	(void)sink;
	mmsim_destroy(sim);
	return t;
}

/*
 * The accuracy workload: the seed's cases at scale, sampled after each step.
 * 64K folios forked three ways, partial munmaps on both sides, halves moved
 * by mremap, a PMD-mapped THP split by mprotect, and exits.
 */
static void accuracy(const char *scheme, struct mmsim_mapcount_report *r)
{
	struct mmsim *sim = new_sim(scheme, 64 * SZ_2M);
	const unsigned long len = 32 * SZ_64K;
	int p, c1, c2;

	*r = (struct mmsim_mapcount_report){ 0 };
	CHECK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_proc_create(sim, &p));
	CHECK(sim, mmsim_mmap(sim, p, BASE, len, RW));
	CHECK(sim, mmsim_fill(sim, p, BASE, len, 1));
	/* Only now 2M THPs: the first region stays 64K folios. */
	CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_mmap(sim, p, BASE + 8 * SZ_2M, 2 * SZ_2M, RW));
	CHECK(sim, mmsim_fill(sim, p, BASE + 8 * SZ_2M, 2 * SZ_2M, 1));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	CHECK(sim, mmsim_fork(sim, p, &c1));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	/* The child unmaps the first half of every folio, the parent the second. */
	for (unsigned long a = BASE; a < BASE + len; a += SZ_64K) {
		CHECK(sim, mmsim_munmap(sim, c1, a, SZ_64K / 2));
		CHECK(sim, mmsim_mapcount_report(sim, r));
	}
	for (unsigned long a = BASE; a < BASE + len / 2; a += SZ_64K)
		CHECK(sim, mmsim_munmap(sim, p, a + SZ_64K / 2, SZ_64K / 2));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	/* Split the THPs' PMDs, move half of one, fork again, exit the middle. */
	CHECK(sim, mmsim_mprotect(sim, p, BASE + 8 * SZ_2M + SZ_2M / 2, SZ_2M / 2, MMSIM_PROT_READ));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	CHECK(sim, mmsim_mremap(sim, p, BASE + 9 * SZ_2M, SZ_2M / 2, BASE + 20 * SZ_2M + SZ_64K));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	CHECK(sim, mmsim_fork(sim, p, &c2));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	CHECK(sim, mmsim_exit(sim, p));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	CHECK(sim, mmsim_exit(sim, c1));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	/* Writes in the survivor: reuse or copy, per scheme. */
	for (unsigned long a = BASE + len / 2; a < BASE + len; a += SZ_64K)
		CHECK(sim, mmsim_fill(sim, c2, a + SZ_64K - 4096, 4096, 3));
	CHECK(sim, mmsim_mapcount_report(sim, r));
	CHECK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

/*
 * Predicted kernel ns per folio: fork and munmap add the callers' per-PTE
 * work (fork_entry, zap_entry) and, for munmap, the freeing of the parent's
 * folios (free_page a page); fault and query are the mapcount work alone.
 */
static void predict(const struct mmsim_mapcount_model *m, struct result *res, enum layout l,
		    unsigned long size)
{
	double nr = (double)(size / folio_size[l]);

	res->pred[l][P_FAULT] = mmsim_mapcount_model_predict(m, MMSIM_MC_FAULT, &res->cost[l][P_FAULT]) / nr;
	res->pred[l][P_FORK] = mmsim_mapcount_model_predict(m, MMSIM_MC_FORK, &res->cost[l][P_FORK]) / nr;
	res->pred[l][P_MUNMAP] = (mmsim_mapcount_model_predict(m, MMSIM_MC_ZAP, &res->cost[l][P_MUNMAP]) +
				  m->free_page * (double)(size >> 12)) / (2 * nr);
	res->pred[l][P_QUERY] = mmsim_mapcount_model_predict(m, MMSIM_MC_OTHER, &res->cost[l][P_QUERY]) / nr;
}

/* x = a / b, written "1.23x"; "-" when b is 0. */
static void print_ratio(double a, double b)
{
	if (b > 0)
		printf(" %8.2fx", a / b);
	else
		printf(" %9s", "-");
}

/*
 * 6.1 (legacy, an rmap call per PTE) against 6.18 (linux), and 6.12 (large,
 * batched) between them: the four times
 * mmsim-kernel-mapcount-timing measures on both kernels, predicted in ns per
 * 4 KiB page, with the same names (scripts/qemu-mapcount-timing.sh joins
 * them). fork: the first fork; munmap_child: the child's munmap of its copy
 * (nothing freed); fork_exit: a fork and the child's exit (its zap, nothing
 * freed); munmap: the parent's, which frees the folios (free_page a page).
 */
static void print_versions(const struct mmsim_mapcount_model *m, unsigned long size)
{
	static const char *const names[] = { "fork", "munmap_child", "fork_exit", "munmap" };
	static const char *const as[3][2] = { { "legacy", "6.1" }, { "large", "6.12" },
					      { "linux", "6.18" } };
	static const enum layout layouts[] = { L_4K, L_PTE_2M };
	double pages = (double)(size >> 12), ns[NR_OPS];

	printf("6.1 (legacy, an rmap call per PTE) against 6.18 (linux), and 6.12 (large), predicted "
	       "kernel ns per 4 KiB page:\n%-7s %-13s %9s %9s %9s %9s\n", "layout", "op", "6.1", "6.12",
	       "6.18", "6.1/6.18");
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		enum layout l = layouts[i];
		double v[3][4];

		for (int k = 0; k < 3; k++) {
			struct mmsim_mapcount_cost cost[NR_PRED], child;
			double fork, zap_child, zap_all;

			run_once_as(as[k][0], as[k][1], l, size, ns, cost, &child);
			fork = mmsim_mapcount_model_predict(m, MMSIM_MC_FORK, &cost[P_FORK]);
			zap_child = mmsim_mapcount_model_predict(m, MMSIM_MC_ZAP, &child);
			zap_all = mmsim_mapcount_model_predict(m, MMSIM_MC_ZAP, &cost[P_MUNMAP]);
			v[k][0] = fork / pages;
			v[k][1] = zap_child / pages;
			v[k][2] = (fork + zap_child) / pages;
			v[k][3] = (zap_all - zap_child) / pages + m->free_page;
		}
		for (int o = 0; o < 4; o++)
			printf("%-7s %-13s %9.2f %9.2f %9.2f %8.2fx\n", layout_names[l], names[o], v[0][o],
			       v[1][o], v[2][o], v[0][o] / v[2][o]);
	}
	printf("\n");
}

static void print_predictions(const struct mmsim_mapcount_model *m, const char *path, unsigned long size)
{
	struct result r61 = { 0 };
	double ns[NR_OPS];
	const int legacy = 1;	/* mmsim_scheme_name(1) */
	const struct result *lr = &results[legacy];

	printf("predicted kernel ns per folio (cost model %s, calibrated on %s):\n", path, m->kernel);
	printf("%-15s %-9s", "scheme", "layout");
	for (int o = 0; o < NR_PRED; o++)
		printf(" %9s", pred_names[o]);
	printf("   atomics/lines/PTEs scanned: fork, munmap (whole run)\n");
	for (int s = 0; s < nr_schemes; s++)
		for (int l = 0; l < NR_LAYOUTS; l++) {
			const struct result *r = &results[s];
			printf("%-15s %-9s", mmsim_scheme_name(s), layout_names[l]);
			for (int o = 0; o < NR_PRED; o++)
				printf(" %9.1f", r->pred[l][o]);
			printf("   %lu/%lu/%lu, %lu/%lu/%lu\n", r->cost[l][P_FORK].atomics,
			       r->cost[l][P_FORK].lines, r->cost[l][P_FORK].scan_ptes,
			       r->cost[l][P_MUNMAP].atomics, r->cost[l][P_MUNMAP].lines,
			       r->cost[l][P_MUNMAP].scan_ptes);
		}
	printf("\nspeed-up over legacy, layout pte_2m: predicted (kernel) | measured (simulator)\n");
	printf("%-15s", "scheme");
	for (int o = 1; o < NR_PRED; o++)
		printf(" %9s", pred_names[o]);
	printf("  |");
	for (int o = 1; o < NR_PRED; o++)
		printf(" %9s", pred_names[o]);
	printf("\n");
	for (int s = 0; s < nr_schemes; s++) {
		const struct result *r = &results[s];

		printf("%-15s", mmsim_scheme_name(s));
		for (int o = 1; o < NR_PRED; o++)
			print_ratio(lr->pred[L_PTE_2M][o], r->pred[L_PTE_2M][o]);
		printf("  |");
		for (int o = 1; o < NR_PRED; o++)
			print_ratio(lr->ns[L_PTE_2M][pred_op[o]], r->ns[L_PTE_2M][pred_op[o]]);
		printf("\n");
	}
	for (int s = 0; s < nr_schemes; s++) {
		const struct result *r = &results[s];
		double fork, munmap;

		if (strcmp(mmsim_scheme_name(s), "nopagemapcount"))
			continue;
		fork = lr->pred[L_PTE_2M][P_FORK] / r->pred[L_PTE_2M][P_FORK];
		munmap = lr->pred[L_PTE_2M][P_MUNMAP] / r->pred[L_PTE_2M][P_MUNMAP];
		printf("\nATC'24 shapes (pte_2m), nopagemapcount over legacy:\n"
		       "  legacy with 6.18's batched rmap calls: fork %.2fx (paper 1.9x, %s),"
		       " munmap %.2fx (paper 4.2x, %s)\n", fork,
		       fabs(fork / 1.9 - 1) <= 0.25 ? "within 25%" : "NOT within 25%", munmap,
		       fabs(munmap / 4.2 - 1) <= 0.25 ? "within 25%" : "NOT within 25%");
		/* The same workload as 6.1 ran it: one rmap call per PTE. */
		run_once_as("legacy", "6.1", L_PTE_2M, size, ns, r61.cost[L_PTE_2M],
			    &r61.zap_child[L_PTE_2M]);
		predict(m, &r61, L_PTE_2M, size);
		fork = r61.pred[L_PTE_2M][P_FORK] / r->pred[L_PTE_2M][P_FORK];
		munmap = r61.pred[L_PTE_2M][P_MUNMAP] / r->pred[L_PTE_2M][P_MUNMAP];
		printf("  legacy with 6.1's rmap call per PTE:    fork %.2fx (paper 1.9x, %s),"
		       " munmap %.2fx (paper 4.2x, %s)\n", fork,
		       fabs(fork / 1.9 - 1) <= 0.25 ? "within 25%" : "NOT within 25%", munmap,
		       fabs(munmap / 4.2 - 1) <= 0.25 ? "within 25%" : "NOT within 25%");
		printf("  munmap in the child alone (nothing freed): batched %.2fx, 6.1's calls %.2fx\n",
		       mmsim_mapcount_model_predict(m, MMSIM_MC_ZAP, &lr->zap_child[L_PTE_2M]) /
		       mmsim_mapcount_model_predict(m, MMSIM_MC_ZAP, &r->zap_child[L_PTE_2M]),
		       mmsim_mapcount_model_predict(m, MMSIM_MC_ZAP, &r61.zap_child[L_PTE_2M]) /
		       mmsim_mapcount_model_predict(m, MMSIM_MC_ZAP, &r->zap_child[L_PTE_2M]));
		printf("  (6.1 calls: %lu fork calls, %lu atomics; %lu munmap calls, %lu atomics)\n",
		       r61.cost[L_PTE_2M][P_FORK].calls, r61.cost[L_PTE_2M][P_FORK].atomics,
		       r61.cost[L_PTE_2M][P_MUNMAP].calls, r61.cost[L_PTE_2M][P_MUNMAP].atomics);
		printf("(docs/mapcount-schemes.md, \"Costs\", says where the paper's setup differs)\n\n");
	}
	print_versions(m, size);
}

static void write_json(FILE *f, unsigned long size, int reps)
{
	fprintf(f, "{\n  \"size_mib\": %lu,\n  \"reps\": %d,\n  \"schemes\": [\n", size >> 20, reps);
	for (int s = 0; s < nr_schemes; s++) {
		const struct result *r = &results[s];
		const struct mmsim_mapcount_report *a = &r->report;

		fprintf(f, "    {\n      \"name\": \"%s\",\n      \"ns_per_folio\": {", mmsim_scheme_name(s));
		for (int l = 0; l < NR_LAYOUTS; l++) {
			fprintf(f, "%s\n        \"%s\": {", l ? "," : "", layout_names[l]);
			for (int o = 0; o < NR_OPS; o++)
				fprintf(f, "%s\"%s\": %.1f", o ? ", " : "", op_names[o], r->ns[l][o]);
			fprintf(f, "}");
		}
		fprintf(f, "\n      },\n      \"metadata_bytes_per_folio\": {");
		for (int l = 0; l < NR_LAYOUTS; l++)
			fprintf(f, "%s\"%s\": %lu", l ? ", " : "", layout_names[l], r->bytes[l]);
		fprintf(f, "},\n      \"accuracy\": {\"samples\": %lu, \"folios\": %lu, "
			"\"wrong_mapcount\": %lu, \"drift\": %ld, \"abs_drift\": %lu, "
			"\"false_unmapped\": %lu, \"false_shared\": %lu, \"false_exclusive\": %lu, "
			"\"pages\": %lu, \"wrong_page_counts\": %lu, \"missed_partial\": %lu, "
			"\"false_partial\": %lu}\n    }%s\n",
			a->samples, a->folios, a->wrong_mapcount, a->drift, a->abs_drift,
			a->false_unmapped, a->false_shared, a->false_exclusive, a->pages,
			a->wrong_page_counts, a->missed_partial, a->false_partial,
			s + 1 < nr_schemes ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
}

/* A gnuplot script: ns per folio of each operation, one panel per layout. */
static int plot(const char *prefix)
{
	char path[512], cmd[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s.dat", prefix);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	for (int l = 0; l < NR_LAYOUTS; l++) {
		fprintf(f, "# %s\nscheme", layout_names[l]);
		for (int o = 0; o < NR_OPS; o++)
			fprintf(f, " %s", op_names[o]);
		fprintf(f, "\n");
		for (int s = 0; s < nr_schemes; s++) {
			fprintf(f, "%s", mmsim_scheme_name(s));
			for (int o = 0; o < NR_OPS; o++)
				fprintf(f, " %.1f", results[s].ns[l][o] > 0.1 ? results[s].ns[l][o] : 0.1);
			fprintf(f, "\n");
		}
		fprintf(f, "\n\n");
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s.gp", prefix);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f,
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\nset logscale y\nset ylabel 'ns per folio'\n"
		"set key outside right noenhanced\nset xtics rotate by -30 noenhanced\nset grid ytics\n"
		"do for [fmt in 'pngcairo svg'] {\n"
		"  if (fmt eq 'svg') { set terminal svg size 1400,900; set output '%s.svg' }"
		" else { set terminal pngcairo size 1400,900; set output '%s.png' }\n"
		"  set multiplot layout 2,2 title 'mmsim mapcount schemes'\n", prefix, prefix);
	for (int l = 0; l < NR_LAYOUTS; l++)
		fprintf(f, "  set title '%s' noenhanced\n  plot for [c=2:%d] '%s.dat' index %d using c:xtic(1) title columnheader(c)\n",
			layout_names[l], NR_OPS + 1, prefix, l);
	fprintf(f, "  unset multiplot\n}\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gnuplot '%s.gp' 2>/dev/null", prefix);
	return system(cmd) ? -ENOENT : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mmsim-bench-mapcount [--quick] [--size MiB] [--reps N] [--json FILE] [--plot PREFIX]\n"
		"  --size MiB     memory per layout (default 64; a multiple of 2)\n"
		"  --json FILE    also write the results as JSON\n"
		"  --plot PREFIX  write PREFIX.png and PREFIX.svg with gnuplot\n"
		"  --costs FILE   the cost model of mmsim-calibrate-mapcount: predicted kernel times\n"
		"                 and ratios between schemes beside the measured ones\n");
}

int main(int argc, char **argv)
{
	unsigned long size = 64UL << 20;
	const char *json = NULL, *plot_prefix = NULL, *costs = NULL;
	struct mmsim_mapcount_model model_buf, *model = NULL;
	int reps = 3;

	for (int i = 1; i < argc; i++) {
		bool more = i + 1 < argc;

		if (!strcmp(argv[i], "--quick")) {
			size = 8UL << 20;
			reps = 1;
		} else if (!strcmp(argv[i], "--size") && more) {
			size = strtoul(argv[++i], NULL, 0) << 20;
		} else if (!strcmp(argv[i], "--reps") && more) {
			reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--json") && more) {
			json = argv[++i];
		} else if (!strcmp(argv[i], "--plot") && more) {
			plot_prefix = argv[++i];
		} else if (!strcmp(argv[i], "--costs") && more) {
			costs = argv[++i];
		} else {
			usage();
			return 2;
		}
	}
	if (!size || size % SZ_2M || reps < 1 || reps > 64) {
		usage();
		return 2;
	}
	if (costs) {
		char why[512];

		if (mmsim_mapcount_model_load(&model_buf, costs, why, sizeof(why))) {
			fprintf(stderr, "mmsim-bench-mapcount: %s\n", why);
			return 2;
		}
		model = &model_buf;
	}

	printf("%-15s %-9s", "scheme", "layout");
	for (int o = 0; o < NR_OPS; o++)
		printf(" %9s", op_names[o]);
	printf("  %s\n", "bytes/folio");
	for (nr_schemes = 0; mmsim_scheme_name(nr_schemes) && nr_schemes < MAX_SCHEMES; nr_schemes++) {
		const char *name = mmsim_scheme_name(nr_schemes);
		struct result *res = &results[nr_schemes];
		struct mmsim_scheme_info info;

		mmsim_scheme_info(name, &info);

		for (int l = 0; l < NR_LAYOUTS; l++) {
			double samples[NR_OPS][64];

			for (int r = 0; r < reps; r++) {
				double ns[NR_OPS];

				run_once(name, (enum layout)l, size, ns, NULL);
				ns[OP_QUERY] = time_query(name, (enum layout)l, size, NULL);
				for (int o = 0; o < NR_OPS; o++)
					samples[o][r] = ns[o];
			}
			for (int o = 0; o < NR_OPS; o++) {
				qsort(samples[o], (size_t)reps, sizeof(double), bench_cmp_double);
				res->ns[l][o] = samples[o][reps / 2];
			}
			if (model) {
				double ns[NR_OPS];

				/* The counting pass: deterministic, its times unused. */
				run_once_as(name, NULL, (enum layout)l, size, ns, res->cost[l],
					    &res->zap_child[l]);
				time_query(name, (enum layout)l, size, &res->cost[l][P_QUERY]);
				predict(model, res, (enum layout)l, size);
			}
			res->bytes[l] = info.bytes_per_folio + info.bytes_per_page * (folio_size[l] >> 12);
			printf("%-15s %-9s", name, layout_names[l]);
			for (int o = 0; o < NR_OPS; o++)
				printf(" %9.1f", res->ns[l][o]);
			printf("  %lu\n", res->bytes[l]);
		}
		accuracy(name, &res->report);
	}

	printf("\nns per folio (median of %d); fault of pte_2m includes the PMD split.\n\n", reps);
	if (model)
		print_predictions(model, costs, size);
	printf("accuracy over the seed-001 workload (folio samples):\n");
	printf("%-15s %7s %8s %7s %9s %8s %9s %10s %8s %8s\n", "scheme", "folios", "wrongmc",
	       "drift", "unmapped", "f.shared", "f.exclus", "wrongpage", "m.part", "f.part");
	for (int s = 0; s < nr_schemes; s++) {
		const struct mmsim_mapcount_report *a = &results[s].report;

		printf("%-15s %7lu %8lu %7ld %9lu %8lu %9lu %10lu %8lu %8lu\n", mmsim_scheme_name(s),
		       a->folios, a->wrong_mapcount, a->drift, a->false_unmapped, a->false_shared,
		       a->false_exclusive, a->wrong_page_counts, a->missed_partial, a->false_partial);
	}
	if (json) {
		FILE *f = fopen(json, "w");

		if (!f) {
			perror(json);
			return 1;
		}
		write_json(f, size, reps);
		fclose(f);
	}
	if (plot_prefix && plot(plot_prefix))
		fprintf(stderr, "mmsim-bench-mapcount: gnuplot failed; %s.gp and %s.dat are written\n",
			plot_prefix, plot_prefix);
	return 0;
}
