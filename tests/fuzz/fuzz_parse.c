// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the scenario parser alone. Any input must parse or fail with
 * "NAME:LINE: message"; a crash, leak or undefined behaviour is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario scn;
	char err[384] = "";

	if (scenario_parse_mem("fuzz.mms", (const char *)data, size, &scn, err, sizeof(err))) {
		/* Every error names the input and says what was wrong. */
		if (strncmp(err, "fuzz.mms", 8) || !err[8]) {
			fprintf(stderr, "parse error without a place: '%s'\n", err);
			abort();
		}
		return 0;
	}
	for (int i = 0; i < scn.nr_cmds; i++)
		if (!scn.cmds[i].text || scn.cmds[i].line < 1 ||
		    scn.cmds[i].proc[0] < 0 || scn.cmds[i].proc[0] >= SCN_MAX_PROCS ||
		    scn.cmds[i].proc[1] < 0 || scn.cmds[i].proc[1] >= SCN_MAX_PROCS)
			abort();
	scenario_free(&scn);
	return 0;
}
