/* SPDX-License-Identifier: MIT */
/* What every benchmark of bench/ shares: giving up on a failed library call, timing. */
#ifndef MMSIM_BENCH_UTIL_H
#define MMSIM_BENCH_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmsim/mmsim.h>

/* A library call failed: say which, and why, and stop with status 2 (not a missed target). */
static inline void die(struct mmsim *sim, const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s (%s)\n", program_invocation_short_name, what, strerror(-err),
		sim ? mmsim_last_error(sim) : "");
	exit(2);
}

#define CHECK(sim, call)							\
	do {									\
		int err_ = (call);						\
		if (err_)							\
			die(sim, #call, err_);					\
	} while (0)

/* CLOCK_MONOTONIC in ns. */
static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* CLOCK_MONOTONIC in seconds. */
static inline double bench_now_s(void)
{
	return bench_now_ns() * 1e-9;
}

/* Appends "; " and a formatted remark to a result's note (a fixed buffer, cut to fit). */
static inline void bench_note(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void bench_note(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used && used + 2 < size) {
		strcpy(buf + used, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* The median of n samples (sorts them). */
/*
 * Opens PREFIX.dat (the table) and PREFIX.gp (the script) for a --plot, and
 * starts the script: one loop drawing PREFIX.png and PREFIX.svg, size w x h,
 * whose body the caller writes into *gp before bench_plot_finish(). -errno.
 */
static inline int bench_plot_open(const char *prefix, int w, int h, FILE **dat, FILE **gp)
{
	char path[512];

	snprintf(path, sizeof(path), "%s.dat", prefix);
	*dat = fopen(path, "w");
	snprintf(path, sizeof(path), "%s.gp", prefix);
	*gp = *dat ? fopen(path, "w") : NULL;
	if (!*gp) {
		int err = -errno;

		if (*dat)
			fclose(*dat);
		return err;
	}
	fprintf(*gp, "do for [fmt in 'pngcairo svg'] {\n"
		"  if (fmt eq 'svg') { set terminal svg size %d,%d; set output '%s.svg' }"
		" else { set terminal pngcairo size %d,%d; set output '%s.png' }\n", w, h, prefix,
		w, h, prefix);
	return 0;
}

/*
 * A histogram of the table's columns 2.. that hold data (has[c - 2]):
 * gnuplot refuses a column with no valid point (a side not measured).
 */
static inline void bench_plot_columns(FILE *gp, const char *prefix, int index, const bool *has,
				      int nr)
{
	bool first = true;

	fprintf(gp, "  plot");
	for (int c = 0; c < nr; c++) {
		if (!has[c])
			continue;
		fprintf(gp, "%s '%s.dat' index %d using %d%s title columnheader(%d)", first ? "" : ",",
			prefix, index, c + 2, first ? ":xtic(1)" : "", c + 2);
		first = false;
	}
	fprintf(gp, "\n");
}

/* Closes the loop and both files, and runs gnuplot; -ENOENT when it failed or is missing. */
static inline int bench_plot_finish(const char *prefix, FILE *dat, FILE *gp)
{
	char cmd[1200];
	int bad;

	fprintf(gp, "}\n");
	bad = fclose(dat) | fclose(gp);
	if (bad)
		return -EIO;
	snprintf(cmd, sizeof(cmd), "gnuplot '%s.gp' 2>/dev/null", prefix);
	return system(cmd) ? -ENOENT : 0;
}

/* AnonHugePages (kB) of the VMA starting at p, from /proc/self/smaps; -1 if unknown. */
static inline long bench_smaps_anon_huge(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	bool in = false;
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = s == (uintptr_t)p;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

/*
 * A command-line list "1,10,100" of at most max_nr numbers, none above max,
 * into list: how many, or 0 when malformed or longer.
 */
static inline int bench_parse_list(const char *s, unsigned long *list, int max_nr,
				   unsigned long max)
{
	int n = 0;

	while (*s && n < max_nr) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v > max || (*end && *end != ','))
			return 0;
		list[n++] = v;
		s = *end ? end + 1 : end;
	}
	return *s ? 0 : n;
}

#endif /* MMSIM_BENCH_UTIL_H */
