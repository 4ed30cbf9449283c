// SPDX-License-Identifier: MIT
/*
 * The simulator executor: each scenario command becomes a call into one
 * mmsim instance, each query an answer from what /proc would show, with the
 * invariant checker run after every command (or as --verify says).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"

struct sim_exec {
	struct mmsim *sim;
	int pid[SCN_MAX_PROCS];		/* 0: no such process (yet, or any more) */
	bool started;			/* a proc command has run */
	bool scheme_chosen;		/* by a scheme command: kernel keeps it */
	unsigned long swap_slots;	/* by a swap command; 0: as many as frames */
	const struct scn_command *cmd;	/* the command running, for progress lines */
	struct timespec cmd_start;	/* when it started */
	bool progress_shown;		/* a progress line is on the terminal */
	struct scn_executor *ex;	/* the executor this is the private part of */
	unsigned long pages_done;	/* of the failing write: pages written before it failed */
	struct scn_pipe_bytes *pipe[SCN_MAX_PROCS];	/* what pipe_read read last, by slot */
};

#define DEFAULT_MEMORY (1UL << 30)	/* fits every scenario of tests/scenarios */

/* A library error as the kernel hacker reads it; EUCLEAN is the checker's. */
static const char *errname(int err)
{
	return err == -EUCLEAN ? "EUCLEAN (a model invariant broke)" : scn_errno_name(-err);
}

/*
 * The simulated memory ran out: say how large it is, how much the command
 * still needed at least, and how to ask for more.
 */
static int out_of_memory(struct sim_exec *se, const struct scn_command *c, char *err, size_t len)
{
	struct mmsim_stats st;
	unsigned long left = 0;
	char needed[64] = "";

	mmsim_get_stats(se->sim, &st);
	if (c->kind == CMD_WRITE)
		left = c->len / 4096 - se->pages_done;
	if (left)
		snprintf(needed, sizeof(needed), ", and the command needed %lu MiB more", left >> 8);
	return scn_fail(err, len, "%s: out of simulated memory: all but %lu of its %lu MiB are in use"
			"%s; give it more with `memory SIZE` before the first proc, or mmsim run "
			"--memory SIZE (SIZE at least %lu MiB)", c->text, st.nr_free_frames,
			st.nr_frames >> 8, needed, ((st.nr_frames - st.nr_free_frames + left) >> 8) + 1);
}

/*
 * A write of more pages than the machine has frames can never succeed: each
 * page it leaves present is a frame of its own (a page already present and
 * exclusive needs none, but there are never more of those than frames).
 * Bail at once, before a single page is written.
 */
static int too_large(struct sim_exec *se, const struct scn_command *c, char *err, size_t len)
{
	struct mmsim_stats st;

	mmsim_get_stats(se->sim, &st);
	if (c->len / 4096 <= st.nr_frames)
		return 0;
	return scn_fail(err, len, "%s: needs %lu MiB of memory, more than the simulated machine's "
			"%lu MiB; give it more with `memory SIZE` before the first proc, or mmsim run "
			"--memory SIZE (SIZE more than %lu MiB)", c->text, c->len >> 20,
			st.nr_frames >> 8, c->len >> 20);
}

/* Turns a failed library call into a Bail out! message. */
static int call_failed(struct sim_exec *se, const struct scn_command *c, int ret, char *err,
		       size_t len)
{
	const char *why = mmsim_last_error(se->sim);
	struct mmsim_stats st;

	/* The profile's version lacks the interface, as the kernel executor finds it. */
	if (ret == -EOPNOTSUPP) {
		scn_fail(err, len, "%s: %s", c->text, why);
		return SCN_LACKS;
	}
	mmsim_get_stats(se->sim, &st);
	/* Fewer free frames than a 2M folio or a few tables need: memory, not the host. */
	if (ret == -ENOMEM && st.nr_free_frames < 1024)
		return out_of_memory(se, c, err, len);
	/* The call's own errno, as the kernel's system call returns it (expect errno). */
	if (ret != -EUCLEAN)
		se->ex->last_errno = -ret;
	return scn_fail(err, len, "%s failed: %s%s%s", c->text, errname(ret), why[0] ? ": " : "", why);
}

static int proc_pid(struct sim_exec *se, const struct scenario *scn, int slot, char *err,
		    size_t len)
{
	if (!se->pid[slot])
		return scn_fail(err, len, "no process %s (create it with proc or fork)", scn->procs[slot]),
		       0;
	return se->pid[slot];
}

/* A query the profile's version has no interface for answers # SKIP, as on that kernel. */
static int lacks(struct sim_exec *se, struct scn_answer *ans)
{
	ans->skip = true;
	snprintf(ans->reason, sizeof(ans->reason), "%s", mmsim_last_error(se->sim));
	return 0;
}

static int prot_of(enum scn_prot p)
{
	return p == PROT_RW ? (MMSIM_PROT_READ | MMSIM_PROT_WRITE) :
	       p == PROT_R ? MMSIM_PROT_READ : MMSIM_PROT_NONE;
}

/* One library call, which keeps the fill's description instead of its bytes. */
static int write_pages(struct scn_executor *ex, int pid, const struct scn_command *c)
{
	struct sim_exec *se = ex->priv;
	struct mmsim_fill fill;
	int ret;

	scn_mmsim_fill(&c->fill, ex->seed, ex->unique_pages, &fill);
	ret = mmsim_write_fill(se->sim, pid, c->addr, c->len, &fill, &se->pages_done);
	if (c->fill.kind == FILL_UNIQUE)
		ex->unique_pages += se->pages_done;
	return ret;
}

static int read_pages(struct sim_exec *se, int pid, const struct scn_command *c)
{
	for (unsigned long a = c->addr; a < c->addr + c->len; a += 4096) {
		uint8_t b;
		int ret = mmsim_read(se->sim, pid, a, &b, 1);

		if (ret)
			return ret;
	}
	return 0;
}

/* One line of the library's show, as a TAP comment. */
static void show_text(void *arg, const char *text)
{
	struct scn_executor *ex = arg;

	ex->comment(ex->comment_ctx, text);
}

int sim_executor_draw(struct scn_executor *ex, int view, int slot, unsigned long addr,
		      const char *title, char **dot, char *err, size_t errlen)
{
	struct sim_exec *se = ex->priv;
	const char *names[SCN_MAX_PROCS * 4] = { 0 };
	struct mmsim_draw o = { .view = (enum mmsim_draw_view)view, .addr = addr, .title = title,
				.names = names, .nr_names = SCN_MAX_PROCS * 4 };
	int ret;

	/* Pids grow from 1 with every proc and fork: more than a scenario makes. */
	for (int p = 0; p < ex->scn->nr_procs; p++)
		if (se->pid[p] > 0 && se->pid[p] < o.nr_names)
			names[se->pid[p]] = ex->scn->procs[p];
	if (slot >= 0) {
		o.pid = se->pid[slot];
		if (!o.pid)
			return scn_fail(err, errlen, "no process %s (create it with proc or fork)",
					ex->scn->procs[slot]);
	}
	ret = mmsim_draw_dot(se->sim, &o, dot, NULL);
	if (ret)
		return scn_fail(err, errlen, "%s", ret == -ENOMEM ? "out of memory" :
				mmsim_last_error(se->sim));
	return 0;
}

/* show dot VIEW [P [ADDR]] FILE: FILE is the command's last word. */
static int show_dot(struct scn_executor *ex, const struct scn_command *c, char *err, size_t len)
{
	const char *path = strrchr(c->text, ' ') + 1;
	char *dot, line[256];
	FILE *f;
	int ret = sim_executor_draw(ex, (int)c->n, c->proc[0], c->addr, NULL, &dot, err, len);

	if (ret)
		return ret;
	f = fopen(path, "w");
	if (!f) {
		free(dot);
		return scn_fail(err, len, "show dot: cannot write %s: %s", path, strerror(errno));
	}
	ret = fputs(dot, f) < 0;
	ret |= fclose(f) != 0;
	free(dot);
	if (ret)
		return scn_fail(err, len, "show dot: cannot write %s", path);
	snprintf(line, sizeof(line), "drew %.240s", path);
	show_text(ex, line);
	return 0;
}

/*
 * "memory", "kernel VERSION", "scheme NAME", "anon_pgoff": a new instance
 * with that configuration replaces the current one. Nothing is mapped yet
 * (no proc has run), so the settings already made are all it needs to keep.
 */
/* khugepaged's limits, 0 at the start of a scenario (as the kernel executor sets them). */
static const char *const khugepaged_tunables[] = { "max_ptes_none", "max_ptes_swap",
						   "max_ptes_shared" };

static void show_progress(void *arg, const char *line);

static int sim_recreate(struct sim_exec *se, const struct mmsim_config *cfg, const char *what,
			char *err, size_t len)
{
	struct mmsim *sim;
	int ret;

	ret = mmsim_create_like(cfg, se->sim, &sim);
	if (ret)
		return scn_fail(err, len, "%s: %s: %s", what, errname(ret), mmsim_last_error(se->sim));
	if (se->ex->progress)
		mmsim_set_progress(sim, show_progress, se->ex);
	mmsim_destroy(se->sim);
	se->sim = sim;
	return 0;
}

/* "memory SIZE": a machine of that many frames. */
static int sim_set_memory(struct sim_exec *se, const struct scn_command *c, char *err, size_t len)
{
	struct mmsim_config cfg;

	mmsim_get_config(se->sim, &cfg);
	cfg.nr_frames = c->n / 4096;
	cfg.nr_swap_slots = se->swap_slots;	/* 0: as many as frames */
	return sim_recreate(se, &cfg, c->text, err, len);
}

static int sim_set_scheme(struct sim_exec *se, const char *name, char *err, size_t len)
{
	struct mmsim_config cfg;
	char what[64];

	mmsim_get_config(se->sim, &cfg);
	cfg.scheme = name;
	snprintf(what, sizeof(what), "scheme %s", name);
	return sim_recreate(se, &cfg, what, err, len);
}

/* numa N: a new instance with N nodes, every process on node 0. */
static int sim_set_numa(struct sim_exec *se, const struct scn_command *c, char *err, size_t len)
{
	struct mmsim_config cfg;

	mmsim_get_config(se->sim, &cfg);
	cfg.nr_nodes = (unsigned int)c->n;
	return sim_recreate(se, &cfg, c->text, err, len);
}

/* swap SIZE: a swap device of SIZE bytes, whose first page is the header. */
static int sim_set_swap(struct sim_exec *se, const struct scn_command *c, char *err, size_t len)
{
	struct mmsim_config cfg;

	mmsim_get_config(se->sim, &cfg);
	se->swap_slots = c->n / 4096 - 1;
	cfg.nr_swap_slots = se->swap_slots;
	return sim_recreate(se, &cfg, c->text, err, len);
}

/* Seed 004's policy is a config field: a new instance takes it. */
static int sim_set_anon_pgoff(struct sim_exec *se, const struct scn_command *c, char *err,
			      size_t len)
{
	struct mmsim_config cfg;
	char what[64];

	mmsim_get_config(se->sim, &cfg);
	cfg.anon_pgoff = (enum mmsim_anon_pgoff)c->n;
	snprintf(what, sizeof(what), "anon_pgoff %s", c->word);
	return sim_recreate(se, &cfg, what, err, len);
}

/* The profile takes its own scheme, unless the scenario chose one before. */
static int sim_set_kernel(struct sim_exec *se, const char *version, char *err, size_t len)
{
	struct mmsim_config cfg;
	char what[64];

	mmsim_get_config(se->sim, &cfg);
	cfg.kernel = version;
	if (!se->scheme_chosen)
		cfg.scheme = NULL;
	snprintf(what, sizeof(what), "kernel %s", version);
	return sim_recreate(se, &cfg, what, err, len);
}

/* pipe_read P: everything P's pipe holds (at most SCN_PIPE_MAX bytes), kept for pipe_byte. */
static int pipe_read_all(struct sim_exec *se, int pid, int slot)
{
	struct scn_pipe_bytes *pb = se->pipe[slot];

	if (!pb) {
		pb = malloc(sizeof(*pb));
		if (!pb)
			return -ENOMEM;
		se->pipe[slot] = pb;
	}
	pb->len = 0;
	return mmsim_pipe_read(se->sim, pid, pb->bytes, sizeof(pb->bytes), &pb->len);
}

static int sim_command(struct scn_executor *ex, const struct scn_command *c, char *err, size_t len)
{
	struct sim_exec *se = ex->priv;
	const struct scenario *scn = ex->scn;
	int ret = 0, pid = 0, child;
	uint8_t byte;

	switch (c->kind) {
	case CMD_MEMORY:
		if (se->started)
			return scn_fail(err, len, "memory must come before the first proc");
		return sim_set_memory(se, c, err, len);
	case CMD_KERNEL:
		if (se->started)
			return scn_fail(err, len, "kernel must come before the first proc");
		return sim_set_kernel(se, c->word, err, len);
	case CMD_SCHEME:
		if (se->started)
			return scn_fail(err, len, "scheme must come before the first proc");
		se->scheme_chosen = true;
		return sim_set_scheme(se, c->word, err, len);
	case CMD_ANON_PGOFF:
		if (se->started)
			return scn_fail(err, len, "anon_pgoff must come before the first proc");
		return sim_set_anon_pgoff(se, c, err, len);
	case CMD_NUMA:
		if (se->started)
			return scn_fail(err, len, "numa must come before the first proc");
		return sim_set_numa(se, c, err, len);
	case CMD_SWAP:
		if (se->started)
			return scn_fail(err, len, "swap must come before the first proc");
		return sim_set_swap(se, c, err, len);
	case CMD_SEED:
		ex->seed = c->n;
		return 0;
	case CMD_THP: {
		static const enum mmsim_thp_mode modes[] = { MMSIM_THP_ALWAYS, MMSIM_THP_MADVISE,
							     MMSIM_THP_INHERIT, MMSIM_THP_NEVER };

		ret = mmsim_set_thp(se->sim, c->thp_size, modes[c->thp_mode]);
		break;
	}
	case CMD_KSM_SET:
		for (int i = 0; i < c->nr_ksm && !ret; i++)
			ret = mmsim_ksm_set(se->sim, c->ksm[i].key, c->ksm[i].value);
		break;
	case CMD_KSM_SCAN:
		ret = mmsim_ksm_scan(se->sim, c->n);
		break;
	case CMD_KSM_UNMERGE:
		ret = mmsim_ksm_run(se->sim, 2);
		break;
	case CMD_KHUGEPAGED_SET:
		for (int i = 0; i < c->nr_ksm && !ret; i++)
			ret = mmsim_khugepaged_set(se->sim, c->ksm[i].key, c->ksm[i].value);
		break;
	case CMD_KHUGEPAGED_SCAN:
		ret = mmsim_khugepaged_scan(se->sim, c->n);
		break;
	case CMD_KSM_SKIP:
		ret = mmsim_ksm_set(se->sim, "skip", c->n);
		break;
	case CMD_KSM_RMAP_WALK:
		ret = mmsim_ksm_set(se->sim, "rmap_walk", c->n);
		break;
	case CMD_PROC:
		if (se->pid[c->proc[0]])
			return scn_fail(err, len, "process %s exists already", scn->procs[c->proc[0]]);
		se->started = true;
		ret = mmsim_proc_create(se->sim, &se->pid[c->proc[0]]);
		break;
	case CMD_FORK:
		if (!(pid = proc_pid(se, scn, c->proc[0], err, len)))
			return -1;
		if (se->pid[c->proc[1]])
			return scn_fail(err, len, "process %s exists already", scn->procs[c->proc[1]]);
		ret = mmsim_fork(se->sim, pid, &child);
		if (!ret)
			se->pid[c->proc[1]] = child;
		break;
	case CMD_EXIT:
		if (!(pid = proc_pid(se, scn, c->proc[0], err, len)))
			return -1;
		ret = mmsim_exit(se->sim, pid);
		if (!ret)
			se->pid[c->proc[0]] = 0;
		break;
	default:
		/* Each show names its line, so a reader can tell which output is whose. */
		if (c->kind == CMD_SHOW && strcmp(c->word, "dot")) {
			char where[256];

			snprintf(where, sizeof(where), "%s:%d %s", scn->name, c->line, c->text);
			show_text(ex, where);
		}
		if (c->kind == CMD_SHOW && !strcmp(c->word, "dot"))
			return show_dot(ex, c, err, len);
		if (c->kind == CMD_SHOW && !strcmp(c->word, "ksm"))
			return mmsim_show(se->sim, MMSIM_SHOW_KSM, 0, 0, 0, show_text, ex) ?
				call_failed(se, c, -EINVAL, err, len) : 0;
		if (!(pid = proc_pid(se, scn, c->proc[0], err, len)))
			return -1;
		break;
	}
	if (ret)
		return call_failed(se, c, ret, err, len);

	switch (c->kind) {
	case CMD_MMAP:
		ret = mmsim_mmap_flags(se->sim, pid, c->addr, c->len, prot_of(c->prot),
				       c->noreserve ? MMSIM_MAP_NORESERVE : 0);
		break;
	case CMD_MUNMAP:
		ret = mmsim_munmap(se->sim, pid, c->addr, c->len);
		break;
	case CMD_MPROTECT:
		ret = mmsim_mprotect(se->sim, pid, c->addr, c->len, prot_of(c->prot));
		break;
	case CMD_MREMAP:
		ret = mmsim_mremap_flags(se->sim, pid, c->addr, c->len, c->addr2,
					 c->dontunmap ? MMSIM_MREMAP_DONTUNMAP : 0);
		break;
	case CMD_MADVISE: {
		static const enum mmsim_advice advice[] = { MMSIM_MADV_MERGEABLE, MMSIM_MADV_UNMERGEABLE,
							    MMSIM_MADV_DONTNEED, MMSIM_MADV_HUGEPAGE,
							    MMSIM_MADV_NOHUGEPAGE, MMSIM_MADV_PAGEOUT,
							    MMSIM_MADV_POPULATE_READ,
							    MMSIM_MADV_POPULATE_WRITE,
							    MMSIM_MADV_COLLAPSE, MMSIM_MADV_DONTFORK,
							    MMSIM_MADV_DOFORK };

		ret = mmsim_madvise(se->sim, pid, c->addr, c->len, advice[c->advice]);
		break;
	}
	case CMD_WRITE:
		if (too_large(se, c, err, len))
			return -1;
		ret = write_pages(ex, pid, c);
		break;
	case CMD_RECLAIM:
		ret = mmsim_reclaim(se->sim, pid, c->addr, c->len, NULL);
		break;
	case CMD_MLOCK:
		ret = mmsim_mlock(se->sim, pid, c->addr, c->len, c->n);
		break;
	case CMD_MUNLOCK:
		ret = mmsim_munlock(se->sim, pid, c->addr, c->len);
		break;
	case CMD_MLOCKALL:
		ret = mmsim_mlockall(se->sim, pid, (unsigned int)c->n);
		break;
	case CMD_MUNLOCKALL:
		ret = mmsim_munlockall(se->sim, pid);
		break;
	case CMD_PRCTL:
		ret = c->thp_prctl ? mmsim_prctl_set_thp_disable(se->sim, pid, c->on, c->n == 3) :
				     mmsim_prctl_set_memory_merge(se->sim, pid, c->on);
		break;
	case CMD_POKE:
		byte = (uint8_t)c->n;
		ret = mmsim_write(se->sim, pid, c->addr, &byte, 1);
		break;
	case CMD_READ:
		ret = read_pages(se, pid, c);
		break;
	case CMD_VMSPLICE:
		ret = mmsim_vmsplice(se->sim, pid, c->addr, c->len, NULL);
		break;
	case CMD_PIPE_READ:
		ret = pipe_read_all(se, pid, c->proc[0]);
		break;
	case CMD_PIN:
		ret = mmsim_pin_user_pages(se->sim, pid, c->addr, c->len, (unsigned int)c->n);
		break;
	case CMD_UNPIN:
		ret = mmsim_unpin_user_pages(se->sim, pid);
		break;
	case CMD_CLEAR_REFS:
		ret = mmsim_clear_refs(se->sim, pid, (int)c->n);
		break;
	case CMD_MOVE_PAGES: {
		int status = 0;

		/* The page's status is the call's errno, as the agent reports it. */
		ret = mmsim_move_pages(se->sim, pid, c->addr, (int)c->n, c->on, &status);
		if (!ret && status < 0)
			ret = status;
		break;
	}
	case CMD_SHOW:
		ret = mmsim_show(se->sim, !strcmp(c->word, "vmas") ? MMSIM_SHOW_VMAS :
				 !strcmp(c->word, "folio") ? MMSIM_SHOW_FOLIO : MMSIM_SHOW_PTES,
				 pid, c->addr, c->len, show_text, ex);
		break;
	default:
		break;
	}
	return ret ? call_failed(se, c, ret, err, len) : 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The library's progress lines, on stderr once a command has run two seconds. */
static void show_progress(void *arg, const char *line)
{
	struct scn_executor *ex = arg;
	struct sim_exec *se = ex->priv;

	if (!se->cmd || seconds_since(&se->cmd_start) < 2)
		return;
	fprintf(stderr, "\r\033[K%s:%d %s: %s", ex->scn->name, se->cmd->line, se->cmd->text, line);
	fflush(stderr);
	se->progress_shown = true;
}

static void progress_done(struct sim_exec *se)
{
	if (se->progress_shown)
		fprintf(stderr, "\r\033[K");
	se->progress_shown = false;
	se->cmd = NULL;
}

/* A check that fails after a command: the command broke the model. */
static int check_failed(struct sim_exec *se, const char *after, int ret, char *err, size_t len)
{
	return scn_fail(err, len, "%s: %s: %s", after, errname(ret), mmsim_last_error(se->sim));
}

static int sim_run(struct scn_executor *ex, const struct scn_command *c, char *err, size_t len)
{
	struct sim_exec *se = ex->priv;
	int ret;

	se->cmd = c;
	se->pages_done = 0;
	clock_gettime(CLOCK_MONOTONIC, &se->cmd_start);
	ret = sim_command(ex, c, err, len);
	if (!ret) {
		ret = mmsim_verify_point(se->sim, MMSIM_VERIFY_AT_COMMAND);
		if (ret)
			ret = check_failed(se, c->text, ret, err, len);
	}
	progress_done(se);
	return ret;
}

static int sim_end(struct scn_executor *ex, char *err, size_t len)
{
	struct sim_exec *se = ex->priv;
	int ret = mmsim_verify_point(se->sim, MMSIM_VERIFY_AT_END);

	return ret ? check_failed(se, "at the end", ret, err, len) : 0;
}

static int kpf_bit(const char *name)
{
	static const struct { const char *name; int bit; } bits[] = {
		{ "ANON", MMSIM_KPF_ANON }, { "KSM", MMSIM_KPF_KSM }, { "THP", MMSIM_KPF_THP },
		{ "COMPOUND_HEAD", MMSIM_KPF_COMPOUND_HEAD },
		{ "COMPOUND_TAIL", MMSIM_KPF_COMPOUND_TAIL }, { "ZERO_PAGE", MMSIM_KPF_ZERO_PAGE },
		{ "UNEVICTABLE", MMSIM_KPF_UNEVICTABLE }, { "MLOCKED", MMSIM_KPF_MLOCKED },
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (!strcmp(bits[i].name, name))
			return bits[i].bit;
	return -1;
}

/*
 * The folio mapped at addr for the folio.* and truth.* queries: false when
 * nothing (or the zero page) is mapped; a negative errno on failure.
 */
static int folio_at(struct sim_exec *se, int pid, unsigned long addr, struct mmsim_folio_info *fi)
{
	int ret = mmsim_folio_info(se->sim, pid, addr, fi);

	return ret == -ENOENT ? 0 : ret ? ret : 1;
}

static int sim_query(struct scn_executor *ex, const struct scn_query_spec *q,
		     struct scn_answer *ans, char *err, size_t len)
{
	struct sim_exec *se = ex->priv;
	const struct scenario *scn = ex->scn;
	int pid = 0, pid2 = 0, order, ret = 0;
	uint64_t pm, pm2, v;
	struct mmsim_smaps sm;
	struct mmsim_folio_info fi;
	struct mmsim_rmap_walk walk;
	uint8_t byte;

	memset(ans, 0, sizeof(*ans));
	if (q->kind == Q_KSM) {
		long counter;

		ret = mmsim_ksm_counter(se->sim, q->name, &counter);
		if (ret == -EOPNOTSUPP)
			return lacks(se, ans);
		if (ret)
			return scn_fail(err, len, "ksm.%s: %s", q->name, errname(ret));
		ans->value = counter;
		return 0;
	}
	/* What was read stays read: the process may be gone since. */
	if (q->kind == Q_PIPE_BYTE)
		return scn_pipe_byte(se->pipe[q->proc[0]], scn->procs[q->proc[0]], q->addr[0], ans,
				     err, len);
	if (!(pid = proc_pid(se, scn, q->proc[0], err, len)))
		return -1;
	switch (q->kind) {
	case Q_KSM_STAT: {
		long field = 0;

		ret = mmsim_ksm_stat(se->sim, pid, q->name, &field);
		if (ret == -EOPNOTSUPP)
			return lacks(se, ans);
		ans->value = field;
		break;
	}
	case Q_SMAPS:
		ret = mmsim_smaps(se->sim, pid, SCN_WINDOW_START, SCN_WINDOW_END, &sm);
		if (!ret)
			ret = mmsim_smaps_field(se->sim, &sm, q->name, &ans->value);
		if (ret == -EOPNOTSUPP)
			return lacks(se, ans);
		break;
	case Q_KPAGECOUNT:
	case Q_KPAGEFLAGS:
	case Q_PRESENT:
	case Q_EXCLUSIVE:
		ret = mmsim_pagemap(se->sim, pid, q->addr[0], &pm);
		if (ret)
			break;
		if (q->kind == Q_PRESENT) {
			ans->value = !!(pm & MMSIM_PM_PRESENT);
		} else if (q->kind == Q_EXCLUSIVE) {
			ans->value = !!(pm & MMSIM_PM_MMAP_EXCLUSIVE);
		} else if (!(pm & MMSIM_PM_PRESENT)) {
			ans->value = 0;
		} else if (q->kind == Q_KPAGECOUNT) {
			ret = mmsim_kpagecount(se->sim, pm & MMSIM_PM_PFN_MASK, &v);
			ans->value = (long long)v;
		} else {
			ret = mmsim_kpageflags(se->sim, pm & MMSIM_PM_PFN_MASK, &v);
			ans->value = !!(v & (1ULL << kpf_bit(q->name)));
		}
		break;
	case Q_SAME_FRAME:
		if (!(pid2 = proc_pid(se, scn, q->proc[1], err, len)))
			return -1;
		ret = mmsim_pagemap(se->sim, pid, q->addr[0], &pm);
		if (!ret)
			ret = mmsim_pagemap(se->sim, pid2, q->addr[1], &pm2);
		ans->value = (pm & MMSIM_PM_PRESENT) && (pm2 & MMSIM_PM_PRESENT) &&
			     (pm & MMSIM_PM_PFN_MASK) == (pm2 & MMSIM_PM_PFN_MASK);
		break;
	case Q_FOLIO_ORDER:
		ret = mmsim_folio_order(se->sim, pid, q->addr[0], &order);
		ans->value = order;
		break;
	case Q_SWAPPED:
		ret = mmsim_pagemap(se->sim, pid, q->addr[0], &pm);
		ans->value = !!(pm & MMSIM_PM_SWAP);
		break;
	case Q_VMA_START:
	case Q_VMA_END:
	case Q_VMA_PGOFF: {
		/* No VMA there: 0, as no line of /proc/PID/maps covers it. */
		struct mmsim_vma_info vi;

		ret = mmsim_vma_info(se->sim, pid, q->addr[0], &vi);
		if (!ret)
			ans->value = (long long)(q->kind == Q_VMA_START ? vi.start :
						 q->kind == Q_VMA_END ? vi.end : vi.pgoff);
		if (ret == -ENOENT)
			ret = 0;
		break;
	}
	case Q_THP_DISABLE: {
		int disabled = 0;

		ret = mmsim_prctl_get_thp_disable(se->sim, pid, &disabled);
		ans->value = disabled;
		break;
	}
	case Q_VMFLAG: {
		bool set = false;

		ret = mmsim_vmflag(se->sim, pid, q->addr[0], q->name, &set);
		ans->value = set;
		break;
	}
	case Q_FOLIO_INDEX:
		/* Nothing (or the zero page) mapped: -1, as folio_order. */
		ret = folio_at(se, pid, q->addr[0], &fi);
		ans->value = ret > 0 ? (long long)fi.index : -1;
		ret = ret < 0 ? ret : 0;
		break;
	case Q_MADVISE_COLLAPSE:
		/* The call's result is the answer, an error too. */
		ans->value = mmsim_madvise(se->sim, pid, q->addr[0], q->addr[1], MMSIM_MADV_COLLAPSE);
		break;
	case Q_BYTE:
		ret = mmsim_read(se->sim, pid, q->addr[0], &byte, 1);
		ans->value = byte;
		break;
	case Q_PINNED_BYTE:
		ret = mmsim_pin_read(se->sim, pid, q->addr[0], &byte, 1);
		ans->value = byte;
		break;
	case Q_NODE: {
		int status = 0;

		ret = mmsim_page_node(se->sim, pid, q->addr[0], &status);
		ans->value = status;
		break;
	}
	case Q_SOFT_DIRTY: {
		bool dirty;

		ret = mmsim_soft_dirty(se->sim, pid, q->addr[0], &dirty);
		if (ret == -EOPNOTSUPP)
			return lacks(se, ans);
		ans->value = dirty;
		break;
	}
	case Q_FOLIO_MAPCOUNT:
	case Q_FOLIO_MAYBE_SHARED:
	case Q_FOLIO_PARTIALLY_MAPPED:
	case Q_TRUTH_MAPCOUNT:
	case Q_TRUTH_SHARED:
		ret = folio_at(se, pid, q->addr[0], &fi);
		if (ret <= 0)
			break;	/* nothing (or only the zero page) mapped: 0 / no */
		ret = 0;
		ans->value = q->kind == Q_FOLIO_MAPCOUNT ? fi.mapcount :
			     q->kind == Q_FOLIO_MAYBE_SHARED ? fi.maybe_shared :
			     q->kind == Q_FOLIO_PARTIALLY_MAPPED ? fi.partially_mapped :
			     q->kind == Q_TRUTH_MAPCOUNT ? fi.truth_mappings : fi.truth_mms > 1;
		break;
	case Q_RMAP_REACHES:
	case Q_RMAP_MAPPINGS:
		ret = mmsim_rmap_walk(se->sim, pid, q->addr[0], &walk);
		ans->value = q->kind == Q_RMAP_REACHES ? walk.reaches : (long long)walk.mappings;
		break;
	default:
		return scn_fail(err, len, "query %s not handled", scn_query_name(q->kind));
	}
	if (ret)
		return scn_fail(err, len, "%s failed: %s%s%s", scn_query_name(q->kind), errname(ret),
			    mmsim_last_error(se->sim)[0] ? ": " : "", mmsim_last_error(se->sim));
	return 0;
}

static void sim_finish(struct scn_executor *ex)
{
	struct sim_exec *se = ex->priv;

	mmsim_destroy(se->sim);
	for (int i = 0; i < SCN_MAX_PROCS; i++)
		free(se->pipe[i]);
	free(se);
	ex->priv = NULL;
}

static const struct scn_executor_ops sim_ops = {
	.name = "simulator",
	.run = sim_run,
	.end = sim_end,
	.query = sim_query,
	.finish = sim_finish,
};

int sim_executor_create(struct scn_executor *ex, const struct scenario *scn, char *err,
			size_t errlen)
{
	struct mmsim_config cfg = { .nr_frames = (ex->memory ? ex->memory : DEFAULT_MEMORY) / 4096,
				    .verify = ex->verify ? ex->verify : MMSIM_VERIFY_COMMAND,
				    .verify_every = ex->verify_every,
				    .scheme = ex->scheme, .kernel = ex->kernel };
	struct sim_exec *se;
	int ret;

	if (scenario_check_window(scn, err, errlen))
		return -1;
	se = calloc(1, sizeof(*se));
	if (!se)
		return scn_fail(err, errlen, "out of memory");
	ret = mmsim_create(&cfg, &se->sim);
	if (ret) {
		char why[200] = "";

		free(se);
		mmsim_config_check(&cfg, why, sizeof(why));
		return scn_fail(err, errlen, "cannot create the simulator%s%s%s%s: %s%s%s",
				ex->scheme ? " with scheme " : "", ex->scheme ? ex->scheme : "",
				ex->kernel ? " for Linux " : "", ex->kernel ? ex->kernel : "",
				errname(ret), why[0] ? ": " : "", why);
	}
	/* At scenario start every THP size and the top level are never. */
	mmsim_set_thp(se->sim, 0, MMSIM_THP_NEVER);
	for (unsigned long size = 16UL << 10; size <= (2UL << 20); size <<= 1)
		mmsim_set_thp(se->sim, size, MMSIM_THP_NEVER);
	/* The kernel executor's khugepaged: it collapses nothing until told to. */
	for (size_t i = 0; i < sizeof(khugepaged_tunables) / sizeof(khugepaged_tunables[0]); i++)
		mmsim_khugepaged_set(se->sim, khugepaged_tunables[i], 0);
	se->scheme_chosen = ex->scheme != NULL;
	ex->ops = &sim_ops;
	ex->priv = se;
	se->ex = ex;
	if (ex->progress)
		mmsim_set_progress(se->sim, show_progress, ex);
	return 0;
}

struct mmsim *sim_executor_sim(struct scn_executor *ex)
{
	return ((struct sim_exec *)ex->priv)->sim;
}
