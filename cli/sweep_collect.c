// SPDX-License-Identifier: MIT
/*
 * mmsim sweep collect: every job's outcome, timing and JSON result, one row a
 * job, into DIR/results.csv and DIR/results.sqlite (Debian's libsqlite3; the
 * whole JSON is kept too, for SQLite's json_extract()), and the failures listed.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "sweep.h"

static char *read_text(const char *path, size_t max)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	n = buf ? fread(buf, 1, max, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* A one-element array stands for its element: `mmsim run --json FILE` prints [ {...} ]. */
static const cJSON *unwrap(const cJSON *j)
{
	while (cJSON_IsArray(j) && cJSON_GetArraySize(j) == 1)
		j = cJSON_GetArrayItem(j, 0);
	return j;
}

/* The shortest text that reads back as D: 0.01478, not 0.014779999999999999. */
static void number_text(double d, char *out, size_t len)
{
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(out, len, "%.0f", d);
		return;
	}
	snprintf(out, len, "%.15g", d);
	if (strtod(out, NULL) != d)
		snprintf(out, len, "%.17g", d);
}

static void scalar_text(const cJSON *j, char *out, size_t len)
{
	if (cJSON_IsString(j))
		snprintf(out, len, "%s", j->valuestring);
	else if (cJSON_IsBool(j))
		snprintf(out, len, "%d", cJSON_IsTrue(j) ? 1 : 0);
	else if (cJSON_IsNumber(j))
		number_text(j->valuedouble, out, len);
	else
		out[0] = '\0';
}

/* The element of array J whose member NAME reads VALUE. */
static const cJSON *select_item(const cJSON *j, const char *name, const char *value)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, j) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(item, name);
		char text[256];

		if (!m)
			continue;
		scalar_text(m, text, sizeof(text));
		if (!strcmp(text, value))
			return item;
	}
	return NULL;
}

bool sweep_json_path(const cJSON *doc, const char *path, char *out, size_t len)
{
	char seg[256];
	const char *p = path;
	const cJSON *j = doc;

	out[0] = '\0';
	while (j && *p) {
		size_t n = strcspn(p, ".");
		char *eq, *end;
		long idx;

		snprintf(seg, sizeof(seg), "%.*s", (int)n, p);
		p += n + (p[n] == '.');
		idx = strtol(seg, &end, 10);
		if (cJSON_IsArray(j) && seg[0] && !*end) {
			j = cJSON_GetArrayItem(j, (int)idx);
			continue;
		}
		eq = strchr(seg, '=');
		if (eq && cJSON_IsArray(j)) {
			*eq = '\0';
			j = select_item(j, seg, eq + 1);
			continue;
		}
		j = cJSON_GetObjectItemCaseSensitive(unwrap(j), seg);
	}
	if (!j || cJSON_IsArray(j) || cJSON_IsObject(j))
		return false;
	scalar_text(j, out, len);
	return true;
}

cJSON *sweep_read_json(const char *dir, const char *key, const struct sweep_grid *g)
{
	char path[PATH_MAX], *text;
	cJSON *doc;

	sweep_job_path(path, sizeof(path), dir, key,
		       sweep_json_to_file(g) ? "result.json" : "stdout");
	text = read_text(path, 64 << 20);
	if (!text)
		return NULL;
	doc = cJSON_Parse(text);
	free(text);
	return doc;
}

static bool ok_status(const struct sweep_grid *g, int status)
{
	for (int i = 0; i < g->nr_ok_exit; i++)
		if (g->ok_exit[i] == status)
			return true;
	return false;
}

int sweep_read_outcome(const char *dir, const char *key, const struct sweep_grid *g,
		       struct sweep_outcome *o)
{
	char path[PATH_MAX], *text;
	cJSON *m, *doc;
	const cJSON *v;

	memset(o, 0, sizeof(*o));
	o->exit_status = -1;
	snprintf(o->outcome, sizeof(o->outcome), "missing");
	if (sweep_job_path(path, sizeof(path), dir, key, "meta.json"))
		return -ENAMETOOLONG;
	text = read_text(path, 1 << 16);
	if (!text)
		return 0;
	m = cJSON_Parse(text);
	free(text);
	if (!m)
		return -EINVAL;
	o->done = true;
	o->exit_status = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(m, "exit_status"));
	o->signal = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(m, "signal"));
	o->seconds = cJSON_GetNumberValue(cJSON_GetObjectItem(m, "seconds"));
	if ((v = cJSON_GetObjectItem(m, "started")) && cJSON_IsString(v))
		snprintf(o->started, sizeof(o->started), "%s", v->valuestring);
	if ((v = cJSON_GetObjectItem(m, "host")) && cJSON_IsString(v))
		snprintf(o->host, sizeof(o->host), "%s", v->valuestring);
	if ((v = cJSON_GetObjectItem(m, "version")) && cJSON_IsString(v))
		snprintf(o->version, sizeof(o->version), "%s", v->valuestring);
	if (cJSON_IsTrue(cJSON_GetObjectItem(m, "timed_out"))) {
		snprintf(o->outcome, sizeof(o->outcome), "timeout");
	} else if (o->signal) {
		snprintf(o->outcome, sizeof(o->outcome), "signal %d", o->signal);
	} else if (!ok_status(g, o->exit_status)) {
		snprintf(o->outcome, sizeof(o->outcome), "exit %d", o->exit_status);
	} else {
		doc = sweep_read_json(dir, key, g);
		o->ok = doc != NULL;
		snprintf(o->outcome, sizeof(o->outcome), doc ? "ok" : "bad json");
		cJSON_Delete(doc);
	}
	cJSON_Delete(m);
	return 0;
}

/* ---- the table ---- */

struct row {
	int job;
	char key[17];
	char **values;		/* one per parameter */
	struct sweep_outcome o;
	cJSON *doc;
	char *json;		/* the result as the job wrote it */
};

struct table {
	char **params;
	int nr_params;
	char **metric_names, **metric_paths;
	int nr_metrics;
	struct row *rows;
	int nr;
};

static int push(char ***list, int *nr, const char *s)
{
	char **l = realloc(*list, (size_t)(*nr + 1) * sizeof(*l));

	if (!l)
		return -ENOMEM;
	*list = l;
	l[*nr] = strdup(s);
	if (!l[*nr])
		return -ENOMEM;
	(*nr)++;
	return 0;
}

/* Splits LINE at tabs into at most MAX fields, in place. */
static int split_tabs(char *line, char **fields, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		fields[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static int read_jobs(const char *dir, const struct sweep_grid *g, struct table *t)
{
	char path[PATH_MAX], line[8192], *f[258];
	FILE *in;
	int n, ret = 0;

	snprintf(path, sizeof(path), "%s/jobs.tsv", dir);
	in = fopen(path, "r");
	if (!in || !fgets(line, sizeof(line), in)) {
		fprintf(stderr, "mmsim sweep collect: %s: %s\n", path,
			in ? "empty" : strerror(errno));
		if (in)
			fclose(in);
		return -ENOENT;
	}
	n = split_tabs(line, f, 258);
	for (int i = 2; i < n && !ret; i++)
		ret = push(&t->params, &t->nr_params, f[i]);
	while (!ret && fgets(line, sizeof(line), in)) {
		struct row *r = realloc(t->rows, (size_t)(t->nr + 1) * sizeof(*r));

		if (!r) {
			ret = -ENOMEM;
			break;
		}
		t->rows = r;
		r = &t->rows[t->nr++];
		memset(r, 0, sizeof(*r));
		if (split_tabs(line, f, 258) != t->nr_params + 2 || strlen(f[1]) != 16) {
			fprintf(stderr, "mmsim sweep collect: %s:%d: not a job line\n", path, t->nr + 1);
			ret = -EINVAL;
			break;
		}
		r->job = atoi(f[0]);
		snprintf(r->key, sizeof(r->key), "%s", f[1]);
		r->values = calloc((size_t)t->nr_params + 1, sizeof(char *));
		for (int i = 0; r->values && i < t->nr_params; i++)
			r->values[i] = strdup(f[i + 2]);
		ret = r->values ? sweep_read_outcome(dir, r->key, g, &r->o) : -ENOMEM;
		if (!ret && r->o.done) {
			r->doc = sweep_read_json(dir, r->key, g);
			r->json = r->doc ? cJSON_PrintUnformatted(r->doc) : NULL;
		}
	}
	fclose(in);
	return ret;
}

static bool name_taken(const struct table *t, const char *name)
{
	static const char *const fixed[] = { "job", "key", "outcome", "exit_status", "signal",
		"seconds", "started", "host", "version", "json", "stderr", NULL };

	for (int i = 0; fixed[i]; i++)
		if (!strcmp(fixed[i], name))
			return true;
	for (int i = 0; i < t->nr_params; i++)
		if (!strcmp(t->params[i], name))
			return true;
	for (int i = 0; i < t->nr_metrics; i++)
		if (!strcmp(t->metric_names[i], name))
			return true;
	return false;
}

/* Without [metrics]: every scalar member of the results' top-level objects. */
static int default_metrics(struct table *t)
{
	int ret = 0;

	for (int n = 0; n < t->nr && !ret; n++) {
		const cJSON *top = unwrap(t->rows[n].doc), *m;

		if (!cJSON_IsObject(top))
			continue;
		cJSON_ArrayForEach(m, top) {
			char name[128];
			bool known = false;

			if (cJSON_IsArray(m) || cJSON_IsObject(m))
				continue;
			for (int i = 0; i < t->nr_metrics && !known; i++)
				known = !strcmp(t->metric_paths[i], m->string);
			if (known)
				continue;
			/* A column name: letters, digits and _, not a parameter's. */
			snprintf(name, sizeof(name), "%s%s", m->string[0] >= '0' && m->string[0] <= '9'
				 ? "_" : "", m->string);
			for (char *c = name; *c; c++)
				if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
				      (*c >= '0' && *c <= '9')))
					*c = '_';
			if (name_taken(t, name)) {
				char prefixed[sizeof(name)];

				if (sweep_path(prefixed, sizeof(prefixed), "json_", name) ||
				    name_taken(t, prefixed))
					continue;
				memcpy(name, prefixed, sizeof(name));
			}
			ret = push(&t->metric_names, &t->nr_metrics, name);
			if (!ret) {
				t->nr_metrics--;
				ret = push(&t->metric_paths, &t->nr_metrics, m->string);
			}
		}
	}
	return ret;
}

static int load_table(const char *dir, const struct sweep_grid *g, struct table *t)
{
	int ret = read_jobs(dir, g, t);

	for (int i = 0; !ret && i < g->nr_metrics; i++) {
		ret = push(&t->metric_names, &t->nr_metrics, g->metrics[i].name);
		if (!ret) {
			t->nr_metrics--;
			ret = push(&t->metric_paths, &t->nr_metrics, g->metrics[i].path);
		}
	}
	if (!ret && !g->nr_metrics)
		ret = default_metrics(t);
	return ret;
}

static void free_table(struct table *t)
{
	for (int n = 0; n < t->nr; n++) {
		for (int i = 0; t->rows[n].values && i < t->nr_params; i++)
			free(t->rows[n].values[i]);
		free(t->rows[n].values);
		cJSON_Delete(t->rows[n].doc);
		free(t->rows[n].json);
	}
	free(t->rows);
	for (int i = 0; i < t->nr_params; i++)
		free(t->params[i]);
	free(t->params);
	for (int i = 0; i < t->nr_metrics; i++) {
		free(t->metric_names[i]);
		free(t->metric_paths[i]);
	}
	free(t->metric_names);
	free(t->metric_paths);
}

/* ---- CSV ---- */

static void csv_field(FILE *f, const char *s, bool first)
{
	if (!first)
		fputc(',', f);
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void metric_text(const struct row *r, const struct table *t, int i, char *out, size_t len)
{
	out[0] = '\0';
	if (r->doc)
		sweep_json_path(r->doc, t->metric_paths[i], out, len);
}

static int write_csv(const char *dir, const struct table *t)
{
	char path[PATH_MAX], tmp[PATH_MAX], text[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	if (sweep_path(tmp, sizeof(tmp), path, ".tmp"))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fputs("job,key", f);
	for (int i = 0; i < t->nr_params; i++)
		csv_field(f, t->params[i], false);
	fputs(",outcome,exit_status,signal,seconds,started,host,version", f);
	for (int i = 0; i < t->nr_metrics; i++)
		csv_field(f, t->metric_names[i], false);
	fputc('\n', f);
	for (int n = 0; n < t->nr; n++) {
		const struct row *r = &t->rows[n];

		fprintf(f, "%d,%s", r->job, r->key);
		for (int i = 0; i < t->nr_params; i++)
			csv_field(f, r->values[i], false);
		csv_field(f, r->o.outcome, false);
		if (r->o.done)
			fprintf(f, ",%d,%d,%.3f", r->o.exit_status, r->o.signal, r->o.seconds);
		else
			fputs(",,,", f);
		csv_field(f, r->o.started, false);
		csv_field(f, r->o.host, false);
		csv_field(f, r->o.version, false);
		for (int i = 0; i < t->nr_metrics; i++) {
			metric_text(r, t, i, text, sizeof(text));
			csv_field(f, text, false);
		}
		fputc('\n', f);
	}
	if (fclose(f))
		return -EIO;
	return rename(tmp, path) ? -errno : 0;
}

/* ---- SQLite ---- */

/* A value as SQLite should keep it: numbers as numbers, so ORDER BY and AVG work. */
static void bind_text_or_number(sqlite3_stmt *st, int col, const char *s)
{
	char *end;
	double d;

	if (!s || !*s) {
		sqlite3_bind_null(st, col);
		return;
	}
	d = strtod(s, &end);
	if (!*end && !strpbrk(s, "xXnN") && !(s[0] == '0' && s[1] >= '0' && s[1] <= '9')) {
		if (d == floor(d) && fabs(d) < 9e15)
			sqlite3_bind_int64(st, col, (sqlite3_int64)d);
		else
			sqlite3_bind_double(st, col, d);
	} else {
		sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
	}
}

static char *create_sql(const struct table *t)
{
	size_t cap = 1024 + 64 * (size_t)(t->nr_params + t->nr_metrics);
	char *sql = malloc(cap);
	size_t n;

	if (!sql)
		return NULL;
	n = (size_t)snprintf(sql, cap, "CREATE TABLE results(job INTEGER PRIMARY KEY, key TEXT");
	/* Parameters and metrics have no declared type: each value keeps its own. */
	for (int i = 0; i < t->nr_params; i++)
		n += (size_t)snprintf(sql + n, cap - n, ", \"%s\"", t->params[i]);
	n += (size_t)snprintf(sql + n, cap - n, ", outcome TEXT, exit_status INTEGER, signal INTEGER,"
			      " seconds REAL, started TEXT, host TEXT, version TEXT");
	for (int i = 0; i < t->nr_metrics; i++)
		n += (size_t)snprintf(sql + n, cap - n, ", \"%s\"", t->metric_names[i]);
	snprintf(sql + n, cap - n, ", json TEXT, stderr TEXT)");
	return sql;
}

static char *insert_sql(const struct table *t)
{
	int cols = 2 + t->nr_params + 7 + t->nr_metrics + 2;
	char *sql = malloc(64 + 2 * (size_t)cols);
	size_t n;

	if (!sql)
		return NULL;
	n = (size_t)sprintf(sql, "INSERT INTO results VALUES(?");
	for (int i = 1; i < cols; i++)
		n += (size_t)sprintf(sql + n, ",?");
	sprintf(sql + n, ")");
	return sql;
}

static char *stderr_tail(const char *dir, const char *key, size_t max)
{
	char path[PATH_MAX], *text;
	size_t n;

	sweep_job_path(path, sizeof(path), dir, key, "stderr");
	text = read_text(path, 1 << 20);
	if (!text)
		return NULL;
	n = strlen(text);
	if (n > max) {
		memmove(text, text + n - max, max + 1);
	}
	return text;
}

static int insert_rows(const char *dir, sqlite3 *db, sqlite3_stmt *st, const struct table *t)
{
	char text[512];
	int ret = 0;

	for (int n = 0; n < t->nr && !ret; n++) {
		const struct row *r = &t->rows[n];
		char *err = r->o.done && !r->o.ok ? stderr_tail(dir, r->key, 4096) : NULL;
		int c = 1;

		sqlite3_reset(st);
		sqlite3_bind_int(st, c++, r->job);
		sqlite3_bind_text(st, c++, r->key, -1, SQLITE_TRANSIENT);
		for (int i = 0; i < t->nr_params; i++)
			bind_text_or_number(st, c++, r->values[i]);
		sqlite3_bind_text(st, c++, r->o.outcome, -1, SQLITE_TRANSIENT);
		if (r->o.done) {
			sqlite3_bind_int(st, c++, r->o.exit_status);
			sqlite3_bind_int(st, c++, r->o.signal);
			sqlite3_bind_double(st, c++, r->o.seconds);
		} else {
			c += 3;	/* left NULL: bindings are cleared after each row */
		}
		bind_text_or_number(st, c++, r->o.started);
		bind_text_or_number(st, c++, r->o.host);
		bind_text_or_number(st, c++, r->o.version);
		for (int i = 0; i < t->nr_metrics; i++) {
			metric_text(r, t, i, text, sizeof(text));
			bind_text_or_number(st, c++, text);
		}
		if (r->json)
			sqlite3_bind_text(st, c++, r->json, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, c++);
		if (err)
			sqlite3_bind_text(st, c++, err, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, c++);
		free(err);
		if (sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "mmsim sweep collect: %s\n", sqlite3_errmsg(db));
			ret = -EIO;
		}
		sqlite3_clear_bindings(st);
	}
	return ret;
}

static int write_sqlite(const char *dir, const struct table *t)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	char *create = create_sql(t), *insert = insert_sql(t);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ret = -EIO;

	snprintf(path, sizeof(path), "%s/results.sqlite", dir);
	if (sweep_path(tmp, sizeof(tmp), path, ".tmp"))
		goto out;
	unlink(tmp);
	if (!create || !insert || sqlite3_open(tmp, &db) != SQLITE_OK)
		goto out;
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, create, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, insert, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "mmsim sweep collect: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	ret = insert_rows(dir, db, st, t);
	if (!ret && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ret = -EIO;
out:
	sqlite3_finalize(st);
	if (db && sqlite3_close(db) != SQLITE_OK)
		ret = -EIO;
	free(create);
	free(insert);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* ---- report ---- */

static void report_failure(const char *dir, const struct table *t, const struct row *r)
{
	char *err = stderr_tail(dir, r->key, 600);

	printf("job %d (", r->job);
	for (int i = 0; i < t->nr_params; i++)
		printf("%s%s=%s", i ? " " : "", t->params[i], r->values[i]);
	printf(") %s: %s\n", r->o.done ? "failed" : "has no result", r->o.outcome);
	if (err && *err) {
		char *line = err, *nl;

		/* The tail's first line may be cut: drop it unless it is the start. */
		if (strlen(err) == 600 && (nl = strchr(err, '\n')))
			line = nl + 1;
		for (; *line; line = nl + 1) {
			nl = strchrnul(line, '\n');
			printf("  stderr: %.*s\n", (int)(nl - line), line);
			if (!*nl)
				break;
		}
	}
	printf("  %s/jobs/%s/\n", dir, r->key);
	free(err);
}

int sweep_collect(const char *dir, bool quiet)
{
	char grid[PATH_MAX], err[512];
	struct sweep_grid g;
	struct table t = { 0 };
	int ok = 0, failed = 0, missing = 0, ret;

	snprintf(grid, sizeof(grid), "%s/grid.ini", dir);
	if (sweep_grid_load(grid, &g, err, sizeof(err))) {
		fprintf(stderr, "mmsim sweep collect: %s (is %s a sweep's --out?)\n", err, dir);
		return 2;
	}
	ret = load_table(dir, &g, &t);
	if (!ret)
		ret = write_csv(dir, &t);
	if (!ret)
		ret = write_sqlite(dir, &t);
	if (ret) {
		fprintf(stderr, "mmsim sweep collect: %s: %s\n", dir, strerror(-ret));
		free_table(&t);
		sweep_grid_free(&g);
		return 2;
	}
	for (int n = 0; n < t.nr; n++) {
		const struct row *r = &t.rows[n];

		if (r->o.ok) {
			ok++;
			continue;
		}
		r->o.done ? failed++ : missing++;
		if (!quiet)
			report_failure(dir, &t, r);
	}
	printf("mmsim sweep %s: %d jobs: %d ok, %d failed, %d without a result; "
	       "%s/results.csv, %s/results.sqlite\n", g.name, t.nr, ok, failed, missing, dir, dir);
	free_table(&t);
	sweep_grid_free(&g);
	return failed || missing ? 1 : 0;
}
