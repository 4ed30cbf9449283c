// SPDX-License-Identifier: MIT
/*
 * mmsim-bench-anon-pgoff: seed 004's question in numbers. For each anon
 * vm_pgoff policy (Linux's vm_start >> PAGE_SHIFT, the thread's 0), two
 * workloads:
 *   adjacent  N one-page mmaps side by side, written, then K forks: how
 *             many VMAs and anon_vmas the processes hold, and what an rmap
 *             walk of one page costs (interval-tree nodes, VMAs, time);
 *   lined-up  a two-page mapping whose upper page is moved away N times,
 *             each time with a new page mapped right below it (the
 *             offsets line up under 0, so the two merge into the old
 *             anon_vma), then K forks: the same counts for the first page.
 * Every walk must reach all K + 1 mappings of the page, or the bench fails.
 * Simulator only: no kernel gives anonymous VMAs offset 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmsim/mmsim.h>

#include "bench_util.h"

#define BASE	0x100000000000UL
#define FAR	0x400000UL		/* each move: 4 MiB further, a page table of its own */
#define PAGE	4096UL
#define RW	(MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define NR_REPS	5
#define MAX_LIST 16

enum workload { ADJACENT, LINED_UP };
static const char *const workload_names[] = { "adjacent", "lined-up" };
static const char *const policy_names[] = { "kernel", "zero" };

struct result {
	enum workload w;
	enum mmsim_anon_pgoff policy;
	unsigned long n, k;
	unsigned long vmas, anon_vmas;
	unsigned long nodes, walk_vmas, mappings;	/* of one walk */
	double ns;					/* per walk, median */
};

/* N adjacent one-page mmaps at BASE, each written: the walked page is the middle one. */
static unsigned long build_adjacent(struct mmsim *sim, int pid, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		CHECK(sim, mmsim_mmap(sim, pid, BASE + i * PAGE, PAGE, RW));
		CHECK(sim, mmsim_fill(sim, pid, BASE + i * PAGE, PAGE, 0x11));
	}
	return BASE + n / 2 * PAGE;
}

/*
 * [BASE, BASE + 2 pages) written; then N times: move the upper page of the
 * last range 4 MiB on, map a page right below it and write it. Under 0 the
 * moved page keeps offset 1 and the new one gets 0: they merge, in the
 * first anon_vma, which then covers offset 0 once more per round.
 */
static unsigned long build_lined_up(struct mmsim *sim, int pid, unsigned long n)
{
	unsigned long lower = BASE;

	CHECK(sim, mmsim_mmap(sim, pid, BASE, 2 * PAGE, RW));
	CHECK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 0x22));
	for (unsigned long i = 1; i <= n; i++) {
		unsigned long to = BASE + i * FAR;

		CHECK(sim, mmsim_mremap(sim, pid, lower + PAGE, PAGE, to));
		CHECK(sim, mmsim_mmap(sim, pid, to - PAGE, PAGE, RW));
		CHECK(sim, mmsim_fill(sim, pid, to - PAGE, PAGE, 0x22));
		lower = to - PAGE;
	}
	return BASE;
}

static void measure(enum workload w, enum mmsim_anon_pgoff policy, unsigned long n,
		    unsigned long k, struct result *res)
{
	/* Frames for the contents, and a page table per VMA per process. */
	struct mmsim_config mc = { .nr_frames = 65536 + 4 * n * (k + 1), .anon_pgoff = policy };
	struct mmsim_rmap_walk walk;
	struct mmsim_stats st;
	struct mmsim *sim;
	unsigned long addr, reps;
	double ns[NR_REPS];
	int parent, child;

	CHECK(NULL, mmsim_create(&mc, &sim));
	CHECK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_NEVER));
	CHECK(sim, mmsim_proc_create(sim, &parent));
	addr = w == ADJACENT ? build_adjacent(sim, parent, n) : build_lined_up(sim, parent, n);
	for (unsigned long i = 0; i < k; i++)
		CHECK(sim, mmsim_fork(sim, parent, &child));
	CHECK(sim, mmsim_rmap_walk(sim, parent, addr, &walk));
	if (!walk.reaches || walk.mappings != k + 1) {
		fprintf(stderr, "%s/%s: the walk reached %lu of %lu mappings\n", workload_names[w],
			policy_names[policy], walk.mappings, k + 1);
		exit(1);
	}
	mmsim_get_stats(sim, &st);
	reps = (unsigned long)(2e5 / ((double)walk.nodes + 1.0));
	reps = reps < 5 ? 5 : reps > 20000 ? 20000 : reps;
	for (int r = 0; r < NR_REPS; r++) {
		double t0 = bench_now_ns();
		struct mmsim_rmap_walk again;

		for (unsigned long i = 0; i < reps; i++)
			CHECK(sim, mmsim_rmap_walk(sim, parent, addr, &again));
		ns[r] = (bench_now_ns() - t0) / (double)reps;
	}
	*res = (struct result){ .w = w, .policy = policy, .n = n, .k = k, .vmas = st.nr_vmas,
				.anon_vmas = st.nr_anon_vmas, .nodes = walk.nodes,
				.walk_vmas = walk.vmas, .mappings = walk.mappings,
				.ns = bench_median(ns, NR_REPS) };
	mmsim_destroy(sim);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mmsim-bench-anon-pgoff [--quick] [--n N,N,...] [--forks K,K,...] [--json FILE]\n"
		"  --n       mmaps (adjacent) and moves (lined-up), 1..4096 (default 16,256,1024)\n"
		"  --forks   fork counts, 0..1000 (default 0,3,30)\n"
		"  --quick   --n 16,256 --forks 0,3\n"
		"  --json FILE also write the results as JSON\n");
	exit(2);
}

static void print_json(const char *path, const struct result *r, size_t nr)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(2);
	}
	fprintf(f, "[\n");
	for (size_t i = 0; i < nr; i++)
		fprintf(f, "  {\"workload\": \"%s\", \"policy\": \"%s\", \"n\": %lu, \"forks\": %lu, "
			"\"vmas\": %lu, \"anon_vmas\": %lu, \"nodes_per_walk\": %lu, "
			"\"vmas_per_walk\": %lu, \"mappings\": %lu, \"ns_per_walk\": %.1f}%s\n",
			workload_names[r[i].w], policy_names[r[i].policy], r[i].n, r[i].k, r[i].vmas,
			r[i].anon_vmas, r[i].nodes, r[i].walk_vmas, r[i].mappings, r[i].ns,
			i + 1 < nr ? "," : "");
	fprintf(f, "]\n");
	fclose(f);
}

int main(int argc, char **argv)
{
	unsigned long ns_list[MAX_LIST] = { 16, 256, 1024 }, ks[MAX_LIST] = { 0, 3, 30 };
	int nr_n = 3, nr_k = 3;
	const char *json = NULL;
	struct result *res;
	size_t nr = 0;

	for (int i = 1; i < argc; i++) {
		bool more = i + 1 < argc;

		if (!strcmp(argv[i], "--quick")) {
			nr_n = nr_k = 2;
			ns_list[1] = 256;
			ks[1] = 3;
		} else if (!strcmp(argv[i], "--n") && more) {
			nr_n = bench_parse_list(argv[++i], ns_list, MAX_LIST, 4096);
		} else if (!strcmp(argv[i], "--forks") && more) {
			nr_k = bench_parse_list(argv[++i], ks, MAX_LIST, 1000);
		} else if (!strcmp(argv[i], "--json") && more) {
			json = argv[++i];
		} else {
			usage();
		}
		if (nr_n <= 0 || nr_k <= 0)
			usage();
	}
	res = calloc((size_t)(2 * 2 * nr_n * nr_k), sizeof(*res));
	if (!res)
		die(NULL, "calloc", -ENOMEM);
	printf("%-9s %-7s %5s %5s %8s %9s %10s %9s %8s %10s\n", "workload", "policy", "N", "K",
	       "VMAs", "anon_vmas", "nodes/walk", "VMAs/walk", "reached", "ns/walk");
	for (int w = ADJACENT; w <= LINED_UP; w++)
		for (int a = 0; a < nr_n; a++)
			for (int b = 0; b < nr_k; b++)
				for (int p = 0; p < 2; p++) {
					struct result *r = &res[nr++];

					measure((enum workload)w, (enum mmsim_anon_pgoff)p, ns_list[a], ks[b], r);
					printf("%-9s %-7s %5lu %5lu %8lu %9lu %10lu %9lu %8lu %10.0f\n",
					       workload_names[w], policy_names[p], r->n, r->k, r->vmas,
					       r->anon_vmas, r->nodes, r->walk_vmas, r->mappings, r->ns);
				}
	if (json)
		print_json(json, res, nr);
	free(res);
	return 0;
}
