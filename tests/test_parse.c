// SPDX-License-Identifier: MIT
/*
 * The scenario parser (cli/parse.c): every command and query of the spec is
 * accepted in its documented forms, every malformed line is refused with
 * "FILE:LINE: message" naming what was expected, and no input crashes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mmsim/mmsim.h>

#include "scenario.h"

static char err[512];

static struct scenario parse_ok(const char *text)
{
	struct scenario scn;

	if (scenario_parse_text("t.mms", text, &scn, err, sizeof(err)))
		fail_msg("refused: %s\n%s", err, text);
	return scn;
}

/* The text is refused at that line with a message containing every word. */
static void parse_bad(const char *text, int line, const char *want)
{
	struct scenario scn;
	char prefix[32];

	if (!scenario_parse_text("t.mms", text, &scn, err, sizeof(err))) {
		scenario_free(&scn);
		fail_msg("accepted: %s", text);
	}
	snprintf(prefix, sizeof(prefix), "t.mms:%d: ", line);
	if (strncmp(err, prefix, strlen(prefix)))
		fail_msg("'%s': message '%s' does not start with '%s'", text, err, prefix);
	if (!strstr(err, want))
		fail_msg("'%s': message '%s' does not say '%s'", text, err, want);
}

static void test_every_command(void **state)
{
	struct scenario scn;

	(void)state;
	scn = parse_ok(
		"# a comment line\n"
		"\n"
		"kernel 6.18\n"
		"seed 0x2a\n"
		"thp 64K always   # trailing comment\n"
		"thp top madvise\n"
		"ksm pages_to_scan=1000 max_page_sharing=2\n"
		"proc A\n"
		"fork A B_2\n"
		"mmap A 0x100000000000 2M\n"
		"mmap A 0x100000200000 4096 r\n"
		"mmap A 0x100000400000 4K none\n"
		"munmap A 0x100000000000 4K\n"
		"mprotect A 0x100000000000 8K rw\n"
		"mremap A 0x100000000000 64K 0x100001000000\n"
		"madvise A 0x100000000000 2M hugepage\n"
		"prctl A merge on\n"
		"write A 0x100000000000 4K byte=255\n"
		"write A 0x100000000000 4K pattern=0xdeadbeef\n"
		"write A 0x100000000000 4K unique\n"
		"write A 0x100000000000 4K zero\n"
		"poke A 0x100000000123 7\n"
		"read A 0x100000000000 8K\n"
		"ksm scan\n"
		"ksm scan 3\n"
		"ksm unmerge\n"
		"expect ksm.pages_sharing == 3\n"
		"expect ksm_stat A ksm_merge_any == yes\n"
		"expect smaps A AnonHugePages >= 2048\n"
		"expect kpagecount A 0x100000000000 != 2\n"
		"expect kpageflags A 0x100000000000 THP == no\n"
		"expect present A 0x100000000000 == yes\n"
		"expect exclusive B_2 0x100000000000 != yes\n"
		"expect same_frame A 0x100000000000 B_2 0x100000000000 == yes\n"
		"expect folio_order A 0x100000000000 == -1\n"
		"expect byte A 0x100000000001 < 256\n"
		"probe folio.mapcount A 0x100000000000\n"
		"expect truth.shared A 0x100000000000 == no\n"
		"scheme tuples\n"
		"ksm skip=batch\n"
		"show ksm\n"
		"show vmas A\n"
		"show folio A 0x100000000000\n"
		"show ptes A 0x100000000000 64K\n"
		"exit B_2\n"
		"memory 64G\n");
	assert_int_equal(scn.nr_cmds, 44);
	assert_int_equal(scn.nr_procs, 2);
	assert_int_equal(scn.cmds[0].kind, CMD_KERNEL);
	assert_int_equal(scn.cmds[0].line, 3);
	assert_int_equal(scn.cmds[1].n, 42);
	assert_int_equal(scn.cmds[2].thp_size, 64UL << 10);
	assert_string_equal(scn.cmds[2].text, "thp 64K always");
	assert_int_equal(scn.cmds[4].nr_ksm, 2);
	assert_int_equal(scn.cmds[4].ksm[1].value, 2);
	assert_int_equal(scn.cmds[7].len, 2UL << 20);
	assert_int_equal(scn.cmds[8].prot, PROT_R);
	assert_int_equal(scn.cmds[9].prot, PROT_NONE_);
	assert_int_equal(scn.cmds[12].addr2, 0x100001000000UL);
	assert_int_equal(scn.cmds[16].fill.value, 0xdeadbeef);
	assert_int_equal(scn.cmds[19].addr, 0x100000000123UL);
	assert_int_equal(scn.cmds[22].n, 3);
	assert_true(scn.cmds[25].q.yesno);
	assert_int_equal(scn.cmds[25].value, 1);
	assert_int_equal(scn.cmds[32].value, -1);
	assert_true(scn.cmds[34].q.sim_only);
	assert_int_equal(scn.cmds[34].kind, CMD_PROBE);
	assert_int_equal(scn.cmds[37].kind, CMD_KSM_SKIP);
	assert_int_equal(scn.cmds[37].n, 2);	/* MMSIM_KSM_SKIP_BATCH */
	assert_int_equal(scn.cmds[43].kind, CMD_MEMORY);
	assert_int_equal(scn.cmds[43].n, 64UL << 30);
	scenario_free(&scn);
}

/* The simulator's own KSM counters parse as simulator-only queries; the kernel's do not. */
static void test_ksm_simulator_counters(void **state)
{
	struct scenario scn;

	(void)state;
	scn = parse_ok("expect ksm.pages_jumped_other == 0\n"
		       "probe ksm.rmap_items_created\n"
		       "expect ksm.pages_scanned == 0\n"
		       "ksm skip=compound\n");
	assert_true(scn.cmds[0].q.sim_only);
	assert_string_equal(scn.cmds[0].q.name, "pages_jumped_other");
	assert_true(scn.cmds[1].q.sim_only);
	assert_false(scn.cmds[2].q.sim_only);
	assert_int_equal(scn.cmds[3].n, 1);	/* MMSIM_KSM_SKIP_COMPOUND */
	scenario_free(&scn);
	parse_bad("expect ksm.pages_leapt == 0", 1, "simulator only: pages_jumped");
}

static void test_malformed_lines(void **state)
{
	(void)state;
	parse_bad("frobnicate A", 1, "unknown command 'frobnicate'");
	parse_bad("memory", 1, "SIZE (such as 256M or 64G)");
	parse_bad("memory 12", 1, "a multiple of 4096 of at least 1M");
	parse_bad("memory 512K", 1, "a multiple of 4096 of at least 1M");
	parse_bad("memory lots", 1, "got 'lots'");
	parse_bad("proc A\n\nmmap A 0x100000000001 4K", 3, "not a multiple of 4096");
	parse_bad("mmap A 0x100000000000", 1, "P ADDR LEN");
	parse_bad("mmap A 0x100000000000 4K rwx", 1, "rw, r or none");
	parse_bad("mmap A 0x100000000000 4K rw reserve", 1, "expected noreserve");
	parse_bad("mmap A 0x100000000000 4K rw noreserve x", 1, "P ADDR LEN");
	parse_bad("mmap 1A 0x100000000000 4K", 1, "process name");
	parse_bad("mmap A 12qq 4K", 1, "expected ADDR");
	parse_bad("mmap A 0x100000000000 99999999999999999999999", 1, "LEN '99999999999999999999999' is too large");
	parse_bad("munmap A 0x100000000000", 1, "P ADDR LEN");
	parse_bad("mprotect A 0x100000000000 4K", 1, "rw|r|none");
	parse_bad("mprotect A 0x100000000000 4K x", 1, "rw, r or none");
	parse_bad("mremap A 0x100000000000 4K", 1, "P OLD LEN NEW");
	parse_bad("madvise A 0x100000000000 4K willneed", 1, "mergeable, unmergeable");
	parse_bad("prctl A merge maybe", 1, "on or off");
	parse_bad("prctl A split on", 1, "expected 'merge'");
	parse_bad("write A 0x100000000000 4K", 1, "P ADDR LEN FILL");
	parse_bad("write A 0x100000000000 4K byte=256", 1, "0 to 255");
	parse_bad("write A 0x100000000000 4K pattern=x", 1, "pattern=K");
	parse_bad("write A 0x100000000000 4K random", 1, "zero, byte=V, pattern=K or unique");
	parse_bad("poke A 0x100000000000 256", 1, "0..255");
	parse_bad("read A 0x100000000000", 1, "P ADDR LEN");
	parse_bad("thp 8K always", 1, "16K 32K 64K");
	parse_bad("thp 2M sometimes", 1, "always, madvise, inherit, never");
	parse_bad("thp top inherit", 1, "not inherit");
	parse_bad("ksm pages_to_scan", 1, "KEY=VALUE");
	parse_bad("ksm sleep_millisecs=5", 1, "unknown tunable 'sleep_millisecs'");
	parse_bad("ksm pages_to_scan=lots", 1, "takes a number");
	parse_bad("ksm scan x", 1, "expected N");
	parse_bad("ksm skip=sometimes", 1, "none, compound or batch");
	parse_bad("kernel 5.10", 1, "expected VERSION (6.18, 7.3, 6.12, 6.1), got '5.10'");
	parse_bad("seed", 1, "seed takes N");
	parse_bad("fork A", 1, "P C");
	parse_bad("expect", 1, "missing query");
	parse_bad("expect ksm.pages_frobbed == 1", 1, "unknown KSM counter");
	parse_bad("expect wibble A 0x100000000000 == 1", 1, "unknown query 'wibble'");
	parse_bad("expect kpagecount A 0x100000000000", 1, "missing comparison");
	parse_bad("expect kpagecount A 0x100000000000 =~ 1", 1, "== != < <= > >=");
	parse_bad("expect kpagecount A 0x100000000000 ==", 1, "missing the expected value");
	parse_bad("expect kpagecount A 0x100000000000 == one", 1, "expected a number");
	parse_bad("expect kpagecount A 0x100000000000 == 1 2", 1, "unexpected '2'");
	parse_bad("expect present A 0x100000000000 == 1", 1, "yes or no");
	parse_bad("expect present A 0x100000000000 < yes", 1, "takes == or !=");
	parse_bad("expect smaps A Size == 4", 1, "Rss, Pss");
	parse_bad("expect ksm_stat A pages == 4", 1, "ksm_rmap_items");
	parse_bad("expect kpageflags A 0x100000000000 LRU == yes", 1, "ANON, KSM, THP");
	parse_bad("expect same_frame A 0x100000000000 B == yes", 1, "expected ADDR");
	parse_bad("probe present A 0x100000000000 == yes", 1, "after the query");
	parse_bad("scheme perfect", 1, "linux, legacy, large");
	parse_bad("show everything", 1, "ksm, vmas P");
	parse_bad("show ptes A 0x100000000000", 1, "show ptes P ADDR LEN");
	parse_bad("a b c d e f g h i j k l m n o p q r", 1, "too many words");
}

/* Random bytes and random recombinations of real tokens: refused or accepted, never a crash. */
static void test_garbage_never_crashes(void **state)
{
	static const char *const words[] = { "proc", "A", "mmap", "0x100000000000", "4K", "expect",
		"==", "yes", "ksm", "scan", "kpagecount", "write", "byte=3", "#", "-1", "0x", "2M",
		"thp", "top", "smaps", "Rss", "=", "fork", "B", "\t", "probe", "show", "ptes" };
	uint64_t x = 12345;
	char text[512];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		struct scenario scn;
		size_t n = 0;

		while (n < sizeof(text) - 40) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			if ((x >> 60) < 3) {
				text[n++] = (char)((x >> 40) % 255 + 1);	/* any byte but NUL */
			} else {
				const char *w = words[(x >> 33) % (sizeof(words) / sizeof(words[0]))];

				n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%c", w,
						      (x >> 20) % 5 ? ' ' : '\n');
			}
			if ((x >> 50) % 64 == 0)
				break;
		}
		text[n] = '\0';
		if (!scenario_parse_text("fuzz.mms", text, &scn, err, sizeof(err)))
			scenario_free(&scn);
		else
			assert_true(strncmp(err, "fuzz.mms:", 9) == 0);
	}
}

/* The longest KSM tunable name survives whole (it was once cut at 31 characters). */
static void test_long_ksm_key(void **state)
{
	struct scenario scn = parse_ok("ksm stable_node_chains_prune_millisecs=500\n");

	(void)state;
	assert_string_equal(scn.cmds[0].ksm[0].key, "stable_node_chains_prune_millisecs");
	assert_int_equal(scn.cmds[0].ksm[0].value, 500);
	scenario_free(&scn);
}

/* Seed 003: `ksm rmap_walk=VARIANT` and the rmap.* queries, all simulator-only. */
static void test_ksm_rmap_walk(void **state)
{
	struct scenario scn;

	(void)state;
	scn = parse_ok("ksm rmap_walk=full\n"
		       "ksm rmap_walk=remapped\n"
		       "proc A\n"
		       "expect rmap.reaches A 0x100000000000 == no\n"
		       "expect rmap.mappings A 0x100000000000 >= 2\n");
	assert_int_equal(scn.cmds[0].kind, CMD_KSM_RMAP_WALK);
	assert_int_equal(scn.cmds[0].n, MMSIM_KSM_RMAP_WALK_FULL);
	assert_int_equal(scn.cmds[1].n, MMSIM_KSM_RMAP_WALK_REMAPPED);
	assert_int_equal(scn.cmds[3].q.kind, Q_RMAP_REACHES);
	assert_true(scn.cmds[3].q.yesno && scn.cmds[3].q.sim_only);
	assert_int_equal(scn.cmds[3].value, 0);
	assert_int_equal(scn.cmds[4].q.kind, Q_RMAP_MAPPINGS);
	assert_true(!scn.cmds[4].q.yesno && scn.cmds[4].q.sim_only);
	scenario_free(&scn);

	parse_bad("ksm rmap_walk=narrow", 1, "full, address, pgoff or remapped");
	parse_bad("ksm rmap_walk=", 1, "full, address, pgoff or remapped");
	parse_bad("ksm rmap_walk=pgoff smart_scan=0", 1, "nothing after 'rmap_walk=VARIANT'");
	parse_bad("ksm smart_scan=0 rmap_walk=pgoff", 1, "simulator-only");
	parse_bad("expect rmap.reaches A 0x100000000000 == 1", 1, "yes or no");
	parse_bad("expect rmap.mappings A == 1", 1, "expected ADDR");
}

/* The selftests' additions: mmap ... noreserve, madvise populate_*, mremap ... dontunmap. */
static void test_selftest_additions(void **state)
{
	struct scenario scn;

	(void)state;
	scn = parse_ok("proc A\n"
		       "mmap A 0x100000000000 8K rw noreserve\n"
		       "mmap A 0x100000002000 8K r\n"
		       "madvise A 0x100000000000 8K populate_read\n"
		       "madvise A 0x100000000000 8K populate_write\n"
		       "mremap A 0x100000000000 8K 0x100000100000 dontunmap\n"
		       "mremap A 0x100000100000 8K 0x100000000000\n"
		       "prctl A thp_disable except_advised\n"
		       "prctl A merge on\n");
	assert_true(scn.cmds[1].noreserve);
	assert_int_equal(scn.cmds[1].prot, PROT_RW);
	assert_false(scn.cmds[2].noreserve);
	assert_int_equal(scn.cmds[3].advice, ADV_POPULATE_READ);
	assert_int_equal(scn.cmds[4].advice, ADV_POPULATE_WRITE);
	assert_true(scn.cmds[5].dontunmap);
	assert_false(scn.cmds[6].dontunmap);
	assert_true(scn.cmds[7].thp_prctl);
	assert_int_equal(scn.cmds[7].n, 3);
	assert_false(scn.cmds[8].thp_prctl);
	scenario_free(&scn);
	parse_bad("madvise A 0x100000000000 4K populate", 1, "populate_read, populate_write, collapse, dontfork");
	parse_bad("mremap A 0x100000000000 4K 0x100000100000 keep", 1, "expected dontunmap");
	parse_bad("prctl A thp_disable maybe", 1, "on, off or except_advised");
}

/*
 * Swap and seed 004: madvise pageout and the swapped, vma_start, vma_end
 * queries are kernel-readable; reclaim, anon_pgoff, vma.pgoff and
 * folio.index are simulator-only.
 */
static void test_swap_and_anon_pgoff(void **state)
{
	struct scenario scn;

	(void)state;
	scn = parse_ok("anon_pgoff zero\n"
		       "proc A\n"
		       "madvise A 0x100000000000 8K pageout\n"
		       "reclaim A 0x100000000000 4K\n"
		       "expect swapped A 0x100000000000 == yes\n"
		       "expect vma_start A 0x100000001000 == 0x100000000000\n"
		       "expect vma_end A 0x100000001000 == 0x100000002000\n"
		       "expect vma.pgoff A 0x100000001000 == 0\n"
		       "expect folio.index A 0x100000001000 == -1\n"
		       "expect smaps A Swap == 8\n");
	assert_int_equal(scn.cmds[0].kind, CMD_ANON_PGOFF);
	assert_int_equal(scn.cmds[0].n, MMSIM_ANON_PGOFF_ZERO);
	assert_int_equal(scn.cmds[2].kind, CMD_MADVISE);
	assert_int_equal(scn.cmds[2].advice, ADV_PAGEOUT);
	assert_int_equal(scn.cmds[3].kind, CMD_RECLAIM);
	assert_int_equal(scn.cmds[3].len, 4096);
	assert_int_equal(scn.cmds[4].q.kind, Q_SWAPPED);
	assert_true(scn.cmds[4].q.yesno && !scn.cmds[4].q.sim_only);
	assert_int_equal(scn.cmds[5].q.kind, Q_VMA_START);
	assert_int_equal(scn.cmds[5].value, 0x100000000000LL);
	assert_true(!scn.cmds[5].q.yesno && !scn.cmds[5].q.sim_only);
	assert_int_equal(scn.cmds[6].q.kind, Q_VMA_END);
	assert_false(scn.cmds[6].q.sim_only);
	assert_int_equal(scn.cmds[7].q.kind, Q_VMA_PGOFF);
	assert_true(scn.cmds[7].q.sim_only);
	assert_int_equal(scn.cmds[8].q.kind, Q_FOLIO_INDEX);
	assert_true(scn.cmds[8].q.sim_only);
	assert_int_equal(scn.cmds[8].value, -1);
	assert_int_equal(scn.cmds[9].q.kind, Q_SMAPS);
	scenario_free(&scn);

	parse_bad("anon_pgoff one", 1, "kernel or zero");
	parse_bad("anon_pgoff", 1, "kernel|zero");
	parse_bad("reclaim A 0x100000000000", 1, "P ADDR LEN");
	parse_bad("madvise A 0x100000000000 4K swapout", 1, "pageout");
	parse_bad("expect swapped A 0x100000000000 == 2", 1, "yes or no");
}

static void test_fill_contents(void **state)
{
	struct scn_fill_spec f = { FILL_UNIQUE, 0 };
	uint8_t page[4096];

	(void)state;
	/* splitmix64(1 + 0*512 + 0), little-endian in word 0. */
	scn_fill_page(&f, 1, 0, page);
	assert_int_equal(page[0], scn_splitmix64(1) & 0xff);
	assert_int_equal(page[8], scn_splitmix64(2) & 0xff);
	scn_fill_page(&f, 1, 1, page);
	assert_int_equal(page[0], scn_splitmix64(513) & 0xff);
	/* The reference value of splitmix64 for 0 (Vigna's generator). */
	assert_true(scn_splitmix64(0) == 0xe220a8397b1dcdafULL);
	f = (struct scn_fill_spec){ FILL_PATTERN, 0x0102030405060708ULL };
	scn_fill_page(&f, 1, 0, page);
	assert_int_equal(page[0], 0x08);
	assert_int_equal(page[4095], 0x01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_ksm_simulator_counters),
		cmocka_unit_test(test_garbage_never_crashes),
		cmocka_unit_test(test_long_ksm_key),
		cmocka_unit_test(test_ksm_rmap_walk),
		cmocka_unit_test(test_swap_and_anon_pgoff),
		cmocka_unit_test(test_selftest_additions),
		cmocka_unit_test(test_fill_contents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
