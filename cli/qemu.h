/* SPDX-License-Identifier: MIT */
/*
 * Scenarios on another Linux (mmsim run/diff --kernel-image VMLINUZ): the
 * kernel executor, built static, boots with them in an initramfs under qemu,
 * and what it prints on the serial console comes back here.
 */
#ifndef MMSIM_CLI_QEMU_H
#define MMSIM_CLI_QEMU_H

#include <stdbool.h>

#include "run.h"

/*
 * Between the guest and the host: `mmsim run --kernel --results FILE...`
 * prints, per file, a QEMU_FILE line "INDEX STATUS NR", then NR QEMU_QUERY
 * lines "LINE SKIP VALUE REASON", then a QEMU_BAIL line with the Bail out!
 * message if there was one, or a QEMU_LACKS line with what the kernel lacked
 * (QEMU_LACKS_MACHINE: what the guest lacked, at a requirement such as swap).
 * Every file runs, even after another bailed out.
 */
#define QEMU_FILE	"@mmsim-file"
#define QEMU_QUERY	"@mmsim-query"
#define QEMU_BAIL	"@mmsim-bail"
#define QEMU_LACKS	"@mmsim-lacks"
#define QEMU_LACKS_MACHINE	"@mmsim-lacks-machine"

/* One scenario's run in the guest: its exit status (0, 1, 2) and answers. */
struct qemu_file_result {
	int status;
	struct scn_report report;	/* results[].cmd is NULL: match by position */
};

/*
 * Boots image and runs `mmsim run --kernel [--json] FILE...` in the guest;
 * its TAP (or JSON) goes to stdout as a local run would print it. Returns
 * the run's exit status; 2 with a Bail out! when the guest cannot run.
 */
int qemu_run_tap(const char *image, bool json, bool allow_skip, char **files, int nfiles);

/*
 * Boots image once for every file and fills res[0..nfiles) with what each
 * run found (mmsim diff --kernel-image). When the guest cannot run, every
 * file gets status 2 and the reason as its Bail out! message. release gets
 * the guest's uname release ("" if it did not boot).
 */
void qemu_run_reports(const char *image, char **files, int nfiles,
		      struct qemu_file_result *res, char *release, size_t release_len);

/*
 * Boots image and runs exec, a static program, with args (mmsim qemu-exec):
 * /proc, /sys, /dev, /run and /tmp mounted, its output to stdout. Returns
 * its exit status; 2 with the reason on stderr when the guest cannot run.
 */
int qemu_exec(const char *image, const char *exec, char **args, int nargs);

#endif /* MMSIM_CLI_QEMU_H */
