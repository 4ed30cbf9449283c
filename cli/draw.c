// SPDX-License-Identifier: MIT
/*
 * mmsim draw: the model after one line of a scenario, as a Graphviz picture
 * (DOT from lib/draw.c through mmsim_draw_dot(), laid out by Debian's `dot`).
 * Also the stepping and rendering that mmsim explain shares.
 */
#include "draw.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mmsim/mmsim.h>

extern char **environ;

const char *const draw_view_names[4] = { "process", "folio", "anon_vma", "ksm" };

int draw_view_by_name(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, draw_view_names[i]))
			return i;
	return -1;
}

int stepper_open(struct stepper *st, const char *path, char *err, size_t errlen)
{
	memset(st, 0, sizeof(*st));
	if (scenario_parse(path, &st->scn, err, errlen))
		return -1;
	st->ex.scn = &st->scn;
	st->ex.seed = 1;
	if (sim_executor_create(&st->ex, &st->scn, err, errlen)) {
		scenario_free(&st->scn);
		return -1;
	}
	return 0;
}

/* show prints nowhere while stepping: the picture is the point. */
static void quiet(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

int stepper_step(struct stepper *st, char *err, size_t errlen)
{
	const struct scn_command *c = &st->scn.cmds[st->next];
	struct scn_result res = { .cmd = c };
	char why[384] = "";
	int ret;

	st->ex.comment = quiet;
	st->next++;
	if (st->lacks[0])
		return 0;
	if (c->kind == CMD_EXPECT || c->kind == CMD_PROBE) {
		ret = scn_query_run(&st->ex, c, &res.ans, why, sizeof(why));
		if (scn_lacks(ret)) {
			snprintf(st->lacks, sizeof(st->lacks), "%s:%d: %s", st->scn.name, c->line, why);
			return 0;
		}
		if (ret)
			return scn_fail(err, errlen, "%s:%d: %s", st->scn.name, c->line, why);
		res.passed = c->kind == CMD_EXPECT && !res.ans.skip &&
			     scn_compare(res.ans.value, c->op, c->value);
		if (scn_report_add(&st->report, &res))
			return scn_fail(err, errlen, "out of memory");
		return 0;
	}
	ret = st->ex.ops->run(&st->ex, c, why, sizeof(why));
	if (scn_lacks(ret)) {
		snprintf(st->lacks, sizeof(st->lacks), "%s:%d: %s", st->scn.name, c->line, why);
		return 0;
	}
	if (ret)
		return scn_fail(err, errlen, "%s:%d: %s", st->scn.name, c->line, why);
	return 0;
}

void stepper_close(struct stepper *st)
{
	if (st->ex.ops)
		st->ex.ops->finish(&st->ex);
	scn_report_free(&st->report);
	scenario_free(&st->scn);
}

static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	char *buf;

	if (!f)
		return -1;
	if (fstat(fileno(f), &sb) || !(buf = malloc((size_t)sb.st_size + 1))) {
		fclose(f);
		return -1;
	}
	*len = fread(buf, 1, (size_t)sb.st_size, f);
	buf[*len] = '\0';
	fclose(f);
	*out = buf;
	return 0;
}

/*
 * Runs Graphviz's engine (dot, or neato -n2: nodes where their pos says)
 * -Tformat on in into out, its messages into errs; its exit status or -errno.
 */
static int run_dot(const char *engine, const char *format, const char *in, const char *out,
		   const char *errs)
{
	char fmt[32];
	bool neato = !strcmp(engine, "neato");
	/* neato -n2 routes the edges itself: curved, around the pinned nodes. */
	char *argv[] = { (char *)engine, fmt, "-o", (char *)out, (char *)in, neato ? "-n2" : NULL,
			 "-Gsplines=true", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int ret, status;

	snprintf(fmt, sizeof(fmt), "-T%s", format);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, errs, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ret = posix_spawnp(&pid, engine, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int draw_render(const char *dot, const char *format, char **out, size_t *len, char *err,
		size_t errlen)
{
	return draw_render_with("dot", dot, format, out, len, err, errlen);
}

int draw_render_with(const char *engine, const char *dot, const char *format, char **out,
		     size_t *len, char *err, size_t errlen)
{
	char dir[] = "/tmp/mmsim-draw-XXXXXX", in[64], outp[64], errs[64];
	char *msg = NULL;
	size_t msglen;
	FILE *f;
	int ret = -1, st;

	if (!mkdtemp(dir))
		return scn_fail(err, errlen, "cannot make a temporary directory: %s", strerror(errno));
	snprintf(in, sizeof(in), "%s/in.dot", dir);
	snprintf(outp, sizeof(outp), "%s/out", dir);
	snprintf(errs, sizeof(errs), "%s/errors", dir);
	f = fopen(in, "w");
	if (!f || fputs(dot, f) < 0 || fclose(f)) {
		scn_fail(err, errlen, "cannot write %s", in);
		goto out;
	}
	st = run_dot(engine, format, in, outp, errs);
	if (st == -ENOENT) {
		scn_fail(err, errlen, "Graphviz's dot is not installed (apt-get install graphviz, or "
			 "scripts/deps.sh): use --format dot");
	} else if (st) {
		if (read_all(errs, &msg, &msglen) == 0)
			msg[strcspn(msg, "\n")] = '\0';
		scn_fail(err, errlen, "%s -T%s failed (%d)%s%s", engine, format, st,
			 msg && msg[0] ? ": " : "", msg ? msg : "");
		free(msg);
	} else if (read_all(outp, out, len)) {
		scn_fail(err, errlen, "dot wrote no %s", format);
	} else {
		ret = 0;
	}
out:
	unlink(in);
	unlink(outp);
	unlink(errs);
	rmdir(dir);
	return ret;
}

static void draw_usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim draw FILE [--after LINE] --view process|folio|anon_vma|ksm\n"
		"                  [--proc P] [--addr ADDR] [--format dot|svg|png] [-o OUT]\n"
		"  the simulator's model after the command on LINE of FILE (default: after\n"
		"  the last), drawn as Graphviz DOT, or laid out as SVG or PNG by dot;\n"
		"  --proc P draws one process (the folio view: the folio P maps at ADDR).\n"
		"  Writes OUT, or standard output.\n");
}

struct draw_args {
	const char *file, *format, *out, *proc;
	int after, view;
	unsigned long addr;
	bool has_addr;
};

static int parse_draw_args(int argc, char **argv, struct draw_args *a)
{
	*a = (struct draw_args){ .format = "dot", .view = -1 };
	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (argv[i][0] != '-') {
			if (a->file)
				return -1;
			a->file = argv[i];
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(argv[i - 1], "--after")) {
			long n = strtol(v, &end, 10);

			if (*end || n < 1 || n > 1000000)
				return fprintf(stderr, "mmsim draw: --after takes a line number, got '%s'\n",
					       v), -1;
			a->after = (int)n;
		} else if (!strcmp(argv[i - 1], "--view")) {
			a->view = draw_view_by_name(v);
			if (a->view < 0)
				return fprintf(stderr, "mmsim draw: --view takes process, folio, anon_vma "
					       "or ksm, got '%s'\n", v), -1;
		} else if (!strcmp(argv[i - 1], "--proc")) {
			a->proc = v;
		} else if (!strcmp(argv[i - 1], "--addr")) {
			errno = 0;
			a->addr = strtoul(v, &end, 0);
			if (*end || errno || v[0] == '-')
				return fprintf(stderr, "mmsim draw: --addr takes an address, got '%s'\n", v),
				       -1;
			a->has_addr = true;
		} else if (!strcmp(argv[i - 1], "--format")) {
			if (strcmp(v, "dot") && strcmp(v, "svg") && strcmp(v, "png"))
				return fprintf(stderr, "mmsim draw: --format takes dot, svg or png, got "
					       "'%s'\n", v), -1;
			a->format = v;
		} else if (!strcmp(argv[i - 1], "-o")) {
			a->out = v;
		} else {
			return -1;
		}
	}
	if (!a->file || a->view < 0)
		return -1;
	if (a->view == MMSIM_DRAW_FOLIO && (!a->proc || !a->has_addr))
		return fprintf(stderr, "mmsim draw: the folio view needs --proc P and --addr ADDR\n"), -1;
	if (a->view == MMSIM_DRAW_KSM && a->proc)
		return fprintf(stderr, "mmsim draw: the ksm view draws every process: no --proc\n"), -1;
	return 0;
}

/* The slot of process name, or -1 with a message. */
static int proc_slot(const struct scenario *scn, const char *name, char *err, size_t errlen)
{
	for (int p = 0; p < scn->nr_procs; p++)
		if (!strcmp(scn->procs[p], name))
			return p;
	return scn_fail(err, errlen, "%s: no process %s in the scenario", scn->name, name);
}

/* Steps up to and including the command on line after (0: every command). */
static int step_to(struct stepper *st, int after, char *err, size_t errlen)
{
	int last = st->scn.nr_cmds ? st->scn.cmds[st->scn.nr_cmds - 1].line : 0;
	bool found = !after;

	for (int i = 0; i < st->scn.nr_cmds && !found; i++)
		found = st->scn.cmds[i].line == after;
	if (!found)
		return scn_fail(err, errlen, "%s:%d: no command on that line (the commands are on lines "
				"%d to %d)", st->scn.name, after, st->scn.nr_cmds ? st->scn.cmds[0].line : 0,
				last);
	while (st->next < st->scn.nr_cmds && (!after || st->scn.cmds[st->next].line <= after))
		if (stepper_step(st, err, errlen))
			return -1;
	return 0;
}

static int write_out(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	int bad;

	if (!f)
		return scn_fail(err, errlen, "cannot write %s: %s", path, strerror(errno));
	bad = fwrite(data, 1, len, f) != len;
	bad |= path ? fclose(f) != 0 : fflush(f) != 0;
	if (bad)
		return scn_fail(err, errlen, "cannot write %s", path ? path : "standard output");
	return 0;
}

int cmd_draw(int argc, char **argv)
{
	struct draw_args a;
	struct stepper st;
	char err[640], title[256];
	char *dot = NULL, *pic = NULL;
	size_t len = 0;
	int slot = -1, ret = 2;

	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		draw_usage(stdout);
		return 0;
	}
	if (parse_draw_args(argc, argv, &a)) {
		draw_usage(stderr);
		return 2;
	}
	if (stepper_open(&st, a.file, err, sizeof(err))) {
		fprintf(stderr, "mmsim draw: %s\n", err);
		return 2;
	}
	if ((a.proc && (slot = proc_slot(&st.scn, a.proc, err, sizeof(err))) < 0) ||
	    step_to(&st, a.after, err, sizeof(err)))
		goto out;
	if (a.after)
		snprintf(title, sizeof(title), "%s after line %d: %s", st.scn.name, a.after,
			 st.scn.cmds[st.next - 1].text);
	else
		snprintf(title, sizeof(title), "%s at its end", st.scn.name);
	if (sim_executor_draw(&st.ex, a.view, slot, a.addr, title, &dot, err, sizeof(err)))
		goto out;
	if (strcmp(a.format, "dot")) {
		if (draw_render(dot, a.format, &pic, &len, err, sizeof(err)))
			goto out;
	} else {
		len = strlen(dot);
	}
	if (!write_out(a.out, pic ? pic : dot, len, err, sizeof(err)))
		ret = 0;
out:
	if (ret)
		fprintf(stderr, "mmsim draw: %s\n", err);
	if (st.lacks[0])
		fprintf(stderr, "mmsim draw: the run stopped early: %s\n", st.lacks);
	free(dot);
	free(pic);
	stepper_close(&st);
	return ret;
}
