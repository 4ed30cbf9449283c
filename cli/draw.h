/* SPDX-License-Identifier: MIT */
/*
 * Pictures from scenarios: step a scenario on the simulator command by
 * command, draw the model (lib/draw.c) and lay it out with Graphviz's dot.
 * `mmsim draw` (cli/draw.c) and `mmsim explain` (cli/explain.c).
 */
#ifndef MMSIM_CLI_DRAW_H
#define MMSIM_CLI_DRAW_H

#include <stddef.h>

#include "run.h"

/* A scenario being stepped through on the simulator. */
struct stepper {
	struct scenario scn;
	struct scn_executor ex;
	int next;			/* index of the next command to run */
	struct scn_report report;	/* every query's answer so far */
	char lacks[512];		/* why the run stopped early (the profile lacks something) */
};

/* Parses path and starts the simulator; -1 with "FILE:LINE: message" in err. */
int stepper_open(struct stepper *st, const char *path, char *err, size_t errlen);
/* Runs the next command (a query is answered and kept); -1 with a Bail out! message. */
int stepper_step(struct stepper *st, char *err, size_t errlen);
void stepper_close(struct stepper *st);

/* "process", ... to enum mmsim_draw_view; -1 if none. */
int draw_view_by_name(const char *name);
extern const char *const draw_view_names[4];

/*
 * Lays DOT out with Graphviz's dot into format (svg, png): the result in
 * *out, *len bytes, free() it. -1 with a message (dot missing, dot failed).
 */
int draw_render(const char *dot, const char *format, char **out, size_t *len, char *err,
		size_t errlen);

/* The same with another Graphviz engine: "neato" runs neato -n2 (pinned nodes). */
int draw_render_with(const char *engine, const char *dot, const char *format, char **out,
		     size_t *len, char *err, size_t errlen);
/*
 * Lays n graphs of one view (lib/draw.c's DOT, one per step) out alike: each
 * object where the union of all of them puts it, in one frame (cli/layout.c).
 * svgs[i] gets graph i's SVG (free() each); -1 with a message.
 */
int layout_stable(char **dots, int n, char **svgs, char *err, size_t errlen);

int cmd_draw(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif /* MMSIM_CLI_DRAW_H */
