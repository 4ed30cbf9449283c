/* SPDX-License-Identifier: MIT */
/* Runs a parsed scenario on an executor and reports it as TAP 13 or JSON. */
#ifndef MMSIM_CLI_RUN_H
#define MMSIM_CLI_RUN_H

#include <stdio.h>

#include "scenario.h"

/* What one expect or probe found. */
struct scn_result {
	const struct scn_command *cmd;
	struct scn_answer ans;
	bool passed;			/* expect only */
};

struct scn_report {
	struct scn_result *results;
	int nr, cap;
	int passed, failed, skipped;
	char bail[512];			/* "FILE:LINE: message" after a Bail out!, else empty */
	char lacks[512];		/* "FILE:LINE: what the version lacks" when it stopped the run */
	bool lacks_machine;		/* ... and it is this machine that lacks it (SCN_LACKS_MACHINE) */
	/* What answered, for --json: the simulator's scheme and profile, or the kernel's release. */
	char scheme[32], profile[16], kernel_release[128];
	char **shows;			/* what show printed, in order */
	int nr_shows;
};

struct tap {
	FILE *out;
	bool json;			/* print nothing as TAP: the caller prints JSON */
	int n;				/* tests numbered so far */
	const char *kernel;		/* the live kernel's release, named in each failure */
	struct scn_report *cur;		/* the report of the file running now */
	bool subtest;			/* one of several files: its lines indented, TAP 14 style */
};

static inline const char *tap_indent(const struct tap *tap)
{
	return tap->subtest ? "    " : "";
}

/* Runs every command; fills report. Returns 0, or 2 after a Bail out!. */
int scenario_run(const struct scenario *scn, struct scn_executor *ex, struct tap *tap,
		 struct scn_report *report);
void scn_report_free(struct scn_report *report);
/*
 * Answers an expect or probe: the executor's query, or for expect errno the
 * call run as a command, whose errno (0 on success) is the answer. 0, -1
 * with a Bail out! message, or SCN_LACKS when the version lacks the call.
 */
int scn_query_run(struct scn_executor *ex, const struct scn_command *c, struct scn_answer *ans,
		  char *err, size_t len);
/* Appends one result, growing the array; -1 when out of memory. */
int scn_report_add(struct scn_report *r, const struct scn_result *res);
void scn_report_json(FILE *out, const struct scenario *scn, const struct scn_report *r,
		     const char *executor, bool last);

/*
 * JSON strings (RFC 8259): quoted, or only the escaped body. A few lines of
 * our own where a writer of whole documents (cJSON, which mmsim sweep reads
 * with) would need the output built in memory first.
 */
void scn_json_string(FILE *out, const char *s);
void scn_json_escaped(FILE *out, const char *s);

/* Is a kernel release ("6.12.117+deb12-cloud-amd64") of that version ("6.12")? */
bool scn_release_is(const char *release, const char *version);

#endif /* MMSIM_CLI_RUN_H */
