// SPDX-License-Identifier: MIT
/*
 * mmsim whatif ksm: replays a capture and lets the simulated ksmd run under
 * chosen tunables, pass by pass, with the captured time series applied at
 * its times; or, with --live, the real ksmd on the same running processes
 * beside it, to see how good the prediction is.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_cmd.h"
#include "kernel_ksm.h"
#include "replay.h"

/*
 * ksmd's CPU per page by what it did with the page, measured on Linux
 * 6.18.44 (2 shared CPUs) by `mmsim whatif ksm --live` on the workloads of
 * docs/experiments/ksm-whatif.md: seen for the first time (an rmap_item and
 * a checksum), compared (checksum, stable and unstable tree searches,
 * perhaps a merge), skipped by smart_scan. The estimate's defaults,
 * overridden by --cpu-ns NEW,COMPARED,SKIPPED.
 */
#define DEFAULT_NS_NEW		1150.0
#define DEFAULT_NS_COMPARED	3400.0
#define DEFAULT_NS_SKIPPED	220.0

static const char *const counters[] = {
	"full_scans", "pages_shared", "pages_sharing", "pages_unshared", "pages_volatile",
	"pages_scanned", "pages_skipped", "stable_node_chains", "stable_node_dups",
	"ksm_zero_pages", "general_profit", "pages_to_scan",
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))
enum { C_FULL_SCANS, C_SHARED, C_SHARING, C_UNSHARED, C_VOLATILE, C_SCANNED, C_SKIPPED,
       C_PAGES_TO_SCAN = NR_COUNTERS - 1 };

/*
 * The tunables whatif sets, by sysfs name, and their options, in the order
 * they are written: the advisor's limits before advisor_mode, since
 * switching it on reads advisor_min_pages_to_scan (set_advisor_defaults()).
 */
static const char *const tunables[][2] = {
	{ "pages_to_scan", "--pages-to-scan" }, { "sleep_millisecs", "--sleep-ms" },
	{ "max_page_sharing", "--max-page-sharing" }, { "smart_scan", "--smart-scan" },
	{ "use_zero_pages", "--use-zero-pages" }, { "merge_across_nodes", "--merge-across-nodes" },
	{ "advisor_max_cpu", "--advisor-max-cpu" },
	{ "advisor_min_pages_to_scan", "--advisor-min-pages-to-scan" },
	{ "advisor_max_pages_to_scan", "--advisor-max-pages-to-scan" },
	{ "advisor_target_scan_time", "--advisor-target-scan-time" },
	{ "advisor_mode", "--advisor" },
};
#define NR_TUNABLES (sizeof(tunables) / sizeof(tunables[0]))
enum { T_PAGES_TO_SCAN, T_SLEEP_MS, T_ADVISOR_FIRST = 6, T_ADVISOR_MODE = NR_TUNABLES - 1 };
/*
 * The kernel's defaults: of the first six where the capture did not record
 * a value; of the advisor's, always unless given (the captured machine's
 * advisor is not carried over).
 */
static const unsigned long tunable_default[NR_TUNABLES] = { 100, 20, 256, 1, 0, 1,
							   70, 500, 30000, 200, 0 };

struct row {
	long pass;
	double time_ms;
	long c[NR_COUNTERS];
	long freed_kb;
	double cpu_ms;			/* this pass's: an estimate, or measured (live) */
	long cpu_ns;			/* the simulated ksmd's CPU so far (estimate) */
	long clock_ms;			/* the simulated ksmd's clock */
};

struct wi_opts {
	long passes;
	double seconds;
	unsigned long value[NR_TUNABLES];
	struct replay_opts ro;
	bool from_captured, json, csv, live;
	double ns[3];			/* new, compared, skipped page */
	double ksmd_cpu_ms;		/* ksmd's CPU time before the first pass */
	unsigned long hz;		/* CONFIG_HZ to time the sleeps with, 0: none */
	int sweep;			/* index into tunables, -1: none */
	unsigned long sweep_values[32];
	int nr_sweep;
};

static int tunable_index(const char *name)
{
	for (size_t i = 0; i < NR_TUNABLES; i++)
		if (!strcmp(tunables[i][0], name) || !strcmp(tunables[i][1] + 2, name))
			return (int)i;
	return -1;
}

/* advisor_mode's values, as the kernel's sysfs file spells them. */
static const char *advisor_word(unsigned long mode)
{
	return mode ? "scan-time" : "none";
}

/*
 * A tunable's value as its sysfs store would take it: kstrtoul()'s decimal
 * unsigned long (no sign, nothing after it), and for advisor_mode the words
 * "none" and "scan-time".
 */
static bool parse_tunable(int t, const char *s, unsigned long *v);

/* ---- The simulated ksmd ---------------------------------------------------------------- */

static void read_row(struct mmsim *sim, struct row *row)
{
	for (size_t i = 0; i < NR_COUNTERS; i++) {
		long v = 0;

		mmsim_ksm_counter(sim, counters[i], &v);
		row->c[i] = v;
	}
	mmsim_ksm_counter(sim, "ksmd_cpu_ns", &row->cpu_ns);
	mmsim_ksm_counter(sim, "ksmd_clock_ms", &row->clock_ms);
}

/*
 * The estimate of ksmd's CPU: the simulator charges each page the cost of
 * what ksmd did with it (cpu_ns_new, _compared, _skipped, set from
 * --cpu-ns), and the scan-time advisor reads that same estimate as ksmd's
 * CPU time. Whole nanoseconds, so the run stays deterministic. With --hz,
 * ksmd's sleeps last whole jiffies, as the kernel's timer makes them.
 */
static int set_cpu_model(struct mmsim *sim, const struct wi_opts *o, char *err, size_t len)
{
	if (mmsim_ksm_set(sim, "hz", o->hz))
		goto fail;
	static const char *const knob[] = { "cpu_ns_new", "cpu_ns_compared", "cpu_ns_skipped" };

	for (int i = 0; i < 3; i++)
		if (mmsim_ksm_set(sim, knob[i], (unsigned long)llround(o->ns[i])))
			goto fail;
	if (!mmsim_ksm_set(sim, "ksmd_cpu_ns", (unsigned long)llround(o->ksmd_cpu_ms * 1e6)))
		return 0;
fail:
	snprintf(err, len, "ksmd's CPU model: %s", mmsim_last_error(sim));
	return -1;
}

/* --from-captured: ksmd merges until nothing changes, as the captured state had it. */
static int settle(struct mmsim *sim)
{
	long last = -1, now = 0;

	for (int i = 0; i < 16 && now != last; i++) {
		last = now;
		if (mmsim_ksm_scan(sim, 1) || mmsim_ksm_counter(sim, "pages_sharing", &now))
			return -1;
	}
	return 0;
}

/* Applies the time series' writes made up to t_ms; *next is the first not yet applied. */
static void apply_writes(const struct capture *cap, struct replay *r, double t_ms, size_t *next)
{
	while (*next < cap->nr_writes && cap->writes[*next].t_ms <= t_ms)
		replay_apply_write(cap, r, &cap->writes[(*next)++]);
}

static int simulate(const struct capture *cap, const struct wi_opts *o, const unsigned long *value,
		    struct row **rows, long *nr, char *err, size_t len)
{
	struct mmsim_stats st0, st;
	struct replay r;
	struct row base = { 0 };
	size_t next = 0;
	double t = 0;			/* ms since the first pass began */
	long cap_rows = o->passes > 0 ? o->passes : 1024;
	int ret = replay_build(cap, &o->ro, &r, err, len);

	*nr = 0;
	*rows = NULL;
	if (!ret)
		ret = set_cpu_model(r.sim, o, err, len);
	for (size_t i = 0; !ret && i < NR_TUNABLES; i++)
		if ((ret = mmsim_ksm_set(r.sim, tunables[i][0], value[i])))
			snprintf(err, len, "%s=%lu: %s", tunables[i][0], value[i], mmsim_last_error(r.sim));
	if (!ret && o->from_captured && (ret = settle(r.sim)))
		snprintf(err, len, "rebuilding the captured KSM state: %s", mmsim_last_error(r.sim));
	if (ret) {
		replay_free(&r);
		return -1;
	}
	read_row(r.sim, &base);
	mmsim_get_stats(r.sim, &st0);
	*rows = calloc((size_t)cap_rows, sizeof(**rows));
	while (*rows && (o->passes ? *nr < o->passes : t < o->seconds * 1000)) {
		struct row *row = &(*rows)[*nr];
		const struct row *prev = *nr ? &(*rows)[*nr - 1] : &base;

		apply_writes(cap, &r, t, &next);
		if ((ret = mmsim_ksm_scan(r.sim, 1))) {
			snprintf(err, len, "ksm pass %ld: %s", *nr + 1, mmsim_last_error(r.sim));
			break;
		}
		read_row(r.sim, row);
		if (row->c[C_FULL_SCANS] == prev->c[C_FULL_SCANS])
			break;	/* nothing registered: ksmd sleeps */
		/*
		 * The simulated ksmd's clock: its batches (the last one finds
		 * the end of the pass), a sleep after each, and its estimated
		 * CPU, the time the advisor reads too.
		 */
		t = (double)(row->clock_ms - base.clock_ms);
		row->pass = *nr + 1;
		row->time_ms = t;
		row->cpu_ms = (double)(row->cpu_ns - prev->cpu_ns) / 1e6;
		mmsim_get_stats(r.sim, &st);
		row->freed_kb = ((long)st.nr_free_frames - (long)st0.nr_free_frames) * 4;
		if (++*nr == cap_rows) {
			void *n = realloc(*rows, (size_t)cap_rows * 2 * sizeof(**rows));

			if (!n)
				break;
			*rows = n;
			cap_rows *= 2;
		}
	}
	replay_free(&r);
	if (!*rows) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	return ret ? -1 : 0;
}

/* ---- Output ------------------------------------------------------------------------- */

static void print_table(const struct row *rows, long nr, const char *label)
{
	printf("%-6s %10s", "pass", "time_ms");
	for (size_t i = 0; i < NR_COUNTERS; i++)
		printf(" %*s", (int)(strlen(counters[i]) > 8 ? strlen(counters[i]) : 8), counters[i]);
	printf(" %10s %s\n", "freed_kB", label);
	for (long k = 0; k < nr; k++) {
		printf("%-6ld %10.0f", rows[k].pass, rows[k].time_ms);
		for (size_t i = 0; i < NR_COUNTERS; i++)
			printf(" %*ld", (int)(strlen(counters[i]) > 8 ? strlen(counters[i]) : 8),
			       rows[k].c[i]);
		printf(" %10ld %.1f\n", rows[k].freed_kb, rows[k].cpu_ms);
	}
}

static void print_csv(const struct row *rows, long nr, int sweep, unsigned long v, bool header)
{
	if (header) {
		printf("%s%spass,time_ms", sweep >= 0 ? tunables[sweep][0] : "", sweep >= 0 ? "," : "");
		for (size_t i = 0; i < NR_COUNTERS; i++)
			printf(",%s", counters[i]);
		printf(",freed_kb,ksmd_cpu_ms_estimate\n");
	}
	for (long k = 0; k < nr; k++) {
		if (sweep == T_ADVISOR_MODE)
			printf("%s,", advisor_word(v));
		else if (sweep >= 0)
			printf("%lu,", v);
		printf("%ld,%.0f", rows[k].pass, rows[k].time_ms);
		for (size_t i = 0; i < NR_COUNTERS; i++)
			printf(",%ld", rows[k].c[i]);
		printf(",%ld,%.3f\n", rows[k].freed_kb, rows[k].cpu_ms);
	}
}

static void print_json(const struct row *rows, long nr, const unsigned long *value, bool last)
{
	printf("  {\"tunables\": {");
	for (size_t i = 0; i < NR_TUNABLES; i++)
		if (i == T_ADVISOR_MODE)
			printf(", \"%s\": \"%s\"", tunables[i][0], advisor_word(value[i]));
		else
			printf("%s\"%s\": %lu", i ? ", " : "", tunables[i][0], value[i]);
	printf("},\n   \"passes\": [\n");
	for (long k = 0; k < nr; k++) {
		printf("    {\"pass\": %ld, \"time_ms\": %.0f", rows[k].pass, rows[k].time_ms);
		for (size_t i = 0; i < NR_COUNTERS; i++)
			printf(", \"%s\": %ld", counters[i], rows[k].c[i]);
		printf(", \"freed_kb\": %ld, \"ksmd_cpu_ms_estimate\": %.3f}%s\n", rows[k].freed_kb,
		       rows[k].cpu_ms, k + 1 < nr ? "," : "");
	}
	printf("   ]}%s\n", last ? "" : ",");
}

/* ---- The live ksmd beside it ----------------------------------------------------------- */

static long ksm_sysfs(const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", name);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return atol(buf);
}

/* ksmd's CPU time so far, in ns (/proc/PID/schedstat's first field). */
static double ksmd_cpu_ns(pid_t ksmd)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", ksmd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return (double)ns;
}

/* Are the captured processes still those of the capture (pid and start time)? */
static int check_alive(const struct capture *cap, pid_t *pids, char *err, size_t len)
{
	for (size_t k = 0; k < cap->nr_procs; k++) {
		char path[64], buf[4096], *s;
		unsigned long long start = 0;
		FILE *f;
		size_t n;

		pids[k] = cap->procs[k].pid;
		snprintf(path, sizeof(path), "/proc/%d/stat", pids[k]);
		f = fopen(path, "re");
		n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		s = strrchr(buf, ')');
		if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
				 "%*d %*d %*d %*d %llu", &start) != 1 || start != cap->procs[k].start_time) {
			snprintf(err, len, "--live: captured process %d (%s) is no longer running",
				 pids[k], cap->procs[k].comm);
			return -1;
		}
	}
	return 0;
}

/*
 * The per-page costs of this run: the first pass only creates rmap_items and
 * checksums; a pass that skipped nothing compared every page it scanned; in
 * one that skipped pages (which pages_scanned does not count), the scanned
 * ones at the compared cost, the rest of its time is the skips'.
 */
static void measure_costs(const struct row *rows, long n, double *ns)
{
	double cmp_ms = 0, cmp_pages = 0;

	ns[0] = ns[1] = ns[2] = 0;
	if (n && rows[0].c[C_SCANNED])
		ns[0] = rows[0].cpu_ms * 1e6 / (double)rows[0].c[C_SCANNED];
	for (long k = 1; k < n; k++)
		if (rows[k].c[C_SKIPPED] == rows[k - 1].c[C_SKIPPED]) {
			cmp_ms += rows[k].cpu_ms;
			cmp_pages += (double)(rows[k].c[C_SCANNED] - rows[k - 1].c[C_SCANNED]);
		}
	if (cmp_pages)
		ns[1] = cmp_ms * 1e6 / cmp_pages;
	for (long k = 1, best = 0; k < n; k++) {
		long sk = rows[k].c[C_SKIPPED] - rows[k - 1].c[C_SKIPPED];
		double sc = (double)(rows[k].c[C_SCANNED] - rows[k - 1].c[C_SCANNED]);

		/* The pass that skipped most says most about a skip's cost. */
		if (sk > best) {
			best = sk;
			ns[2] = (rows[k].cpu_ms * 1e6 - sc * ns[1]) / (double)sk;
		}
	}
}

static int live_passes(const struct capture *cap, long passes, const unsigned long *value,
		       struct row *rows, double *ns_per_page, char *err, size_t len)
{
	const char *tv[NR_TUNABLES][2];
	char vals[NR_TUNABLES][24];
	pid_t *pids = calloc(cap->nr_procs + 1, sizeof(*pids));
	long scanned0;
	double cpu0, t = 0;
	int ret = -1;

	if (!pids || check_alive(cap, pids, err, len))
		goto out;
	/* Not the advisor's: --live runs without it (refused before). */
	for (size_t i = 0; i < T_ADVISOR_FIRST; i++) {
		snprintf(vals[i], sizeof(vals[i]), "%lu", value[i]);
		tv[i][0] = tunables[i][0];
		tv[i][1] = vals[i];
	}
	if (kernel_ksm_open(pids, (int)cap->nr_procs, (const char *const (*)[2])tv, T_ADVISOR_FIRST,
			    err, len))
		goto out;
	scanned0 = ksm_sysfs("pages_scanned");
	cpu0 = ksmd_cpu_ns(kernel_ksm_ksmd());
	ret = 0;
	for (long k = 0; !ret && k < passes; k++) {
		bool none;
		long prev = k ? rows[k - 1].c[C_SCANNED] : 0;

		ret = kernel_ksm_pass(&none, err, len);
		if (!ret && none) {
			snprintf(err, len, "--live: no captured process is registered with KSM (merge-any "
				 "or MADV_MERGEABLE)");
			ret = -1;
		}
		for (size_t i = 0; !ret && i < NR_COUNTERS; i++)
			rows[k].c[i] = ksm_sysfs(counters[i]);
		rows[k].c[C_SCANNED] -= scanned0;
		rows[k].pass = k + 1;
		t += ceil((double)(rows[k].c[C_SCANNED] - prev) / (double)value[T_PAGES_TO_SCAN]) *
		     (double)value[T_SLEEP_MS];
		rows[k].time_ms = t;
		rows[k].cpu_ms = (ksmd_cpu_ns(kernel_ksm_ksmd()) - cpu0) / 1e6;
		cpu0 += rows[k].cpu_ms * 1e6;
	}
	if (!ret)
		measure_costs(rows, passes, ns_per_page);
	kernel_ksm_close();
out:
	free(pids);
	return ret;
}

static double rel_diff(long pred, long live)
{
	long m = labs(pred) > labs(live) ? labs(pred) : labs(live);

	return m ? 100.0 * (double)(pred - live) / (double)m : 0;
}

/* Side by side; 0 when the targets hold (2% at the end, 5% each pass), else 1. */
static int compare(const struct row *pred, const struct row *live, long n, const double *ns)
{
	static const int cols[] = { C_SHARED, C_SHARING, C_UNSHARED, C_VOLATILE };
	double worst = 0, last = 0;

	printf("%-5s", "pass");
	for (size_t i = 0; i < 4; i++)
		printf(" %14s %8s %6s", counters[cols[i]], "ksmd", "diff%");
	printf(" %12s %12s\n", "cpu_ms_est", "ksmd_cpu_ms");
	for (long k = 0; k < n; k++) {
		printf("%-5ld", k + 1);
		for (size_t i = 0; i < 4; i++) {
			double d = rel_diff(pred[k].c[cols[i]], live[k].c[cols[i]]);

			printf(" %14ld %8ld %6.2f", pred[k].c[cols[i]], live[k].c[cols[i]], d);
			if (i < 2 && fabs(d) > worst)
				worst = fabs(d);
			if (i < 2 && k == n - 1 && fabs(d) > last)
				last = fabs(d);
		}
		printf(" %12.1f %12.1f\n", pred[k].cpu_ms, live[k].cpu_ms);
	}
	printf("# pages_shared and pages_sharing: worst pass %.2f%% (target 5%%), last pass %.2f%% "
	       "(target 2%%)\n", worst, last);
	printf("# ksmd CPU measured per page: %.0f ns new, %.0f ns compared, %.0f ns skipped (the "
	       "estimate's costs: --cpu-ns NEW,COMPARED,SKIPPED)\n", ns[0], ns[1], ns[2]);
	return worst <= 5.0 && last <= 2.0 ? 0 : 1;
}

/* ---- The command line ------------------------------------------------------------------- */

static void whatif_usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim whatif mapcount FILE ... (mmsim whatif mapcount --help)\n"
		"       mmsim whatif thp FILE ...      (mmsim whatif thp --help)\n"
		"       mmsim whatif ksm FILE [--passes N | --seconds S] [--pages-to-scan N]\n"
		"         [--sleep-ms MS] [--max-page-sharing N] [--smart-scan 0|1]\n"
		"         [--use-zero-pages 0|1] [--merge-across-nodes 0|1]\n"
		"         [--advisor none|scan-time] [--advisor-max-cpu PCT]\n"
		"         [--advisor-target-scan-time S] [--advisor-min-pages-to-scan N]\n"
		"         [--advisor-max-pages-to-scan N] [--ksmd-cpu-ms MS] [--hz HZ]\n"
		"         [--mergeable as-captured|all] [--from-captured] [--cpu-ns NEW,CMP,SKIP]\n"
		"         [--sweep TUNABLE=V1,V2,...] [--json | --csv] [--live]\n"
		"\n"
		"Replays the capture and runs the simulated ksmd, one row per full pass: the\n"
		"time ksmd would have taken (batches of pages_to_scan, sleep_millisecs after\n"
		"each, and the CPU estimate), every counter of /sys/kernel/mm/ksm,\n"
		"pages_to_scan after the pass, the host memory freed, and ksmd's CPU, an\n"
		"ESTIMATE from the per-page cost measured on the live kernel (--cpu-ns;\n"
		"defaults 1150,3400,220 ns). --hz HZ: the sleeps last whole jiffies of the\n"
		"kernel's CONFIG_HZ, one more than asked, as its timer makes them (0, the\n"
		"default: exactly sleep_millisecs).\n"
		"Tunables default to the captured machine's. The time series, if captured, is\n"
		"applied at its times.\n"
		"\n"
		"--advisor scan-time: the kernel's scan-time advisor (Linux 6.7+) sets\n"
		"pages_to_scan after every full pass, starting from\n"
		"--advisor-min-pages-to-scan (500), aiming at a pass of\n"
		"--advisor-target-scan-time seconds (200), within 10%% to --advisor-max-cpu\n"
		"percent of a CPU (70) and --advisor-max-pages-to-scan (30000): the kernel's\n"
		"defaults unless given, never the captured machine's. The advisor needs\n"
		"ksmd's CPU time: here it is the ESTIMATE above, not a measurement, and the\n"
		"pass's time is its sleeps plus that CPU, so where the real ksmd's CPU\n"
		"differs the trajectory can differ (docs/experiments/ksm-whatif.md).\n"
		"--ksmd-cpu-ms: the CPU ksmd had used before (0); the kernel's advisor\n"
		"counts all of it in its first pass after being switched on.\n"
		"--pages-to-scan cannot go with --advisor scan-time (the kernel refuses it).\n"
		"\n"
		"--live (root) then lets the real ksmd make the same passes on the\n"
		"still-running captured processes and prints both side by side (exit 1 when\n"
		"pages_shared or pages_sharing differ by more than 5%% in a pass or 2%% at the\n"
		"end); it drives ksmd pass by pass and cannot run the advisor.\n");
}

static bool parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && end != s && !*end && s[0] != '-' && s[0] != '+' && s[0] != ' ';
}

static bool parse_tunable(int t, const char *s, unsigned long *v)
{
	if (t == T_ADVISOR_MODE) {
		if (strcmp(s, "none") && strcmp(s, "scan-time"))
			return false;
		*v = !strcmp(s, "scan-time");
		return true;
	}
	return parse_ulong(s, v);
}

/* What a value the kernel's store refuses should have been. */
static void bad_value(int t, const char *v)
{
	if (t == T_ADVISOR_MODE)
		fprintf(stderr, "mmsim whatif: --advisor '%s': takes none or scan-time (the words "
			"advisor_mode accepts)\n", v);
	else
		fprintf(stderr, "mmsim whatif: %s '%s': not a decimal number from 0 to %lu (the "
			"kernel's %s would refuse it: EINVAL)\n", tunables[t][1], v, ULONG_MAX,
			tunables[t][0]);
}

static int parse_sweep(const char *s, struct wi_opts *o)
{
	char name[64], *eq = strchr(s, '='), *dup, *tok, *save;

	if (!eq || (size_t)(eq - s) >= sizeof(name))
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - s), s);
	o->sweep = tunable_index(name);
	if (o->sweep < 0 || !(dup = strdup(eq + 1)))
		return -1;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (o->nr_sweep == 32 || !parse_tunable(o->sweep, tok, &o->sweep_values[o->nr_sweep++])) {
			if (o->nr_sweep <= 32)
				bad_value(o->sweep, tok);
			free(dup);
			return -3;
		}
	free(dup);
	return o->nr_sweep ? 0 : -1;
}

/* 0, -1 (bad option: usage), -3 (bad value, already said). */
static int parse_opt(int argc, char **argv, int *i, struct wi_opts *o, bool *set)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	int t = strncmp(a, "--", 2) ? -1 : tunable_index(a + 2);
	unsigned long n;

	if (!strcmp(a, "--json") || !strcmp(a, "--csv") || !strcmp(a, "--from-captured") ||
	    !strcmp(a, "--live")) {
		o->json |= !strcmp(a, "--json");
		o->csv |= !strcmp(a, "--csv");
		o->from_captured |= !strcmp(a, "--from-captured");
		o->live |= !strcmp(a, "--live");
		return 0;
	}
	if (!v)
		return -1;
	++*i;
	if (t >= 0) {
		if (!parse_tunable(t, v, &o->value[t])) {
			bad_value(t, v);
			return -3;
		}
		set[t] = true;
		return 0;
	}
	if (!strcmp(a, "--passes") && parse_ulong(v, &n) && n > 0 && n < 100000)
		o->passes = (long)n;
	else if (!strcmp(a, "--seconds") && (o->seconds = atof(v)) > 0)
		return 0;
	else if (!strcmp(a, "--ksmd-cpu-ms") && (o->ksmd_cpu_ms = atof(v)) >= 0 &&
		 o->ksmd_cpu_ms < 1e12)
		return 0;
	else if (!strcmp(a, "--hz") && parse_ulong(v, &o->hz) && o->hz <= 100000)
		return 0;
	else if (!strcmp(a, "--mergeable") && (!strcmp(v, "all") || !strcmp(v, "as-captured")))
		o->ro.mergeable_all = !strcmp(v, "all");
	else if (!strcmp(a, "--cpu-ns"))
		return sscanf(v, "%lf,%lf,%lf", &o->ns[0], &o->ns[1], &o->ns[2]) == 3 &&
		       o->ns[0] >= 0 && o->ns[1] >= 0 && o->ns[2] >= 0 && o->ns[0] < 1e12 &&
		       o->ns[1] < 1e12 && o->ns[2] < 1e12 ? 0 : -1;
	else if (!strcmp(a, "--sweep"))
		return parse_sweep(v, o);
	else
		return -1;
	return 0;
}

/*
 * What the kernel would refuse, or what would do nothing, among the advisor
 * options: 0, or 2 after saying why.
 */
static int check_advisor(const struct wi_opts *o, const bool *set)
{
	bool on = o->value[T_ADVISOR_MODE], pts = set[T_PAGES_TO_SCAN] || o->sweep == T_PAGES_TO_SCAN;

	for (int k = 0; o->sweep == T_ADVISOR_MODE && k < o->nr_sweep; k++)
		on |= o->sweep_values[k] != 0;
	if (on && pts) {
		fprintf(stderr, "mmsim whatif: --pages-to-scan with --advisor scan-time: the kernel "
			"refuses writes to pages_to_scan while advisor_mode is scan-time (EINVAL); "
			"the advisor starts from --advisor-min-pages-to-scan\n");
		return 2;
	}
	if (on && o->live) {
		fprintf(stderr, "mmsim whatif: --live drives ksmd one pass at a time through "
			"pages_to_scan, which the advisor owns: no --live with --advisor scan-time\n");
		return 2;
	}
	for (int t = T_ADVISOR_FIRST; !on && t < T_ADVISOR_MODE; t++)
		if (set[t] || o->sweep == t)
			fprintf(stderr, "mmsim whatif: %s does nothing without --advisor "
				"scan-time\n", tunables[t][1]);
	return 0;
}

static int run_sweep(const struct capture *cap, struct wi_opts *o)
{
	int status = 0;

	if (o->json)
		printf("[\n");
	for (int s = 0; s < (o->sweep >= 0 ? o->nr_sweep : 1); s++) {
		unsigned long value[NR_TUNABLES];
		struct row *rows;
		long nr;
		char err[512];

		memcpy(value, o->value, sizeof(value));
		if (o->sweep >= 0)
			value[o->sweep] = o->sweep_values[s];
		if (simulate(cap, o, value, &rows, &nr, err, sizeof(err))) {
			fprintf(stderr, "mmsim whatif: %s\n", err);
			free(rows);
			status = 2;
			break;
		}
		if (!nr)
			fprintf(stderr, "mmsim whatif: no captured process has mergeable memory, ksmd "
				"has nothing to scan (--mergeable all makes every process merge-any)\n");
		if (o->json) {
			print_json(rows, nr, value, s + 1 == (o->sweep >= 0 ? o->nr_sweep : 1));
		} else if (o->csv) {
			print_csv(rows, nr, o->sweep, value[o->sweep >= 0 ? o->sweep : 0], s == 0);
		} else {
			if (o->sweep == T_ADVISOR_MODE)
				printf("# %s=%s\n", tunables[o->sweep][0], advisor_word(value[o->sweep]));
			else if (o->sweep >= 0)
				printf("# %s=%lu\n", tunables[o->sweep][0], value[o->sweep]);
			print_table(rows, nr, "ksmd_cpu_ms_estimate");
		}
		free(rows);
	}
	if (o->json && !status)
		printf("]\n");
	return status;
}

static int run_live(const struct capture *cap, struct wi_opts *o)
{
	struct row *pred = NULL, *live;
	double ns[3] = { 0 };
	long nr;
	char err[512];
	int status;

	if (simulate(cap, o, o->value, &pred, &nr, err, sizeof(err))) {
		fprintf(stderr, "mmsim whatif: %s\n", err);
		free(pred);
		return 2;
	}
	live = calloc((size_t)nr + 1, sizeof(*live));
	if (!live || live_passes(cap, nr, o->value, live, ns, err, sizeof(err))) {
		fprintf(stderr, "mmsim whatif --live: %s\n", live ? err : "out of memory");
		free(pred);
		free(live);
		return 2;
	}
	printf("# the simulator's prediction against the live ksmd (Linux %s), %ld passes\n",
	       cap->kernel, nr);
	status = compare(pred, live, nr, ns);
	free(pred);
	free(live);
	return status;
}

int cmd_whatif(int argc, char **argv)
{
	struct wi_opts o = { .sweep = -1,
			     .ns = { DEFAULT_NS_NEW, DEFAULT_NS_COMPARED, DEFAULT_NS_SKIPPED } };
	bool set[NR_TUNABLES] = { 0 };
	struct capture cap;
	char err[512];
	int status;

	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		whatif_usage(stdout);
		return 0;
	}
	if (argc >= 1 && !strcmp(argv[0], "mapcount"))
		return cmd_whatif_mapcount(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "thp"))
		return cmd_whatif_thp(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[0], "ksm")) {
		whatif_usage(stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		int ret = parse_opt(argc, argv, &i, &o, set);

		if (ret == -3)
			return 2;
		if (ret) {
			fprintf(stderr, "mmsim whatif: bad option or value: %s\n", argv[i]);
			whatif_usage(stderr);
			return 2;
		}
	}
	if ((o.passes && o.seconds) || (o.json && o.csv) || (o.live && (o.sweep >= 0 || o.seconds ||
	    o.from_captured || o.json || o.csv))) {
		whatif_usage(stderr);
		return 2;
	}
	if (check_advisor(&o, set))
		return 2;
	if (!o.passes && !o.seconds)
		o.passes = 10;
	if (capture_load(argv[1], &cap, err, sizeof(err))) {
		fprintf(stderr, "mmsim whatif: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < NR_TUNABLES; i++) {
		char name[64];
		const char *v;

		snprintf(name, sizeof(name), "ksm/%s", tunables[i][0]);
		v = i < T_ADVISOR_FIRST ? capture_setting(&cap, name) : NULL;
		if (!set[i])
			o.value[i] = v ? strtoul(v, NULL, 10) : tunable_default[i];
	}
	if (!o.value[T_PAGES_TO_SCAN] && !o.value[T_ADVISOR_MODE]) {
		fprintf(stderr, "mmsim whatif: pages_to_scan 0 never ends a pass\n");
		capture_free(&cap);
		return 2;
	}
	status = o.live ? run_live(&cap, &o) : run_sweep(&cap, &o);
	capture_free(&cap);
	return status;
}
