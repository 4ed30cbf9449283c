// SPDX-License-Identifier: MIT
/*
 * mmsim-bench-rmapwalk: seed 003's question in numbers. One process maps V
 * VMAs of two equal pages (alternate VMAs read-only), all on one anon_vma;
 * the first M of them are mergeable and ksmd merges their 2M pages into one
 * KSM page; the process forks K children, which ksmd meets too, so every
 * child's VMAs join the parent's anon_vma tree: (K + 1) * V nodes. The
 * sweep has M = V; one more configuration is the thread's own (22169 VMAs
 * on one anon_vma, 3 of them at the page's offset): V = 8192, M = 1, K = 2. Per `ksm rmap_walk=` variant: what one
 * rmap_walk() of that KSM page searches (interval-tree nodes, VMAs), how
 * many of its mappings it reaches, how long it takes, and what the
 * rmap_items cost in memory. Twice: in place, and after the range was moved
 * by mremap before merging. Simulator only: the variants are not kernels.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/mmsim.h>

#include "bench_util.h"

#define BASE	0x100000000000UL
#define FAR	0x100000000UL		/* the move: 4 GiB away */
#define PAGE	4096UL
#define RW	(MMSIM_PROT_READ | MMSIM_PROT_WRITE)
#define MAX_LIST 16
#define NR_VARIANTS 4
#define NR_REPS	3
#define VMA_PAGES 2			/* two, so that even V = 1 has a pair to merge */
#define VMA_LEN	(VMA_PAGES * PAGE)

static const char *const variant_names[NR_VARIANTS] = { "full", "address", "pgoff", "remapped" };

struct config {
	unsigned long vmas;		/* V: VMAs of the parent, of VMA_PAGES pages each */
	unsigned long merged;		/* M: the first M VMAs are mergeable (their pages merge) */
	unsigned long children;		/* K */
	bool moved;			/* the range was mremapped before merging */
};

struct result {
	struct config cfg;
	enum mmsim_ksm_rmap_walk variant;
	unsigned long tree_nodes;	/* the parent's anon_vma interval tree */
	double nodes, vmas;		/* per walk */
	unsigned long mapped, reached;	/* mappings of the KSM page; reached by the walk */
	double ns;			/* per walk, median of NR_REPS */
	unsigned long rmap_items;
};

/*
 * The parent: V * VMA_LEN at BASE (or BASE + FAR after a move), odd VMAs
 * read-only so that they stay apart, all faulted in while they were one
 * VMA, so they share its anon_vma.
 */
static int build_parent(struct mmsim *sim, const struct config *cfg, unsigned long *addr)
{
	unsigned long len = cfg->vmas * VMA_LEN;
	int pid;

	CHECK(sim, mmsim_proc_create(sim, &pid));
	CHECK(sim, mmsim_mmap(sim, pid, BASE, len, RW));
	CHECK(sim, mmsim_fill(sim, pid, BASE, len, 0x4d));
	for (unsigned long i = 1; i < cfg->vmas; i += 2)
		CHECK(sim, mmsim_mprotect(sim, pid, BASE + i * VMA_LEN, VMA_LEN, MMSIM_PROT_READ));
	*addr = BASE;
	if (cfg->moved) {
		CHECK(sim, mmsim_mremap(sim, pid, BASE, len, BASE + FAR));
		*addr = BASE + FAR;
	}
	CHECK(sim, mmsim_madvise(sim, pid, *addr, cfg->merged * VMA_LEN, MMSIM_MADV_MERGEABLE));
	return pid;
}

/*
 * ns per walk: the median of NR_REPS batches sized to take a few ms each.
 * Every walk of the folio must search the same trees as the first.
 */
static double time_walks(struct mmsim *sim, int pid, unsigned long addr, double nodes_per_walk)
{
	unsigned long n = (unsigned long)(2e5 / (nodes_per_walk + 1.0));
	double ns[NR_REPS];

	n = n < 5 ? 5 : n > 20000 ? 20000 : n;
	for (int r = 0; r < NR_REPS; r++) {
		double t0 = bench_now_ns();

		for (unsigned long i = 0; i < n; i++) {
			struct mmsim_rmap_walk walk;

			CHECK(sim, mmsim_rmap_walk(sim, pid, addr, &walk));
			if ((double)walk.nodes != nodes_per_walk)
				die(sim, "walks of one folio searched different trees", -EINVAL);
		}
		ns[r] = (bench_now_ns() - t0) / (double)n;
	}
	qsort(ns, NR_REPS, sizeof(ns[0]), bench_cmp_double);
	return ns[NR_REPS / 2];
}

/*
 * KSM's rmap_items, from the kernel's own relation: general_profit is
 * (pages_sharing + ksm_zero_pages) pages less the rmap_items' bytes.
 */
static unsigned long rmap_items(struct mmsim *sim, size_t item_bytes)
{
	long sharing, zero, profit;

	CHECK(sim, mmsim_ksm_counter(sim, "pages_sharing", &sharing));
	CHECK(sim, mmsim_ksm_counter(sim, "ksm_zero_pages", &zero));
	CHECK(sim, mmsim_ksm_counter(sim, "general_profit", &profit));
	return (unsigned long)(((sharing + zero) * (long)PAGE - profit) / (long)item_bytes);
}

static void measure(const struct config *cfg, enum mmsim_ksm_rmap_walk variant,
		    struct result *res)
{
	struct mmsim_config mc = { .nr_frames = 65536 + 16 * cfg->children +
						4 * VMA_PAGES * cfg->vmas };
	struct mmsim_rmap_walk walk;
	struct mmsim_folio_info fi;
	struct mmsim_layout lay;
	struct mmsim *sim;
	unsigned long addr;
	int parent, child;

	mmsim_get_layout(&lay);
	CHECK(NULL, mmsim_create(&mc, &sim));
	CHECK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_NEVER));
	CHECK(sim, mmsim_ksm_set(sim, "rmap_walk", variant));
	parent = build_parent(sim, cfg, &addr);
	CHECK(sim, mmsim_ksm_scan(sim, 2));
	for (unsigned long k = 0; k < cfg->children; k++)
		CHECK(sim, mmsim_fork(sim, parent, &child));
	CHECK(sim, mmsim_ksm_scan(sim, 1));	/* the children's items join the node */
	CHECK(sim, mmsim_folio_info(sim, parent, addr, &fi));
	if (!fi.ksm)
		die(sim, "the parent's pages did not merge", -EINVAL);
	*res = (struct result){ .cfg = *cfg, .variant = variant,
				.tree_nodes = (cfg->children + 1) * cfg->vmas,
				.mapped = (unsigned long)fi.mapcount,
				.rmap_items = rmap_items(sim, lay.ksm_rmap_item) };
	CHECK(sim, mmsim_rmap_walk(sim, parent, addr, &walk));
	res->reached = walk.mappings;
	res->nodes = (double)walk.nodes;
	res->vmas = (double)walk.vmas;
	res->ns = time_walks(sim, parent, addr, res->nodes);
	mmsim_destroy(sim);
}

static size_t item_bytes(void)
{
	struct mmsim_layout lay;

	mmsim_get_layout(&lay);
	return lay.ksm_rmap_item;
}

static void print_row(const struct result *r)
{
	printf("%-8s %5lu %4lu %5lu %-9s %7lu %11.0f %9.0f %7lu/%-7lu %12.0f %8lu %4zu %9.1f\n",
	       r->cfg.moved ? "moved" : "in place", r->cfg.vmas, r->cfg.merged, r->cfg.children,
	       variant_names[r->variant], r->tree_nodes, r->nodes, r->vmas, r->reached,
	       r->mapped, r->ns, r->rmap_items, item_bytes(),
	       (double)(r->rmap_items * item_bytes()) / 1024.0);
}

static void write_json(FILE *f, const struct result *res, size_t nr)
{
	fprintf(f, "{\n  \"rmap_item_bytes\": %zu,\n  \"results\": [\n",
		item_bytes());
	for (size_t i = 0; i < nr; i++) {
		const struct result *r = &res[i];

		fprintf(f, "    {\"layout\": \"%s\", \"vmas\": %lu, \"merged_vmas\": %lu, "
			"\"children\": %lu, "
			"\"variant\": \"%s\", \"tree_nodes\": %lu, \"nodes_per_walk\": %.0f, "
			"\"vmas_per_walk\": %.0f, \"mappings\": %lu, \"reached\": %lu, "
			"\"ns_per_walk\": %.0f, \"rmap_items\": %lu, \"rmap_item_bytes_total\": %lu}%s\n",
			r->cfg.moved ? "moved" : "in_place", r->cfg.vmas, r->cfg.merged, r->cfg.children,
			variant_names[r->variant], r->tree_nodes, r->nodes, r->vmas, r->mapped,
			r->reached, r->ns, r->rmap_items,
			(unsigned long)(r->rmap_items * item_bytes()),
			i + 1 < nr ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mmsim-bench-rmapwalk [--quick] [--children N,N,...] [--vmas N,N,...] "
		"[--json FILE]\n"
		"  --children  fork counts (default 1,10,100,1000; --quick 1,10,100)\n"
		"  --vmas      VMAs of the parent, two merged pages each, 1..128 (default 1,16)\n"
		"  --json FILE also write the results as JSON\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long children[MAX_LIST] = { 1, 10, 100, 1000 }, vmas[MAX_LIST] = { 1, 16 };
	int nr_children = 4, nr_vmas = 2;
	const char *json = NULL;
	struct result *res;
	size_t nr = 0;

	for (int i = 1; i < argc; i++) {
		bool more = i + 1 < argc;

		if (!strcmp(argv[i], "--quick"))
			nr_children = 3;
		else if (!strcmp(argv[i], "--children") && more)
			nr_children = bench_parse_list(argv[++i], children, MAX_LIST, 100000);
		else if (!strcmp(argv[i], "--vmas") && more)
			nr_vmas = bench_parse_list(argv[++i], vmas, MAX_LIST, 128);
		else if (!strcmp(argv[i], "--json") && more)
			json = argv[++i];
		else
			usage();
	}
	for (int i = 0; i < nr_vmas; i++)
		if (!vmas[i])
			nr_vmas = 0;
	if (!nr_children || !nr_vmas)
		usage();
	res = calloc((size_t)(2 * (nr_vmas * nr_children + 1) * NR_VARIANTS), sizeof(*res));
	if (!res)
		die(NULL, "calloc", -ENOMEM);

	printf("%-8s %5s %4s %5s %-9s %7s %11s %9s %15s %12s %8s %4s %9s\n", "layout", "V",
	       "M", "K", "variant", "tree", "nodes/walk", "vmas/walk", "reached/mapped",
	       "ns/walk", "items", "B", "items KiB");
	for (int moved = 0; moved < 2; moved++) {
		for (int v = 0; v <= nr_vmas; v++) {
			for (int k = 0; k < (v < nr_vmas ? nr_children : 1); k++) {
				struct config cfg = { vmas[v], vmas[v], children[k], moved };

				if (v == nr_vmas)	/* the thread's case */
					cfg = (struct config){ 8192, 1, 2, moved };
				for (int var = 0; var < NR_VARIANTS; var++) {
					measure(&cfg, (enum mmsim_ksm_rmap_walk)var, &res[nr]);
					print_row(&res[nr++]);
				}
			}
		}
	}
	printf("\nV: VMAs of the parent (2 pages each) on one anon_vma; M: how many of them\n"
	       "merge; K: children. tree: nodes of the parent's anon_vma interval tree,\n"
	       "(K + 1) * V. nodes/walk: interval-tree nodes one rmap_walk() of the KSM page\n"
	       "examined; vmas/walk: VMAs the searches returned (iterations of\n"
	       "anon_vma_interval_tree_foreach). B: bytes per rmap_item, the same for every\n"
	       "variant (pgoff shares a union, the remapped bit a free low bit of address);\n"
	       "a pgoff field of its own would make it %zu.\n",
	       item_bytes() + sizeof(unsigned long));
	if (json) {
		FILE *f = fopen(json, "w");

		if (!f) {
			perror(json);
			return 1;
		}
		write_json(f, res, nr);
		fclose(f);
	}
	free(res);
	return 0;
}
