// SPDX-License-Identifier: MIT
/*
 * The mmsim command: run scenarios on the simulator or the live kernel, and
 * diff the two. Exit status as the scenario language says: 0 all passed,
 * 1 an expect failed (or, for diff, a value differed), 2 Bail out! or bad use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim run [--kernel] [--json] FILE...\n"
		"       mmsim diff FILE...\n"
		"\n"
		"  run           run scenarios on the simulator, TAP 13 on stdout\n"
		"  run --kernel  run them on this machine's Linux (root, KSM, THP)\n"
		"  --json        print results and every queried value as JSON\n"
		"  diff          run on both and list every query whose values differ\n");
}

typedef int (*executor_create_t)(struct scn_executor *, const struct scenario *, char *, size_t);

/* Runs one file; returns its exit status (0, 1, 2). */
static int run_file(const char *path, executor_create_t create, const char *executor,
		    struct tap *tap, bool last, struct scenario *scn, struct scn_report *report)
{
	struct scn_executor ex = { 0 };
	char err[384];
	int status;

	memset(report, 0, sizeof(*report));
	if (scenario_parse(path, scn, err, sizeof(err))) {
		snprintf(report->bail, sizeof(report->bail), "%s", err);
		if (!tap->json)
			fprintf(tap->out, "Bail out! %s\n", err);
		return 2;
	}
	ex.scn = scn;
	ex.seed = 1;
	if (create(&ex, scn, err, sizeof(err))) {
		snprintf(report->bail, sizeof(report->bail), "%s: %s", scn->name, err);
		if (!tap->json)
			fprintf(tap->out, "Bail out! %s\n", report->bail);
		return 2;
	}
	status = scenario_run(scn, &ex, tap, report);
	ex.ops->finish(&ex);
	if (tap->json)
		scn_report_json(stdout, scn, report, executor, last);
	if (status)
		return status;
	return report->failed ? 1 : 0;
}

static int cmd_run(int argc, char **argv)
{
	executor_create_t create = sim_executor_create;
	const char *executor = "simulator";
	struct tap tap = { .out = stdout };
	int status = 0, first = 0;

	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "--kernel")) {
			create = kernel_executor_create;
			executor = "kernel";
		} else if (!strcmp(argv[first], "--json")) {
			tap.json = true;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (first == argc) {
		usage(stderr);
		return 2;
	}
	if (tap.json)
		printf("[\n");
	else
		printf("TAP version 13\n");
	for (int i = first; i < argc; i++) {
		struct scenario scn;
		struct scn_report report;
		int s = run_file(argv[i], create, executor, &tap, i == argc - 1, &scn, &report);

		scn_report_free(&report);
		scenario_free(&scn);
		if (s > status)
			status = s;
		if (s == 2)
			break;	/* Bail out! ends the whole run */
	}
	if (tap.json)
		printf("]\n");
	else if (status != 2)
		printf("1..%d\n", tap.n);
	return status;
}

/*
 * sim against kernel: a query the kernel cannot answer (simulator only, or an
 * interface it lacks) compares with anything; one only the simulator skips is
 * a difference, since the kernel knows the answer.
 */
static bool same_answer(const struct scn_answer *sim, const struct scn_answer *kern)
{
	if (kern->skip)
		return true;
	return !sim->skip && sim->value == kern->value;
}

/* Runs each file on both executors and prints every query whose values differ. */
static int cmd_diff(int argc, char **argv)
{
	int status = 0;

	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		struct tap quiet = { .out = stdout, .json = true };
		struct scenario s1, s2;
		struct scn_report sim, kern;
		FILE *devnull = fopen("/dev/null", "w");
		int a, b, differ = 0;

		/* run_file prints JSON when json is set: send it nowhere. */
		fflush(stdout);
		if (devnull) {
			quiet.out = devnull;
			quiet.json = false;
		}
		a = run_file(argv[i], sim_executor_create, "simulator", &quiet, true, &s1, &sim);
		b = run_file(argv[i], kernel_executor_create, "kernel", &quiet, true, &s2, &kern);
		if (devnull)
			fclose(devnull);
		if (a == 2 || b == 2) {
			printf("%s: cannot compare\n", argv[i]);
			if (a == 2)
				printf("  simulator: Bail out! %s\n", sim.bail);
			if (b == 2)
				printf("  kernel: Bail out! %s\n", kern.bail);
			status = 2;
		} else {
			for (int k = 0; k < sim.nr && k < kern.nr; k++) {
				const struct scn_result *x = &sim.results[k], *y = &kern.results[k];
				char vx[48], vy[48];

				if (same_answer(&x->ans, &y->ans))
					continue;
				differ++;
				snprintf(vx, sizeof(vx), x->ans.skip ? "skip" : "%lld", x->ans.value);
				snprintf(vy, sizeof(vy), y->ans.skip ? "skip" : "%lld", y->ans.value);
				printf("%s:%d: %s: simulator %s, kernel %s\n", s1.name, x->cmd->line,
				       x->cmd->text, vx, vy);
			}
			if (sim.nr != kern.nr) {
				printf("%s: the simulator answered %d queries, the kernel %d\n", s1.name,
				       sim.nr, kern.nr);
				differ++;
			}
			printf("%s: %s (%d queries)\n", s1.name, differ ? "DIFFERS" : "agrees", sim.nr);
			if (differ && status < 1)
				status = 1;
		}
		scn_report_free(&sim);
		scn_report_free(&kern);
		scenario_free(&s1);
		scenario_free(&s2);
	}
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
