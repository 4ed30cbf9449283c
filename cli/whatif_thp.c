// SPDX-License-Identifier: MIT
/*
 * mmsim whatif thp: the captured processes' present pages faulted again, in
 * address order, through the simulator's fault path under each THP/mTHP
 * policy: the large folios each policy gives, the memory they take beyond
 * the pages touched (THP bloat), page tables, faults, and a fork's work.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture_cmd.h"
#include "replay.h"
#include "whatif.h"

#define PAGE		4096UL

/* The folio sizes, order 0 and 2..9 (order 1 is never an anonymous folio). */
static const int orders[] = { 0, 2, 3, 4, 5, 6, 7, 8, 9 };
#define NR_SIZES (sizeof(orders) / sizeof(orders[0]))

static const char *const policy_cols[] = {
	"policy", "faults", "page_tables", "touched_kb", "rss_kb", "bloat_kb", "memory_kb",
	"folios_4K", "folios_16K", "folios_32K", "folios_64K", "folios_128K", "folios_256K",
	"folios_512K", "folios_1M", "folios_2M", "fork_folio_calls", "fork_entries",
	"fork_page_tables", "fork_us",
};
static const char *const proc_cols[] = {
	"policy", "pid", "comm", "faults", "page_tables", "touched_kb", "rss_kb", "bloat_kb",
	"folios_4K", "folios_16K", "folios_32K", "folios_64K", "folios_128K", "folios_256K",
	"folios_512K", "folios_1M", "folios_2M", "fork_folio_calls", "fork_entries",
	"fork_page_tables", "fork_us",
};
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* What one process got under a policy. */
struct proc_result {
	unsigned long faults, page_tables, touched, rss_kb;
	unsigned long folios[NR_SIZES];
	struct whatif_cost fork;
};

/* ---- Policies ---------------------------------------------------------------------------- */

static int default_policies(const struct capture *cap, struct whatif_policy *p, int *nr)
{
	static const char *const names[] = { "captured", "never" };
	char err[256], buf[16], name[32];

	*nr = 0;
	for (size_t i = 0; i < 2; i++)
		whatif_parse_policy(names[i], cap, &p[(*nr)++], err, sizeof(err));
	for (int o = 2; o <= REPLAY_PMD_ORDER; o++) {
		snprintf(name, sizeof(name), "always-%s", whatif_size_name(o, buf, sizeof(buf)));
		whatif_parse_policy(name, cap, &p[(*nr)++], err, sizeof(err));
	}
	return whatif_parse_policy("always-all", cap, &p[(*nr)++], err, sizeof(err));
}

/* ---- One policy ------------------------------------------------------------------------ */

static int size_index(int order)
{
	for (size_t i = 0; i < NR_SIZES; i++)
		if (orders[i] == order)
			return (int)i;
	return -1;
}

/* A page's last state: the snapshot's (seq 0) or that of the time series' last write. */
struct page_state {
	uint64_t addr;
	int seq;
	bool present;
};

static int cmp_state(const void *a, const void *b)
{
	const struct page_state *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * The pages p has at the end of the time series, sorted by address: the
 * snapshot's (swapped ones aside), those that appeared, not those that went.
 */
static uint64_t *final_pages(const struct capture *cap, const struct cap_proc *p, size_t *n)
{
	struct page_state *st = calloc(p->nr_pages + cap->nr_writes + 1, sizeof(*st));
	uint64_t *out = calloc(p->nr_pages + cap->nr_writes + 1, sizeof(*out));
	size_t k = 0;

	*n = 0;
	if (!st || !out) {
		free(st);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < p->nr_pages; i++)
		if (!p->pages[i].swap)
			st[k++] = (struct page_state){ p->pages[i].addr, 0, true };
	for (size_t i = 0; i < cap->nr_writes; i++)
		if (cap->writes[i].pid == p->pid)
			st[k++] = (struct page_state){ cap->writes[i].addr, cap->writes[i].seq,
						       cap->writes[i].present };
	qsort(st, k, sizeof(*st), cmp_state);
	for (size_t i = 0; i < k; i++)
		if ((i + 1 == k || st[i + 1].addr != st[i].addr) && st[i].present)
			out[(*n)++] = st[i].addr;
	free(st);
	return out;
}

/*
 * The folios around the touched pages, each counted once: a page's folio
 * covers its naturally aligned block (faults map folios aligned); zero-page
 * mappings are no folio. touched: the touched pages a folio maps.
 */
static int count_folios(const struct capture *cap, struct replay *r, const struct cap_proc *p,
			int spid, struct proc_result *res)
{
	uint64_t next = 0, *addr;
	size_t n;

	addr = final_pages(cap, p, &n);
	if (!addr)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint64_t pm = 0, flags = 0;
		int order = -1, k;

		if (!replay_vma_of(p, addr[i]) || mmsim_pagemap(r->sim, spid, addr[i], &pm) ||
		    !(pm & MMSIM_PM_PRESENT))
			continue;
		mmsim_kpageflags(r->sim, pm & MMSIM_PM_PFN_MASK, &flags);
		if (flags & (1ULL << MMSIM_KPF_ZERO_PAGE))
			continue;
		res->touched++;
		if (addr[i] < next || mmsim_folio_order(r->sim, spid, addr[i], &order))
			continue;
		k = size_index(order);
		if (k >= 0)
			res->folios[k]++;
		next = (addr[i] & ~((PAGE << order) - 1)) + (PAGE << order);
	}
	free(addr);
	return 0;
}

/*
 * The time series, if captured, in its time order after the snapshot: pages
 * that appeared are faulted under the policy too, those that went unmapped.
 * Faults and page tables go to the process written.
 */
static int apply_series(const struct capture *cap, struct replay *r, char *err, size_t len)
{
	for (size_t i = 0; i < cap->nr_writes; i++) {
		const struct cap_write *w = &cap->writes[i];
		const struct cap_proc *p = capture_proc(cap, w->pid);
		struct mmsim_stats before, after;
		int ret;

		if (!p)
			continue;
		mmsim_get_stats(r->sim, &before);
		ret = replay_apply_write(cap, r, w);
		mmsim_get_stats(r->sim, &after);
		if (ret) {
			snprintf(err, len, "time series, process %d at %#llx: %s", w->pid,
				 (unsigned long long)w->addr, mmsim_last_error(r->sim));
			return ret;
		}
		r->faults[p - cap->procs] += after.faults - before.faults;
		r->page_tables[p - cap->procs] += after.nr_page_tables - before.nr_page_tables;
	}
	return 0;
}

static int measure_proc(const struct capture *cap, struct replay *r, size_t i,
			const struct whatif_opts *o, struct proc_result *res, char *err, size_t len)
{
	const struct cap_proc *p = &cap->procs[i];
	struct mmsim_smaps s = { 0 };
	int ret;

	res->faults = r->faults[i];
	res->page_tables = r->page_tables[i];
	ret = count_folios(cap, r, p, r->sim_pid[i], res);
	if (!ret)
		ret = mmsim_smaps(r->sim, r->sim_pid[i], 0, 1UL << 47, &s);
	res->rss_kb = s.rss;
	if (!ret)
		ret = whatif_fork(r->sim, r->sim_pid[i], &o->model, &res->fork);
	if (ret)
		snprintf(err, len, "process %d: %s", p->pid, mmsim_last_error(r->sim));
	return ret;
}

/* Every number of a row after its text columns, in the columns' order. */
static void row_values(const struct proc_result *x, double *v)
{
	long bloat = (long)x->rss_kb - (long)(x->touched * 4);
	int n = 0;

	v[n++] = (double)x->faults;
	v[n++] = (double)x->page_tables;
	v[n++] = (double)(x->touched * 4);
	v[n++] = (double)x->rss_kb;
	v[n++] = (double)bloat;
	for (size_t k = 0; k < NR_SIZES; k++)
		v[n++] = (double)x->folios[k];
}

static int add_rows(struct wtab *pt, struct wtab *pr, const struct whatif_policy *pol,
		    const struct capture *cap, const struct proc_result *res,
		    const struct mmsim_stats *st, unsigned long frames_at_start)
{
	struct proc_result all = { 0 };
	double v[5 + NR_SIZES], memory_kb;
	int ret = 0;

	for (size_t i = 0; i < cap->nr_procs && !ret; i++) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", cap->procs[i].pid);
		row_values(&res[i], v);
		ret = wtab_add(pr, 2, pol->name, pid, cap->procs[i].comm, v[0], v[1], v[2], v[3],
			       v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
			       (double)res[i].fork.c.calls, (double)res[i].fork.c.entries,
			       (double)res[i].fork.page_tables, res[i].fork.ns / 1e3);
		all.faults += res[i].faults;
		all.page_tables += res[i].page_tables;
		all.touched += res[i].touched;
		all.rss_kb += res[i].rss_kb;
		for (size_t k = 0; k < NR_SIZES; k++)
			all.folios[k] += res[i].folios[k];
		all.fork.c.calls += res[i].fork.c.calls;
		all.fork.c.entries += res[i].fork.c.entries;
		all.fork.page_tables += res[i].fork.page_tables;
		all.fork.ns += res[i].fork.ns;
	}
	/* Every folio's frames once, shared ones too (page tables are frames apart). */
	memory_kb = (double)((st->nr_frames - st->nr_free_frames - st->nr_page_tables -
			      frames_at_start) * 4);
	row_values(&all, v);
	return ret ? ret : wtab_add(pt, 2, pol->name, v[0], v[1], v[2], v[3], v[4], memory_kb,
				    v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
				    (double)all.fork.c.calls, (double)all.fork.c.entries,
				    (double)all.fork.page_tables, all.fork.ns / 1e3);
}

static int one_policy(const struct capture *cap, const struct whatif_policy *pol,
		      const struct whatif_opts *o, struct wtab *pt, struct wtab *pr, char *err,
		      size_t len)
{
	struct replay_opts ro = { .thp = pol->thp, .verify = o->verify };
	struct proc_result *res = calloc(cap->nr_procs + 1, sizeof(*res));
	struct mmsim_stats st;
	struct replay r;
	int ret = -1;

	if (!res) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	if (!replay_build(cap, &ro, &r, err, len) && !apply_series(cap, &r, err, len)) {
		/* The memory before the forks (a fork's child exits again, but its COW may not). */
		mmsim_get_stats(r.sim, &st);
		ret = 0;
		for (size_t i = 0; !ret && i < cap->nr_procs; i++)
			ret = measure_proc(cap, &r, i, o, &res[i], err, len);
		if (!ret && o->verify && (ret = mmsim_verify(r.sim)))
			snprintf(err, len, "invariant check: %s", mmsim_last_error(r.sim));
		if (!ret && add_rows(pt, pr, pol, cap, res, &st, r.frames_at_start)) {
			snprintf(err, len, "out of memory");
			ret = -1;
		}
	}
	replay_free(&r);
	free(res);
	return ret;
}

/* ---- The command ------------------------------------------------------------------------ */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim whatif thp FILE [--policy SPEC ...] [--per-process] [--costs FILE]\n"
		"         [--json | --csv] [--verify]\n"
		"\n"
		"Faults the captured present pages again, in address order (then the time\n"
		"series' writes, if captured, in their time order), through the\n"
		"simulator's fault path under each THP policy (the VMAs' captured hg/nh advice\n"
		"first), and prints per policy: faults, page tables, the pages touched (the\n"
		"captured ones) against the Rss the processes would have (bloat_kb: pages of\n"
		"large folios never touched), all folios' memory once (memory_kb), the folios by\n"
		"size, and a fork of every process (rmap calls, the PTEs and PMDs it copies,\n"
		"the page tables it allocates, the kernel time the cost model predicts).\n"
		"SPEC: captured, never, always-SIZE (SIZE 16K..2M, the others never),\n"
		"always-all, or top=MODE,SIZE=MODE,... (MODE never, always, madvise, inherit);\n"
		"without --policy: captured, never, always at each size, always-all.\n"
		"Collapse by khugepaged (max_ptes_none) is not part of it. Best on a capture made\n"
		"with large folios off: otherwise its present pages include the bloat.\n");
}

static int print_all(const struct capture *cap, const char *file, const struct whatif_opts *o,
		     const struct wtab *pt, const struct wtab *pr)
{
	if (o->format == WTAB_JSON) {
		whatif_json_header(file, cap, &o->model);
		printf("\"policies\": ");
		wtab_print(pt, WTAB_JSON, stdout);
		printf(",\n\"processes\": ");
		wtab_print(pr, WTAB_JSON, stdout);
		printf("}\n");
	} else if (o->format == WTAB_CSV) {
		wtab_print(o->per_process ? pr : pt, WTAB_CSV, stdout);
	} else {
		printf("# %s: %zu processes captured on Linux %s, faulted again in address order; "
		       "fork costs predicted by the model of Linux %s\n", file, cap->nr_procs,
		       cap->kernel, o->model.kernel);
		if (cap->nr_writes)
			printf("# then the time series' %zu writes, in their time order\n",
			       cap->nr_writes);
		wtab_print(pt, WTAB_TABLE, stdout);
		if (o->per_process) {
			printf("\n");
			wtab_print(pr, WTAB_TABLE, stdout);
		}
	}
	return 0;
}

int cmd_whatif_thp(int argc, char **argv)
{
	struct whatif_opts o = { .format = WTAB_TABLE };
	struct whatif_policy pol[32];
	const char *specs[32];
	int nr = 0, nr_specs = 0, status = 0;
	struct wtab pt, pr;
	struct capture cap;
	char err[512];
	struct whatif_cmd cmd = { "thp", usage, "--policy", specs, 32, &nr_specs, NULL, NULL };
	int ret = whatif_args(argc, argv, &cmd, &o, &cap);

	if (ret >= 0)
		return ret;
	if (!nr_specs)
		default_policies(&cap, pol, &nr);
	for (int s = 0; s < nr_specs && !status; s++)
		if (whatif_parse_policy(specs[s], &cap, &pol[nr++], err, sizeof(err))) {
			fprintf(stderr, "mmsim whatif thp: %s\n", err);
			status = 2;
		}
	wtab_init(&pt, policy_cols, NCOLS(policy_cols), 1);
	wtab_init(&pr, proc_cols, NCOLS(proc_cols), 3);
	for (int s = 0; s < nr && !status; s++)
		if (one_policy(&cap, &pol[s], &o, &pt, &pr, err, sizeof(err))) {
			fprintf(stderr, "mmsim whatif thp: policy %s: %s\n", pol[s].name, err);
			status = 2;
		}
	if (!status)
		print_all(&cap, argv[0], &o, &pt, &pr);
	wtab_free(&pt);
	wtab_free(&pr);
	capture_free(&cap);
	return status;
}
