/* SPDX-License-Identifier: MIT */
/* What every benchmark of bench/ shares: giving up on a failed library call. */
#ifndef MMSIM_BENCH_UTIL_H
#define MMSIM_BENCH_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif /* MMSIM_BENCH_UTIL_H */
