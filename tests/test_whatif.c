// SPDX-License-Identifier: MIT
/*
 * mmsim whatif mapcount and thp (cli/whatif_mapcount.c, cli/whatif_thp.c)
 * on captures built here, with answers worked out by hand in the comments;
 * and bad input: a clear error and exit status 2, never a partial result.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "test_util.h"
#include "capture_util.h"
#include "capture_cmd.h"

#define F	0x100000000000ULL	/* a 64K folio, then a small page */
#define T	0x100000200000ULL	/* a 2M-aligned 2M VMA */
#define N	0x100000400000ULL	/* a 2M-aligned 2M VMA with MADV_NOHUGEPAGE (nh) */
#define H	0x100000600000ULL	/* a 2M-aligned 2M VMA with MADV_HUGEPAGE (hg) */

struct fixture {
	char dir[64], path[128], out[160], err[160];
	struct capture cap;
	char *text;			/* the last command's stdout */
	char *errtext;			/* and stderr */
};

/* An empty capture of Linux "6.18.44-test", THP madvise (2M inherits), room for nr processes. */
static void init_capture(struct capture *cap, size_t nr)
{
	static const char *const values[] = { "always [madvise] never",
					       "always [inherit] madvise never" };
	static const char *const names[] = { "transparent_hugepage/enabled",
					      "transparent_hugepage/hugepages-2048kB/enabled" };

	memset(cap, 0, sizeof(*cap));
	cap->schema_version = CAPTURE_SCHEMA_VERSION;
	snprintf(cap->kernel, sizeof(cap->kernel), "6.18.44-test");
	cap->procs = calloc(nr, sizeof(*cap->procs));
	cap->settings = calloc(2, sizeof(*cap->settings));
	cap->nr_settings = 2;
	for (int i = 0; i < 2; i++) {
		snprintf(cap->settings[i].name, sizeof(cap->settings[i].name), "%s", names[i]);
		snprintf(cap->settings[i].value, sizeof(cap->settings[i].value), "%s", values[i]);
	}
}

static struct cap_proc *add_proc(struct capture *cap, int pid, int ppid, size_t vmas,
				 size_t pages)
{
	struct cap_proc *p = &cap->procs[cap->nr_procs++];

	p->pid = pid;
	p->ppid = ppid;
	snprintf(p->comm, sizeof(p->comm), "p%d", pid);
	p->vmas = calloc(vmas, sizeof(*p->vmas));
	p->pages = calloc(pages, sizeof(*p->pages));
	return p;
}

/* The first n pages of the 64K folio at F (frames 4096...), the first 8 mapped twice. */
static void add_folio_pages(struct cap_proc *p, int n)
{
	for (int i = 0; i < n; i++) {
		struct cap_page *pg = add_page(p, F + i * 4096ULL, 4096 + i, i + 1);

		pg->folio_pfn = 4096;
		pg->folio_order = 4;
		pg->kpagecount = i < 8 ? 2 : 1;
	}
}

/*
 * The mapcount capture: parent 100 maps a 64K folio whole (frames
 * 4096..4111, order 4) at F and a small page (frame 7) at F + 64K; its
 * child 101 maps the folio's first half, the same frames (kpagecount 2 for
 * pages 0..7, 1 for 8..15). The replay faults the folio in the parent, forks,
 * and unmaps pages 8..15 (MADV_DONTNEED page by page) in the child.
 */
static void build_mapcount(struct capture *cap)
{
	struct cap_proc *p, *c;

	init_capture(cap, 2);
	p = add_proc(cap, 100, 1, 1, 17);
	add_vma(p, F, F + 0x11000, "rd wr mr mw me ac");
	add_folio_pages(p, 16);
	add_page(p, F + 0x10000, 7, 0x77);
	c = add_proc(cap, 101, 100, 1, 8);
	add_vma(c, F, F + 0x11000, "rd wr mr mw me ac");
	add_folio_pages(c, 8);
}

/*
 * The THP capture: process 200 touched pages 0, 1 and 100 of each of three
 * 2M-aligned 2M VMAs: T (no advice), N (nh), H (hg); all small folios, as
 * captured under "madvise" with every mTHP size off.
 */
static void build_thp(struct capture *cap)
{
	static const uint64_t base[] = { T, N, H };
	static const char *const flags[] = { "rd wr mr mw me ac", "rd wr mr mw me ac nh",
					     "rd wr mr mw me ac hg" };
	static const int idx[] = { 0, 1, 100 };
	struct cap_proc *p;
	uint64_t pfn = 100;

	init_capture(cap, 1);
	p = add_proc(cap, 200, 1, 3, 9);
	for (int v = 0; v < 3; v++) {
		add_vma(p, base[v], base[v] + 0x200000, flags[v]);
		for (int i = 0; i < 3; i++, pfn++)
			add_page(p, base[v] + idx[i] * 4096ULL, pfn, 0x10 + (int)pfn);
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/mmsim-whatif-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/w.cap", f->dir);
	snprintf(f->out, sizeof(f->out), "%s/out", f->dir);
	snprintf(f->err, sizeof(f->err), "%s/err", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	remove_test_dir(f->dir);
	capture_free(&f->cap);
	free(f->text);
	free(f->errtext);
	free(f);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *in = fopen(path, "re");
	char *buf = calloc(1, 1 << 20);
	size_t n = in ? fread(buf, 1, (1 << 20) - 1, in) : 0;

	if (in)
		fclose(in);
	buf[n] = '\0';
	return buf;
}

/* Runs mmsim whatif ARGS... (NULL-terminated), stdout and stderr kept; its exit status. */
static int whatif(struct fixture *f, ...)
{
	char *argv[32];
	int argc = 0, saved_out, saved_err, fd_out, fd_err, status;
	va_list ap;

	va_start(ap, f);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	fd_out = open(f->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	fd_err = open(f->err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	dup2(fd_out, 1);
	dup2(fd_err, 2);
	status = cmd_whatif(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(fd_out);
	close(fd_err);
	free(f->text);
	free(f->errtext);
	f->text = slurp(f->out);
	f->errtext = slurp(f->err);
	return status;
}

/* The CSV cell of the row whose first column is key, in column col. */
static double cell(const char *csv, const char *key, const char *col)
{
	char header[4096], line[4096];
	const char *s = strchr(csv, '\n');
	int want = -1, i = 0;
	char *tok, *save;

	assert_non_null(s);
	snprintf(header, sizeof(header), "%.*s", (int)(s - csv), csv);
	for (tok = strtok_r(header, ",", &save); tok; tok = strtok_r(NULL, ",", &save), i++)
		if (!strcmp(tok, col))
			want = i;
	if (want < 0)
		fail_msg("no column %s", col);
	for (s++; *s; s = strchr(s, '\n') + 1) {
		const char *e = strchr(s, '\n');

		snprintf(line, sizeof(line), "%.*s", (int)(e - s), s);
		tok = strtok_r(line, ",", &save);
		if (tok && !strcmp(tok, key)) {
			for (i = 0; i < want; i++)
				tok = strtok_r(NULL, ",", &save);
			return atof(tok);
		}
	}
	fail_msg("no row %s", key);
	return 0;
}

/*
 * The shared 64K folio, fully mapped by the parent, half by the child: 24
 * PTEs, two mms, pages 0..7 mapped twice, 8..15 once; and the parent's
 * small page. Every scheme sees 2 folios, 17 mapped pages. By hand
 * (docs/mapcount-schemes.md for each scheme's rules):
 *  - linux, legacy, large, fullpartial keep a mapcount per page: every
 *    kpagecount right; maybe-shared "yes" (the first page is mapped twice,
 *    the MM slots hold two mms, the parent's mapping is full).
 *  - nopagemapcount and mappedpages answer kpagecount with the folio's
 *    average, (24 + 8) >> 4 = 2: pages 8..15 are wrong (8 pages).
 *  - tuples counts (VMA, page table) pairs: 2 after the fork, and every
 *    one of the child's eight MADV_DONTNEED calls removes one: -6, not the
 *    2 pairs there are (wrong mapcount), "not shared" (false exclusive, 1),
 *    and kpagecount 0 for all 16 pages (a drifted count reads 0).
 *  - tuples-exact removes a pair only when no PTE of the folio is left in
 *    the table: 2, right; its average kpagecount 2 is wrong for pages 8..15.
 * None is partially mapped (the parent maps every page): no missed split.
 * Fork and exit: the parent's fork copies the folio's 16 PTEs in one batch
 * and the small page's PTE: 2 calls, 17 entries; the child's 8 PTEs: 1
 * call; so 3 calls, 25 entries in all, whatever the scheme. Exits, the
 * child first: its 8 PTEs free nothing, the parent's 17 free 17 pages.
 * After the child's exit (the exits_* columns) the parent alone maps the
 * folio. Three mms mapped it at once during the parent's fork (parent,
 * child, the fork's copy), but the parent holds one of the two MM-owner
 * slots of linux, nopagemapcount and mappedpages (the child the other, the
 * copy none): with the copy and the child gone, the slot's count is the
 * folio's and "maybe shared" is cleared, right (the false "yes" of
 * docs/mapcount-schemes.md needs an untracked survivor). The per-page
 * guesses (legacy, large) and fullpartial's full mapping say "no" too.
 * tuples has drifted to -7 pairs (2 - 8 DONTNEEDs, +1 -1 for each fork and
 * its child's exit, -1 the child's exit): wrong, and kpagecount 0 for the 16
 * pages; the averages of the others are 16 / 16 = 1, right.
 */
static void test_mapcount_known(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *scheme;
		int false_excl, wrong_kpc, wrong_mc, exits_false_shared, exits_wrong_kpc;
	} want[] = {
		{ "linux", 0, 0, 0, 0, 0 }, { "legacy", 0, 0, 0, 0, 0 }, { "large", 0, 0, 0, 0, 0 },
		{ "nopagemapcount", 0, 8, 0, 0, 0 }, { "tuples", 1, 16, 1, 0, 16 },
		{ "fullpartial", 0, 0, 0, 0, 0 }, { "tuples-exact", 0, 8, 0, 0, 0 },
		{ "mappedpages", 0, 8, 0, 0, 0 },
	};
	char err[512];

	build_mapcount(&f->cap);
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	assert_int_equal(whatif(f, "mapcount", f->path, "--csv", "--verify", NULL), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *s = want[i].scheme;

		print_message("%s\n", s);
		assert_int_equal(cell(f->text, s, "folios"), 2);
		assert_int_equal(cell(f->text, s, "pages"), 17);
		assert_int_equal(cell(f->text, s, "false_shared"), 0);
		assert_int_equal(cell(f->text, s, "false_exclusive"), want[i].false_excl);
		assert_int_equal(cell(f->text, s, "wrong_kpagecount"), want[i].wrong_kpc);
		assert_int_equal(cell(f->text, s, "wrong_mapcount"), want[i].wrong_mc);
		assert_int_equal(cell(f->text, s, "missed_deferred_split"), 0);
		assert_int_equal(cell(f->text, s, "fork_entries"), 25);
		assert_int_equal(cell(f->text, s, "exit_entries"), 25);
		assert_int_equal(cell(f->text, s, "exit_pages_freed"), 17);
		assert_true(cell(f->text, s, "fork_us") > 0);
		assert_int_equal(cell(f->text, s, "exits_false_shared"), want[i].exits_false_shared);
		assert_int_equal(cell(f->text, s, "exits_false_exclusive"), 0);
		assert_int_equal(cell(f->text, s, "exits_wrong_kpagecount"), want[i].exits_wrong_kpc);
		assert_int_equal(cell(f->text, s, "exits_wrong_mapcount"), s[0] == 't' && !s[6]);
	}
	/* The batches: the model's per-call cost is the same for all. */
	assert_int_equal(cell(f->text, "linux", "fork_calls"), 3);
	/* Fewer atomics without per-page mapcounts: nopagemapcount below legacy. */
	assert_true(cell(f->text, "nopagemapcount", "fork_atomics") <
		    cell(f->text, "legacy", "fork_atomics"));
}

/* The same command twice: the same bytes, in each format. */
static void test_deterministic(void **state)
{
	struct fixture *f = *state;
	static const char *const fmt[] = { "--csv", "--json", "--per-process" };
	char err[512];

	build_mapcount(&f->cap);
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	for (int i = 0; i < 3; i++) {
		char *first;

		assert_int_equal(whatif(f, "mapcount", f->path, fmt[i], NULL), 0);
		first = strdup(f->text);
		assert_int_equal(whatif(f, "mapcount", f->path, fmt[i], NULL), 0);
		assert_string_equal(first, f->text);
		free(first);
		assert_int_equal(whatif(f, "thp", f->path, fmt[i], NULL), 0);
		first = strdup(f->text);
		assert_int_equal(whatif(f, "thp", f->path, fmt[i], NULL), 0);
		assert_string_equal(first, f->text);
		free(first);
	}
	assert_non_null(strstr(f->text, "p101"));	/* --per-process names the processes */
}

/*
 * Three pages (0, 1, 100) touched in each 2M VMA; by hand, per policy:
 *  - never: 9 faults, 9 small folios, Rss 36 kB, no bloat.
 *  - always-64K: T and H: a 64K folio at page 0 (page 1 inside it, no
 *    fault) and one at page 96 (covering 100): 2 faults, 2 folios each; N
 *    (nh): 3 small pages. 7 faults; Rss 2 * 128 + 12 = 268 kB, touched
 *    36 kB: 232 kB bloat.
 *  - always-2M: T and H: one PMD-mapped THP each (one fault); N: 3 pages.
 *    5 faults, Rss 2 * 2048 + 12 = 4108 kB, 4072 kB bloat. A fork copies 2
 *    PMDs and 3 PTEs: 5 calls, 5 entries.
 *  - top=madvise,2M=inherit (the capture's own settings): only H (hg)
 *    gets a THP: 1 + 3 + 3 = 7 faults, Rss 2048 + 24 kB.
 * A THP deposits a page table (x86), so the page tables are the same under
 * never and always-2M.
 */
static void test_thp_known(void **state)
{
	struct fixture *f = *state;
	char err[512];

	build_thp(&f->cap);
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	assert_int_equal(whatif(f, "thp", f->path, "--csv", "--verify", NULL), 0);
	assert_int_equal(cell(f->text, "never", "faults"), 9);
	assert_int_equal(cell(f->text, "never", "folios_4K"), 9);
	assert_int_equal(cell(f->text, "never", "rss_kb"), 36);
	assert_int_equal(cell(f->text, "never", "bloat_kb"), 0);
	assert_int_equal(cell(f->text, "never", "memory_kb"), 36);
	assert_int_equal(cell(f->text, "always-64K", "faults"), 7);
	assert_int_equal(cell(f->text, "always-64K", "folios_64K"), 4);
	assert_int_equal(cell(f->text, "always-64K", "folios_4K"), 3);
	assert_int_equal(cell(f->text, "always-64K", "touched_kb"), 36);
	assert_int_equal(cell(f->text, "always-64K", "bloat_kb"), 232);
	assert_int_equal(cell(f->text, "always-2M", "faults"), 5);
	assert_int_equal(cell(f->text, "always-2M", "folios_2M"), 2);
	assert_int_equal(cell(f->text, "always-2M", "rss_kb"), 4108);
	assert_int_equal(cell(f->text, "always-2M", "bloat_kb"), 4072);
	assert_int_equal(cell(f->text, "always-2M", "memory_kb"), 4108);
	assert_int_equal(cell(f->text, "always-2M", "fork_folio_calls"), 5);
	assert_int_equal(cell(f->text, "always-2M", "fork_entries"), 5);
	assert_int_equal(cell(f->text, "always-2M", "page_tables"),
			 cell(f->text, "never", "page_tables"));
	assert_int_equal(cell(f->text, "captured", "faults"), 7);
	assert_int_equal(cell(f->text, "captured", "folios_2M"), 1);
	assert_int_equal(cell(f->text, "captured", "rss_kb"), 2048 + 24);
	/* The same for the hg VMA alone, spelled out (the top-level switch never). */
	assert_int_equal(whatif(f, "thp", f->path, "--csv", "--policy", "2M=madvise", NULL), 0);
	assert_int_equal(cell(f->text, "2M=madvise", "rss_kb"), 2048 + 24);
	/* A name with a comma is quoted in CSV. */
	assert_int_equal(whatif(f, "thp", f->path, "--csv", "--policy", "top=madvise,2M=inherit",
				NULL), 0);
	assert_non_null(strstr(f->text, "\n\"top=madvise,2M=inherit\",7,"));
	/* mapcount under a policy: the THPs are PMD-mapped, one mapping each. */
	assert_int_equal(whatif(f, "mapcount", f->path, "--csv", "--thp", "always-2M", "--scheme",
				"linux", NULL), 0);
	assert_int_equal(cell(f->text, "linux", "folios"), 5);
	assert_int_equal(cell(f->text, "linux", "fork_entries"), 5);
}

/*
 * The time series after the snapshot: page 50 of T appears at 100 ms, page
 * 1 of T goes at 200 ms. never: one more fault (10), Rss still 36 kB (one
 * page more, one less). always-2M: page 50 is in T's THP already (no
 * fault: 5), page 1's MADV_DONTNEED leaves the THP PTE-mapped, 511 pages:
 * Rss 4108 - 4 = 4104 kB, touched 36 kB (T: pages 0, 50, 100), bloat 4068
 * kB; the THP is still one 2M folio.
 */
static void test_thp_time_series(void **state)
{
	struct fixture *f = *state;
	char err[512];

	build_thp(&f->cap);
	f->cap.writes = calloc(2, sizeof(*f->cap.writes));
	f->cap.nr_writes = 2;
	f->cap.interval_ms = 100;
	f->cap.duration_ms = 200;
	f->cap.writes[0] = (struct cap_write){ .seq = 1, .t_ms = 100, .pid = 200,
						.addr = T + 50 * 4096ULL, .present = true };
	fp_of_byte(0x50, &f->cap.writes[0].fp);
	f->cap.writes[1] = (struct cap_write){ .seq = 2, .t_ms = 200, .pid = 200,
						.addr = T + 4096ULL };
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	assert_int_equal(whatif(f, "thp", f->path, "--csv", "--verify", "--policy", "never",
				"--policy", "always-2M", NULL), 0);
	assert_int_equal(cell(f->text, "never", "faults"), 10);
	assert_int_equal(cell(f->text, "never", "rss_kb"), 36);
	assert_int_equal(cell(f->text, "never", "bloat_kb"), 0);
	assert_int_equal(cell(f->text, "always-2M", "faults"), 5);
	assert_int_equal(cell(f->text, "always-2M", "rss_kb"), 4104);
	assert_int_equal(cell(f->text, "always-2M", "touched_kb"), 36);
	assert_int_equal(cell(f->text, "always-2M", "bloat_kb"), 4068);
	assert_int_equal(cell(f->text, "always-2M", "folios_2M"), 2);
}

/* Bad input: exit status 2, a message that says what was wrong, nothing on stdout. */
static void expect_error(struct fixture *f, const char *what, int st)
{
	assert_int_equal(st, 2);
	if (!strstr(f->errtext, what))
		fail_msg("stderr \"%s\" does not say \"%s\"", f->errtext, what);
	assert_string_equal(f->text, "");
}

static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	char err[512], path[160];
	FILE *out;

	build_thp(&f->cap);
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	expect_error(f, "No such file", whatif(f, "mapcount", "/nonexistent/x.cap", NULL));
	expect_error(f, "No such file", whatif(f, "thp", "/nonexistent/x.cap", NULL));
	snprintf(path, sizeof(path), "%s/text", f->dir);
	out = fopen(path, "w");
	for (int i = 0; i < 100; i++)
		fputs("not a capture\n", out);
	fclose(out);
	expect_error(f, "not an SQLite database", whatif(f, "mapcount", path, NULL));
	expect_error(f, "not an SQLite database", whatif(f, "thp", path, NULL));
	expect_error(f, "bad option", whatif(f, "mapcount", f->path, "--frobnicate", NULL));
	expect_error(f, "bad option", whatif(f, "thp", f->path, "--passes", "3", NULL));
	expect_error(f, "exclude each other", whatif(f, "thp", f->path, "--json", "--csv", NULL));
	expect_error(f, "bad policy \"always-3K\"",
		     whatif(f, "thp", f->path, "--policy", "always-3K", NULL));
	expect_error(f, "bad policy \"top=inherit\"",
		     whatif(f, "thp", f->path, "--policy", "top=inherit", NULL));
	expect_error(f, "bad policy", whatif(f, "mapcount", f->path, "--thp", "64K=sometimes", NULL));
	expect_error(f, "nosuchscheme",
		     whatif(f, "mapcount", f->path, "--scheme", "nosuchscheme", NULL));
	expect_error(f, "--costs needs a FILE", whatif(f, "mapcount", f->path, "--costs", NULL));
	expect_error(f, "No such file",
		     whatif(f, "mapcount", f->path, "--costs", "/nonexistent/costs", NULL));
	snprintf(path, sizeof(path), "%s/costs", f->dir);
	out = fopen(path, "w");
	fputs("# a model\nfork_entry 1\nbogus 2\n", out);
	fclose(out);
	expect_error(f, ":3: expected \"KEY NS\"", whatif(f, "mapcount", f->path, "--costs", path,
							 NULL));
	expect_error(f, "usage", whatif(f, "mapcount", NULL));
	assert_int_equal(whatif(f, "thp", "--help", NULL), 0);
	assert_non_null(strstr(f->text, "max_ptes_none"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mapcount_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thp_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thp_time_series, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
