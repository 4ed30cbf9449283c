// SPDX-License-Identifier: MIT
/*
 * mmsim sweep's grid: parsing (each bad grid names its line and what was
 * wrong), expansion into jobs (order, substitution, keys, inputs, programs),
 * the JSON paths that pick a job's metrics, and the collection of a made-up
 * output directory (every outcome, CSV quoting, default metrics).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "sweep.h"

struct fixture {
	char dir[64];
	char grid[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/mmsim-sweep-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->grid, sizeof(f->grid), "%s/grid.ini", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *out = fopen(path, "w");

	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
}

/* Loads TEXT as a grid; expects failure with an error containing WANT. */
static void expect_error(struct fixture *f, const char *text, const char *want)
{
	struct sweep_grid g;
	struct sweep_job *jobs = NULL;
	char err[512];
	int nr, ret;

	write_file(f->grid, text);
	ret = sweep_grid_load(f->grid, &g, err, sizeof(err));
	if (!ret) {
		ret = sweep_expand(&g, "/usr/bin/mmsim", &jobs, &nr, err, sizeof(err));
		assert_null(jobs);
	}
	sweep_grid_free(&g);
	assert_int_not_equal(ret, 0);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	assert_non_null(strstr(err, f->grid));
}

static void test_bad_grids(void **state)
{
	struct fixture *f = *state;

	expect_error(f, "[sweep]\ncommand = run {a}\n[params]\na = 1\n[oops]\nx = 1\n",
		     ":5: unknown section [oops]");
	expect_error(f, "[sweep]\ncommand = run {a}\ncolour = blue\n[params]\na = 1\n",
		     ":3: unknown key 'colour' in [sweep]");
	expect_error(f, "[sweep]\ncommand = run {a} {b}\n[params]\na = 1\n",
		     "command uses {b}, which no parameter");
	expect_error(f, "[sweep]\ncommand = run {a}\n[params]\na = 1\nb = 2 3\n",
		     ":5: parameter 'b' is not used by the command");
	expect_error(f, "[sweep]\ncommand = run {a\n[params]\na = 1\n", "opens a {");
	expect_error(f, "[sweep]\ncommand = run {a}\nok_exit = 0 x\n[params]\na = 1\n",
		     ":3: 'x' is not an exit status");
	expect_error(f, "[sweep]\ncommand = run {a}\ntimeout = -3\n[params]\na = 1\n",
		     ":3: timeout must be a whole number");
	expect_error(f, "[sweep]\ncommand = run {a}\n[params]\na = 1\n[metrics]\na = passed\n",
		     ":6: metric 'a' is named twice, or like a parameter");
	expect_error(f, "[sweep]\ncommand = run {outcome}\n[params]\noutcome = 1\n",
		     ":4: parameter name 'outcome' is taken");
	expect_error(f, "[sweep]\ncommand = run {a-b}\n[params]\na-b = 1\n",
		     ":4: parameter name 'a-b' is not an identifier");
	expect_error(f, "[params]\na = 1\n", "no [sweep] command");
	expect_error(f, "[sweep]\ncommand = run {a}\nthis is not ini\n", ":3: not a line of INI");
	expect_error(f, "[sweep]\ncommand = run {a}\n[params]\na = 1 2 1\n",
		     "jobs 0 and 2 run the same command");
	expect_error(f, "[sweep]\ncommand = run {input}\ninputs = nothing-*.mms\n",
		     "inputs: 'nothing-*.mms' matches no file");
	expect_error(f, "[sweep]\ncommand = bench nosuch --json {json}\n",
		     "no benchmark mmsim-bench-nosuch");
}

static void test_expand_order_and_substitution(void **state)
{
	struct fixture *f = *state;
	struct sweep_grid g;
	struct sweep_job *jobs;
	char err[512];
	int nr;

	write_file(f->grid, "# a comment\n[sweep]\nname = t\n"
		   "command = run --scheme {scheme} --size={size}M x{size}y\n"
		   "ok_exit = 0 1\n[params]\nscheme = linux legacy\n  tuples\nsize = 8 16\n");
	assert_int_equal(sweep_grid_load(f->grid, &g, err, sizeof(err)), 0);
	assert_string_equal(g.name, "t");
	assert_int_equal(g.nr_ok_exit, 2);
	assert_int_equal(g.nr_params, 2);
	assert_int_equal(g.params[0].nr, 3);	/* the continuation line adds tuples */
	assert_int_equal(sweep_expand(&g, "/opt/mmsim", &jobs, &nr, err, sizeof(err)), 0);
	assert_int_equal(nr, 6);
	/* The first parameter varies slowest. */
	assert_string_equal(jobs[0].values[0], "linux");
	assert_string_equal(jobs[0].values[1], "8");
	assert_string_equal(jobs[1].values[0], "linux");
	assert_string_equal(jobs[1].values[1], "16");
	assert_string_equal(jobs[5].values[0], "tuples");
	assert_string_equal(jobs[5].values[1], "16");
	assert_int_equal(jobs[3].argc, 6);
	assert_string_equal(jobs[3].argv[0], "/opt/mmsim");
	assert_string_equal(jobs[3].argv[1], "run");
	assert_string_equal(jobs[3].argv[3], "legacy");
	assert_string_equal(jobs[3].argv[4], "--size=16M");
	assert_string_equal(jobs[3].argv[5], "x16y");
	assert_null(jobs[3].argv[6]);
	for (int i = 0; i < nr; i++) {
		assert_int_equal(jobs[i].index, i);
		assert_int_equal(strlen(jobs[i].key), 16);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(jobs[i].key, jobs[k].key);
	}
	assert_false(sweep_json_to_file(&g));
	sweep_jobs_free(jobs, nr);
	sweep_grid_free(&g);
}

/* One word may hold several placeholders; {json} stays for exec to fill. */
static void test_expand_word_with_two_placeholders(void **state)
{
	struct fixture *f = *state;
	struct sweep_grid g;
	struct sweep_job *jobs;
	char err[512];
	int nr;

	write_file(f->grid, "[sweep]\ncommand = run {size}/{size}{json}\n[params]\nsize = 8\n");
	assert_int_equal(sweep_grid_load(f->grid, &g, err, sizeof(err)), 0);
	assert_int_equal(sweep_expand(&g, "/opt/mmsim", &jobs, &nr, err, sizeof(err)), 0);
	assert_string_equal(jobs[0].argv[2], "8/8{json}");
	assert_true(sweep_json_to_file(&g));
	sweep_jobs_free(jobs, nr);
	sweep_grid_free(&g);
}

/* Keys hash the command without its program's path: a moved build resumes. */
static void test_keys_stable(void **state)
{
	struct fixture *f = *state;
	struct sweep_grid g;
	struct sweep_job *a, *b;
	char err[512];
	int na, nb;

	write_file(f->grid, "[sweep]\ncommand = run {x}\n[params]\nx = 1 2 3\n");
	assert_int_equal(sweep_grid_load(f->grid, &g, err, sizeof(err)), 0);
	assert_int_equal(sweep_expand(&g, "/a/mmsim", &a, &na, err, sizeof(err)), 0);
	assert_int_equal(sweep_expand(&g, "/b/c/mmsim", &b, &nb, err, sizeof(err)), 0);
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++)
		assert_string_equal(a[i].key, b[i].key);
	sweep_jobs_free(a, na);
	sweep_jobs_free(b, nb);
	sweep_grid_free(&g);
	/* A value added to the grid leaves the other cells' keys as they were. */
	write_file(f->grid, "[sweep]\ncommand = run {x}\n[params]\nx = 0 1 2 3\n");
	assert_int_equal(sweep_grid_load(f->grid, &g, err, sizeof(err)), 0);
	assert_int_equal(sweep_expand(&g, "/a/mmsim", &b, &nb, err, sizeof(err)), 0);
	assert_int_equal(nb, 4);
	write_file(f->grid, "[sweep]\ncommand = run {x}\n[params]\nx = 1 2 3\n");
	{
		struct sweep_grid g2;

		assert_int_equal(sweep_grid_load(f->grid, &g2, err, sizeof(err)), 0);
		assert_int_equal(sweep_expand(&g2, "/a/mmsim", &a, &na, err, sizeof(err)), 0);
		for (int i = 0; i < na; i++)
			assert_string_equal(a[i].key, b[i + 1].key);
		sweep_jobs_free(a, na);
		sweep_grid_free(&g2);
	}
	sweep_jobs_free(b, nb);
	sweep_grid_free(&g);
}

static void touch(const char *dir, const char *name, mode_t mode)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, "#!/bin/sh\n");
	assert_int_equal(chmod(path, mode), 0);
}

/* Inputs: globs relative to the grid's directory, sorted, named by base name. */
static void test_inputs(void **state)
{
	struct fixture *f = *state;
	struct sweep_grid g;
	struct sweep_job *jobs;
	char err[512], sub[128], want[256];
	int nr;

	snprintf(sub, sizeof(sub), "%s/in", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	touch(sub, "b.mms", 0644);
	touch(sub, "a.mms", 0644);
	touch(sub, "c.txt", 0644);
	write_file(f->grid, "[sweep]\ncommand = run --scheme {s} {input}\n"
		   "inputs = in/*.mms\n[params]\ns = linux tuples\n");
	assert_int_equal(sweep_grid_load(f->grid, &g, err, sizeof(err)), 0);
	assert_int_equal(sweep_expand(&g, "/opt/mmsim", &jobs, &nr, err, sizeof(err)), 0);
	assert_int_equal(nr, 4);
	assert_string_equal(g.params[0].name, "input");
	assert_string_equal(jobs[0].values[0], "a");
	assert_string_equal(jobs[0].values[1], "linux");
	assert_string_equal(jobs[1].values[0], "a");
	assert_string_equal(jobs[1].values[1], "tuples");
	assert_string_equal(jobs[2].values[0], "b");
	snprintf(want, sizeof(want), "%s/b.mms", sub);
	assert_string_equal(jobs[3].argv[4], want);
	sweep_jobs_free(jobs, nr);
	sweep_grid_free(&g);
}

/* bench NAME: mmsim-bench-NAME beside mmsim or in ../bench; exec PROG relative to the grid. */
static void test_programs(void **state)
{
	struct fixture *f = *state;
	struct sweep_grid g;
	struct sweep_job *jobs;
	char err[512], d[128], mmsim[192], want[256];
	int nr;

	snprintf(d, sizeof(d), "%s/cli", f->dir);
	assert_int_equal(mkdir(d, 0755), 0);
	touch(d, "mmsim", 0755);
	snprintf(mmsim, sizeof(mmsim), "%s/mmsim", d);
	snprintf(d, sizeof(d), "%s/bench", f->dir);
	assert_int_equal(mkdir(d, 0755), 0);
	touch(d, "mmsim-bench-core", 0755);
	write_file(f->grid, "[sweep]\ncommand = bench core --size {n} --json {json}\n"
		   "[params]\nn = 1\n");
	assert_int_equal(sweep_grid_load(f->grid, &g, err, sizeof(err)), 0);
	assert_int_equal(sweep_expand(&g, mmsim, &jobs, &nr, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/cli/../bench/mmsim-bench-core", f->dir);
	assert_string_equal(jobs[0].argv[0], want);
	assert_string_equal(jobs[0].argv[1], "--size");
	sweep_jobs_free(jobs, nr);
	sweep_grid_free(&g);

	write_file(f->grid, "[sweep]\ncommand = exec tools/x.sh {n}\n[params]\nn = 1\n");
	assert_int_equal(sweep_grid_load(f->grid, &g, err, sizeof(err)), 0);
	assert_int_equal(sweep_expand(&g, mmsim, &jobs, &nr, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/tools/x.sh", f->dir);
	assert_string_equal(jobs[0].argv[0], want);
	sweep_jobs_free(jobs, nr);
	sweep_grid_free(&g);
}

static void expect_path(const cJSON *doc, const char *path, bool found, const char *want)
{
	char out[128];

	assert_int_equal(sweep_json_path(doc, path, out, sizeof(out)), found);
	if (found)
		assert_string_equal(out, want);
}

static void test_json_paths(void **state)
{
	cJSON *doc = cJSON_Parse(
		"[{\"file\": \"x.mms\", \"passed\": 3, \"bail_out\": null, \"ok\": true,"
		" \"ratio\": 0.25, \"results\": [{\"line\": 8, \"value\": 2},"
		" {\"line\": 9, \"value\": \"no\"}],"
		" \"schemes\": [{\"name\": \"linux\", \"ns\": {\"4k\": {\"fault\": 15.5}}}]}]");

	(void)state;
	assert_non_null(doc);
	expect_path(doc, "passed", true, "3");		/* a one-element array is entered */
	expect_path(doc, "file", true, "x.mms");
	expect_path(doc, "bail_out", true, "");
	expect_path(doc, "ok", true, "1");
	expect_path(doc, "ratio", true, "0.25");
	expect_path(doc, "results.1.value", true, "no");
	expect_path(doc, "results.line=8.value", true, "2");
	expect_path(doc, "results.line=10.value", false, "");
	expect_path(doc, "schemes.name=linux.ns.4k.fault", true, "15.5");
	expect_path(doc, "schemes.0.ns.4k.fault", true, "15.5");
	expect_path(doc, "results", false, "");		/* not a scalar */
	expect_path(doc, "missing", false, "");
	cJSON_Delete(doc);
}

static void write_job(const char *dir, int n, const char *meta, const char *out, const char *err)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/jobs/%016x", dir, n);
	assert_int_equal(mkdir(path, 0755), 0);
	if (meta) {
		snprintf(path, sizeof(path), "%s/jobs/%016x/meta.json", dir, n);
		write_file(path, meta);
	}
	snprintf(path, sizeof(path), "%s/jobs/%016x/stdout", dir, n);
	write_file(path, out);
	snprintf(path, sizeof(path), "%s/jobs/%016x/stderr", dir, n);
	write_file(path, err);
}

static char *slurp(const char *path)
{
	static const size_t max = 1 << 16;
	FILE *in = fopen(path, "r");
	char *buf = calloc(1, max);

	assert_non_null(in);
	assert_true(fread(buf, 1, max - 1, in) < max - 1);
	fclose(in);
	return buf;
}

#define META(exit, sig, timeout) "{\"exit_status\": " #exit ", \"signal\": " #sig \
	", \"timed_out\": " #timeout ", \"started\": \"2026-01-02T03:04:05Z\", " \
	"\"seconds\": 1.5, \"host\": \"h\", \"version\": \"9.9\"}"

/* Every outcome the table knows, made up in a directory, and the CSV it gives. */
static void test_collect(void **state)
{
	struct fixture *f = *state;
	char path[256], *csv;

	snprintf(path, sizeof(path), "%s/jobs", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_file(f->grid, "[sweep]\ncommand = exec ./x {n}\nok_exit = 0 1\n"
		   "[params]\nn = 1 2 3 4 5 6 7\n");
	snprintf(path, sizeof(path), "%s/jobs.tsv", f->dir);
	write_file(path, "job\tkey\tn\n"
		   "0\t0000000000000001\t1\n1\t0000000000000002\t2\n2\t0000000000000003\t3\n"
		   "3\t0000000000000004\t4\n4\t0000000000000005\t5\n5\t0000000000000006\t6\n"
		   "6\t0000000000000007\t7\n");
	write_job(f->dir, 1, META(0, 0, false), "[{\"a\": 1, \"s\": \"x,\\\"y\\\"\"}]", "");
	write_job(f->dir, 2, META(1, 0, false), "not json", "");
	write_job(f->dir, 3, META(2, 0, false), "", "bad thing\n");
	write_job(f->dir, 4, META(-1, 9, false), "", "");
	write_job(f->dir, 5, META(-1, 0, true), "", "");
	write_job(f->dir, 6, NULL, "", "");
	write_job(f->dir, 7, META(1, 0, false), "{\"a\": 0.25, \"t\": [1]}", "");
	assert_int_equal(sweep_collect(f->dir, true), 1);
	snprintf(path, sizeof(path), "%s/results.csv", f->dir);
	csv = slurp(path);
	assert_string_equal(csv,
		"job,key,n,outcome,exit_status,signal,seconds,started,host,version,a,s\n"
		"0,0000000000000001,1,ok,0,0,1.500,2026-01-02T03:04:05Z,h,9.9,1,\"x,\"\"y\"\"\"\n"
		"1,0000000000000002,2,bad json,1,0,1.500,2026-01-02T03:04:05Z,h,9.9,,\n"
		"2,0000000000000003,3,exit 2,2,0,1.500,2026-01-02T03:04:05Z,h,9.9,,\n"
		"3,0000000000000004,4,signal 9,-1,9,1.500,2026-01-02T03:04:05Z,h,9.9,,\n"
		"4,0000000000000005,5,timeout,-1,0,1.500,2026-01-02T03:04:05Z,h,9.9,,\n"
		"5,0000000000000006,6,missing,,,,,,,,\n"
		"6,0000000000000007,7,ok,1,0,1.500,2026-01-02T03:04:05Z,h,9.9,0.25,\n");
	free(csv);
	snprintf(path, sizeof(path), "%s/results.sqlite", f->dir);
	assert_int_equal(access(path, R_OK), 0);
	/* All ok: exit 0. */
	write_file(f->grid, "[sweep]\ncommand = exec ./x {n}\nok_exit = 0 1\n[params]\nn = 1\n");
	snprintf(path, sizeof(path), "%s/jobs.tsv", f->dir);
	write_file(path, "job\tkey\tn\n0\t0000000000000001\t1\n");
	assert_int_equal(sweep_collect(f->dir, true), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_grids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expand_order_and_substitution, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expand_word_with_two_placeholders, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keys_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_programs, setup, teardown),
		cmocka_unit_test(test_json_paths),
		cmocka_unit_test_setup_teardown(test_collect, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
