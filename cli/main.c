// SPDX-License-Identifier: MIT
/*
 * The mmsim command: run scenarios on the simulator or the live kernel, and
 * diff the two. Exit status as the scenario language says: 0 all passed,
 * 1 an expect failed (or, for diff, a value differed), 2 Bail out! or bad use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "mmsim/mmsim.h"

#include "draw.h"
#include "qemu.h"
#include "run.h"
#ifdef MMSIM_HAVE_SWEEP
#include "sweep.h"
#endif
#ifdef MMSIM_HAVE_CAPTURE
#include "capture_cmd.h"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim --version | mmsim help [COMMAND]\n"
		"       mmsim run [--kernel | --kernel-image VMLINUZ | --profile VERSION | --scheme NAME]\n"
		"                 [--verify=call|command|end|N|off] [--memory SIZE] [--quiet]\n"
		"                 [--allow-skip] [--json] FILE...\n"
		"       mmsim diff [--kernel-image VMLINUZ] [--profile VERSION] FILE...\n"
		"       mmsim draw FILE [--after LINE] --view process|folio|anon_vma|ksm\n"
		"                  [--proc P] [--addr ADDR] [--format dot|svg|png] [-o OUT]\n"
		"       mmsim explain FILE -o PAGE.html [--kernel | --kernel-json JSON]\n"
		"       mmsim sweep GRID --out DIR [--engine local|slurm|parallel-ssh] [--jobs N]\n"
		"                        (mmsim sweep --help)\n"
		"       mmsim capture -o FILE (--pid PID... | [--merge-any] -- COMMAND...)\n"
		"       mmsim replay FILE [--check]\n"
		"       mmsim whatif ksm FILE [--passes N] [TUNABLES] [--json|--csv] [--live]\n"
		"       mmsim whatif mapcount FILE [--scheme NAME ...] [--json|--csv]\n"
		"       mmsim whatif thp FILE [--policy SPEC ...] [--json|--csv]\n"
		"       mmsim kernel-restore\n"
		"       mmsim qemu-exec VMLINUZ PROGRAM [ARG...]\n"
		"\n"
		"  run           run scenarios on the simulator, TAP 13 on stdout\n"
		"  run --kernel  run them on this machine's Linux (root, KSM, THP)\n"
		"  --kernel-image VMLINUZ\n"
		"                run them on that Linux instead, booted under qemu with\n"
		"                mmsim-static and busybox-static in an initramfs\n"
		"                (scripts/fetch-kernels.sh fetches Debian's 6.1, 6.12, 7.3)\n"
		"  --scheme NAME on the simulator, start with that folio mapcount scheme\n"
		"                (linux, legacy, large, nopagemapcount, tuples, fullpartial,\n"
		"                tuples-exact, mappedpages)\n"
		"  --profile VERSION\n"
		"                on the simulator, start as Linux VERSION: 6.18 (default),\n"
		"                7.3, 6.12 or 6.1 (docs/kernel-versions.md); diff picks the\n"
		"                kernel's own version when it is one of these\n"
		"  --verify=WHEN on the simulator, check every invariant of the model after\n"
		"                every library call (call), after every command (command,\n"
		"                the default), at the end (end), every N calls, or never (off)\n"
		"  --memory SIZE on the simulator, simulate SIZE of memory (such as 256M or\n"
		"                64G; default 1G); a `memory SIZE` line in the file wins\n"
		"  --quiet       no progress lines on stderr (shown only on a terminal, for\n"
		"                commands that run longer than two seconds)\n"
		"  --allow-skip  a file whose expects were all skipped (a version that lacks\n"
		"                what it needs) passes; without it, that fails (exit 1)\n"
		"  --json        results and every queried value as JSON, with the scheme and\n"
		"                profile (or the kernel's release) and what show printed\n"
		"  diff          run on both and list every query whose values differ\n"
		"  draw          a picture of the simulator's model after a line (mmsim draw -h)\n"
		"  explain       a web page that steps through a scenario, with pictures\n"
		"                (mmsim explain -h)\n"
		"  capture       snapshot live processes into an SQLite file (--help)\n"
		"  replay        rebuild a capture in the simulator; --check compares /proc\n"
		"  whatif ksm    predict what ksmd would merge, pass by pass (--help)\n"
		"  whatif mapcount  each mapcount scheme's wrong answers and fork/exit costs (--help)\n"
		"  whatif thp    the large folios each THP policy would give, and their cost (--help)\n"
		"  kernel-restore\n"
		"                put back the THP and KSM settings that a killed kernel run\n"
		"                (SIGKILL) left changed, from /run/mmsim-kernel.saved; every\n"
		"                run --kernel does it first by itself, and says so\n"
		"  qemu-exec     boot VMLINUZ under qemu as --kernel-image does, run the\n"
		"                static PROGRAM with ARGs in the guest instead of mmsim,\n"
		"                print its output; its exit status (2: the guest did not run)\n"
		"\n"
		"Scenario language: docs/scenario-language.md. Simulator-only\n"
		"additions (README.md): ksm rmap_walk=full|address|pgoff|remapped,\n"
		"rmap.reaches P ADDR, rmap.mappings P ADDR, reclaim P ADDR LEN,\n"
		"anon_pgoff kernel|zero, vma.pgoff P ADDR, folio.index P ADDR,\n"
		"show dot process|anon_vma [P] FILE, show dot folio P ADDR FILE, show dot ksm FILE\n"
		"(Graphviz DOT of the model, README.md \"Pictures\"). Beyond the\n"
		"spec, for both: madvise ... pageout|populate_read|populate_write|\n"
		"dontfork|dofork, prctl P thp_disable on|off|except_advised,\n"
		"mmap ... noreserve, mremap ... dontunmap, swapped P ADDR,\n"
		"vma_start P ADDR, vma_end P ADDR, smaps P Swap|Locked, memory SIZE,\n"
		"mlock P ADDR LEN [onfault], munlock P ADDR LEN,\n"
		"mlockall P current|future|onfault..., munlockall P, vmflag P ADDR NAME,\n"
		"kpageflags ... MLOCKED|UNEVICTABLE, expect errno CALL == ERRNO,\n"
		"thp_disable P, vmsplice P ADDR LEN, pipe_read P, pipe_byte P OFF,\n"
		"pin P ADDR LEN ro|rw [fast], unpin P, pinned_byte P OFF,\n"
		"clear_refs P TYPE, soft_dirty P ADDR, numa N, move_pages P ADDR NODE [all],\n"
		"node P ADDR, swap SIZE.\n");
}

/* "--kernel-image X" or "--kernel-image=X": its value, advancing *i; NULL if not it. */
static const char *image_option(int argc, char **argv, int *i, bool *bad)
{
	const char *a = argv[*i], *opt = "--kernel-image";
	size_t n = strlen(opt);

	if (strncmp(a, opt, n))
		return NULL;
	if (a[n] == '=' && a[n + 1])
		return a + n + 1;
	if (a[n] == '\0' && *i + 1 < argc) {
		++*i;
		return argv[*i];
	}
	*bad = true;
	return NULL;
}

/*
 * For the guest of --kernel-image (cli/qemu.h): what one file's run found, in
 * lines the host reads back from the serial console.
 */
static void print_results(int index, int status, const struct scn_report *r)
{
	printf(QEMU_FILE " %d %d %d\n", index, status, r->nr);
	for (int k = 0; k < r->nr; k++) {
		const struct scn_result *res = &r->results[k];

		printf(QEMU_QUERY " %d %d %lld %s\n", res->cmd->line, res->ans.skip ? 1 : 0,
		       res->ans.value, res->ans.skip ? res->ans.reason : "");
	}
	if (r->bail[0])
		printf(QEMU_BAIL " %s\n", r->bail);
	if (r->lacks[0])
		printf("%s %s\n", r->lacks_machine ? QEMU_LACKS_MACHINE : QEMU_LACKS, r->lacks);
	fflush(stdout);
}

typedef int (*executor_create_t)(struct scn_executor *, const struct scenario *, char *, size_t);

/* How the simulator starts, before the scenario's own kernel and scheme commands. */
struct sim_start {
	const char *scheme;		/* --scheme, NULL for the profile's */
	const char *kernel;		/* --profile, NULL for 6.18 */
	enum mmsim_verify_level verify;	/* --verify, 0 for after each command */
	unsigned long verify_every;
	unsigned long memory;		/* --memory, 0 for the default */
	bool progress;			/* stderr is a terminal and no --quiet */
};

/* "--verify=WHEN": call, command, end, N (a number of calls) or off. */
static bool verify_option(const char *a, struct sim_start *start)
{
	static const struct { const char *name; enum mmsim_verify_level level; } levels[] = {
		{ "call", MMSIM_VERIFY_CALL }, { "command", MMSIM_VERIFY_COMMAND },
		{ "end", MMSIM_VERIFY_END }, { "off", MMSIM_VERIFY_OFF },
	};
	char *end;

	if (strncmp(a, "--verify=", 9))
		return false;
	a += 9;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (!strcmp(a, levels[i].name)) {
			start->verify = levels[i].level;
			return true;
		}
	}
	errno = 0;
	start->verify_every = strtoul(a, &end, 10);
	start->verify = MMSIM_VERIFY_EVERY_N;
	return *a >= '1' && *a <= '9' && !*end && !errno;
}

/* Runs one file; returns its exit status (0, 1, 2). */
static int run_file(const char *path, executor_create_t create, const char *executor,
		    const struct sim_start *start, struct tap *tap, bool last, struct scenario *scn,
		    struct scn_report *report)
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
	ex.scheme = start->scheme;
	ex.kernel = start->kernel;
	ex.verify = start->verify;
	ex.verify_every = start->verify_every;
	ex.memory = start->memory;
	ex.progress = start->progress;
	ex.seed = 1;
	if (create(&ex, scn, err, sizeof(err))) {
		snprintf(report->bail, sizeof(report->bail), "%s: %s", scn->name, err);
		if (!tap->json)
			fprintf(tap->out, "Bail out! %s\n", report->bail);
		return 2;
	}
	status = scenario_run(scn, &ex, tap, report);
	if (create == sim_executor_create && sim_executor_sim(&ex)) {
		snprintf(report->scheme, sizeof(report->scheme), "%s",
			 mmsim_scheme(sim_executor_sim(&ex)));
		snprintf(report->profile, sizeof(report->profile), "%s",
			 mmsim_kernel(sim_executor_sim(&ex)));
	} else if (tap->kernel) {
		snprintf(report->kernel_release, sizeof(report->kernel_release), "%s", tap->kernel);
	}
	ex.ops->finish(&ex);
	if (tap->json)
		scn_report_json(stdout, scn, report, executor, last);
	if (status)
		return status;
	return report->failed ? 1 : 0;
}

/* Every expect of the file skipped: it ran, and proved nothing. */
static bool vacuous(const struct scn_report *r)
{
	return r->skipped && !r->passed && !r->failed;
}

static const char *skip_reason(const struct scn_report *r)
{
	if (r->lacks[0])
		return r->lacks;
	for (int i = 0; i < r->nr; i++)
		if (r->results[i].ans.skip)
			return r->results[i].ans.reason;
	return "?";
}

/* A file's own plan, then its line in the parent: ok, not ok, or skipped as a whole. */
static void end_subtest(const struct tap *tap, int k, const char *path, int status,
			const struct scn_report *r)
{
	if (!tap->n)
		printf("    1..0 # SKIP no expect in this file: only probes\n");
	else
		printf("    1..%d\n", tap->n);
	if (status)
		printf("not ok %d - %s\n", k, path);
	else if (!tap->n || vacuous(r))
		printf("ok %d - %s # SKIP %s\n", k, path, tap->n ? skip_reason(r) : "only probes");
	else
		printf("ok %d - %s\n", k, path);
}

static int cmd_run(int argc, char **argv)
{
	executor_create_t create = sim_executor_create;
	const char *executor = "simulator";
	struct tap tap = { .out = stdout };
	int status = 0, first = 0;
	const char *image = NULL;
	struct sim_start start = { .progress = isatty(STDERR_FILENO) };
	bool results = false, bad = false, sim_options = false, allow_skip = false;
	FILE *devnull = NULL;
	struct utsname u;

	for (; first < argc && argv[first][0] == '-'; first++) {
		const char *v = image_option(argc, argv, &first, &bad);

		if (v) {
			image = v;
		} else if (!bad && !strcmp(argv[first], "--kernel")) {
			create = kernel_executor_create;
			executor = "kernel";
		} else if (!bad && !strcmp(argv[first], "--json")) {
			tap.json = true;
		} else if (!bad && !strcmp(argv[first], "--scheme") && first + 1 < argc) {
			start.scheme = argv[++first];
		} else if (!bad && !strcmp(argv[first], "--profile") && first + 1 < argc) {
			start.kernel = argv[++first];
		} else if (!bad && verify_option(argv[first], &start)) {
			sim_options = true;
		} else if (!bad && !strcmp(argv[first], "--memory") && first + 1 < argc) {
			if (scn_parse_size(argv[++first], &start.memory) || start.memory < (1UL << 20)) {
				fprintf(stderr, "mmsim: --memory takes SIZE, a multiple of 4096 of at "
					"least 1M (such as 256M or 64G), got '%s'\n", argv[first]);
				return 2;
			}
			sim_options = true;
		} else if (!bad && !strcmp(argv[first], "--quiet")) {
			start.progress = false;
		} else if (!bad && !strcmp(argv[first], "--allow-skip")) {
			allow_skip = true;
		} else if (!bad && !strcmp(argv[first], "--results")) {
			/* Not for people: the guest's half of diff --kernel-image. */
			results = true;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (first == argc || (image && results) ||
	    ((start.scheme || start.kernel || sim_options) && (create != sim_executor_create || image))) {
		usage(stderr);
		return 2;
	}
	if (image)
		return qemu_run_tap(image, tap.json, allow_skip, argv + first, argc - first);
	if (results) {
		/* Every file runs, each on its own, as diff runs them; no TAP. */
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			return 2;
		tap.out = devnull;
		tap.json = false;
		for (int i = first; i < argc; i++) {
			struct scenario scn;
			struct scn_report report;
			int s = run_file(argv[i], create, executor, &start, &tap, true, &scn, &report);

			fflush(devnull);
			print_results(i - first, s, &report);
			scn_report_free(&report);
			scenario_free(&scn);
			if (s > status)
				status = s;
		}
		fclose(devnull);
		return status;
	}
	if (create == kernel_executor_create && !uname(&u))
		tap.kernel = u.release;
	if (tap.json)
		printf("[\n");
	else
		printf("TAP version 13\n");
	if (tap.kernel && !tap.json)
		printf("# the live kernel: Linux %s\n", tap.kernel);
	/* Several files: one subtest each, as kselftest's TAP nests them. */
	tap.subtest = !tap.json && argc - first > 1;
	if (tap.subtest)
		printf("1..%d\n", argc - first);
	for (int i = first; i < argc; i++) {
		struct scenario scn;
		struct scn_report report;
		int s;

		if (tap.subtest) {
			printf("# Subtest: %s\n", argv[i]);
			fflush(stdout);
			tap.n = 0;
		}
		s = run_file(argv[i], create, executor, &start, &tap, i == argc - 1, &scn, &report);
		if (!s && vacuous(&report) && !allow_skip) {
			if (!tap.json)
				printf("%s# %s: all %d expects were skipped (%s): nothing was checked "
				       "(--allow-skip accepts that)\n", tap_indent(&tap), scn.name,
				       report.skipped, skip_reason(&report));
			s = 1;
		}
		if (tap.subtest && s != 2)
			end_subtest(&tap, i - first + 1, argv[i], s, &report);
		scn_report_free(&report);
		scenario_free(&scn);
		if (s > status)
			status = s;
		if (s == 2)
			break;	/* Bail out! ends the whole run */
	}
	if (tap.json)
		printf("]\n");
	else if (tap.subtest)
		;	/* the plan came first */
	else if (status != 2 && !tap.n)
		printf("1..0 # SKIP no expect in %s: only probes\n", argc - first > 1 ? "these files" :
		       "this file");
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

/*
 * Runs each file on both executors and prints every query whose values
 * differ. With --kernel-image the kernel side runs, all files in one boot,
 * under qemu first.
 */
/*
 * The simulator answers for the kernel it is compared with: the profile of
 * that kernel's version when we model it (--profile overrides).
 */
static const char *profile_of_release(const char *release)
{
	for (int i = 0; mmsim_kernel_version(i); i++)
		if (scn_release_is(release, mmsim_kernel_version(i)))
			return mmsim_kernel_version(i);
	fprintf(stderr, "mmsim: no profile for Linux %s: the simulator answers as 6.18\n", release);
	return NULL;
}

/*
 * Did both executors stop at the same line with the same errno? The kernel
 * names it last ("...: EINVAL"); the simulator says more, but the same name.
 */
static bool same_stop(const struct scn_report *sim, const struct scn_report *kern)
{
	const char *kc = strchr(kern->bail, ':'), *sc = strchr(sim->bail, ':');
	const char *e = strrchr(kern->bail, ' ');

	if (!kc || !sc || strtol(kc + 1, NULL, 10) != strtol(sc + 1, NULL, 10) || !e ||
	    e[1] != 'E' || strspn(e + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(e + 1))
		return false;
	return strstr(sim->bail, e + 1) != NULL;
}

static int cmd_diff(int argc, char **argv)
{
	struct qemu_file_result *guest = NULL;
	struct sim_start start = { 0 };
	const char *image = NULL;
	char release[128] = "";
	bool bad = false, profile_given = false;
	int status = 0, first = 0, agree = 0, differing = 0, broken = 0, absent = 0;

	for (; first < argc && argv[first][0] == '-'; first++) {
		const char *v = image_option(argc, argv, &first, &bad);

		if (!v && !bad && !strcmp(argv[first], "--profile") && first + 1 < argc) {
			start.kernel = argv[++first];
			profile_given = true;
			continue;
		}
		if (!v) {
			usage(stderr);
			return 2;
		}
		image = v;
	}
	argc -= first;
	argv += first;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (image) {
		guest = calloc((size_t)argc, sizeof(*guest));
		if (!guest) {
			fprintf(stderr, "mmsim: out of memory\n");
			return 2;
		}
		qemu_run_reports(image, argv, argc, guest, release, sizeof(release));
	} else {
		struct utsname u;

		if (!uname(&u))
			snprintf(release, sizeof(release), "%s", u.release);
	}
	if (!profile_given && release[0])
		start.kernel = profile_of_release(release);
	printf("# the simulator (profile %s) against Linux %s\n", start.kernel ? start.kernel : "6.18",
	       release[0] ? release : "(unknown: the guest never said)");
	for (int i = 0; i < argc; i++) {
		struct tap quiet = { .out = stdout, .json = true };
		struct scenario s1, s2;
		struct scn_report sim, kern;
		FILE *devnull = fopen("/dev/null", "w");
		int a, b, differ = 0;
		bool machine = false;

		/* run_file prints JSON when json is set: send it nowhere. */
		fflush(stdout);
		if (devnull) {
			quiet.out = devnull;
			quiet.json = false;
		}
		a = run_file(argv[i], sim_executor_create, "simulator", &start, &quiet, true, &s1, &sim);
		if (guest) {
			memset(&s2, 0, sizeof(s2));
			b = guest[i].status;
			kern = guest[i].report;
			memset(&guest[i].report, 0, sizeof(guest[i].report));
		} else {
			b = run_file(argv[i], kernel_executor_create, "kernel", &start, &quiet, true, &s2,
				     &kern);
		}
		if (devnull)
			fclose(devnull);
		if (a == 2 && b == 2 && same_stop(&sim, &kern)) {
			/* Both refused the same command with the same errno: compare what came before. */
			printf("%s: both stop at %s\n", argv[i], kern.bail);
			a = b = 0;
		}
		if (a == 2 || b == 2) {
			printf("%s: cannot compare\n", argv[i]);
			if (a == 2)
				printf("  simulator: Bail out! %s\n", sim.bail);
			if (b == 2)
				printf("  kernel: Bail out! %s\n", kern.bail);
			status = 2;
			broken++;
		} else {
			for (int k = 0; k < sim.nr && k < kern.nr; k++) {
				const struct scn_result *x = &sim.results[k], *y = &kern.results[k];
				char vx[48], vy[48];

				if (same_answer(&x->ans, &y->ans))
					continue;
				differ++;
				snprintf(vx, sizeof(vx), x->ans.skip ? "skip" : "%lld", x->ans.value);
				snprintf(vy, sizeof(vy), y->ans.skip ? "skip" : "%lld", y->ans.value);
				printf("%s:%d: %s: simulator %s, kernel %s (Linux %s)\n", s1.name,
				       x->cmd->line, x->cmd->text, vx, vy, release[0] ? release : "?");
			}
			/* Not the version: this machine (or guest) lacks what the scenario needs. */
			machine = !sim.lacks[0] && kern.lacks_machine;
			if (!machine && !sim.lacks[0] != !kern.lacks[0]) {
				printf("%s: only the %s stopped: %s\n", s1.name,
				       sim.lacks[0] ? "simulator" : "kernel",
				       sim.lacks[0] ? sim.lacks : kern.lacks);
				differ++;
			}
			if (sim.nr != kern.nr) {
				printf("%s: the simulator answered %d queries, the kernel %d\n", s1.name,
				       sim.nr, kern.nr);
				differ++;
			}
			/* Each file has one outcome: counted, then printed. */
			if (differ) {
				differing++;
				printf("%s: DIFFERS (%d queries)\n", s1.name, sim.nr);
				if (status < 1)
					status = 1;
			} else if (machine) {
				absent++;
				printf("%s: not on this machine (%s)\n", s1.name, kern.lacks);
			} else if (sim.lacks[0]) {
				absent++;
				printf("%s: not on this version (%s)\n", s1.name, sim.lacks);
			} else {
				agree++;
				printf("%s: agrees (%d queries)\n", s1.name, sim.nr);
			}
		}
		scn_report_free(&sim);
		scn_report_free(&kern);
		scenario_free(&s1);
		scenario_free(&s2);
	}
	free(guest);
	printf("# %d files on Linux %s: %d agree, %d differ, %d cannot compare, %d not on this "
	       "version or machine\n", argc, release[0] ? release : "?", agree, differing, broken,
	       absent);
	return status;
}

static bool asks_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

/* "mmsim help [COMMAND]": the usage, or the command's own (draw, explain). */
static int cmd_help(int argc, char **argv)
{
	static char help[] = "--help";
	char *args[] = { help, NULL };

	if (argc == 0 || !strcmp(argv[0], "run") || !strcmp(argv[0], "diff") ||
	    !strcmp(argv[0], "kernel-restore")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "draw"))
		return cmd_draw(1, args);
	if (!strcmp(argv[0], "explain"))
		return cmd_explain(1, args);
#ifdef MMSIM_HAVE_SWEEP
	if (!strcmp(argv[0], "sweep"))
		return cmd_sweep(1, args);
#endif
#ifdef MMSIM_HAVE_CAPTURE
	if (!strcmp(argv[0], "capture"))
		return cmd_capture(1, args);
	if (!strcmp(argv[0], "replay"))
		return cmd_replay(1, args);
	if (!strcmp(argv[0], "whatif"))
		return cmd_whatif(1, args);
#endif
	fprintf(stderr, "mmsim help: no command '%s' (run, diff, draw, explain, sweep, capture, "
		"replay, whatif, kernel-restore)\n", argv[0]);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("mmsim %s (library %s)\n", MMSIM_VERSION_STRING, mmsim_version());
		return 0;
	}
	if (!strcmp(argv[1], "help"))
		return cmd_help(argc - 2, argv + 2);
	if ((!strcmp(argv[1], "run") || !strcmp(argv[1], "diff")) && asks_help(argc - 2, argv + 2)) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 2, argv + 2);
	if (!strcmp(argv[1], "draw"))
		return cmd_draw(argc - 2, argv + 2);
	if (!strcmp(argv[1], "explain"))
		return cmd_explain(argc - 2, argv + 2);
	if (!strcmp(argv[1], "qemu-exec")) {
		if (argc < 4 || argv[2][0] == '-') {
			fprintf(stderr, "usage: mmsim qemu-exec VMLINUZ PROGRAM [ARG...]\n");
			return 2;
		}
		return qemu_exec(argv[2], argv[3], argv + 4, argc - 4);
	}
	if (!strcmp(argv[1], "kernel-restore") && argc == 2) {
		char err[384];

		if (kernel_settings_recover(stdout, err, sizeof(err))) {
			fprintf(stderr, "mmsim: %s\n", err);
			return 2;
		}
		return 0;
	}
#ifdef MMSIM_HAVE_SWEEP
	if (!strcmp(argv[1], "sweep"))
		return cmd_sweep(argc - 2, argv + 2);
#endif
#ifdef MMSIM_HAVE_CAPTURE
	if (!strcmp(argv[1], "capture"))
		return cmd_capture(argc - 2, argv + 2);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 2, argv + 2);
	if (!strcmp(argv[1], "whatif"))
		return cmd_whatif(argc - 2, argv + 2);
#endif
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
