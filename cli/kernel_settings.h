/* SPDX-License-Identifier: MIT */
/*
 * The live kernel's settings (/sys/kernel/mm/ksm, transparent_hugepage and
 * khugepaged, and a swap file of our own) for every front end that changes
 * them: the kernel executor, mmsim whatif --live and the benchmarks. Each is
 * saved before the first change and put back at the end, on a fatal signal,
 * and after a SIGKILL by the next start (through a file under /run); one lock
 * serialises them.
 */
#ifndef MMSIM_CLI_KERNEL_SETTINGS_H
#define MMSIM_CLI_KERNEL_SETTINGS_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#define KSM_DIR		"/sys/kernel/mm/ksm/"
#define THP_DIR		"/sys/kernel/mm/transparent_hugepage/"
#define KERNEL_LOCK_PATH	"/run/mmsim-kernel.lock"
/* The settings as found, kept on disk while they are changed. */
#define KERNEL_SAVED_PATH	"/run/mmsim-kernel.saved"
#define KERNEL_LOCK_TIMEOUT_S	120
/*
 * The swap file a run makes when its scenario needs swap and the machine
 * has too little: on /var/tmp, whose file system (unlike /tmp's tmpfs on
 * many machines) can hold one; swapped off and removed with the settings.
 */
#define KERNEL_SWAP_PATH	"/var/tmp/mmsim-kernel.swap"

/* Small files of /proc and /sys: 0 or -errno. sysfs_write() is async-signal-safe. */
int sysfs_write(const char *path, const char *value);
int sysfs_read(const char *path, char *buf, size_t len);
/* The first line, without its newline. */
int sysfs_read_line(const char *path, char *buf, size_t len);
int sysfs_read_number(const char *path, long long *v);
/* The value a write would set again: "always [madvise] never" gives madvise. */
void sysfs_current_value(const char *raw, char *out, size_t len);

/*
 * The lock every user of the live kernel's settings takes (flock), waiting
 * up to KERNEL_LOCK_TIMEOUT_S; *fd keeps it until closed. 0, or -1 with a
 * message naming the holder.
 */
int kernel_lock(int *fd, char *err, size_t len);

/*
 * The saved settings: one set per process (a signal handler must find them),
 * restored in the order saved. settings_save(): -errno when the file cannot
 * be read (absent on this kernel), -ENOSPC when the set is full.
 */
int settings_save(const char *path);
const char *settings_saved_value(const char *path);
int settings_nr(void);
const char *settings_path(int i);
/*
 * Writes the saved set to KERNEL_SAVED_PATH (before the first change, with
 * the lock held) and arms the restore: settings_put_back(), or the signal
 * guard, or the next start's settings_recover(), puts them back.
 */
int settings_arm(char *err, size_t len);
bool settings_armed(void);
/*
 * The swap file is about to be made and swapped on: the saved file says so
 * first, so that a SIGKILL between the two still finds it. 0, or -1 with a
 * message. The put-back swaps it off and removes it.
 */
int settings_swap_file_arm(char *err, size_t len);
bool settings_swap_file_armed(void);

/*
 * Puts every saved setting back (KSM's run=2 first, which unmerges, so that
 * max_page_sharing and merge_across_nodes can be written), removes the file
 * once all are back, and forgets the set. Async-signal-safe. Returns how
 * many could not be written.
 */
int settings_put_back(void);
/*
 * A dead run's KERNEL_SAVED_PATH: its settings put back, saying so on out.
 * 0 (*found false when there was none), or -1 with a message. With the lock
 * held and nothing saved yet.
 */
int settings_recover(FILE *out, bool *found, char *err, size_t len);

/*
 * SIGHUP, SIGINT, SIGQUIT and SIGTERM put the settings back, after
 * before_put_back() (NULL: nothing; the executor kills its processes), and
 * then kill the process with the same signal. settings_unguard() restores
 * the handlers found.
 */
void settings_guard(void (*before_put_back)(void));
void settings_unguard(void);
void settings_block_signals(sigset_t *old);

#endif /* MMSIM_CLI_KERNEL_SETTINGS_H */
