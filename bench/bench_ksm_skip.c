// SPDX-License-Identifier: MIT
/*
 * mmsim-bench-ksm-skip: seed 000's question measured. ksmd's scan under the
 * three `ksm skip=` policies (none: the kernel's page-by-page walk;
 * compound: the rejected patch; batch: steps over what folio_pte_batch()
 * proves is one folio) on three workloads: an allocator's large folios of
 * which only the first bytes are used, a fork-heavy one whose COW breaks up
 * the folios, and random mixes. Per policy: pages visited, rmap_items,
 * checksums, merges, memory saved and time. Simulator only: the kernel has
 * only the first policy. See bench/README.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/mmsim.h>

#include "bench_util.h"
#include "prng.h"

#define BASE		0x100000000000UL
#define PAGE		4096UL
#define SZ_16K		(16UL << 10)
#define SZ_64K		(64UL << 10)
#define SZ_2M		(2UL << 20)
#define MiB		(1UL << 20)
#define RW		(MMSIM_PROT_READ | MMSIM_PROT_WRITE)

enum workload { W_ALLOC, W_FORK, W_RANDOM, NR_WORKLOADS };
static const char *const workload_names[NR_WORKLOADS] = { "allocator", "fork", "random" };

#define NR_POLICIES 3
static const char *const policy_names[NR_POLICIES] = { "none", "compound", "batch" };

/* What one policy did on one workload, after the passes. */
struct result {
	long visited;		/* pages_scanned + pages_skipped: the pages the cursor stopped at */
	long items_created;	/* rmap_items allocated over the passes */
	long items;		/* rmap_items left: 64 bytes each */
	long checksums;		/* calc_checksum() calls */
	long shared, sharing;	/* KSM pages, and the mappings merged into them */
	long freed;		/* frames freed by the passes: merges and zero pages after splits */
	long profit;		/* freed * 4096 - items * 64, bytes */
	long jumped, jumped_other;
	double ms;		/* the passes, wall clock, checker off */
};

static struct result results[NR_WORKLOADS][NR_POLICIES];

static struct {
	unsigned long size;
	int passes;
	const char *json, *plot;
} opt = { .size = 32 * MiB, .passes = 4 };

/* ---- Contents -------------------------------------------------------------- */

/* The first bytes of an allocation: a word no other page holds, the rest zero. */
static void write_header(struct mmsim *sim, int pid, unsigned long addr, uint64_t *rng)
{
	uint64_t hdr[8] = { splitmix64(rng) | 1, 64, 0 };

	CHECK(sim, mmsim_write(sim, pid, addr, hdr, sizeof(hdr)));
}

/* Whole pages of one of a few common contents: duplicates KSM can merge. */
static void write_common(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			 uint64_t *rng)
{
	CHECK(sim, mmsim_fill(sim, pid, addr, len, 0xa0 + (int)rnd(rng, 8)));
}

/* Whole pages that match nothing: a unique word, then data. */
static void write_unique(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			 uint64_t *rng)
{
	uint8_t page[PAGE];

	memset(page, 0x5c, sizeof(page));
	for (unsigned long a = addr; a < addr + len; a += PAGE) {
		uint64_t word = splitmix64(rng);

		memcpy(page, &word, sizeof(word));
		CHECK(sim, mmsim_write(sim, pid, a, page, PAGE));
	}
}

/* ---- Workloads ----------------------------------------------------------------- */

/*
 * An allocator handed large folios (3/4 of the size in 64K mTHPs, the rest in
 * PMD-mapped 2M THPs) and used the first bytes of each: the rest is zero,
 * or, in every other 64K folio, one of a few poison fills.
 */
static void workload_alloc(struct mmsim *sim, int pid, uint64_t *rng)
{
	unsigned long small = opt.size / 4 * 3, nr_thp = opt.size / 4 / SZ_2M ?: 1;
	unsigned long thp_base = BASE + (1UL << 30);

	CHECK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_MADVISE));
	CHECK(sim, mmsim_mmap(sim, pid, BASE, small, RW));
	for (unsigned long a = BASE, i = 0; a < BASE + small; a += SZ_64K, i++) {
		write_header(sim, pid, a, rng);
		if (i % 2)
			write_common(sim, pid, a + PAGE, SZ_64K - PAGE, rng);
	}
	CHECK(sim, mmsim_mmap(sim, pid, thp_base, nr_thp * SZ_2M, RW));
	CHECK(sim, mmsim_madvise(sim, pid, thp_base, nr_thp * SZ_2M, MMSIM_MADV_HUGEPAGE));
	for (unsigned long a = thp_base; a < thp_base + nr_thp * SZ_2M; a += SZ_2M)
		write_header(sim, pid, a, rng);
}

/*
 * A parent of 64K mTHPs, half their pages common contents and half unique,
 * forks three children; each child writes common contents into two pages of
 * every folio, whose PTEs then map small copies between the folio's pages.
 */
static void workload_fork(struct mmsim *sim, int pid, uint64_t *rng)
{
	int child;

	CHECK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_mmap(sim, pid, BASE, opt.size, RW));
	for (unsigned long a = BASE; a < BASE + opt.size; a += PAGE) {
		if (rnd(rng, 2))
			write_common(sim, pid, a, PAGE, rng);
		else
			write_unique(sim, pid, a, PAGE, rng);
	}
	for (int c = 0; c < 3; c++) {
		CHECK(sim, mmsim_fork(sim, pid, &child));
		for (unsigned long a = BASE; a < BASE + opt.size; a += SZ_64K)
			for (int k = 0; k < 2; k++)
				write_common(sim, child, a + rnd(rng, 16) * PAGE, PAGE, rng);
	}
}

/* A random length: mostly small, sometimes a 2M THP's worth. */
static unsigned long random_len(uint64_t *rng)
{
	static const unsigned long pages[] = { 1, 4, 8, 16, 16, 32, 64, 128, 512 };

	return pages[rnd(rng, sizeof(pages) / sizeof(pages[0]))] * PAGE;
}

/*
 * Random operations, one per 16K of the size: mappings (up to the size) filled
 * the three ways above, forks, COW writes, partial munmap, mremap, dontneed.
 */
static void workload_random(struct mmsim *sim, int pid, uint64_t *rng)
{
	const unsigned long win = 4 * opt.size;
	unsigned long mapped = 0;
	int pids[4] = { pid }, nr = 1;

	CHECK(sim, mmsim_set_thp(sim, SZ_16K, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	CHECK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	for (unsigned long op = 0; op < opt.size / SZ_16K; op++) {
		unsigned long len = random_len(rng);
		unsigned long addr = BASE + rnd(rng, (win - len) / SZ_64K) * SZ_64K;
		unsigned long to = BASE + rnd(rng, (win - len) / PAGE) * PAGE;
		unsigned long half = (len > PAGE ? len / PAGE / 2 : 1) * PAGE;
		int p = pids[rnd(rng, (unsigned long)nr)], err;

		switch (rnd(rng, 10)) {
		case 0: case 1: case 2: case 3:
			if (mapped >= opt.size || mmsim_mmap(sim, p, addr, len, RW))
				break;		/* enough, or it overlaps */
			mapped += len;
			if (rnd(rng, 3) == 0)
				write_unique(sim, p, addr, len, rng);
			else if (rnd(rng, 2))
				write_common(sim, p, addr, len, rng);
			else
				for (unsigned long a = addr; a < addr + len; a += SZ_64K)
					write_header(sim, p, a, rng);
			break;
		case 4:
			if (nr < 4)
				CHECK(sim, mmsim_fork(sim, p, &pids[nr++]));
			break;
		case 5: case 6:	/* COW after a fork, or writes into a hole: mapped pages only */
			for (unsigned long a = addr; a < addr + len; a += 4 * PAGE)
				if (mmsim_fill(sim, p, a, PAGE, 0xa0 + (int)rnd(rng, 8)) == -EFAULT)
					break;
			break;
		case 7:
			CHECK(sim, mmsim_munmap(sim, p, addr + len - half, half));
			break;
		case 8:
			err = mmsim_mremap(sim, p, addr, len, to);
			if (err && err != -EFAULT && err != -EINVAL)
				die(sim, "mremap", err);
			break;
		default:
			err = mmsim_madvise(sim, p, addr, half, MMSIM_MADV_DONTNEED);
			if (err && err != -ENOMEM)
				die(sim, "madvise", err);
			break;
		}
	}
}

static void (*const workloads[NR_WORKLOADS])(struct mmsim *, int, uint64_t *) = {
	workload_alloc, workload_fork, workload_random,
};

/* ---- Measuring --------------------------------------------------------------------------- */

static long counter(struct mmsim *sim, const char *name)
{
	long v;

	CHECK(sim, mmsim_ksm_counter(sim, name, &v));
	return v;
}

static void measure(enum workload w, int policy, struct result *r)
{
	struct mmsim_config cfg = { .nr_frames = 8 * (opt.size / PAGE) + 65536 };
	struct mmsim_stats before, after;
	uint64_t rng = 0x5eed0000 + (uint64_t)w;	/* the same workload under every policy */
	struct mmsim *sim;
	double t;
	int pid;

	CHECK(NULL, mmsim_create(&cfg, &sim));
	CHECK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_NEVER));
	CHECK(sim, mmsim_ksm_set(sim, "skip", (unsigned long)policy));
	CHECK(sim, mmsim_proc_create(sim, &pid));
	CHECK(sim, mmsim_prctl_set_memory_merge(sim, pid, true));
	workloads[w](sim, pid, &rng);

	mmsim_get_stats(sim, &before);
	t = (bench_now_ns() * 1e-6);
	CHECK(sim, mmsim_ksm_scan(sim, (unsigned long)opt.passes));
	r->ms = (bench_now_ns() * 1e-6) - t;
	mmsim_get_stats(sim, &after);

	r->visited = counter(sim, "pages_scanned") + counter(sim, "pages_skipped");
	r->items_created = counter(sim, "rmap_items_created");
	r->checksums = counter(sim, "checksums");
	r->shared = counter(sim, "pages_shared");
	r->sharing = counter(sim, "pages_sharing");
	r->jumped = counter(sim, "pages_jumped");
	r->jumped_other = counter(sim, "pages_jumped_other");
	/* No sysfs file shows rmap_items; general_profit charges 64 bytes for each. */
	r->items = ((r->sharing + counter(sim, "ksm_zero_pages")) * (long)PAGE -
		    counter(sim, "general_profit")) / 64;
	r->freed = (long)after.nr_free_frames - (long)before.nr_free_frames;
	r->profit = r->freed * (long)PAGE - r->items * 64;
	CHECK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

/* ---- Output ------------------------------------------------------------------------------ */

static void print_table(void)
{
	printf("%-9s %-8s %9s %9s %8s %9s %7s %8s %9s %9s %8s %8s %8s\n", "workload", "policy",
	       "visited", "items_new", "items", "checksums", "shared", "sharing", "freed_KiB",
	       "profit_KiB", "ms", "jumped", "jmp_othr");
	for (int w = 0; w < NR_WORKLOADS; w++)
		for (int p = 0; p < NR_POLICIES; p++) {
			const struct result *r = &results[w][p];

			printf("%-9s %-8s %9ld %9ld %8ld %9ld %7ld %8ld %9ld %9ld %8.1f %8ld %8ld\n",
			       workload_names[w], policy_names[p], r->visited, r->items_created,
			       r->items, r->checksums, r->shared, r->sharing, r->freed * 4,
			       r->profit / 1024, r->ms, r->jumped, r->jumped_other);
		}
}

static void write_json(FILE *f)
{
	fprintf(f, "{\n  \"size_mib\": %lu,\n  \"passes\": %d,\n  \"results\": [\n", opt.size / MiB,
		opt.passes);
	for (int w = 0; w < NR_WORKLOADS; w++)
		for (int p = 0; p < NR_POLICIES; p++) {
			const struct result *r = &results[w][p];

			fprintf(f, "    {\"workload\": \"%s\", \"policy\": \"%s\", \"pages_visited\": %ld, "
				"\"rmap_items_created\": %ld, \"rmap_items\": %ld, \"checksums\": %ld, "
				"\"pages_shared\": %ld, \"pages_sharing\": %ld, \"frames_freed\": %ld, "
				"\"profit_bytes\": %ld, \"ms\": %.2f, \"pages_jumped\": %ld, "
				"\"pages_jumped_other\": %ld}%s\n",
				workload_names[w], policy_names[p], r->visited, r->items_created, r->items,
				r->checksums, r->shared, r->sharing, r->freed, r->profit, r->ms, r->jumped,
				r->jumped_other, w + 1 < NR_WORKLOADS || p + 1 < NR_POLICIES ? "," : "");
		}
	fprintf(f, "  ]\n}\n");
}

/* value as a percentage of the kernel's walk (none), 0 when none has 0. */
static double percent_of_none(double value, double none)
{
	return none ? 100.0 * value / none : 0;
}

/*
 * A gnuplot script, as bench_mapcount.c's: one panel per workload, each
 * metric as a percentage of what the kernel's walk (none) gives.
 */
static int plot(const char *prefix)
{
	static const char *const metrics[] = { "visited", "checksums", "rmap_items", "time",
					       "merged", "freed" };
	char path[512], cmd[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s.dat", prefix);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	for (int w = 0; w < NR_WORKLOADS; w++) {
		const struct result *n = &results[w][0];

		fprintf(f, "# %s\nmetric", workload_names[w]);
		for (int p = 0; p < NR_POLICIES; p++)
			fprintf(f, " %s", policy_names[p]);
		fprintf(f, "\n");
		for (size_t m = 0; m < sizeof(metrics) / sizeof(metrics[0]); m++) {
			fprintf(f, "%s", metrics[m]);
			for (int p = 0; p < NR_POLICIES; p++) {
				const struct result *r = &results[w][p];
				const double v[] = {
					percent_of_none((double)r->visited, (double)n->visited),
					percent_of_none((double)r->checksums, (double)n->checksums),
					percent_of_none((double)r->items_created, (double)n->items_created),
					percent_of_none(r->ms, n->ms),
					percent_of_none((double)r->sharing, (double)n->sharing),
					percent_of_none((double)r->freed, (double)n->freed),
				};

				fprintf(f, " %.1f", v[m]);
			}
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
		"set style fill solid 0.8 border -1\nset yrange [0:*]\n"
		"set ylabel '%% of the kernel walk (skip=none)'\n"
		"set key outside bottom center horizontal noenhanced\nset grid ytics\n"
		"set xtics rotate by -30 noenhanced\n"
		"do for [fmt in 'pngcairo svg'] {\n"
		"  if (fmt eq 'svg') { set terminal svg size 1200,420 font ',11'; set output '%s.svg' }"
		" else { set terminal pngcairo size 1200,420; set output '%s.png' }\n"
		"  set multiplot layout 1,%d title 'ksm skip= policies, %d passes, %lu MiB'\n",
		prefix, prefix, NR_WORKLOADS, opt.passes, opt.size / MiB);
	for (int w = 0; w < NR_WORKLOADS; w++)
		fprintf(f, "  set title '%s' noenhanced\n  plot for [c=2:%d] '%s.dat' index %d using c:xtic(1) title columnheader(c)\n",
			workload_names[w], NR_POLICIES + 1, prefix, w);
	fprintf(f, "  unset multiplot\n}\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gnuplot '%s.gp' 2>/dev/null", prefix);
	return system(cmd) ? -ENOENT : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mmsim-bench-ksm-skip [--quick] [--size MiB] [--passes N] [--json FILE] [--plot PREFIX]\n"
		"  --size MiB     memory of each workload (default 32; a multiple of 4)\n"
		"  --passes N     full scans of ksmd (default 4)\n"
		"  --json FILE    also write the results as JSON\n"
		"  --plot PREFIX  write PREFIX.png and PREFIX.svg with gnuplot\n");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		bool more = i + 1 < argc;

		if (!strcmp(argv[i], "--quick"))
			opt.size = 4 * MiB;
		else if (!strcmp(argv[i], "--size") && more)
			opt.size = strtoul(argv[++i], NULL, 0) * MiB;
		else if (!strcmp(argv[i], "--passes") && more)
			opt.passes = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--json") && more)
			opt.json = argv[++i];
		else if (!strcmp(argv[i], "--plot") && more)
			opt.plot = argv[++i];
		else {
			usage();
			return 2;
		}
	}
	if (!opt.size || opt.size % (4 * MiB) || opt.passes < 1 || opt.passes > 100) {
		usage();
		return 2;
	}
	for (int w = 0; w < NR_WORKLOADS; w++)
		for (int p = 0; p < NR_POLICIES; p++)
			measure((enum workload)w, p, &results[w][p]);
	print_table();
	printf("\n%d full passes; visited = pages_scanned + pages_skipped (smart scan); items_new = "
	       "rmap_items allocated, items = left at the end; freed = frames freed by the passes; "
	       "profit = freed - 64 bytes per item.\n", opt.passes);
	if (opt.json) {
		FILE *f = fopen(opt.json, "w");

		if (!f) {
			perror(opt.json);
			return 1;
		}
		write_json(f);
		fclose(f);
	}
	if (opt.plot && plot(opt.plot))
		fprintf(stderr, "mmsim-bench-ksm-skip: gnuplot failed; %s.gp and %s.dat are written\n",
			opt.plot, opt.plot);
	return 0;
}
