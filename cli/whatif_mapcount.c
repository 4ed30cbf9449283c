// SPDX-License-Identifier: MIT
/*
 * mmsim whatif mapcount: a capture rebuilt under each folio mapcount scheme.
 * Per scheme: the answers that differ from the page tables' truth over all
 * folios, and what a fork and an exit of every captured process cost the
 * kernel's implementation of the scheme (counters and predicted time).
 */
#include <stdlib.h>
#include <string.h>

#include "capture_cmd.h"
#include "replay.h"
#include "whatif.h"

static const char *const scheme_cols[] = {
	"scheme", "folios", "pages", "false_shared", "false_exclusive", "wrong_kpagecount",
	"missed_deferred_split", "wrong_mapcount", "fork_calls", "fork_entries", "fork_atomics",
	"fork_lines", "fork_page_iters", "fork_scan_ptes", "fork_us", "exit_calls", "exit_entries",
	"exit_atomics", "exit_lines", "exit_page_iters", "exit_scan_ptes", "exit_pages_freed",
	"exit_us", "exits_false_shared", "exits_false_exclusive", "exits_wrong_kpagecount",
	"exits_missed_deferred_split", "exits_wrong_mapcount",
};
static const char *const proc_cols[] = {
	"scheme", "pid", "comm", "fork_calls", "fork_entries", "fork_atomics", "fork_lines",
	"fork_page_iters", "fork_scan_ptes", "fork_us", "exit_calls", "exit_entries",
	"exit_atomics", "exit_lines", "exit_page_iters", "exit_scan_ptes", "exit_pages_freed",
	"exit_us",
};
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static void add_cost(struct whatif_cost *sum, const struct whatif_cost *c)
{
	sum->c.calls += c->c.calls;
	sum->c.entries += c->c.entries;
	sum->c.atomics += c->c.atomics;
	sum->c.lines += c->c.lines;
	sum->c.page_iters += c->c.page_iters;
	sum->c.scan_ptes += c->c.scan_ptes;
	sum->pages_freed += c->pages_freed;
	sum->ns += c->ns;
}

/*
 * Forks of every process (each child exits again), then the exits: children
 * before their parents (the build order reversed), each counted in the state
 * the exits before it left. After each exit but the last, the answers of the
 * scheme are compared with the truth again (*after): the history that the
 * rebuild lacks (mms that mapped a folio and are gone) shows there.
 */
static int measure(const struct capture *cap, struct replay *r, const struct whatif_opts *o,
		   struct whatif_cost *fork, struct whatif_cost *exit,
		   struct mmsim_mapcount_report *after, char *err, size_t len)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < cap->nr_procs; i++) {
		ret = whatif_fork(r->sim, r->sim_pid[i], &o->model, &fork[i]);
		if (ret)
			snprintf(err, len, "fork of process %d: %s", cap->procs[i].pid,
				 mmsim_last_error(r->sim));
	}
	for (size_t n = cap->nr_procs; !ret && n-- > 0;) {
		size_t i = r->order[n];

		ret = whatif_exit(r->sim, r->sim_pid[i], &o->model, &exit[i]);
		if (!ret && n)
			ret = mmsim_mapcount_report(r->sim, after);
		if (ret)
			snprintf(err, len, "exit of process %d: %s", cap->procs[i].pid,
				 mmsim_last_error(r->sim));
	}
	if (!ret && o->verify && (ret = mmsim_verify(r->sim)))
		snprintf(err, len, "invariant check: %s", mmsim_last_error(r->sim));
	return ret;
}

static int add_proc_rows(struct wtab *t, const char *scheme, const struct capture *cap,
			 const struct whatif_cost *fork, const struct whatif_cost *exit)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < cap->nr_procs; i++) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", cap->procs[i].pid);
		ret = wtab_add(t, 2, scheme, pid, cap->procs[i].comm, (double)fork[i].c.calls,
			       (double)fork[i].c.entries, (double)fork[i].c.atomics,
			       (double)fork[i].c.lines, (double)fork[i].c.page_iters,
			       (double)fork[i].c.scan_ptes, fork[i].ns / 1e3, (double)exit[i].c.calls,
			       (double)exit[i].c.entries, (double)exit[i].c.atomics,
			       (double)exit[i].c.lines, (double)exit[i].c.page_iters,
			       (double)exit[i].c.scan_ptes, (double)exit[i].pages_freed,
			       exit[i].ns / 1e3);
	}
	return ret;
}

/* One scheme: rebuild, report, measure, add its rows. */
static int one_scheme(const struct capture *cap, const char *scheme, const struct whatif_opts *o,
		      struct wtab *schemes, struct wtab *procs, struct replay_report *rep, char *err,
		      size_t len)
{
	struct replay_opts ro = { .scheme = scheme, .verify = o->verify,
				  .thp = o->policy ? o->policy->thp : NULL };
	struct mmsim_mapcount_report acc = { 0 }, after = { 0 };
	struct whatif_cost *fork = calloc(cap->nr_procs + 1, sizeof(*fork));
	struct whatif_cost *exit = calloc(cap->nr_procs + 1, sizeof(*exit));
	struct whatif_cost fsum = { 0 }, esum = { 0 };
	struct replay r;
	int ret = -1;

	if (!fork || !exit) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	if (replay_build(cap, &ro, &r, err, len))
		goto out_replay;
	/* The first scheme's (kpagecount, which the report compares, is the scheme's). */
	if (!rep->procs)
		*rep = r.rep;
	if (mmsim_mapcount_report(r.sim, &acc)) {
		snprintf(err, len, "mapcount report: %s", mmsim_last_error(r.sim));
		goto out_replay;
	}
	if (measure(cap, &r, o, fork, exit, &after, err, len))
		goto out_replay;
	for (size_t i = 0; i < cap->nr_procs; i++) {
		add_cost(&fsum, &fork[i]);
		add_cost(&esum, &exit[i]);
	}
	ret = wtab_add(schemes, 2, scheme, (double)acc.folios, (double)acc.pages,
		       (double)acc.false_shared, (double)acc.false_exclusive,
		       (double)acc.wrong_page_counts, (double)acc.missed_partial,
		       (double)acc.wrong_mapcount, (double)fsum.c.calls, (double)fsum.c.entries,
		       (double)fsum.c.atomics, (double)fsum.c.lines, (double)fsum.c.page_iters,
		       (double)fsum.c.scan_ptes, fsum.ns / 1e3, (double)esum.c.calls,
		       (double)esum.c.entries, (double)esum.c.atomics, (double)esum.c.lines,
		       (double)esum.c.page_iters, (double)esum.c.scan_ptes, (double)esum.pages_freed,
		       esum.ns / 1e3, (double)after.false_shared, (double)after.false_exclusive,
		       (double)after.wrong_page_counts, (double)after.missed_partial,
		       (double)after.wrong_mapcount);
	if (!ret)
		ret = add_proc_rows(procs, scheme, cap, fork, exit);
	if (ret)
		snprintf(err, len, "out of memory");
out_replay:
	replay_free(&r);
out:
	free(fork);
	free(exit);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim whatif mapcount FILE [--scheme NAME ...] [--thp SPEC] [--per-process]\n"
		"         [--costs FILE] [--json | --csv] [--verify]\n"
		"\n"
		"Rebuilds the capture under each folio mapcount scheme (docs/mapcount-schemes.md;\n"
		"every one unless --scheme names some) and prints, per scheme, the answers that\n"
		"differ from the page tables over all mapped anonymous folios (maybe-shared\n"
		"wrongly yes or no, kpagecount, partially mapped folios not queued for the\n"
		"deferred split, folio_mapcount), then the cost counters of a fork of every\n"
		"captured process (each child exits again, uncounted) and of the exit of every\n"
		"one (children first), with the kernel time the cost model predicts (us; the\n"
		"calibration of bench/mapcount-costs.txt unless --costs names another); the\n"
		"exits_* columns: the wrong answers again after each exit but the last, summed\n"
		"(what mms that mapped a folio and went leave behind).\n"
		"--thp SPEC: the captured pages faulted again under a THP policy (as\n"
		"mmsim whatif thp takes it) instead of rebuilt at their captured folio orders.\n"
		"--per-process: the forks and exits process by process too. --verify: the\n"
		"invariant checker after every step (slow).\n");
}

static int print_all(const struct capture *cap, const char *file, const struct whatif_opts *o,
		     const struct wtab *schemes, const struct wtab *procs,
		     const struct replay_report *rep)
{
	if (o->format == WTAB_JSON) {
		whatif_json_header(file, cap, &o->model);
		printf("\"schemes\": ");
		wtab_print(schemes, WTAB_JSON, stdout);
		printf(",\n\"processes\": ");
		wtab_print(procs, WTAB_JSON, stdout);
		printf("}\n");
		return 0;
	}
	if (o->format == WTAB_CSV) {
		wtab_print(o->per_process ? procs : schemes, WTAB_CSV, stdout);
		return 0;
	}
	printf("# %s: %zu processes captured on Linux %s; costs predicted by the model of Linux "
	       "%s\n", file, cap->nr_procs, cap->kernel, o->model.kernel);
	if (o->policy)
		printf("# pages faulted again in address order under THP policy %s\n",
		       o->policy->name);
	replay_print_report(stdout, rep);
	wtab_print(schemes, WTAB_TABLE, stdout);
	if (o->per_process) {
		printf("\n");
		wtab_print(procs, WTAB_TABLE, stdout);
	}
	return 0;
}

int cmd_whatif_mapcount(int argc, char **argv)
{
	struct whatif_opts o = { .format = WTAB_TABLE };
	struct whatif_policy policy;
	const char *names[16], *thp = NULL;
	int nr = 0, status = 0;
	struct wtab schemes, procs;
	struct replay_report rep = { 0 };
	struct capture cap;
	char err[512];
	struct whatif_cmd cmd = { "mapcount", usage, "--scheme", names, 16, &nr, "--thp", &thp };
	int ret = whatif_args(argc, argv, &cmd, &o, &cap);

	if (ret >= 0)
		return ret;
	if (!nr)
		while (nr < 16 && mmsim_scheme_name(nr))
			names[nr] = mmsim_scheme_name(nr), nr++;
	if (thp && whatif_parse_policy(thp, &cap, &policy, err, sizeof(err))) {
		fprintf(stderr, "mmsim whatif mapcount: %s\n", err);
		capture_free(&cap);
		return 2;
	}
	o.policy = thp ? &policy : NULL;
	wtab_init(&schemes, scheme_cols, NCOLS(scheme_cols), 1);
	wtab_init(&procs, proc_cols, NCOLS(proc_cols), 3);
	for (int s = 0; s < nr && !status; s++)
		if (one_scheme(&cap, names[s], &o, &schemes, &procs, &rep, err, sizeof(err))) {
			fprintf(stderr, "mmsim whatif mapcount: scheme %s: %s\n", names[s], err);
			status = 2;
		}
	if (!status)
		print_all(&cap, argv[0], &o, &schemes, &procs, &rep);
	wtab_free(&schemes);
	wtab_free(&procs);
	capture_free(&cap);
	return status;
}
