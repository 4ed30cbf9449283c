// SPDX-License-Identifier: MIT
/*
 * The capture file (cli/capture_db.c) and its replay (cli/replay.c): a
 * capture written and read back is the same; bad files are refused with a
 * clear reason and nothing is left half-written; a replay rebuilds fork
 * sharing, THP orders, the zero page and contents by fingerprint.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "test_util.h"
#include "capture_db.h"
#include "capture_util.h"
#include "replay.h"

#define A	0x100000000000ULL	/* a small page, shared by fork */
#define B	0x100000200000ULL	/* a 2M THP, the parent's only */
#define Z	0x100000600000ULL	/* the zero page */

struct fixture {
	char dir[64], path[128];
	struct capture cap;
};

/*
 * Parent 100: page A (frame 7, shared with its child 101 by fork), a 2M THP
 * at B (frames 1024..1535) and the zero page at Z. Child 101: A only.
 */
static void build(struct capture *cap)
{
	struct cap_proc *p, *c;

	memset(cap, 0, sizeof(*cap));
	cap->schema_version = CAPTURE_SCHEMA_VERSION;
	snprintf(cap->kernel, sizeof(cap->kernel), "6.18.44-test");
	snprintf(cap->captured_at, sizeof(cap->captured_at), "2026-12-07T00:00:00Z");
	cap->interval_ms = 100;
	cap->duration_ms = 200;
	cap->settings = calloc(2, sizeof(*cap->settings));
	cap->nr_settings = 2;
	snprintf(cap->settings[0].name, sizeof(cap->settings[0].name), "ksm/pages_to_scan");
	snprintf(cap->settings[0].value, sizeof(cap->settings[0].value), "100");
	snprintf(cap->settings[1].name, sizeof(cap->settings[1].name), "transparent_hugepage/enabled");
	snprintf(cap->settings[1].value, sizeof(cap->settings[1].value), "always [madvise] never");
	cap->procs = calloc(2, sizeof(*cap->procs));
	cap->nr_procs = 2;
	p = &cap->procs[0];
	c = &cap->procs[1];
	p->pid = 100;
	p->ppid = 1;
	snprintf(p->comm, sizeof(p->comm), "parent");
	p->start_time = 12345;
	p->merge_any = true;
	p->vmas = calloc(3, sizeof(*p->vmas));
	add_vma(p, A, A + 0x1000, "rd wr mr mw me ac mg");
	add_vma(p, B, B + 0x200000, "rd wr mr mw me ac mg hg");
	add_vma(p, Z, Z + 0x1000, "rd wr mr mw me ac mg");
	p->pages = calloc(514, sizeof(*p->pages));
	add_page(p, A, 7, 0xaa)->kpagecount = 2;
	for (int i = 0; i < 512; i++) {
		struct cap_page *pg = add_page(p, B + i * 4096ULL, 1024 + i, i % 3);

		pg->folio_pfn = 1024;
		pg->folio_order = 9;
		pg->kpageflags |= (1ULL << CAP_KPF_THP) |
				  (1ULL << (i ? CAP_KPF_COMPOUND_TAIL : CAP_KPF_COMPOUND_HEAD));
	}
	add_page(p, Z, 1, 0)->kpageflags = 1ULL << CAP_KPF_ZERO_PAGE;
	p->anonymous_kb = 4 + 2048;
	p->anon_huge_kb = 2048;
	p->pss_anon_kb = 2 + 2048;
	c->pid = 101;
	c->ppid = 100;
	snprintf(c->comm, sizeof(c->comm), "child");
	c->merge_any = true;
	c->vmas = calloc(1, sizeof(*c->vmas));
	add_vma(c, A, A + 0x1000, "rd wr mr mw me ac mg");
	c->pages = calloc(1, sizeof(*c->pages));
	add_page(c, A, 7, 0xaa)->kpagecount = 2;
	c->anonymous_kb = 4;
	c->pss_anon_kb = 2;
	cap->writes = calloc(2, sizeof(*cap->writes));
	cap->nr_writes = 2;
	cap->writes[0] = (struct cap_write){ .seq = 1, .t_ms = 100, .pid = 100, .addr = A,
					      .present = true };
	fp_of_byte(0xbb, &cap->writes[0].fp);
	cap->writes[1] = (struct cap_write){ .seq = 2, .t_ms = 200, .pid = 101, .addr = A };
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/mmsim-capture-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/c.mmscap", f->dir);
	build(&f->cap);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	remove_test_dir(f->dir);
	capture_free(&f->cap);
	free(f);
	return 0;
}

/* Files in the directory other than . and .. */
static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct capture got;
	char err[512];

	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	assert_int_equal(files_in(f->dir), 1);	/* no temporary file left */
	assert_int_equal(capture_load(f->path, &got, err, sizeof(err)), 0);
	assert_int_equal(got.schema_version, CAPTURE_SCHEMA_VERSION);
	assert_string_equal(got.kernel, "6.18.44-test");
	assert_int_equal(got.interval_ms, 100);
	assert_int_equal(got.nr_settings, 2);
	assert_string_equal(capture_setting(&got, "ksm/pages_to_scan"), "100");
	assert_int_equal(got.nr_procs, 2);
	for (size_t k = 0; k < 2; k++) {
		const struct cap_proc *a = &f->cap.procs[k], *b = &got.procs[k];

		assert_int_equal(a->pid, b->pid);
		assert_int_equal(a->ppid, b->ppid);
		assert_string_equal(a->comm, b->comm);
		assert_int_equal(a->start_time, b->start_time);
		assert_int_equal(a->merge_any, b->merge_any);
		assert_int_equal(a->pss_anon_kb, b->pss_anon_kb);
		assert_int_equal(a->nr_vmas, b->nr_vmas);
		for (size_t i = 0; i < a->nr_vmas; i++)
			assert_memory_equal(&a->vmas[i], &b->vmas[i], sizeof(a->vmas[i]));
		assert_int_equal(a->nr_pages, b->nr_pages);
		for (size_t i = 0; i < a->nr_pages; i++)
			assert_memory_equal(&a->pages[i], &b->pages[i], sizeof(a->pages[i]));
	}
	assert_int_equal(got.nr_writes, 2);
	assert_memory_equal(&got.writes[0], &f->cap.writes[0], sizeof(got.writes[0]));
	assert_false(got.writes[1].present);
	capture_free(&got);
}

static void expect_load_error(const char *path, const char *what)
{
	struct capture got;
	char err[512] = "";

	assert_int_equal(capture_load(path, &got, err, sizeof(err)), -1);
	if (!strstr(err, what))
		fail_msg("loading %s: \"%s\" does not say \"%s\"", path, err, what);
	assert_int_equal(got.nr_procs, 0);
}

static void test_bad_files(void **state)
{
	struct fixture *f = *state;
	char err[512], path[160];
	sqlite3 *db;
	FILE *out;
	struct stat st;

	expect_load_error("/nonexistent/c.mmscap", "No such file");
	snprintf(path, sizeof(path), "%s/garbage", f->dir);
	out = fopen(path, "w");
	for (int i = 0; i < 1000; i++)
		fputs("not a database ", out);
	fclose(out);
	expect_load_error(path, "not an SQLite database");
	/* Truncated to half: the pages' b-tree ends in the middle. */
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	assert_int_equal(stat(f->path, &st), 0);
	snprintf(path, sizeof(path), "%s/half", f->dir);
	assert_int_equal(capture_save(&f->cap, path, NULL, err, sizeof(err)), 0);
	assert_int_equal(truncate(path, st.st_size / 2), 0);
	expect_load_error(path, "damaged");
	/* A newer schema. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	expect_load_error(f->path, "schema version 2 is newer");
	/* Another SQLite database. */
	snprintf(path, sizeof(path), "%s/other.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	expect_load_error(path, "not an mmsim capture");
	/* A fingerprint of the wrong size. */
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE pages SET fingerprint = x'00' WHERE pid = 101",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	expect_load_error(f->path, "16 bytes expected");
}

/* An interrupted save leaves neither the file nor a temporary one. */
static void test_interrupted_save(void **state)
{
	struct fixture *f = *state;
	volatile int stop = 1;
	char err[512];

	assert_int_equal(capture_save(&f->cap, f->path, &stop, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "interrupted"));
	assert_int_equal(files_in(f->dir), 0);
	/* Nor does it damage a complete file already there. */
	assert_int_equal(capture_save(&f->cap, f->path, NULL, err, sizeof(err)), 0);
	assert_int_equal(capture_save(&f->cap, f->path, &stop, err, sizeof(err)), -1);
	assert_int_equal(files_in(f->dir), 1);
	expect_load_error("/nonexistent", "No such");
}

static void test_replay(void **state)
{
	struct fixture *f = *state;
	struct replay_opts o = { .verify = true };
	struct replay r;
	unsigned char buf[4096], want[4096];
	uint64_t pa = 0, ca = 0, count = 0;
	int order = -1;
	char err[512];
	FILE *devnull = fopen("/dev/null", "w");

	assert_int_equal(replay_build(&f->cap, &o, &r, err, sizeof(err)), 0);
	assert_int_equal(r.rep.procs, 2);
	assert_int_equal(r.rep.forked, 1);
	assert_int_equal(r.rep.fork_shared, 1);
	assert_int_equal(r.rep.zero_pages, 1);
	assert_int_equal(r.rep.order_missed, 0);
	assert_int_equal(r.rep.other_shared, 0);
	/* A: one frame in both, by fork. */
	OK(r.sim, mmsim_pagemap(r.sim, r.sim_pid[0], A, &pa));
	OK(r.sim, mmsim_pagemap(r.sim, r.sim_pid[1], A, &ca));
	assert_true(pa & MMSIM_PM_PRESENT);
	assert_int_equal(pa & MMSIM_PM_PFN_MASK, ca & MMSIM_PM_PFN_MASK);
	OK(r.sim, mmsim_kpagecount(r.sim, pa & MMSIM_PM_PFN_MASK, &count));
	assert_int_equal(count, 2);
	/* B: a PMD-mapped THP, page by page the captured contents. */
	OK(r.sim, mmsim_folio_order(r.sim, r.sim_pid[0], B + 5 * 4096, &order));
	assert_int_equal(order, 9);
	for (int i = 0; i < 512; i++) {
		OK(r.sim, mmsim_read(r.sim, r.sim_pid[0], B + i * 4096UL, buf, sizeof(buf)));
		replay_contents(&f->cap.procs[0].pages[1 + i].fp, want);
		assert_memory_equal(buf, want, sizeof(buf));
	}
	/* Equal fingerprints, equal contents; the child has no B. */
	OK(r.sim, mmsim_read(r.sim, r.sim_pid[0], B, want, sizeof(want)));
	OK(r.sim, mmsim_read(r.sim, r.sim_pid[0], B + 3 * 4096, buf, sizeof(buf)));
	assert_memory_equal(buf, want, sizeof(buf));
	assert_int_equal(mmsim_read(r.sim, r.sim_pid[1], B, buf, 1), -EFAULT);
	/* The zero page reads zeros. */
	OK(r.sim, mmsim_read(r.sim, r.sim_pid[0], Z, buf, sizeof(buf)));
	memset(want, 0, sizeof(want));
	assert_memory_equal(buf, want, sizeof(buf));
	assert_int_equal(replay_check(&f->cap, &r, devnull), 0);
	/* The time series: the parent's write breaks the sharing, the child's page goes. */
	OK(r.sim, replay_apply_write(&f->cap, &r, &f->cap.writes[0]));
	OK(r.sim, replay_apply_write(&f->cap, &r, &f->cap.writes[1]));
	OK(r.sim, mmsim_pagemap(r.sim, r.sim_pid[1], A, &ca));
	assert_false(ca & MMSIM_PM_PRESENT);
	OK(r.sim, mmsim_read(r.sim, r.sim_pid[0], A, buf, sizeof(buf)));
	replay_contents(&f->cap.writes[0].fp, want);
	assert_memory_equal(buf, want, sizeof(buf));
	/* Now the capture's kpagecount of A (2) is no longer the replay's. */
	assert_int_not_equal(replay_check(&f->cap, &r, devnull), 0);
	fclose(devnull);
	replay_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_save, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
