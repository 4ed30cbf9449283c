// SPDX-License-Identifier: MIT
/*
 * The grid file of mmsim sweep and its expansion into jobs. The grid is INI,
 * read by Debian's libinih: a grid is flat (a few sections of "key = list of
 * words"), which INI says with no nesting, quoting or implicit typing (YAML
 * would read a scheme named "no" as false), and inih is a small, packaged C
 * parser that reports the line of an error. Bookworm packages no C TOML parser.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>
#include <xxhash.h>

#include "sweep.h"

/* The columns every results row has: no parameter or metric may take these names. */
static const char *const fixed_columns[] = {
	"job", "key", "outcome", "exit_status", "signal", "seconds", "started", "host",
	"version", "json", "stderr", NULL,
};

struct grid_ctx {
	struct sweep_grid *g;
	FILE *f;
	int line;		/* the line inih is on: counted by our reader */
	int section_line;	/* where the current [section] began */
	char *err;
	size_t len;
};

static void fail(struct grid_ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->len, "%s:%d: %s", c->g->path, c->line, msg);
}

/* fgets for inih, counting lines so errors can say where. */
static char *reader(char *buf, int size, void *stream)
{
	struct grid_ctx *c = stream;
	char *s = fgets(buf, size, c->f);

	if (s) {
		c->line++;
		if (s[strspn(s, " \t")] == '[')
			c->section_line = c->line;
	}
	return s;
}

/* Appends the whitespace-separated words of VALUE to *list. */
static int add_words(char ***list, int *nr, const char *value)
{
	const char *p = value;

	while (*p) {
		size_t n;
		char **l;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (!n)
			break;
		l = realloc(*list, (size_t)(*nr + 2) * sizeof(**list));
		if (!l)
			return -ENOMEM;
		*list = l;
		l[*nr] = strndup(p, n);
		if (!l[*nr])
			return -ENOMEM;
		l[++*nr] = NULL;
		p += n;
	}
	return 0;
}

static bool is_identifier(const char *s)
{
	if (!*s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* A name for a results column: an identifier, not a fixed column's. */
static bool column_name_ok(struct grid_ctx *c, const char *name, const char *what)
{
	if (!is_identifier(name)) {
		fail(c, "%s name '%s' is not an identifier (letters, digits, _)", what, name);
		return false;
	}
	for (int i = 0; fixed_columns[i]; i++)
		if (!strcmp(name, fixed_columns[i])) {
			fail(c, "%s name '%s' is taken by a results column", what, name);
			return false;
		}
	return true;
}

static bool column_taken(const struct sweep_grid *g, const char *name)
{
	for (int i = 0; i < g->nr_params; i++)
		if (!strcmp(g->params[i].name, name))
			return true;
	for (int i = 0; i < g->nr_metrics; i++)
		if (!strcmp(g->metrics[i].name, name))
			return true;
	return false;
}

static struct sweep_param *find_param(struct sweep_grid *g, const char *name)
{
	for (int i = 0; i < g->nr_params; i++)
		if (!strcmp(g->params[i].name, name))
			return &g->params[i];
	return NULL;
}

static int parse_int_list(struct grid_ctx *c, const char *value, int *out, int max, int *nr)
{
	char **words = NULL;
	int n = 0, ret = add_words(&words, &n, value);

	for (int i = 0; !ret && i < n; i++) {
		char *end;
		long v = strtol(words[i], &end, 10);

		if (*end || v < 0 || v > 255 || *nr >= max) {
			fail(c, "'%s' is not an exit status (0-255, at most %d of them)", words[i], max);
			ret = -EINVAL;
		} else {
			out[(*nr)++] = (int)v;
		}
	}
	for (int i = 0; i < n; i++)
		free(words[i]);
	free(words);
	return ret;
}

static int parse_count(struct grid_ctx *c, const char *name, const char *value, int *out)
{
	char *end;
	long v = strtol(value, &end, 10);

	if (!*value || *end || v < 0 || v > INT_MAX) {
		fail(c, "%s must be a whole number of 0 or more, not '%s'", name, value);
		return -EINVAL;
	}
	*out = (int)v;
	return 0;
}

static int sweep_key(struct grid_ctx *c, const char *name, const char *value)
{
	struct sweep_grid *g = c->g;

	if (!strcmp(name, "name")) {
		free(g->name);
		g->name = strdup(value);
		return g->name ? 0 : -ENOMEM;
	}
	if (!strcmp(name, "command"))
		return add_words(&g->command, &g->nr_command, value);
	if (!strcmp(name, "inputs"))
		return add_words(&g->inputs, &g->nr_inputs, value);
	if (!strcmp(name, "ok_exit"))
		return parse_int_list(c, value, g->ok_exit, SWEEP_MAX_OK_EXIT, &g->nr_ok_exit);
	if (!strcmp(name, "timeout"))
		return parse_count(c, name, value, &g->timeout);
	if (!strcmp(name, "jobs"))
		return parse_count(c, name, value, &g->jobs);
	fail(c, "unknown key '%s' in [sweep] (name, command, inputs, ok_exit, timeout, jobs)",
	     name);
	return -EINVAL;
}

static int params_key(struct grid_ctx *c, const char *name, const char *value)
{
	struct sweep_grid *g = c->g;
	struct sweep_param *p = find_param(g, name);

	if (!p) {
		if (!column_name_ok(c, name, "parameter") || !strcmp(name, "input")) {
			if (!strcmp(name, "input"))
				fail(c, "'input' is the parameter [sweep] inputs makes");
			return -EINVAL;
		}
		p = realloc(g->params, (size_t)(g->nr_params + 1) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		g->params = p;
		p = &g->params[g->nr_params++];
		memset(p, 0, sizeof(*p));
		p->line = c->line;
		p->name = strdup(name);
		if (!p->name)
			return -ENOMEM;
	}
	/* A continuation line, or the key again, adds values. */
	return add_words(&p->values, &p->nr, value);
}

static int metrics_key(struct grid_ctx *c, const char *name, const char *value)
{
	struct sweep_grid *g = c->g;
	struct sweep_metric *m;

	if (!column_name_ok(c, name, "metric"))
		return -EINVAL;
	if (column_taken(g, name)) {
		fail(c, "metric '%s' is named twice, or like a parameter", name);
		return -EINVAL;
	}
	if (!*value || strchr(value, ' ')) {
		fail(c, "metric '%s' needs one JSON path (a.b.2.name=x.c), not '%s'", name, value);
		return -EINVAL;
	}
	m = realloc(g->metrics, (size_t)(g->nr_metrics + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	g->metrics = m;
	m = &g->metrics[g->nr_metrics++];
	m->name = strdup(name);
	m->path = strdup(value);
	return m->name && m->path ? 0 : -ENOMEM;
}

static int slurm_key(struct grid_ctx *c, const char *name, const char *value)
{
	struct sweep_grid *g = c->g;

	if (!strcmp(name, "options"))
		return add_words(&g->slurm_options, &g->nr_slurm_options, value);
	if (!strcmp(name, "chunk"))
		return parse_count(c, name, value, &g->slurm_chunk);
	fail(c, "unknown key '%s' in [slurm] (options, chunk)", name);
	return -EINVAL;
}

/* inih's handler: nonzero goes on, zero stops with our message in c->err. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct grid_ctx *c = user;
	int ret;

	if (!strcmp(section, "sweep")) {
		ret = sweep_key(c, name, value);
	} else if (!strcmp(section, "params")) {
		ret = params_key(c, name, value);
	} else if (!strcmp(section, "metrics")) {
		ret = metrics_key(c, name, value);
	} else if (!strcmp(section, "slurm")) {
		ret = slurm_key(c, name, value);
	} else {
		c->line = c->section_line;
		fail(c, "unknown section [%s] (sweep, params, metrics, slurm)", section);
		return 0;
	}
	if (ret == -ENOMEM)
		fail(c, "out of memory");
	return ret == 0;
}

/* Every {name} in the template names a parameter, "input" or "json". */
static int check_template(struct grid_ctx *c)
{
	struct sweep_grid *g = c->g;

	for (int w = 0; w < g->nr_command; w++) {
		const char *p = g->command[w];

		while ((p = strchr(p, '{'))) {
			const char *e = strchr(p, '}');
			char name[64];

			if (!e || (size_t)(e - p - 1) >= sizeof(name)) {
				fail(c, "command word '%s' opens a { it does not close", g->command[w]);
				return -EINVAL;
			}
			snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
			if (strcmp(name, "json") && !find_param(g, name)) {
				fail(c, "command uses {%s}, which no parameter (or inputs) defines", name);
				return -EINVAL;
			}
			p = e + 1;
		}
	}
	return 0;
}

/* Every parameter appears in the template: otherwise its cells would be the same job. */
static int check_params_used(struct grid_ctx *c)
{
	struct sweep_grid *g = c->g;

	for (int i = 0; i < g->nr_params; i++) {
		char ref[80];
		bool used = false;

		snprintf(ref, sizeof(ref), "{%s}", g->params[i].name);
		for (int w = 0; w < g->nr_command && !used; w++)
			used = strstr(g->command[w], ref) != NULL;
		c->line = g->params[i].line;
		if (!used) {
			fail(c, "parameter '%s' is not used by the command (write %s in it)",
			     g->params[i].name, ref);
			return -EINVAL;
		}
		if (!g->params[i].nr && !(i == 0 && g->nr_inputs)) {
			fail(c, "parameter '%s' has no values", g->params[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

/* "input" becomes the first parameter; its values are filled by sweep_expand. */
static int add_input_param(struct sweep_grid *g)
{
	struct sweep_param *p = realloc(g->params, (size_t)(g->nr_params + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	g->params = p;
	memmove(p + 1, p, (size_t)g->nr_params * sizeof(*p));
	memset(p, 0, sizeof(*p));
	g->nr_params++;
	p->name = strdup("input");
	return p->name ? 0 : -ENOMEM;
}

static int validate(struct grid_ctx *c)
{
	struct sweep_grid *g = c->g;
	int ret;

	if (!g->nr_command) {
		fail(c, "no [sweep] command (e.g. command = run --json --scheme {scheme} {input})");
		return -EINVAL;
	}
	if ((!strcmp(g->command[0], "bench") || !strcmp(g->command[0], "exec")) &&
	    g->nr_command < 2) {
		fail(c, "command '%s' needs a program after it", g->command[0]);
		return -EINVAL;
	}
	if (g->nr_inputs) {
		ret = add_input_param(g);
		if (ret)
			return ret;
	}
	ret = check_template(c);
	if (!ret)
		ret = check_params_used(c);
	if (g->nr_inputs)
		g->params[0].line = 0;
	return ret;
}

static char *dir_of(const char *path)
{
	char buf[PATH_MAX], *slash;

	/* A path that does not exist (yet) keeps its own directory part. */
	if (!realpath(path, buf) && snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return NULL;
	slash = strrchr(buf, '/');
	if (!slash)
		return strdup(".");
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return strdup(buf);
}

static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	const char *dot;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	return strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

int sweep_grid_load(const char *path, struct sweep_grid *g, char *err, size_t len)
{
	struct grid_ctx c = { .g = g, .err = err, .len = len };
	int ret;

	memset(g, 0, sizeof(*g));
	err[0] = '\0';
	g->path = strdup(path);
	c.f = fopen(path, "r");
	if (!g->path || !c.f) {
		ret = -errno;
		snprintf(err, len, "%s: %s", path, strerror(errno));
		if (c.f)
			fclose(c.f);
		return ret;
	}
	g->dir = dir_of(path);
	ret = ini_parse_stream(reader, &c, handler, &c);
	fclose(c.f);
	if (ret > 0 && !err[0])
		snprintf(err, len, "%s:%d: not a line of INI (key = value, [section] or # comment)",
			 path, ret);
	if (ret)
		return -EINVAL;
	if (!g->name)
		g->name = base_name(path);
	if (!g->nr_ok_exit)
		g->nr_ok_exit = 1;	/* ok_exit[0] is 0 */
	c.line = 0;
	ret = validate(&c);
	if (ret == -ENOMEM)
		snprintf(err, len, "%s: out of memory", path);
	return ret;
}

static void free_words(char **w, int n)
{
	for (int i = 0; w && i < n; i++)
		free(w[i]);
	free(w);
}

void sweep_grid_free(struct sweep_grid *g)
{
	free(g->path);
	free(g->dir);
	free(g->name);
	free_words(g->command, g->nr_command);
	free_words(g->inputs, g->nr_inputs);
	for (int i = 0; i < g->nr_params; i++) {
		free(g->params[i].name);
		free_words(g->params[i].values, g->params[i].nr);
	}
	free(g->params);
	for (int i = 0; i < g->nr_metrics; i++) {
		free(g->metrics[i].name);
		free(g->metrics[i].path);
	}
	free(g->metrics);
	free_words(g->slurm_options, g->nr_slurm_options);
	memset(g, 0, sizeof(*g));
}

bool sweep_json_to_file(const struct sweep_grid *g)
{
	for (int w = 0; w < g->nr_command; w++)
		if (strstr(g->command[w], "{json}"))
			return true;
	return false;
}

/*
 * The inputs: each glob relative to the grid's directory, its matches sorted;
 * a glob that matches nothing is an error (a typo would silently shrink the grid).
 * paths get the absolute names, labels what the results call them.
 */
static int glob_inputs(const struct sweep_grid *g, char ***paths, char ***labels, int *nr,
		       char *err, size_t len)
{
	int ret = 0;

	*paths = *labels = NULL;
	*nr = 0;
	for (int i = 0; i < g->nr_inputs && !ret; i++) {
		char pattern[PATH_MAX];
		glob_t gl;

		if (g->inputs[i][0] == '/')
			snprintf(pattern, sizeof(pattern), "%s", g->inputs[i]);
		else
			snprintf(pattern, sizeof(pattern), "%s/%s", g->dir, g->inputs[i]);
		if (glob(pattern, 0, NULL, &gl)) {
			snprintf(err, len, "%s: inputs: '%s' matches no file", g->path, g->inputs[i]);
			return -ENOENT;
		}
		for (size_t k = 0; k < gl.gl_pathc && !ret; k++) {
			char abs[PATH_MAX];

			if (!realpath(gl.gl_pathv[k], abs)) {
				snprintf(err, len, "%s: %s", gl.gl_pathv[k], strerror(errno));
				ret = -errno;
				break;
			}
			ret = add_words(paths, nr, abs);
			if (!ret) {
				int n = *nr - 1;
				char *label = base_name(abs);

				ret = label && !strpbrk(label, " \t") ? add_words(labels, &n, label) : -EINVAL;
				free(label);
				if (ret == -EINVAL)
					snprintf(err, len, "%s: input '%s' has a blank in its name",
						 g->path, abs);
			}
		}
		globfree(&gl);
	}
	/* Two inputs with one base name are told apart by their whole paths. */
	for (int i = 0; i < *nr && !ret; i++)
		for (int k = i + 1; k < *nr; k++)
			if (!strcmp((*labels)[i], (*labels)[k])) {
				for (int m = 0; m < *nr; m++) {
					free((*labels)[m]);
					(*labels)[m] = strdup((*paths)[m]);
				}
				return 0;
			}
	return ret;
}

/* WORD with every {name} replaced by the job's value; {json} stays. */
static char *substitute(const struct sweep_grid *g, const char *word, char *const *values,
			const char *input_path)
{
	size_t cap = strlen(word) + 1, n = 0;
	char *out = malloc(cap);
	const char *p = word;

	while (out && *p) {
		const char *e = *p == '{' ? strchr(p, '}') : NULL;
		const char *val = NULL;
		size_t vlen;

		if (e) {
			for (int i = 0; i < g->nr_params && !val; i++)
				if (strlen(g->params[i].name) == (size_t)(e - p - 1) &&
				    !strncmp(g->params[i].name, p + 1, (size_t)(e - p - 1)))
					val = (i == 0 && g->nr_inputs) ? input_path : values[i];
		}
		if (!val) {
			val = p;
			vlen = 1;
			e = p;
		} else {
			vlen = strlen(val);
		}
		if (n + vlen + 1 > cap) {
			char *o;

			cap = (n + vlen + 1) * 2;
			o = realloc(out, cap);
			if (!o) {
				free(out);
				return NULL;
			}
			out = o;
		}
		memcpy(out + n, val, vlen);
		n += vlen;
		p = e + 1;
	}
	if (out)
		out[n] = '\0';
	return out;
}

/* The program a command's first words name, and how many words they take. */
static int resolve_program(const struct sweep_grid *g, const char *mmsim, char *prog, size_t len,
			   int *skip, char *err, size_t elen)
{
	const char *first = g->command[0];

	if (!strcmp(first, "exec")) {
		const char *p = g->command[1];

		*skip = 2;
		if (strchr(p, '/') && p[0] != '/')
			snprintf(prog, len, "%s/%s", g->dir, p);
		else
			snprintf(prog, len, "%s", p);
		return 0;
	}
	if (!strcmp(first, "bench")) {
		char *d = dir_of(mmsim);

		*skip = 2;
		if (!d)
			return -ENOMEM;
		snprintf(prog, len, "%s/mmsim-bench-%s", d, g->command[1]);
		if (access(prog, X_OK))
			snprintf(prog, len, "%s/../bench/mmsim-bench-%s", d, g->command[1]);
		free(d);
		if (access(prog, X_OK)) {
			snprintf(err, elen, "%s: no benchmark mmsim-bench-%s beside %s or in ../bench",
				 g->path, g->command[1], mmsim);
			return -ENOENT;
		}
		return 0;
	}
	*skip = 0;
	snprintf(prog, len, "%s", mmsim);
	return 0;
}

/* The job's key: a hash of its command words (program names excluded, so a moved build resumes). */
static void job_key(struct sweep_job *j, int skip, const struct sweep_grid *g)
{
	XXH64_state_t *st = XXH64_createState();
	unsigned long long h;

	XXH64_reset(st, 0);
	for (int w = 0; w < skip; w++)
		XXH64_update(st, g->command[w], strlen(g->command[w]) + 1);
	for (int w = 1; w < j->argc; w++)
		XXH64_update(st, j->argv[w], strlen(j->argv[w]) + 1);
	h = XXH64_digest(st);
	XXH64_freeState(st);
	snprintf(j->key, sizeof(j->key), "%016llx", h);
}

static int make_job(const struct sweep_grid *g, const char *prog, int skip, const int *pick,
		    char **input_paths, struct sweep_job *j)
{
	const char *input = g->nr_inputs ? input_paths[pick[0]] : NULL;

	j->values = calloc((size_t)g->nr_params + 1, sizeof(char *));
	j->argv = calloc((size_t)(g->nr_command - skip + 2), sizeof(char *));
	if (!j->values || !j->argv)
		return -ENOMEM;
	for (int i = 0; i < g->nr_params; i++)
		if (!(j->values[i] = strdup(g->params[i].values[pick[i]])))
			return -ENOMEM;
	if (!(j->argv[0] = strdup(prog)))
		return -ENOMEM;
	j->argc = 1;
	for (int w = skip; w < g->nr_command; w++) {
		j->argv[j->argc] = substitute(g, g->command[w], j->values, input);
		if (!j->argv[j->argc++])
			return -ENOMEM;
	}
	job_key(j, skip, g);
	return 0;
}

static int expand_cells(const struct sweep_grid *g, const char *prog, int skip,
			char **input_paths, struct sweep_job **jobs, int *nr)
{
	long total = 1;
	int *pick = calloc((size_t)g->nr_params + 1, sizeof(int));
	int ret = 0;

	for (int i = 0; i < g->nr_params; i++)
		total *= g->params[i].nr;
	if (!pick || total > 1000000) {
		free(pick);
		return pick ? -E2BIG : -ENOMEM;
	}
	*jobs = calloc((size_t)total, sizeof(**jobs));
	if (!*jobs) {
		free(pick);
		return -ENOMEM;
	}
	for (long n = 0; n < total && !ret; n++) {
		(*jobs)[n].index = (int)n;
		*nr = (int)n + 1;
		ret = make_job(g, prog, skip, pick, input_paths, &(*jobs)[n]);
		/* The last parameter varies fastest. */
		for (int i = g->nr_params - 1; i >= 0; i--) {
			if (++pick[i] < g->params[i].nr)
				break;
			pick[i] = 0;
		}
	}
	free(pick);
	return ret;
}

/* Two cells with one command would be one job: the grid says something twice. */
static int check_unique(const struct sweep_grid *g, const struct sweep_job *jobs, int nr,
			char *err, size_t len)
{
	for (int i = 0; i < nr; i++)
		for (int k = i + 1; k < nr; k++)
			if (!strcmp(jobs[i].key, jobs[k].key)) {
				snprintf(err, len, "%s: jobs %d and %d run the same command "
					 "(a value listed twice?)", g->path, i, k);
				return -EINVAL;
			}
	return 0;
}

int sweep_expand(struct sweep_grid *g, const char *mmsim, struct sweep_job **jobs, int *nr,
		 char *err, size_t len)
{
	char prog[PATH_MAX], **paths = NULL, **labels = NULL;
	int skip, nr_paths = 0, ret;

	*jobs = NULL;
	*nr = 0;
	ret = resolve_program(g, mmsim, prog, sizeof(prog), &skip, err, len);
	if (!ret && g->nr_inputs)
		ret = glob_inputs(g, &paths, &labels, &nr_paths, err, len);
	if (!ret && g->nr_inputs) {
		/* The input parameter's values are the labels; commands get the paths. */
		free_words(g->params[0].values, g->params[0].nr);
		g->params[0].values = labels;
		g->params[0].nr = nr_paths;
		labels = NULL;
	}
	if (!ret) {
		ret = expand_cells(g, prog, skip, paths, jobs, nr);
		if (ret == -E2BIG)
			snprintf(err, len, "%s: more than a million jobs", g->path);
		else if (ret)
			snprintf(err, len, "%s: out of memory", g->path);
	}
	if (!ret)
		ret = check_unique(g, *jobs, *nr, err, len);
	free_words(paths, nr_paths);
	free_words(labels, nr_paths);
	if (ret) {
		sweep_jobs_free(*jobs, *nr);
		*jobs = NULL;
		*nr = 0;
	}
	return ret;
}

void sweep_jobs_free(struct sweep_job *jobs, int nr)
{
	for (int n = 0; jobs && n < nr; n++) {
		for (int i = 0; jobs[n].values && jobs[n].values[i]; i++)
			free(jobs[n].values[i]);
		free(jobs[n].values);
		for (int i = 0; i < jobs[n].argc; i++)
			free(jobs[n].argv[i]);
		free(jobs[n].argv);
	}
	free(jobs);
}
