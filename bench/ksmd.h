// SPDX-License-Identifier: MIT
/*
 * The live ksmd for the benches: KSM's sysfs settings saved and restored on
 * every path and the kernel executor's lock (/run/mmsim-kernel.lock), both
 * through cli/kernel_settings.c, and the three full passes of a workload
 * timed. See bench/README.md.
 */
#ifndef MMSIM_BENCH_KSMD_H
#define MMSIM_BENCH_KSMD_H

#include <stdbool.h>

#define KSMD_PASSES		3
#define KSMD_NR_COUNTERS	5
#define KSMD_POLL_NS		20000	/* between two reads of full_scans */

/* pages_shared, pages_sharing, pages_unshared, stable_node_chains, stable_node_dups. */
extern const char *const ksmd_counter_names[KSMD_NR_COUNTERS];

/* One side's figures (the benches fill the simulator's the same way). */
struct ksmd_side {
	bool done;
	double secs[KSMD_PASSES];		/* each pass */
	double cpu_secs[KSMD_PASSES];		/* kernel: ksmd's CPU time in each pass (schedstat), -1 unknown */
	long counters[KSMD_NR_COUNTERS];	/* after three passes */
	long merged[KSMD_PASSES + 1];	/* pages_shared + pages_sharing before pass k, after (k = 3) */
	double uncertainty_us;			/* kernel: widest window a pass boundary may lie in */
	char note[256];				/* why skipped, or what to know */
};

/* Page i of a workload into page (4 KiB); arg: the caller's. */
typedef void (*ksmd_fill_t)(unsigned char *page, unsigned long i, void *arg);

/* Puts every changed setting back and lets the lock go (idempotent). */
void ksmd_close(void);
/* The settings put back at exit and on SIGINT, SIGTERM, SIGHUP, SIGQUIT (cli/kernel_settings.c). */
void ksmd_install_restore(void);
/*
 * n pages filled by fill(page, i, arg), MADV_MERGEABLE, three passes of the live ksmd
 * (pages_to_scan n + 1, sleep_millisecs 0, max_page_sharing 256, smart_scan
 * 1, use_zero_pages 0) under the lock (KERNEL_LOCK_TIMEOUT_S); every
 * setting goes back before it returns. Refused (s->done false, s->note says
 * why) when not root, without KSM, or when another process keeps mergeable
 * memory for 120 s (ksmd would scan it too).
 */
void ksmd_measure(unsigned long n, ksmd_fill_t fill, void *arg, struct ksmd_side *s);

#endif /* MMSIM_BENCH_KSMD_H */
