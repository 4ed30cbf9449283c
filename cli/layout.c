// SPDX-License-Identifier: MIT
/*
 * A stable layout for mmsim explain: the same object in the same place from
 * step to step. dot lays out the union of every step's graph once; each step
 * is then drawn by neato -n2 with its nodes pinned where the union put them,
 * in a frame of the union's size. Our DOT has one statement a line
 * (lib/draw.c), which is all this reads of it.
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A node's id if line declares one ("  ID [..."), in buf; else false. */
static bool node_decl(const char *line, char *buf, size_t len)
{
	size_t n;

	if (strncmp(line, "  ", 2) || line[2] == ' ' || line[2] == '{')
		return false;
	line += 2;
	n = strcspn(line, " ");
	if (n == 0 || n >= len || strncmp(line + n, " [", 2))
		return false;
	if (!strncmp(line, "graph ", 6) || !strncmp(line, "node ", 5) || !strncmp(line, "edge ", 5))
		return false;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return true;
}

/* Clusters are dot's alone: neato -n2 would not place them. */
static bool cluster_line(const char *line)
{
	return !strncmp(line, "  subgraph ", 11) || !strncmp(line, "  style", 7) ||
	       (!strncmp(line, "  }", 3) && (line[3] == '\n' || !line[3]));
}

struct node_pos {
	char id[64];
	double x, y;			/* points */
	const char *line;		/* the union's (longest) declaration */
	size_t len;
};

struct union_graph {
	struct node_pos *nodes;
	int nr, cap;
	double width, height;		/* points */
};

static struct node_pos *find_node(struct union_graph *u, const char *id)
{
	for (int i = 0; i < u->nr; i++)
		if (!strcmp(u->nodes[i].id, id))
			return &u->nodes[i];
	return NULL;
}

/* Adds the declarations of one step's graph; the longest label of a node wins (its room). */
static int add_nodes(struct union_graph *u, const char *dot)
{
	for (const char *l = dot; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
		size_t len = strcspn(l, "\n");
		char id[64];
		struct node_pos *p;

		if (!node_decl(l, id, sizeof(id)))
			continue;
		p = find_node(u, id);
		if (!p) {
			if (u->nr == u->cap) {
				int cap = u->cap ? 2 * u->cap : 64;
				struct node_pos *n = realloc(u->nodes, (size_t)cap * sizeof(*n));

				if (!n)
					return -1;
				u->nodes = n;
				u->cap = cap;
			}
			p = &u->nodes[u->nr++];
			memset(p, 0, sizeof(*p));
			snprintf(p->id, sizeof(p->id), "%s", id);
		}
		if (len > p->len) {
			p->line = l;
			p->len = len;
		}
	}
	return 0;
}

/* The union graph's DOT: the first graph's header, every node once, every edge line. */
static char *union_dot(struct union_graph *u, char **dots, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (const char *l = dots[0]; *l; l += strcspn(l, "\n") + 1) {
		fprintf(f, "%.*s\n", (int)strcspn(l, "\n"), l);
		if (!strncmp(l, "  edge [", 8))
			break;
	}
	/* More room than dot alone needs: neato's straight-ish edges and their labels. */
	fprintf(f, "  graph [ranksep=0.7, nodesep=0.5];\n");
	for (int i = 0; i < u->nr; i++)
		fprintf(f, "%.*s\n", (int)u->nodes[i].len, u->nodes[i].line);
	for (int k = 0; k < n; k++)
		for (const char *l = dots[k]; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0))
			if (strstr(l, " -> ") && strstr(l, " -> ") < l + strcspn(l, "\n"))
				fprintf(f, "%.*s\n", (int)strcspn(l, "\n"), l);
	/* The rows that keep page-table levels side by side. */
	for (int k = 0; k < n; k++)
		for (const char *l = dots[k]; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0))
			if (!strncmp(l, "  { rank=same;", 14))
				fprintf(f, "%.*s\n", (int)strcspn(l, "\n"), l);
	fprintf(f, "}\n");
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Reads dot -Tplain: the graph's size and every node's centre. */
static int read_plain(struct union_graph *u, const char *plain)
{
	double scale, w, h;

	if (sscanf(plain, "graph %lf %lf %lf", &scale, &w, &h) != 3)
		return -1;
	u->width = w * 72;
	u->height = h * 72;
	for (const char *l = plain; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
		char id[64];
		double x, y;
		struct node_pos *p;

		if (sscanf(l, "node %63s %lf %lf", id, &x, &y) != 3)
			continue;
		p = find_node(u, id);
		if (p) {
			p->x = x * 72;
			p->y = y * 72;
		}
	}
	return 0;
}

/* One step's DOT with its nodes pinned and the union's frame. */
static char *pinned_dot(struct union_graph *u, const char *dot)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (const char *l = dot; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
		int n = (int)strcspn(l, "\n");
		char id[64];
		struct node_pos *p;

		if (cluster_line(l))
			continue;
		if (!strncmp(l, "}", 1)) {
			/* Two invisible corners: every step in the union's frame, at one scale. */
			fprintf(f, "  corner0 [shape=point, style=invis, pos=\"0,0!\"];\n"
				"  corner1 [shape=point, style=invis, pos=\"%.2f,%.2f!\"];\n", u->width,
				u->height);
		}
		if (node_decl(l, id, sizeof(id)) && (p = find_node(u, id))) {
			size_t open = strcspn(l, "[");

			fprintf(f, "%.*s[pos=\"%.2f,%.2f!\", %.*s\n", (int)open, l, p->x, p->y,
				n - (int)open - 1, l + open + 1);
			continue;
		}
		fprintf(f, "%.*s\n", n, l);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int layout_stable(char **dots, int n, char **svgs, char *err, size_t errlen)
{
	struct union_graph u = { 0 };
	char *udot = NULL, *plain = NULL;
	size_t len;
	int ret = -1, k = 0;

	for (int i = 0; i < n; i++)
		if (add_nodes(&u, dots[i]))
			goto out;
	udot = union_dot(&u, dots, n);
	if (!udot || draw_render_with("dot", udot, "plain", &plain, &len, err, errlen) ||
	    read_plain(&u, plain))
		goto out;
	for (k = 0; k < n; k++) {
		char *pinned = pinned_dot(&u, dots[k]);

		if (!pinned || draw_render_with("neato", pinned, "svg", &svgs[k], &len, err, errlen)) {
			free(pinned);
			goto out;
		}
		free(pinned);
	}
	ret = 0;
out:
	if (ret) {
		for (int i = 0; i < k; i++) {
			free(svgs[i]);
			svgs[i] = NULL;
		}
		if (!err[0])
			snprintf(err, errlen, "out of memory");
	}
	free(udot);
	free(plain);
	free(u.nodes);
	return ret;
}
