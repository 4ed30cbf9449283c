// SPDX-License-Identifier: MIT
/*
 * mmsim whatif ksm's advisor options, through the mmsim program itself: a
 * capture of four processes with 250 pages of different contents each is
 * written, then `mmsim whatif ksm` runs with --advisor scan-time and its
 * limits, and with values the kernel's sysfs stores refuse. The expected
 * pages_to_scan were worked out by hand from the kernel's formulas
 * (mm/ksm.c's scan_time_advisor()), as in the comments.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "capture_db.h"

#define NPROCS	4
#define NPAGES	250

struct fixture {
	char dir[64], cap[128], out[128], err[128];
};

/* Four processes, NPAGES pages each, every page of its own contents. */
static void build(struct capture *cap)
{
	memset(cap, 0, sizeof(*cap));
	cap->schema_version = CAPTURE_SCHEMA_VERSION;
	snprintf(cap->kernel, sizeof(cap->kernel), "6.18.44-test");
	snprintf(cap->captured_at, sizeof(cap->captured_at), "2026-12-07T00:00:00Z");
	cap->procs = calloc(NPROCS, sizeof(*cap->procs));
	cap->nr_procs = NPROCS;
	for (int k = 0; k < NPROCS; k++) {
		struct cap_proc *p = &cap->procs[k];

		p->pid = 100 + k;
		p->ppid = 1;
		snprintf(p->comm, sizeof(p->comm), "p%d", k);
		p->vmas = calloc(1, sizeof(*p->vmas));
		p->nr_vmas = 1;
		p->vmas[0].start = BASE;
		p->vmas[0].end = BASE + NPAGES * PAGE;
		snprintf(p->vmas[0].perms, sizeof(p->vmas[0].perms), "rw-p");
		snprintf(p->vmas[0].vm_flags, sizeof(p->vmas[0].vm_flags), "rd wr mr mw me ac");
		p->pages = calloc(NPAGES, sizeof(*p->pages));
		p->nr_pages = NPAGES;
		for (int i = 0; i < NPAGES; i++) {
			struct cap_page *pg = &p->pages[i];
			unsigned char page[4096] = { 0 };

			page[0] = (unsigned char)(k + 1);
			page[1] = (unsigned char)i;
			page[2] = (unsigned char)(i >> 8);
			pg->addr = BASE + (uint64_t)i * PAGE;
			pg->pfn = pg->folio_pfn = 1000 + (uint64_t)k * NPAGES + (uint64_t)i;
			pg->kpagecount = 1;
			pg->kpageflags = 1ULL << CAP_KPF_ANON;
			pg->has_fp = true;
			cap_fingerprint(page, &pg->fp);
		}
		p->anonymous_kb = p->pss_anon_kb = NPAGES * 4;
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct capture cap;
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/mmsim-whatif-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->cap, sizeof(f->cap), "%s/w.cap", f->dir);
	snprintf(f->out, sizeof(f->out), "%s/out", f->dir);
	snprintf(f->err, sizeof(f->err), "%s/err", f->dir);
	build(&cap);
	if (capture_save(&cap, f->cap, NULL, err, sizeof(err)))
		fail_msg("capture_save: %s", err);
	capture_free(&cap);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->cap);
	unlink(f->out);
	unlink(f->err);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* mmsim whatif ksm CAPTURE ARGS: its exit status, stdout and stderr in files. */
static int whatif(const struct fixture *f, const char *args)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' whatif ksm '%s' --mergeable all %s >'%s' 2>'%s'", MMSIM_BIN,
		 f->cap, args, f->out, f->err);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	assert_non_null(fp);
	assert_non_null(buf);
	if (fread(buf, 1, (1 << 16) - 1, fp) == 0)
		buf[0] = '\0';
	fclose(fp);
	return buf;
}

static void assert_contains(const char *path, const char *want)
{
	char *text = slurp(path);

	if (!strstr(text, want))
		fail_msg("%s does not say \"%s\":\n%s", path, want, text);
	free(text);
}

/* The i-th field (0-based) of CSV line n (0: the header). */
static void csv_field(const char *path, int n, int i, char *field, size_t len)
{
	char *text = slurp(path), *line = text, *s;

	for (int k = 0; k < n && line; k++)
		line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL;
	assert_non_null(line);
	s = line;
	for (int k = 0; k < i && s; k++)
		s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL;
	assert_non_null(s);
	snprintf(field, len, "%.*s", (int)strcspn(s, ",\n"), s);
	free(text);
}

/*
 * 1000 pages of different contents, 1 ms of CPU each (--cpu-ns), KSM's
 * defaults (sleep_millisecs 20, target 200 s, max_cpu 70). Pass 1 at 500
 * pages a batch: 40 ms of sleep + 1000 ms of CPU, scan_time 1 s,
 * cpu_percent 100, per_page_cost 500 / 100 = 5; the target asks 500 * 100 /
 * 20000 * 30 / 100 = 0, the 10% floor gives 5 * 10 = 50. Pass 2 at 50: 20
 * batches (400 ms) + 1000 ms, scan_time 1, cpu_percent 100, per_page_cost
 * 50 / 100 = 0, so 1: the floor gives 10. Pass 3 at 10: 100 batches (2 s)
 * + 1 s, scan_time 3, cpu_percent 1000 * 100 / 3000 = 33, per_page_cost
 * 10 / 33 = 0, so 1: 10 again.
 */
static void test_advisor_trajectory(void **state)
{
	static const char *const want[] = { "50", "10", "10" };
	struct fixture *f = *state;
	char header[64], v[32];

	assert_int_equal(whatif(f, "--passes 3 --advisor scan-time --cpu-ns 1000000,1000000,0 "
				"--csv"), 0);
	csv_field(f->out, 0, 13, header, sizeof(header));
	assert_string_equal(header, "pages_to_scan");
	for (int pass = 1; pass <= 3; pass++) {
		csv_field(f->out, pass, 13, v, sizeof(v));
		assert_string_equal(v, want[pass - 1]);
	}
	/* The estimate the advisor read: 1000 pages at 1 ms. */
	csv_field(f->out, 2, 15, v, sizeof(v));
	assert_string_equal(v, "1000.000");
	/*
	 * ksmd had used 59.4 s before: the first sample is (59400 + 1000) * 100
	 * / 1000 = 6040%, per_page_cost 500 / 6040 = 0, so 1: the floor gives 10.
	 */
	assert_int_equal(whatif(f, "--passes 1 --advisor scan-time --cpu-ns 1000000,1000000,0 "
				"--ksmd-cpu-ms 59400 --csv"), 0);
	csv_field(f->out, 1, 13, v, sizeof(v));
	assert_string_equal(v, "10");
	/* Without the advisor pages_to_scan stays at the default 100. */
	assert_int_equal(whatif(f, "--passes 2 --cpu-ns 1000000,1000000,0 --csv"), 0);
	csv_field(f->out, 2, 13, v, sizeof(v));
	assert_string_equal(v, "100");
}

/* A ceiling of 30 pages, and --json with the mode as the kernel spells it. */
static void test_advisor_limits_json(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(whatif(f, "--passes 1 --advisor scan-time --advisor-max-pages-to-scan 30 "
				"--advisor-max-cpu 50 --advisor-target-scan-time 100 "
				"--advisor-min-pages-to-scan 400 --cpu-ns 1000000,1000000,0 --json"), 0);
	assert_contains(f->out, "\"advisor_mode\": \"scan-time\"");
	assert_contains(f->out, "\"advisor_max_cpu\": 50");
	assert_contains(f->out, "\"advisor_min_pages_to_scan\": 400");
	/* Pass 1 at 400: the floor would give 400 / 100 * 10 = 40, the ceiling 30. */
	assert_contains(f->out, "\"pages_to_scan\": 30,");
}

/*
 * The clock: 1000 pages at pages_to_scan 100 without CPU take 10 batches,
 * and an 11th that finds the end, each followed by its sleep: 11 x 20 ms
 * = 220; with --hz 250 a sleep of 20 ms lasts 5 jiffies plus the timer
 * wheel's one, 24 ms: 264.
 */
static void test_clock(void **state)
{
	struct fixture *f = *state;
	char v[32];

	assert_int_equal(whatif(f, "--passes 1 --cpu-ns 0,0,0 --csv"), 0);
	csv_field(f->out, 1, 1, v, sizeof(v));
	assert_string_equal(v, "220");
	assert_int_equal(whatif(f, "--passes 1 --cpu-ns 0,0,0 --hz 250 --csv"), 0);
	csv_field(f->out, 1, 1, v, sizeof(v));
	assert_string_equal(v, "264");
}

/* Same input, byte-identical output, table included. */
static void test_deterministic(void **state)
{
	struct fixture *f = *state;
	char *first;

	assert_int_equal(whatif(f, "--passes 4 --advisor scan-time"), 0);
	assert_contains(f->out, "pages_to_scan");
	first = slurp(f->out);
	assert_int_equal(whatif(f, "--passes 4 --advisor scan-time"), 0);
	{
		char *second = slurp(f->out);

		assert_string_equal(first, second);
		free(second);
	}
	free(first);
}

/* What the kernel's stores refuse, and what cannot go together: exit 2 and why. */
static void test_bad_values(void **state)
{
	static const struct {
		const char *args, *says;
	} bad[] = {
		{ "--advisor scan-tim", "--advisor 'scan-tim': takes none or scan-time" },
		{ "--advisor scan-time --advisor-max-cpu -5",
		  "--advisor-max-cpu '-5': not a decimal number" },
		{ "--advisor scan-time --advisor-max-cpu 5x", "--advisor-max-cpu '5x'" },
		{ "--advisor scan-time --advisor-max-pages-to-scan 18446744073709551616",
		  "--advisor-max-pages-to-scan '18446744073709551616': not a decimal number" },
		{ "--advisor scan-time --advisor-target-scan-time 0",
		  "advisor_target_scan_time must be at least 1" },
		{ "--advisor scan-time --pages-to-scan 1000",
		  "refuses writes to pages_to_scan while advisor_mode is scan-time" },
		{ "--advisor scan-time --sweep pages-to-scan=100,200",
		  "refuses writes to pages_to_scan" },
		{ "--advisor scan-time --live", "no --live with --advisor scan-time" },
		{ "--advisor scan-time --advisor-min-pages-to-scan 0", "pages_to_scan to 0" },
		{ "--sweep advisor=none,bogus", "--advisor 'bogus'" },
		{ "--ksmd-cpu-ms -1", "bad option or value" },
		{ "--hz 100001", "bad option or value" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int st = whatif(f, bad[i].args);

		if (st != 2)
			fail_msg("%s: exit %d, not 2", bad[i].args, st);
		assert_contains(f->err, bad[i].says);
	}
	/* Limits without the advisor: it runs, and says they do nothing. */
	assert_int_equal(whatif(f, "--passes 1 --advisor-max-cpu 20"), 0);
	assert_contains(f->err, "--advisor-max-cpu does nothing without --advisor scan-time");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_advisor_trajectory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advisor_limits_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
