// SPDX-License-Identifier: MIT
/*
 * Fuzz target: parse and run on the simulator, as `mmsim run` does, on a
 * small machine (FUZZ_MEMORY, or a `memory` line's SIZE up to
 * FUZZ_MEMORY_MAX) with the invariant checker after every command. A crash,
 * leak, undefined behaviour, or a Bail out! that says a model invariant broke
 * (EUCLEAN) is a finding; any other Bail out! is the scenario's own error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define FUZZ_MEMORY (4UL << 20)
/* `memory SIZE` above this is cut down to it: a fuzzer wants many small runs. */
#define FUZZ_MEMORY_MAX (16UL << 20)
/*
 * `ksm scan N` and `khugepaged scan N` together make at most this many passes,
 * the later commands fewer or none: each pass costs a walk of every page, so
 * one `ksm scan 100000` would take minutes and count as a hang.
 */
#define FUZZ_PASSES_MAX 32
#define BROKEN_INVARIANT "EUCLEAN (a model invariant broke)"

/*
 * Did the run stop because the checker found a broken invariant? The Bail
 * out! repeats the command as written, which may hold any words (libFuzzer
 * soon learns to write EUCLEAN into names): only what follows it counts.
 * Names never hold a blank, so they cannot spell the phrase.
 */
static bool invariant_broke(const struct scenario *scn, const char *bail)
{
	const char *rest = bail;
	int line = 0, used = 0;

	if (sscanf(bail, "fuzz.mms:%d: %n", &line, &used) == 1 && used > 0) {
		rest = bail + used;
		for (int i = 0; i < scn->nr_cmds; i++) {
			size_t n = strlen(scn->cmds[i].text);

			if (scn->cmds[i].line == line && !strncmp(rest, scn->cmds[i].text, n)) {
				rest += n;
				break;
			}
		}
	}
	return strstr(rest, BROKEN_INVARIANT) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scn_executor ex = { 0 };
	struct scn_report report = { 0 };
	struct scenario scn;
	struct tap tap = { 0 };
	unsigned long passes = FUZZ_PASSES_MAX;
	char err[384];

	if (scenario_parse_mem("fuzz.mms", (const char *)data, size, &scn, err, sizeof(err)))
		return 0;
	for (int i = 0; i < scn.nr_cmds; i++) {
		struct scn_command *c = &scn.cmds[i];

		if (c->kind == CMD_MEMORY && c->n > FUZZ_MEMORY_MAX)
			c->n = FUZZ_MEMORY_MAX;
		if (c->kind == CMD_KSM_SCAN || c->kind == CMD_KHUGEPAGED_SCAN) {
			c->n = c->n < passes ? c->n : passes;
			passes -= c->n;
		}
	}
	ex.scn = &scn;
	ex.seed = 1;
	ex.memory = FUZZ_MEMORY;
	if (sim_executor_create(&ex, &scn, err, sizeof(err))) {
		/* Addresses outside the window: refused before the run, as by mmsim run. */
		scenario_free(&scn);
		return 0;
	}
	tap.out = fopen("/dev/null", "w");
	if (!tap.out)
		abort();
	scenario_run(&scn, &ex, &tap, &report);
	ex.ops->finish(&ex);
	fclose(tap.out);
	if (invariant_broke(&scn, report.bail)) {
		fprintf(stderr, "finding: Bail out! %s\n", report.bail);
		abort();
	}
	scn_report_free(&report);
	scenario_free(&scn);
	return 0;
}
