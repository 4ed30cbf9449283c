// SPDX-License-Identifier: MIT
/*
 * What the whatif commands share: rows of named columns as a table (columns as
 * wide as their widest cell), CSV (a header line) or JSON (an array of
 * objects, numbers unquoted).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096UL

#include "capture_db.h"
#include "replay.h"
#include "whatif.h"

void wtab_init(struct wtab *t, const char *const *cols, size_t nr_cols, size_t nr_text)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->nr_cols = nr_cols;
	t->nr_text = nr_text;
}

/* Counts as integers, anything with a fraction (times) with prec decimals. */
static char *cell_of(int prec, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*f", v == (double)(long long)v ? 0 : prec, v);
	return strdup(buf);
}

int wtab_add(struct wtab *t, int prec, ...)
{
	char **row;
	va_list ap;
	int ret = 0;

	if (t->nr_rows == t->size) {
		size_t n = t->size ? 2 * t->size : 16;
		char **c = realloc(t->cells, n * t->nr_cols * sizeof(*c));

		if (!c)
			return -1;
		t->cells = c;
		t->size = n;
	}
	row = &t->cells[t->nr_rows * t->nr_cols];
	va_start(ap, prec);
	for (size_t i = 0; i < t->nr_cols; i++) {
		row[i] = i < t->nr_text ? strdup(va_arg(ap, const char *)) :
					  cell_of(prec, va_arg(ap, double));
		if (!row[i])
			ret = -1;
	}
	va_end(ap);
	t->nr_rows++;
	return ret;
}

static void print_table(const struct wtab *t, FILE *out)
{
	size_t *w = calloc(t->nr_cols, sizeof(*w));

	if (!w)
		return;
	for (size_t i = 0; i < t->nr_cols; i++) {
		w[i] = strlen(t->cols[i]);
		for (size_t r = 0; r < t->nr_rows; r++) {
			const char *c = t->cells[r * t->nr_cols + i];

			if (c && strlen(c) > w[i])
				w[i] = strlen(c);
		}
	}
	for (size_t i = 0; i < t->nr_cols; i++)
		fprintf(out, "%s%*s", i ? " " : "", i < t->nr_text ? -(int)w[i] : (int)w[i],
			t->cols[i]);
	fputc('\n', out);
	for (size_t r = 0; r < t->nr_rows; r++) {
		for (size_t i = 0; i < t->nr_cols; i++) {
			const char *c = t->cells[r * t->nr_cols + i];

			fprintf(out, "%s%*s", i ? " " : "", i < t->nr_text ? -(int)w[i] : (int)w[i],
				c ? c : "");
		}
		fputc('\n', out);
	}
	free(w);
}

/* A string as JSON wants it (captured names may hold anything). */
void wtab_json_string(const char *s, FILE *out)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(const char *s, FILE *out)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void wtab_print(const struct wtab *t, enum wtab_format f, FILE *out)
{
	if (f == WTAB_TABLE) {
		print_table(t, out);
		return;
	}
	if (f == WTAB_CSV) {
		for (size_t i = 0; i < t->nr_cols; i++)
			fprintf(out, "%s%s", i ? "," : "", t->cols[i]);
		fputc('\n', out);
	} else {
		fputs("[\n", out);
	}
	for (size_t r = 0; r < t->nr_rows; r++) {
		if (f == WTAB_JSON)
			fputs("  {", out);
		for (size_t i = 0; i < t->nr_cols; i++) {
			const char *c = t->cells[r * t->nr_cols + i];

			c = c ? c : "";
			if (f == WTAB_CSV) {
				if (i)
					fputc(',', out);
				csv_field(c, out);
				continue;
			}
			fprintf(out, "%s\"%s\": ", i ? ", " : "", t->cols[i]);
			if (i < t->nr_text)
				wtab_json_string(c, out);
			else
				fputs(c, out);
		}
		fputs(f == WTAB_JSON ? (r + 1 < t->nr_rows ? "},\n" : "}\n") : "\n", out);
	}
	if (f == WTAB_JSON)
		fputs("]\n", out);
}

void wtab_free(struct wtab *t)
{
	for (size_t i = 0; i < t->nr_rows * t->nr_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* ---- Costs of fork and exit ------------------------------------------------------------ */

/*
 * bench/mapcount-costs.txt: mmsim-calibrate-mapcount on Linux 6.18.44 (2
 * shared CPUs), the best of three runs; --costs FILE takes another machine's.
 */
void whatif_default_model(struct mmsim_mapcount_model *m)
{
	*m = (struct mmsim_mapcount_model){
		.kernel = "6.18.44-fc-v1272", .fork_entry = 11.8411, .zap_entry = 9.2179,
		.fork_call = 3.9011, .zap_call = 5.1016, .free_page = 3.4110, .line = 2.3834,
		.atomic = 3.2665, .iter = 0.3727, .step = 2.3834, .scale = 1.0,
	};
}

/* The counters since the last reset, summed, and their predicted time. */
static void sum_costs(struct mmsim *sim, const struct mmsim_mapcount_model *m,
		      struct whatif_cost *out)
{
	struct mmsim_mapcount_cost c[MMSIM_MC_NR_OPS];

	mmsim_mapcount_costs(sim, c);
	memset(&out->c, 0, sizeof(out->c));
	out->ns = 0;
	for (int op = 0; op < MMSIM_MC_NR_OPS; op++) {
		out->c.calls += c[op].calls;
		out->c.entries += c[op].entries;
		out->c.atomics += c[op].atomics;
		out->c.lines += c[op].lines;
		out->c.page_iters += c[op].page_iters;
		out->c.scan_ptes += c[op].scan_ptes;
		out->c.rmap_steps += c[op].rmap_steps;
		out->ns += mmsim_mapcount_model_predict(m, op, &c[op]);
	}
}

int whatif_fork(struct mmsim *sim, int pid, const struct mmsim_mapcount_model *m,
		struct whatif_cost *out)
{
	struct mmsim_stats before, after;
	int child, ret;

	memset(out, 0, sizeof(*out));
	mmsim_get_stats(sim, &before);
	mmsim_mapcount_costs_enable(sim, true);
	mmsim_mapcount_costs_reset(sim);
	ret = mmsim_fork(sim, pid, &child);
	sum_costs(sim, m, out);
	mmsim_mapcount_costs_enable(sim, false);
	mmsim_get_stats(sim, &after);
	out->page_tables = after.nr_page_tables - before.nr_page_tables;
	return ret ? ret : mmsim_exit(sim, child);
}

int whatif_exit(struct mmsim *sim, int pid, const struct mmsim_mapcount_model *m,
		struct whatif_cost *out)
{
	struct mmsim_stats before, after;
	int ret;

	memset(out, 0, sizeof(*out));
	mmsim_get_stats(sim, &before);
	mmsim_mapcount_costs_enable(sim, true);
	mmsim_mapcount_costs_reset(sim);
	ret = mmsim_exit(sim, pid);
	sum_costs(sim, m, out);
	mmsim_mapcount_costs_enable(sim, false);
	mmsim_get_stats(sim, &after);
	out->page_tables = before.nr_page_tables - after.nr_page_tables;
	/* Page tables are frames too. */
	out->pages_freed = after.nr_free_frames - before.nr_free_frames - out->page_tables;
	out->ns += m->free_page * (double)out->pages_freed;
	return ret;
}

/* ---- Options ----------------------------------------------------------------------------- */

int whatif_common_opt(int argc, char **argv, int *i, struct whatif_opts *o, char *err, size_t len)
{
	const char *a = argv[*i];

	if (!strcmp(a, "--json") || !strcmp(a, "--csv")) {
		if (o->format != WTAB_TABLE) {
			snprintf(err, len, "--json and --csv exclude each other");
			return -1;
		}
		o->format = !strcmp(a, "--json") ? WTAB_JSON : WTAB_CSV;
	} else if (!strcmp(a, "--per-process")) {
		o->per_process = true;
	} else if (!strcmp(a, "--verify")) {
		o->verify = true;
	} else if (!strcmp(a, "--costs")) {
		if (*i + 1 >= argc) {
			snprintf(err, len, "--costs needs a FILE (mmsim-calibrate-mapcount's)");
			return -1;
		}
		if (mmsim_mapcount_model_load(&o->model, argv[++*i], err, len))
			return -1;
	} else {
		return 1;
	}
	return 0;
}

void whatif_json_header(const char *file, const struct capture *cap,
			const struct mmsim_mapcount_model *m)
{
	printf("{\"capture\": ");
	wtab_json_string(file, stdout);
	printf(", \"kernel\": ");
	wtab_json_string(cap->kernel, stdout);
	printf(", \"model_kernel\": ");
	wtab_json_string(m->kernel, stdout);
	printf(",\n");
}

/* ---- THP policies ------------------------------------------------------------------------ */

const char *whatif_size_name(int o, char *buf, size_t len)
{
	unsigned long kb = (PAGE << o) / 1024;

	snprintf(buf, len, kb >= 1024 ? "%luM" : "%luK", kb >= 1024 ? kb / 1024 : kb);
	return buf;
}

static int size_order(const char *s)
{
	char buf[16];

	for (int o = 2; o <= REPLAY_PMD_ORDER; o++)
		if (!strcmp(s, whatif_size_name(o, buf, sizeof(buf))))
			return o;
	return -1;
}


static int mode_of(const char *s)
{
	static const char *const names[] = { "never", "always", "madvise", "inherit" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

int whatif_parse_policy(const char *spec, const struct capture *cap, struct whatif_policy *p,
			char *err, size_t len)
{
	char *dup, *tok, *save;
	int ret = 0;

	memset(p, 0, sizeof(*p));	/* MMSIM_THP_NEVER is 0 */
	snprintf(p->name, sizeof(p->name), "%s", spec);
	if (!strcmp(spec, "captured")) {
		replay_captured_thp(cap, p->thp);
		return 0;
	}
	if (!strcmp(spec, "never"))
		return 0;
	if (!strcmp(spec, "always-all")) {
		for (int o = 2; o <= REPLAY_PMD_ORDER; o++)
			p->thp[o] = MMSIM_THP_ALWAYS;
		return 0;
	}
	if (!strncmp(spec, "always-", 7) && size_order(spec + 7) > 0) {
		p->thp[size_order(spec + 7)] = MMSIM_THP_ALWAYS;
		return 0;
	}
	if (!(dup = strdup(spec)))
		return -1;
	for (tok = strtok_r(dup, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int o, m;

		if (eq)
			*eq = '\0';
		o = eq && !strcmp(tok, "top") ? 0 : eq ? size_order(tok) : -1;
		m = eq ? mode_of(eq + 1) : -1;
		if (o < 0 || m < 0 || (o == 0 && m == MMSIM_THP_INHERIT)) {
			snprintf(err, len, "bad policy \"%s\": expected captured, never, always-SIZE, "
				 "always-all or top=MODE,SIZE=MODE,... (SIZE 16K..2M, MODE never, "
				 "always, madvise or, for a size, inherit)", spec);
			ret = -1;
		} else {
			p->thp[o] = (enum mmsim_thp_mode)m;
		}
	}
	free(dup);
	return ret;
}


int whatif_args(int argc, char **argv, const struct whatif_cmd *cmd, struct whatif_opts *o,
		struct capture *cap)
{
	char err[512];

	whatif_default_model(&o->model);
	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		cmd->usage(stdout);
		return 0;
	}
	if (argc < 1 || argv[0][0] == '-') {
		cmd->usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int ret = whatif_common_opt(argc, argv, &i, o, err, sizeof(err));
		bool more = i + 1 < argc;

		if (ret == 1 && more && !strcmp(argv[i], cmd->list_opt) && *cmd->nr < cmd->max) {
			cmd->list[(*cmd->nr)++] = argv[++i];
			continue;
		}
		if (ret == 1 && more && cmd->one_opt && !strcmp(argv[i], cmd->one_opt) && !*cmd->one) {
			*cmd->one = argv[++i];
			continue;
		}
		if (ret) {
			fprintf(stderr, "mmsim whatif %s: %s\n", cmd->name,
				ret < 0 ? err : "bad option (see --help)");
			if (ret > 0)
				fprintf(stderr, "  at: %s\n", argv[i]);
			return 2;
		}
	}
	if (capture_load(argv[0], cap, err, sizeof(err))) {
		fprintf(stderr, "mmsim whatif %s: %s\n", cmd->name, err);
		return 2;
	}
	return -1;
}
