/* SPDX-License-Identifier: MIT */
/*
 * Scenario files (.mms): the parsed form of the language of
 * docs/scenario-language.md, and the executor interface that runs
 * one on the simulator or on the live kernel.
 */
#ifndef MMSIM_CLI_SCENARIO_H
#define MMSIM_CLI_SCENARIO_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include <mmsim/mmsim.h>

#define SCN_WINDOW_START 0x100000000000UL
#define SCN_WINDOW_END	 0x400000000000UL
#define SCN_MAX_PROCS	 64
#define SCN_NAME_MAX	 48
#define SCN_MAX_KSM_SET	 8

enum scn_cmd {
	CMD_KERNEL, CMD_SEED, CMD_THP, CMD_KSM_SET, CMD_PROC, CMD_FORK, CMD_EXIT,
	CMD_MMAP, CMD_MUNMAP, CMD_MPROTECT, CMD_MREMAP, CMD_MADVISE, CMD_PRCTL,
	CMD_WRITE, CMD_POKE, CMD_READ, CMD_KSM_SCAN, CMD_KSM_UNMERGE,
	CMD_EXPECT, CMD_PROBE, CMD_MEMORY, CMD_MLOCK, CMD_MUNLOCK, CMD_MLOCKALL, CMD_MUNLOCKALL,
	CMD_KHUGEPAGED_SET, CMD_KHUGEPAGED_SCAN,
	CMD_VMSPLICE, CMD_PIPE_READ, CMD_PIN, CMD_UNPIN, CMD_CLEAR_REFS, CMD_NUMA, CMD_SWAP,
	CMD_MOVE_PAGES,
	/* simulator only */
	CMD_SCHEME, CMD_KSM_SKIP, CMD_SHOW, CMD_KSM_RMAP_WALK, CMD_RECLAIM, CMD_ANON_PGOFF,
};

enum scn_query {
	Q_KSM, Q_KSM_STAT, Q_SMAPS, Q_KPAGECOUNT, Q_KPAGEFLAGS, Q_PRESENT, Q_EXCLUSIVE,
	Q_SAME_FRAME, Q_FOLIO_ORDER, Q_BYTE, Q_SWAPPED, Q_VMA_START, Q_VMA_END,
	Q_MADVISE_COLLAPSE, Q_VMFLAG,
	Q_ERRNO,	/* expect errno CALL == ERRNO: the call is cmd->call */
	Q_THP_DISABLE,	/* thp_disable P: prctl(PR_GET_THP_DISABLE) */
	Q_PIPE_BYTE,	/* pipe_byte P OFF: byte OFF of what pipe_read P read last */
	Q_PINNED_BYTE,	/* pinned_byte P OFF: byte OFF of P's pinned range, as the pin sees it */
	Q_SOFT_DIRTY,	/* soft_dirty P ADDR: pagemap's bit 55 */
	Q_NODE,		/* node P ADDR: move_pages(2)'s status without nodes */
	/* simulator only */
	Q_FOLIO_MAPCOUNT, Q_FOLIO_MAYBE_SHARED, Q_FOLIO_PARTIALLY_MAPPED,
	Q_TRUTH_MAPCOUNT, Q_TRUTH_SHARED, Q_RMAP_REACHES, Q_RMAP_MAPPINGS,
	Q_VMA_PGOFF, Q_FOLIO_INDEX,
};

enum scn_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

enum scn_prot { PROT_RW, PROT_R, PROT_NONE_ };

enum scn_advice { ADV_MERGEABLE, ADV_UNMERGEABLE, ADV_DONTNEED, ADV_HUGEPAGE, ADV_NOHUGEPAGE,
		  ADV_PAGEOUT, ADV_POPULATE_READ, ADV_POPULATE_WRITE, ADV_COLLAPSE,
		  ADV_DONTFORK, ADV_DOFORK };

enum scn_thp_mode { THP_ALWAYS, THP_MADVISE, THP_INHERIT, THP_NEVER };

enum scn_fill { FILL_ZERO, FILL_BYTE, FILL_PATTERN, FILL_UNIQUE };

struct scn_fill_spec {
	enum scn_fill kind;
	uint64_t value;			/* byte=V or pattern=K */
};

struct scn_query_spec {
	enum scn_query kind;
	int proc[2];			/* process slots */
	unsigned long addr[2];		/* madvise_collapse: ADDR and LEN */
	char name[SCN_NAME_MAX];	/* ksm.NAME, ksm_stat/smaps field, kpageflags flag, vmflag NAME */
	bool yesno;			/* value is yes (1) / no (0) */
	bool sim_only;
};

struct scn_ksm_set {
	char key[SCN_NAME_MAX];
	unsigned long value;
};

struct scn_command {
	enum scn_cmd kind;
	int line;			/* 1-based line in the file */
	char *text;			/* the command as written, comment and extra blanks removed */
	int proc[2];			/* process slots: P, or P and C for fork */
	unsigned long addr, len, addr2;
	unsigned long n;		/* seed, ksm/khugepaged scan N, poke VALUE, ksm rmap_walk= variant,
					 * anon_pgoff policy, memory SIZE in bytes, mlock onfault (1),
					 * mlockall's MMSIM_MCL_*, pin's MMSIM_PIN_* */
	enum scn_prot prot;
	bool noreserve;			/* mmap ... noreserve: MAP_NORESERVE */
	bool dontunmap;			/* mremap ... dontunmap: MREMAP_DONTUNMAP */
	enum scn_advice advice;
	bool on;			/* prctl merge on|off; prctl thp_disable: set; move_pages all */
	bool thp_prctl;			/* prctl P thp_disable ...: n = 1 (on) or 3 (except_advised) */
	struct scn_fill_spec fill;
	unsigned long thp_size;		/* 0 for "top" */
	enum scn_thp_mode thp_mode;
	struct scn_ksm_set ksm[SCN_MAX_KSM_SET];	/* ksm or khugepaged KEY=VALUE */
	int nr_ksm;
	char word[SCN_NAME_MAX];	/* kernel VERSION, scheme NAME, ksm skip POLICY, show WHAT */
	struct scn_query_spec q;	/* expect, probe; show's P/ADDR/LEN use proc/addr/len */
	enum scn_op op;
	long long value;		/* expected value (yes = 1, no = 0, an errno) */
	struct scn_command *call;	/* expect errno: the call whose errno is the answer */
};

struct scenario {
	char *file;			/* as given on the command line */
	const char *name;		/* its basename, for TAP lines */
	struct scn_command *cmds;
	int nr_cmds;
	char procs[SCN_MAX_PROCS][SCN_NAME_MAX];	/* process names by slot */
	int nr_procs;
};

/*
 * Parses a file. On a syntax error returns -1 with "FILE:LINE: message" in
 * err; never crashes on any input.
 */
int scenario_parse(const char *path, struct scenario *scn, char *err, size_t errlen);
int scenario_parse_text(const char *name, const char *text, struct scenario *scn,
			char *err, size_t errlen);
/* n bytes that need no NUL at the end; a NUL byte inside is an error. */
int scenario_parse_mem(const char *name, const char *buf, size_t n, struct scenario *scn,
		       char *err, size_t errlen);
void scenario_free(struct scenario *scn);
/*
 * Is every address the scenario touches inside [SCN_WINDOW_START,
 * SCN_WINDOW_END)? Both executors refuse a scenario that is not, before it
 * starts, with the same message: -1 and "line N: COMMAND: address outside ...".
 */
int scenario_check_window(const struct scenario *scn, char *err, size_t errlen);

const char *scn_query_name(enum scn_query kind);
#define SCN_NR_VMFLAGS 15
extern const char *const scn_vmflag_names[SCN_NR_VMFLAGS];
/* Writes a Bail out! message into err and returns -1, for the executors. */
int scn_fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "ENOMEM" for ENOMEM: the name a kernel hacker reads in a Bail out!. */
const char *scn_errno_name(int e);
/* ENOMEM for "ENOMEM"; -1 for a name that is not an errno's. */
int scn_errno_value(const char *name);
bool scn_compare(long long got, enum scn_op op, long long want);

/* A pipe's default capacity, 16 buffers of a page: all pipe_read P ever reads at once. */
#define SCN_PIPE_MAX (16 * 4096)
/* What pipe_read P read last; each executor keeps one per process slot. */
struct scn_pipe_bytes {
	size_t len;
	uint8_t bytes[SCN_PIPE_MAX];
};
struct scn_answer;
/* pipe_byte P OFF from what pipe_read read (pb NULL: nothing yet); -1 with a Bail out! message. */
int scn_pipe_byte(const struct scn_pipe_bytes *pb, const char *proc, unsigned long off,
		  struct scn_answer *ans, char *err, size_t len);

struct mmsim_fill;
/*
 * FILL as the library describes it, for pages from the n-th written with
 * fill=unique on (the scenario's seed and its count of unique pages).
 */
void scn_mmsim_fill(const struct scn_fill_spec *fill, uint64_t seed, unsigned long n,
		    struct mmsim_fill *out);
/* The contents of the n-th page written with FILL in a scenario with seed. */
void scn_fill_page(const struct scn_fill_spec *fill, uint64_t seed, unsigned long n,
		   uint8_t page[4096]);
/* "64G", "1.5G" no, "256M", "4096": SIZE in bytes, or -1 (not a number, or not a whole page). */
int scn_parse_size(const char *s, unsigned long *bytes);
uint64_t scn_splitmix64(uint64_t x);

/* ---- Executors ---------------------------------------------------------------- */

/* A query's answer: a value, or the reason it cannot be answered. */
struct scn_answer {
	long long value;
	bool skip;
	char reason[128];
};

struct scn_executor;
/*
 * What run() returns when the kernel (or the simulator's profile) lacks an
 * interface the command needs: the scenario cannot run on that version, and
 * its remaining queries answer # SKIP.
 */
#define SCN_LACKS 1
/*
 * The same, when it is this machine that lacks it, whatever the version: a
 * requirement (memory, numa, swap) it cannot meet, or a debug interface its
 * kernel was built without. mmsim diff reports the file "not on this machine".
 */
#define SCN_LACKS_MACHINE 2

static inline bool scn_lacks(int ret)
{
	return ret == SCN_LACKS || ret == SCN_LACKS_MACHINE;
}

struct scn_executor_ops {
	const char *name;
	/*
	 * Runs one command that is not a query; -1 with a message means Bail out!,
	 * SCN_LACKS with a message that the kernel version lacks the interface
	 * (SCN_LACKS_MACHINE: the machine does).
	 */
	int (*run)(struct scn_executor *ex, const struct scn_command *cmd, char *err, size_t errlen);
	/* After the last command (may be NULL); -1 with a message means Bail out!. */
	int (*end)(struct scn_executor *ex, char *err, size_t errlen);
	/* Answers one query; -1 with a message means Bail out!. */
	int (*query)(struct scn_executor *ex, const struct scn_query_spec *q,
		     struct scn_answer *ans, char *err, size_t errlen);
	/* Tears everything down and restores what was changed. */
	void (*finish)(struct scn_executor *ex);
};

struct scn_executor {
	const struct scn_executor_ops *ops;
	const struct scenario *scn;
	const char *scheme;		/* simulator: the mapcount scheme to start with, NULL for linux */
	const char *kernel;		/* simulator: the Linux profile to start with, NULL for 6.18 */
	uint64_t seed;			/* seed N (default 1) */
	unsigned long unique_pages;	/* pages written with fill=unique so far */
	/* simulator: how it checks and how large it starts (mmsim run's options) */
	enum mmsim_verify_level verify;	/* 0: after each command */
	unsigned long verify_every;	/* verify EVERY_N: calls between checks */
	unsigned long memory;		/* --memory, bytes; 0: the default (1 GiB) */
	bool progress;			/* report long commands on stderr */
	/*
	 * The errno of the last command that failed as its system call did
	 * (run() set it before returning -1); 0 when the failure was not the
	 * call's own (no such process, a broken invariant, memory ran out).
	 */
	int last_errno;
	void (*comment)(void *ctx, const char *line);	/* where show prints */
	void *comment_ctx;
	void *priv;
};

/* The simulator executor (cli/sim_exec.c). */
int sim_executor_create(struct scn_executor *ex, const struct scenario *scn, char *err,
			size_t errlen);
/* The instance a simulator executor runs (for tests that look inside). */
struct mmsim *sim_executor_sim(struct scn_executor *ex);
/*
 * A picture of the simulator executor's model now (lib/draw.c): view is an
 * enum mmsim_draw_view, slot a process slot or -1 for every process, addr
 * the folio view's. The DOT text goes in *dot (free() it); -1 with a
 * message when the process does not exist or nothing is mapped there.
 */
int sim_executor_draw(struct scn_executor *ex, int view, int slot, unsigned long addr,
		      const char *title, char **dot, char *err, size_t errlen);
/* The live-kernel executor (cli/kernel_exec.c). */
int kernel_executor_create(struct scn_executor *ex, const struct scenario *scn, char *err,
			   size_t errlen);
/*
 * What a kernel run left when it died without restoring (SIGKILL): put back
 * the settings it saved, saying what on out. The executor does it first at
 * every start; mmsim kernel-restore does it by hand. 0, or -1 with a message.
 */
int kernel_settings_recover(FILE *out, char *err, size_t errlen);

#endif /* MMSIM_CLI_SCENARIO_H */
