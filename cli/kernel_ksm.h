/* SPDX-License-Identifier: MIT */
/*
 * The live ksmd driven pass by pass on processes already running (mmsim
 * whatif ksm --live), with the kernel executor's lock, saved settings and
 * signal handlers (cli/kernel_exec.c).
 */
#ifndef MMSIM_CLI_KERNEL_KSM_H
#define MMSIM_CLI_KERNEL_KSM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Takes the lock, saves every KSM and THP setting, unmerges everything
 * (run=2) and stops ksmd, then writes the tunables ({ "max_page_sharing",
 * "256" }, ...). Refuses while processes other than pids have mergeable
 * memory. 0 or -1 with err.
 */
int kernel_ksm_open(const pid_t *pids, int nr, const char *const (*tunables)[2], int nr_tunables,
		    char *err, size_t len);
/* One full pass of ksmd, no more; *none: no mm was registered, no pass. */
int kernel_ksm_pass(bool *none, char *err, size_t len);
/* ksmd's pid (0 when not found). */
pid_t kernel_ksm_ksmd(void);
/* Restores every setting and releases the lock. */
void kernel_ksm_close(void);

#endif /* MMSIM_CLI_KERNEL_KSM_H */
