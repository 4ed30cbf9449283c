// SPDX-License-Identifier: MIT
/*
 * The runner: commands go to the executor top to bottom; every expect prints
 * one TAP line, a probe a comment; any other failure is a Bail out!
 * (docs/scenario-language.md, "Output and exit status").
 */
#include "run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_text[] = { "==", "!=", "<", "<=", ">", ">=" };

static void tap_comment(void *ctx, const char *line)
{
	struct tap *tap = ctx;
	struct scn_report *r = tap->cur;
	char **shows, *copy;

	if (!tap->json) {
		fprintf(tap->out, "%s# %s\n", tap_indent(tap), line);
		return;
	}
	/* JSON keeps them for the file's object; a line lost to no memory is only a comment. */
	shows = r ? realloc(r->shows, (size_t)(r->nr_shows + 1) * sizeof(*shows)) : NULL;
	if (!shows)
		return;
	r->shows = shows;
	copy = strdup(line);
	if (copy)
		r->shows[r->nr_shows++] = copy;
}

static void format_value(const struct scn_command *c, long long v, char *buf, size_t len)
{
	if (c->q.kind == Q_ERRNO && v)
		snprintf(buf, len, "%s", scn_errno_name((int)v));
	else if (c->q.yesno)
		snprintf(buf, len, "%s", v ? "yes" : "no");
	else
		snprintf(buf, len, "%lld", v);
}

int scn_report_add(struct scn_report *r, const struct scn_result *res)
{
	if (r->nr == r->cap) {
		int cap = r->cap ? 2 * r->cap : 32;
		struct scn_result *n = realloc(r->results, (size_t)cap * sizeof(*n));

		if (!n)
			return -1;
		r->results = n;
		r->cap = cap;
	}
	r->results[r->nr++] = *res;
	return 0;
}

static int bail(struct tap *tap, struct scn_report *r, const struct scenario *scn,
		const struct scn_command *c, const char *msg)
{
	snprintf(r->bail, sizeof(r->bail), "%s:%d: %s", scn->name, c ? c->line : 0, msg);
	if (!tap->json)
		fprintf(tap->out, "Bail out! %s\n", r->bail);
	return 2;
}

static void report_query(struct tap *tap, const struct scenario *scn,
			 const struct scn_command *c, struct scn_result *res,
			 struct scn_report *r)
{
	char got[32];

	format_value(c, res->ans.value, got, sizeof(got));
	if (c->kind == CMD_PROBE) {
		if (!tap->json) {
			if (res->ans.skip)
				fprintf(tap->out, "%s# %s:%d %s # SKIP %s\n", tap_indent(tap),
					scn->name, c->line, c->text, res->ans.reason);
			else
				fprintf(tap->out, "%s# %s:%d %s = %s\n", tap_indent(tap), scn->name,
					c->line, c->text, got);
		}
		return;
	}
	tap->n++;
	if (res->ans.skip) {
		r->skipped++;
		if (!tap->json)
			fprintf(tap->out, "%sok %d - %s:%d %s # SKIP %s\n", tap_indent(tap), tap->n,
				scn->name, c->line, c->text, res->ans.reason);
		return;
	}
	res->passed = scn_compare(res->ans.value, c->op, c->value);
	if (res->passed)
		r->passed++;
	else
		r->failed++;
	if (tap->json)
		return;
	if (res->passed)
		fprintf(tap->out, "%sok %d - %s:%d %s\n", tap_indent(tap), tap->n, scn->name, c->line,
			c->text);
	else if (tap->kernel)
		fprintf(tap->out, "%snot ok %d - %s:%d %s # got %s on Linux %s\n", tap_indent(tap),
			tap->n, scn->name, c->line, c->text, got, tap->kernel);
	else
		fprintf(tap->out, "%snot ok %d - %s:%d %s # got %s\n", tap_indent(tap), tap->n,
			scn->name, c->line, c->text, got);
}

/*
 * The version lacks what a command needs: the run stops there, and every
 * query after it answers # SKIP with the reason, so a diff of two such runs
 * agrees and a version's TAP says what it could not run.
 */
static int skip_rest(struct tap *tap, struct scn_report *r, const struct scenario *scn, int from,
		     const char *why, bool machine)
{
	snprintf(r->lacks, sizeof(r->lacks), "%s:%d: %s", scn->name, scn->cmds[from].line, why);
	r->lacks_machine = machine;
	tap_comment(tap, r->lacks);
	for (int i = from + 1; i < scn->nr_cmds; i++) {
		const struct scn_command *c = &scn->cmds[i];
		struct scn_result res = { .cmd = c, .ans.skip = true };

		if (c->kind != CMD_EXPECT && c->kind != CMD_PROBE)
			continue;
		snprintf(res.ans.reason, sizeof(res.ans.reason), "%s", why);
		report_query(tap, scn, c, &res, r);
		if (scn_report_add(r, &res))
			return bail(tap, r, scn, c, "out of memory");
	}
	return 0;
}

int scn_query_run(struct scn_executor *ex, const struct scn_command *c, struct scn_answer *ans,
		  char *err, size_t len)
{
	int ret;

	if (c->q.kind != Q_ERRNO)
		return ex->ops->query(ex, &c->q, ans, err, len) ? -1 : 0;
	/* The call runs as a command would; its failure is the answer, not a Bail out!. */
	ex->last_errno = 0;
	ret = ex->ops->run(ex, c->call, err, len);
	if (ret == -1 && ex->last_errno > 0)
		ret = 0;
	ans->value = ret ? 0 : ex->last_errno;
	return ret;
}

int scenario_run(const struct scenario *scn, struct scn_executor *ex, struct tap *tap,
		 struct scn_report *r)
{
	char err[512];
	int ret;

	memset(r, 0, sizeof(*r));
	tap->cur = r;
	ex->comment = tap_comment;
	ex->comment_ctx = tap;
	for (int i = 0; i < scn->nr_cmds; i++) {
		const struct scn_command *c = &scn->cmds[i];
		struct scn_result res = { .cmd = c };

		err[0] = '\0';
		if (c->kind == CMD_EXPECT || c->kind == CMD_PROBE) {
			ret = scn_query_run(ex, c, &res.ans, err, sizeof(err));
			if (scn_lacks(ret))
				return skip_rest(tap, r, scn, i, err, ret == SCN_LACKS_MACHINE);
			if (ret)
				return bail(tap, r, scn, c, err);
			report_query(tap, scn, c, &res, r);
			if (scn_report_add(r, &res))
				return bail(tap, r, scn, c, "out of memory");
			continue;
		}
		ret = ex->ops->run(ex, c, err, sizeof(err));
		if (scn_lacks(ret))
			return skip_rest(tap, r, scn, i, err, ret == SCN_LACKS_MACHINE);
		if (ret)
			return bail(tap, r, scn, c, err);
	}
	if (ex->ops->end && ex->ops->end(ex, err, sizeof(err)))
		return bail(tap, r, scn, scn->nr_cmds ? &scn->cmds[scn->nr_cmds - 1] : NULL, err);
	return 0;
}

void scn_report_free(struct scn_report *r)
{
	for (int i = 0; i < r->nr_shows; i++)
		free(r->shows[i]);
	free(r->shows);
	free(r->results);
	memset(r, 0, sizeof(*r));
}

void scn_json_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
}

void scn_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	scn_json_escaped(out, s);
	fputc('"', out);
}

void scn_report_json(FILE *out, const struct scenario *scn, const struct scn_report *r,
		     const char *executor, bool last)
{
	fprintf(out, "  {\"file\": ");
	scn_json_string(out, scn->file);
	fprintf(out, ", \"executor\": \"%s\", ", executor);
	if (r->scheme[0]) {
		fprintf(out, "\"scheme\": ");
		scn_json_string(out, r->scheme);
		fprintf(out, ", \"profile\": ");
		scn_json_string(out, r->profile);
		fprintf(out, ", ");
	}
	if (r->kernel_release[0]) {
		fprintf(out, "\"kernel_release\": ");
		scn_json_string(out, r->kernel_release);
		fprintf(out, ", ");
	}
	fprintf(out, "\"passed\": %d, \"failed\": %d, \"skipped\": %d, \"bail_out\": ",
		r->passed, r->failed, r->skipped);
	if (r->bail[0])
		scn_json_string(out, r->bail);
	else
		fprintf(out, "null");
	fprintf(out, ",\n   \"results\": [");
	for (int i = 0; i < r->nr; i++) {
		const struct scn_result *res = &r->results[i];
		const struct scn_command *c = res->cmd;
		char got[32];

		format_value(c, res->ans.value, got, sizeof(got));
		fprintf(out, "%s\n    {\"line\": %d, \"command\": ", i ? "," : "", c->line);
		scn_json_string(out, c->text);
		fprintf(out, ", \"kind\": \"%s\", ", c->kind == CMD_EXPECT ? "expect" : "probe");
		if (res->ans.skip) {
			fprintf(out, "\"status\": \"skip\", \"reason\": ");
			scn_json_string(out, res->ans.reason);
		} else {
			fprintf(out, "\"value\": ");
			if (c->q.yesno)
				fprintf(out, "\"%s\"", got);
			else if (c->q.kind == Q_ERRNO)	/* the number, and its name beside it */
				fprintf(out, "%lld, \"errno\": \"%s\"", res->ans.value, got);
			else
				fprintf(out, "%s", got);
			if (c->kind == CMD_EXPECT)
				fprintf(out, ", \"status\": \"%s\", \"op\": \"%s\", \"expected\": %lld",
					res->passed ? "ok" : "not ok", op_text[c->op], c->value);
		}
		fprintf(out, "}");
	}
	fprintf(out, "],\n   \"show\": [");
	for (int i = 0; i < r->nr_shows; i++) {
		fprintf(out, "%s\n    ", i ? "," : "");
		scn_json_string(out, r->shows[i]);
	}
	fprintf(out, "]}%s\n", last ? "" : ",");
}

int scn_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

const char *scn_errno_name(int e)
{
	/* glibc's own table (2.32+); NULL for a number it does not know. */
	const char *name = strerrorname_np(e);

	return name ? name : "an unknown errno";
}

int scn_errno_value(const char *name)
{
	/* The reverse of glibc's table, which has no lookup by name. */
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcmp(n, name))
			return e;
	}
	return -1;
}

bool scn_release_is(const char *release, const char *version)
{
	size_t n = strlen(version);

	/* "6.1" must not match "6.18.44": the version ends at a non-digit. */
	return !strncmp(release, version, n) && !(release[n] >= '0' && release[n] <= '9');
}
