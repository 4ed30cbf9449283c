// SPDX-License-Identifier: MIT
/*
 * mmsim sweep plot: the usual figure of a sweep, a metric against one
 * parameter with one line per value of another, from DIR/results.sqlite
 * through gnuplot. Cells that other parameters split are averaged (the data
 * file says how many rows each point is).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sweep.h"

#define PLOT_MAX_WHERE 16

struct plot_opts {
	const char *dir, *y, *x, *lines, *out;
	const char *where[PLOT_MAX_WHERE];
	int nr_where;
};

static int parse_plot(int argc, char **argv, struct plot_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-') {
			if (o->dir)
				return -EINVAL;
			o->dir = a;
			continue;
		}
		if (!v)
			return -EINVAL;
		if (!strcmp(a, "--y"))
			o->y = v;
		else if (!strcmp(a, "--x"))
			o->x = v;
		else if (!strcmp(a, "--lines"))
			o->lines = v;
		else if (!strcmp(a, "--out"))
			o->out = v;
		else if (!strcmp(a, "--where") && o->nr_where < PLOT_MAX_WHERE && strchr(v, '='))
			o->where[o->nr_where++] = v;
		else
			return -EINVAL;
		i++;
	}
	return o->dir && o->y && o->x ? 0 : -EINVAL;
}

/* Column names go into SQL quoted; they must be the table's own. */
static bool has_column(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('results')", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	while (!found && sqlite3_step(st) == SQLITE_ROW)
		found = !strcmp((const char *)sqlite3_column_text(st, 0), name);
	sqlite3_finalize(st);
	return found;
}

/* Every column the plot names is one of the table's (they go into the SQL quoted). */
static int check_columns(sqlite3 *db, const char *db_path, const struct plot_opts *o)
{
	char names[PLOT_MAX_WHERE + 3][128];
	int n = 0;

	snprintf(names[n++], sizeof(names[0]), "%s", o->y);
	snprintf(names[n++], sizeof(names[0]), "%s", o->x);
	if (o->lines)
		snprintf(names[n++], sizeof(names[0]), "%s", o->lines);
	for (int i = 0; i < o->nr_where; i++)
		snprintf(names[n++], sizeof(names[0]), "%.*s",
			 (int)(strchr(o->where[i], '=') - o->where[i]), o->where[i]);
	for (int i = 0; i < n; i++)
		if (strchr(names[i], '"') || !has_column(db, names[i])) {
			fprintf(stderr, "mmsim sweep plot: %s has no column '%s'\n", db_path, names[i]);
			return -EINVAL;
		}
	return 0;
}

static char *build_query(const struct plot_opts *o)
{
	char *sql = malloc(4096);
	size_t n;

	if (!sql)
		return NULL;
	n = (size_t)snprintf(sql, 4096, "SELECT %s%s%s, \"%s\", AVG(\"%s\"), COUNT(*), "
			     "typeof(\"%s\") FROM results WHERE outcome = 'ok' AND \"%s\" IS NOT NULL",
			     o->lines ? "\"" : "", o->lines ? o->lines : "''", o->lines ? "\"" : "",
			     o->x, o->y, o->x, o->y);
	for (int i = 0; i < o->nr_where; i++)
		n += (size_t)snprintf(sql + n, 4096 - n, " AND \"%.*s\" = ?",
				      (int)(strchr(o->where[i], '=') - o->where[i]), o->where[i]);
	/* Lines, and points on each, in the order the grid has them. */
	snprintf(sql + n, 4096 - n, " GROUP BY 1, 2 ORDER BY MIN(MIN(job)) OVER (PARTITION BY 1), "
		 "MIN(job)");
	return sql;
}

struct point {
	char *line, *x;
	double y;
	int count;
	bool numeric_x;
};

static int query_points(sqlite3 *db, const struct plot_opts *o, struct point **pts, int *nr)
{
	char *sql = build_query(o);
	sqlite3_stmt *st;
	int rc;

	*pts = NULL;
	*nr = 0;
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "mmsim sweep plot: %s\n", sql ? sqlite3_errmsg(db) : "out of memory");
		free(sql);
		return -EINVAL;
	}
	free(sql);
	for (int i = 0; i < o->nr_where; i++) {
		const char *v = strchr(o->where[i], '=') + 1;
		char *end;
		long long l = strtoll(v, &end, 10);

		if (*v && !*end)
			sqlite3_bind_int64(st, i + 1, l);
		else
			sqlite3_bind_text(st, i + 1, v, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct point *p = realloc(*pts, (size_t)(*nr + 1) * sizeof(*p));

		if (!p)
			break;
		*pts = p;
		p = &p[(*nr)++];
		p->line = strdup((const char *)sqlite3_column_text(st, 0));
		p->x = strdup((const char *)sqlite3_column_text(st, 1));
		p->y = sqlite3_column_double(st, 2);
		p->count = sqlite3_column_int(st, 3);
		p->numeric_x = sqlite3_column_type(st, 1) != SQLITE_TEXT;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -ENOMEM;
}

/* gnuplot's single-quoted strings: '' is a quote. */
static void gp_string(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* Where X sits on a text axis: its rank among the x values, in order of first appearance. */
static int text_position(const struct point *pts, int i)
{
	int pos = 0;

	for (int k = 0; k < i; k++) {
		bool earlier = false;

		for (int m = 0; m < k && !earlier; m++)
			earlier = !strcmp(pts[m].x, pts[k].x);
		if (earlier)
			continue;
		if (!strcmp(pts[k].x, pts[i].x))
			return pos;
		pos++;
	}
	return pos;
}

/* The data file: a block per line value, "x label y rows" (x numbered on a text axis). */
static int write_data(const char *path, const struct point *pts, int nr, bool numeric)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	for (int i = 0; i < nr; i++) {
		if (!i || strcmp(pts[i].line, pts[i - 1].line))
			fprintf(f, "%s# %s\n", i ? "\n\n" : "", pts[i].line);
		if (numeric)
			fprintf(f, "%s", pts[i].x);
		else
			fprintf(f, "%d", text_position(pts, i));
		fprintf(f, " %s %.17g %d\n", pts[i].x, pts[i].y, pts[i].count);
	}
	return fclose(f) ? -EIO : 0;
}

static int run_gnuplot(const char *script)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (!pid) {
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		fprintf(stderr, "mmsim sweep plot: cannot run gnuplot: %s (Debian: gnuplot-nox; "
			"scripts/deps.sh installs it)\n", strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	return 0;
}

static int write_script(const char *gp, const char *dat, const struct plot_opts *o,
			const char *out, const struct point *pts, int nr, bool numeric)
{
	FILE *f = fopen(gp, "w");
	const char *ext = strrchr(out, '.');
	int block = 0;

	if (!f)
		return -errno;
	if (ext && !strcmp(ext, ".svg"))
		fprintf(f, "set terminal svg size 900,600 dynamic\n");
	else
		fprintf(f, "set terminal pngcairo size 900,600\n");
	fprintf(f, "set output ");
	gp_string(f, out);
	fprintf(f, "\nset xlabel ");
	gp_string(f, o->x);
	fprintf(f, " noenhanced\nset ylabel ");
	gp_string(f, o->y);
	fprintf(f, " noenhanced\nset key outside right noenhanced\nset grid\n");
	if (!numeric)
		fprintf(f, "set xtics rotate by -30 noenhanced\nset offsets 0.5, 0.5, 0, 0\n");
	fprintf(f, "plot ");
	for (int i = 0; i < nr; i++) {
		if (i && !strcmp(pts[i].line, pts[i - 1].line))
			continue;
		fprintf(f, "%s", block ? ", \\\n     " : "");
		gp_string(f, dat);
		fprintf(f, numeric ? " index %d using 1:3 with linespoints title " :
			" index %d using 1:3:xtic(2) with linespoints title ", block);
		gp_string(f, o->lines ? pts[i].line : o->y);
		block++;
	}
	fprintf(f, "\n");
	return fclose(f) ? -EIO : 0;
}

int sweep_plot(int argc, char **argv)
{
	char db_path[PATH_MAX], dat[PATH_MAX], gp[PATH_MAX], out[PATH_MAX];
	struct plot_opts o;
	struct point *pts = NULL;
	sqlite3 *db = NULL;
	bool numeric = true;
	int nr = 0, ret = 0;

	if (parse_plot(argc, argv, &o)) {
		fprintf(stderr, "usage: mmsim sweep plot DIR --y METRIC --x PARAM [--lines PARAM] "
			"[--where PARAM=VALUE]... [--out FILE.png|FILE.svg]\n");
		return 2;
	}
	snprintf(db_path, sizeof(db_path), "%s/results.sqlite", o.dir);
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "mmsim sweep plot: %s: %s (run mmsim sweep collect first)\n",
			db_path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return 2;
	}
	ret = check_columns(db, db_path, &o);
	if (!ret)
		ret = query_points(db, &o, &pts, &nr);
	sqlite3_close(db);
	if (!ret && !nr) {
		fprintf(stderr, "mmsim sweep plot: no job with outcome ok has a value of '%s'\n", o.y);
		ret = -ENOENT;
	}
	for (int i = 0; i < nr; i++)
		numeric &= pts[i].numeric_x;
	snprintf(out, sizeof(out), "%s", o.out ? o.out : "");
	if (!o.out)
		snprintf(out, sizeof(out), "%s/plot-%s-%s.png", o.dir, o.y, o.x);
	if (!ret && (sweep_path(dat, sizeof(dat), out, ".dat") ||
		     sweep_path(gp, sizeof(gp), out, ".gp")))
		ret = -ENAMETOOLONG;
	if (!ret)
		ret = write_data(dat, pts, nr, numeric);
	if (!ret)
		ret = write_script(gp, dat, &o, out, pts, nr, numeric);
	for (int i = 0; i < nr; i++) {
		free(pts[i].line);
		free(pts[i].x);
	}
	free(pts);
	if (ret)
		return 2;
	if (run_gnuplot(gp))
		return 2;
	printf("%s (data %s, script %s)\n", out, dat, gp);
	return 0;
}
