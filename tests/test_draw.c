// SPDX-License-Identifier: MIT
/*
 * lib/draw.c: the DOT of each view, checked node by node and edge by edge on
 * scenarios of tests/scenarios, whose expects are the live kernel's answers
 * (the mapcounts drawn must be those kpagecount gave); the same state gives
 * the same bytes; bad requests fail cleanly and change nothing.
 */
#define _GNU_SOURCE
#include "test_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

#ifndef MMSIM_SCENARIO_DIR
#error "tests/CMakeLists.txt defines MMSIM_SCENARIO_DIR"
#endif

/* Occurrences of needle in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The statement (one line) declaring node id, or NULL. */
static char *node_line(const char *dot, const char *id)
{
	char key[80];
	const char *p;

	snprintf(key, sizeof(key), "\n  %s [", id);
	p = strstr(dot, key);
	if (!p)
		return NULL;
	p++;
	return strndup(p, strcspn(p, "\n"));
}

/* Steps scenario name up to and including its command on line (0: all). */
static void open_at(struct stepper *st, const char *name, int line)
{
	char path[512], err[640];

	snprintf(path, sizeof(path), "%s/%s", MMSIM_SCENARIO_DIR, name);
	if (stepper_open(st, path, err, sizeof(err)))
		fail_msg("%s", err);
	while (st->next < st->scn.nr_cmds && (!line || st->scn.cmds[st->next].line <= line))
		if (stepper_step(st, err, sizeof(err)))
			fail_msg("%s", err);
	/* Every expect met on the way passed: the kernel's values are the model's. */
	for (int i = 0; i < st->report.nr; i++)
		if (st->report.results[i].cmd->kind == CMD_EXPECT)
			assert_true(st->report.results[i].passed);
}

static char *draw(struct stepper *st, enum mmsim_draw_view view, int slot, unsigned long addr)
{
	char *dot, err[640];

	if (sim_executor_draw(&st->ex, view, slot, addr, NULL, &dot, err, sizeof(err)))
		fail_msg("%s", err);
	return dot;
}

/* The folio node's id ("folio0x3fe00") that edges from pt reach, by the first one. */
static void folio_of_edge(const char *dot, const char *edge_from, char *id, size_t len)
{
	char key[80];
	const char *p;

	snprintf(key, sizeof(key), "  %s -> folio", edge_from);
	p = strstr(dot, key);
	assert_non_null(p);
	p += strlen(key) - strlen("folio");
	snprintf(id, len, "%.*s", (int)strcspn(p, ": ["), p);
}

/* The node that the edge with this label, from pt0x8 or pt0x4, goes to. */
static void edge_with_label(const char *dot, const char *label, char *id, size_t len)
{
	char *copy = strdup(dot), *save = NULL;
	bool found = false;

	for (char *l = strtok_r(copy, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
		if (!strstr(l, label))
			continue;
		assert_true(!strncmp(l, "  pt0x8 -> ", 11) || !strncmp(l, "  pt0x4 -> ", 11));
		snprintf(id, len, "%.*s", (int)strcspn(l + 11, " :"), l + 11);
		found = true;
	}
	free(copy);
	assert_true(found);
}

/*
 * fork of a PMD-mapped THP (fork-thp-child-write.mms, line 7): two mms, one
 * order-9 folio with all 512 pages at mapcount 2 (the scenario's expect
 * kpagecount C ... == 2), reached by one read-only PMD from each process.
 */
static void test_process_view_fork_of_thp(void **state)
{
	struct stepper st;
	char *dot, *line, folio[40], edge[64];

	(void)state;
	open_at(&st, "fork-thp-child-write.mms", 7);
	dot = draw(&st, MMSIM_DRAW_PROCESS, -1, 0);
	assert_int_equal(count(dot, "subgraph cluster_mm"), 2);
	assert_non_null(strstr(dot, "<B>P (pid 1)</B>"));
	assert_non_null(strstr(dot, "<B>C (pid 2)</B>"));
	/* Each mm: PGD -> PUD -> PMD tables, no PTE table: the THP is PMD-mapped. */
	assert_int_equal(count(dot, "label=\"PGD table"), 2);
	assert_int_equal(count(dot, "label=\"PMD table"), 2);
	assert_int_equal(count(dot, "label=\"PTE table"), 0);
	assert_int_equal(count(dot, "[label=\"[0] PMD ro\""), 2);
	/* Both PMDs reach the same folio, drawn once. */
	assert_int_equal(count(dot, "folio0x"), 3);
	folio_of_edge(dot, "pt0x3", folio, sizeof(folio));
	snprintf(edge, sizeof(edge), "-> %s:p0", folio);
	assert_int_equal(count(dot, edge), 2);
	line = node_line(dot, folio);
	assert_non_null(line);
	assert_non_null(strstr(line, "order 9, 2 MiB"));
	assert_non_null(strstr(line, "pages 0-511: mapcount 2<"));
	assert_non_null(strstr(line, "maybe mapped shared"));
	assert_null(strstr(line, "exclusive"));
	free(line);
	free(dot);
	stepper_close(&st);
}

/*
 * The child's write (line 9): the child's PMD is split into a PTE table whose
 * entries 0-4 and 6-511 still map the THP read-only and entry 5 a new
 * exclusive small folio; the parent's page 5 drops to mapcount 1 (expect
 * kpagecount P 0x100000005000 == 1), the others stay at 2.
 */
static void test_process_view_after_cow(void **state)
{
	struct stepper st;
	char *dot, *line, thp[40], small[40];

	(void)state;
	open_at(&st, "fork-thp-child-write.mms", 0);
	dot = draw(&st, MMSIM_DRAW_PROCESS, -1, 0);
	assert_int_equal(count(dot, "label=\"PTE table"), 1);
	assert_non_null(strstr(dot, "512 pages mapped"));
	folio_of_edge(dot, "pt0x3", thp, sizeof(thp));
	line = node_line(dot, thp);
	assert_non_null(strstr(line, "pages 0-4: mapcount 2<"));
	assert_non_null(strstr(line, "page 5: mapcount 1<"));
	assert_non_null(strstr(line, "pages 6-511: mapcount 2<"));
	free(line);
	assert_non_null(strstr(dot, "[label=\"[0-4] ro\\npages 0-4\", style=dashed]"));
	assert_non_null(strstr(dot, "[label=\"[6-511] ro\\npages 6-511\", style=dashed]"));
	/* Entry 5: writable, to a small folio of its own. */
	edge_with_label(dot, "[label=\"[5] rw\"]", small, sizeof(small));
	line = node_line(dot, small);
	assert_non_null(line);
	assert_non_null(strstr(line, "mapcount 1, exclusive"));
	assert_null(strstr(line, "order"));
	free(line);
	free(dot);
	stepper_close(&st);
}

/* The folio view: every mapping of the THP, and the scheme's counters beside the truth. */
static void test_folio_view(void **state)
{
	struct stepper st;
	char *dot;

	(void)state;
	open_at(&st, "fork-thp-child-write.mms", 0);
	dot = draw(&st, MMSIM_DRAW_FOLIO, 0, BASE);
	assert_int_equal(count(dot, "[shape=box, style=\"rounded,filled\", fillcolor=\"#fff8dc\""), 2);
	assert_int_equal(count(dot, "label=\"PMD 0x100000000000 ro\""), 1);
	assert_int_equal(count(dot, "label=\"PTE 0x100000000000 x5\\npages 0-4 ro\""), 1);
	assert_int_equal(count(dot, "label=\"PTE 0x100000006000 x506\\npages 6-511 ro\""), 1);
	/* 1 PMD + 511 PTEs, from 2 mms: what the linux scheme counts too. */
	assert_non_null(strstr(dot, "512 mappings, 1 by PMD, from 2 mms"));
	assert_non_null(strstr(dot, "scheme linux says folio_mapcount 512, maybe shared"));
	assert_non_null(strstr(dot, "_large_mapcount 512, _entire_mapcount 1"));
	free(dot);
	stepper_close(&st);
}

/* anon_vmas across three generations: a chain of parents up to one root. */
static void test_anon_vma_view(void **state)
{
	struct stepper st;
	char *dot;

	(void)state;
	open_at(&st, "fork-three-generations-thp.mms", 9);
	dot = draw(&st, MMSIM_DRAW_ANON_VMA, -1, 0);
	assert_int_equal(count(dot, "label=\"anon_vma #"), 3);
	assert_int_equal(count(dot, "(root)"), 1);
	assert_int_equal(count(dot, "[label=\"parent\""), 2);
	/* Each VMA's own anon_vma, plus the chains to its ancestors': 1 + 2 + 3 links. */
	assert_int_equal(count(dot, "[label=\"vma->anon_vma\""), 3);
	assert_int_equal(count(dot, "[label=\"avc\""), 3);
	free(dot);
	stepper_close(&st);
}

/*
 * KSM (ksm-chains.mms, line 17): max_page_sharing 4 turns 10 equal pages
 * into a chain of 3 dups and 6 empty ones into a chain of 2, as the
 * kernel's stable_node_chains 2 and stable_node_dups 5 said.
 */
static void test_ksm_view(void **state)
{
	struct stepper st;
	char *dot;

	(void)state;
	open_at(&st, "ksm-chains.mms", 17);
	dot = draw(&st, MMSIM_DRAW_KSM, -1, 0);
	assert_int_equal(count(dot, "label=\"stable node chain\\n3 dups\""), 1);
	assert_int_equal(count(dot, "label=\"stable node chain\\n2 dups\""), 1);
	assert_int_equal(count(dot, "label=\"dup\\nKSM page"), 5);
	assert_int_equal(count(dot, "[label=\"dup\"]"), 5);
	/* 16 pages scanned, all merged: 16 rmap_items hang off the dups. */
	assert_int_equal(count(dot, "[arrowhead=none]"), 16);
	assert_non_null(strstr(dot, "\\lpages_shared 5\\lpages_sharing 11\\l"));
	assert_non_null(strstr(dot, "\\lstable_node_chains 2\\lstable_node_dups 5\\l"));
	free(dot);
	stepper_close(&st);
}

/*
 * ksm-basic.mms after its first scan (line 10): 8 equal pages merged into one
 * KSM page (pages_shared 1, pages_sharing 7: 8 read-only PTEs drawn as one
 * edge to a KSM folio of mapcount 8), 8 unique pages left as one group.
 */
static void test_process_view_ksm(void **state)
{
	struct stepper st;
	char *dot, *line, ksm[40];

	(void)state;
	open_at(&st, "ksm-basic.mms", 21);
	dot = draw(&st, MMSIM_DRAW_PROCESS, -1, 0);
	edge_with_label(dot, "[label=\"[0-7] ro\", style=dashed]", ksm, sizeof(ksm));
	line = node_line(dot, ksm);
	assert_non_null(line);
	assert_non_null(strstr(line, "<B>KSM folio"));
	assert_non_null(strstr(line, "mapcount 8<"));
	free(line);
	assert_non_null(strstr(dot, "-> group0xd_8 [label=\"[8-15] rw\"]"));
	assert_non_null(strstr(dot, "<B>8 small folios</B>"));
	free(dot);
	stepper_close(&st);
}

/* Same input, same bytes: twice from one state, and from a second run. */
static void test_deterministic(void **state)
{
	static const char *const files[] = { "fork-thp-child-write.mms", "ksm-basic.mms",
					     "fork-three-generations-thp.mms" };

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		for (int v = 0; v < 4; v++) {
			struct stepper a, b;
			char *x, *y, *z;

			open_at(&a, files[f], 0);
			open_at(&b, files[f], 0);
			x = draw(&a, (enum mmsim_draw_view)v, v == MMSIM_DRAW_FOLIO ? 0 : -1, BASE);
			y = draw(&a, (enum mmsim_draw_view)v, v == MMSIM_DRAW_FOLIO ? 0 : -1, BASE);
			z = draw(&b, (enum mmsim_draw_view)v, v == MMSIM_DRAW_FOLIO ? 0 : -1, BASE);
			assert_string_equal(x, y);
			assert_string_equal(x, z);
			free(x);
			free(y);
			free(z);
			stepper_close(&a);
			stepper_close(&b);
		}
	}
}

/*
 * 64 MiB of small folios and 1 GiB of THPs, forked: summarised, so the
 * picture stays small; each PTE table's 512 alike small folios are one group.
 */
static void test_large_state_summarised(void **state)
{
	struct mmsim *sim = test_sim(1UL << 19);
	struct mmsim_draw o = { .view = MMSIM_DRAW_PROCESS };
	char *dot;
	size_t len;
	int pid, child;

	(void)state;
	OK(sim, mmsim_proc_create(sim, &pid));
	OK(sim, mmsim_mmap(sim, pid, BASE, 64 * SZ_1M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 64 * SZ_1M, 1));
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_1M * 1024, 1024 * SZ_1M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE + SZ_1M * 1024, 1024 * SZ_1M, 2));
	OK(sim, mmsim_fork(sim, pid, &child));
	OK(sim, mmsim_draw_dot(sim, &o, &dot, &len));
	assert_int_equal(strlen(dot), len);
	assert_true(len < 60000);
	assert_non_null(strstr(dot, "<B>512 small folios</B>"));
	assert_non_null(strstr(dot, "each: mapcount 2"));
	/* Each mm: 32 PTE tables, 8 drawn; 512 PMD leaves to THPs alike, one group. */
	assert_int_equal(count(dot, "label=\"and 24 more PTE tables\""), 2);
	assert_int_equal(count(dot, "[label=\"[0-511] PMD ro\", style=dashed, penwidth=2.5]"), 2);
	assert_non_null(strstr(dot, "<B>512 folios of 2 MiB (THPs)</B>"));
	assert_non_null(strstr(dot, "each page: mapcount 2<"));
	free(dot);
	o.max_items = 600;
	OK(sim, mmsim_draw_dot(sim, &o, &dot, &len));
	assert_null(strstr(dot, "more"));
	free(dot);
	mmsim_destroy(sim);
}

/* Bad requests: a negative errno and a reason, no text, the model untouched. */
static void test_bad_requests(void **state)
{
	struct mmsim *sim = test_sim(1UL << 12);
	struct mmsim_stats before, after;
	struct mmsim_draw o = { .view = MMSIM_DRAW_PROCESS };
	char *dot = (char *)1;
	size_t len = 7;
	int pid;

	(void)state;
	OK(sim, mmsim_proc_create(sim, &pid));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 3));
	mmsim_get_stats(sim, &before);
	o.view = (enum mmsim_draw_view)7;
	assert_int_equal(mmsim_draw_dot(sim, &o, &dot, &len), -EINVAL);
	assert_null(dot);
	assert_int_equal(len, 0);
	assert_non_null(strstr(mmsim_last_error(sim), "no view 7"));
	o = (struct mmsim_draw){ .view = MMSIM_DRAW_PROCESS, .pid = 99 };
	assert_int_equal(mmsim_draw_dot(sim, &o, &dot, NULL), -EINVAL);
	assert_non_null(strstr(mmsim_last_error(sim), "no process with pid 99"));
	o = (struct mmsim_draw){ .view = MMSIM_DRAW_FOLIO };
	assert_int_equal(mmsim_draw_dot(sim, &o, &dot, NULL), -EINVAL);
	o = (struct mmsim_draw){ .view = MMSIM_DRAW_FOLIO, .pid = pid, .addr = BASE + PAGE };
	assert_int_equal(mmsim_draw_dot(sim, &o, &dot, NULL), -ENOENT);
	assert_non_null(strstr(mmsim_last_error(sim), "nothing is mapped at 0x100000001000"));
	assert_null(dot);
	mmsim_fail_nth_alloc(sim, 0);
	mmsim_get_stats(sim, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	OK(sim, mmsim_verify(sim));
	/* A name that would break the label is escaped. */
	{
		const char *names[] = { NULL, "<b>&\"" };

		o = (struct mmsim_draw){ .view = MMSIM_DRAW_PROCESS, .names = names, .nr_names = 2 };
		OK(sim, mmsim_draw_dot(sim, &o, &dot, NULL));
		assert_non_null(strstr(dot, "&lt;b&gt;&amp;&quot; (pid 1)"));
		free(dot);
	}
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_process_view_fork_of_thp),
		cmocka_unit_test(test_process_view_after_cow),
		cmocka_unit_test(test_folio_view),
		cmocka_unit_test(test_anon_vma_view),
		cmocka_unit_test(test_ksm_view),
		cmocka_unit_test(test_process_view_ksm),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_large_state_summarised),
		cmocka_unit_test(test_bad_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
