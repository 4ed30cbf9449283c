// SPDX-License-Identifier: MIT
/*
 * The live-kernel executor: runs a scenario on this machine's Linux through
 * real processes (kernel_agent.c), the real ksmd and the real /proc and /sys
 * files, and puts back every setting it changed, even when interrupted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel_agent.h"
#include "kernel_ksm.h"
#include "kernel_settings.h"
#include "run.h"
#include "scenario.h"

#define AGENT_TIMEOUT_MS	120000	/* one command, e.g. writing a large range */
#define EXIT_TIMEOUT_MS		30000	/* a process's teardown */
#define KSMD_TIMEOUT_MS		120000	/* ksmd in a pass without scanning a page */

/*
 * Between scans ksmd sleeps an hour; a scan wakes it by changing
 * sleep_millisecs between these two values.
 */
#define KSM_IDLE_SLEEP_MS	3600000
/* pages_to_scan during a scan: more than any pass visits, so a batch is a pass. */
#define KSM_SCAN_PAGES		"1000000000"
/* khugepaged: pages_to_scan covering any pass, so that one batch is one pass. */
#define KHUGEPAGED_DIR		THP_DIR "khugepaged/"
#define KHUGEPAGED_SCAN_PAGES	"1000000000"
#define KHUGEPAGED_IDLE_SLEEP_MS 3600000
#define KHUGEPAGED_TIMEOUT_MS	120000	/* one full pass of khugepaged */

#define PM_PRESENT		(1ULL << 63)
#define PM_SWAP			(1ULL << 62)
#define PM_EXCLUSIVE		(1ULL << 56)
#define PM_PFN_MASK		((1ULL << 55) - 1)
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define FOLIO_WALK_MAX		(1UL << 18)	/* pages: a 1G folio at most */

struct kproc {
	pid_t pid;			/* 0: no such process (yet, or any more) */
	int fd;				/* its channel */
	int pidfd;			/* to see it gone, child or not */
};

struct kexec {
	struct kproc proc[SCN_MAX_PROCS];
	int lock_fd, kpagecount_fd, kpageflags_fd;
	pid_t ksmd;			/* 0 when not found: ksmd waits then use a delay */
	long long base_full_scans, base_pages_scanned, base_pages_skipped;
	char pages_to_scan[24];		/* the scenario's value, back after each scan */
	int old_subreaper;
	/*
	 * Before 6.8 there are no per-size THP controls: the top-level switch
	 * stands in for hugepages-2048kB/enabled, and the scenario's 2M and top
	 * modes are kept here to give it the value 2M would have.
	 */
	bool thp_legacy;
	enum scn_thp_mode legacy_2m, legacy_top;
	struct scn_pipe_bytes *pipe[SCN_MAX_PROCS];	/* what pipe_read read last, by slot */
	int soft_dirty;			/* pagemap reports soft-dirty: 1, 0, or -1 not asked yet */
};

/* ---- Settings: cli/kernel_settings.c -------------------------------------------- */

static struct kexec *active;		/* what a signal handler tears down */

static const char *signal_name(int sig)
{
	static char other[24];

	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGKILL: return "SIGKILL";
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	case SIGABRT: return "SIGABRT";
	default:
		snprintf(other, sizeof(other), "signal %d", sig);
		return other;
	}
}

/* ---- Processes ------------------------------------------------------------------ */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Waits for fd to be readable: 1, 0 on timeout. Async-signal-safe. */
static int wait_readable(int fd, long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int ret;

	for (;;) {
		long left = deadline - now_ms();

		ret = poll(&p, 1, left > 0 ? (int)left : 0);
		if (ret > 0)
			return 1;
		if (ret == 0 || errno != EINTR)
			return 0;
	}
}

/* Forgets a process that is gone (or is being killed), reaping it if ours. */
static void proc_forget(struct kproc *p)
{
	if (p->fd >= 0)
		close(p->fd);
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->pid > 0)
		waitpid(p->pid, NULL, WNOHANG);
	p->pid = 0;
	p->fd = p->pidfd = -1;
}

/*
 * Kills every scenario process and waits until each is gone (its address
 * space with it). Async-signal-safe: the settings guard runs it before it
 * puts the settings back.
 */
static void kill_all(struct kexec *ke)
{
	for (int i = 0; i < SCN_MAX_PROCS; i++)
		if (ke->proc[i].pid > 0)
			kill(ke->proc[i].pid, SIGKILL);
	for (int i = 0; i < SCN_MAX_PROCS; i++) {
		struct kproc *p = &ke->proc[i];

		if (p->pid <= 0)
			continue;
		if (p->pidfd >= 0)
			wait_readable(p->pidfd, EXIT_TIMEOUT_MS);
		proc_forget(p);
	}
	/* Orphans handed to us as subreaper; a process still forking sees EOF and exits. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void kill_active(void)
{
	if (active)
		kill_all(active);
}

/* The processes gone, then the settings back. Idempotent. */
static void teardown(struct kexec *ke)
{
	if (settings_armed())
		kill_all(ke);
	settings_put_back();
}

/* Tears down and frees everything; used by finish and by a failed create. */
static void kexec_release(struct kexec *ke)
{
	sigset_t old;

	settings_block_signals(&old);
	teardown(ke);
	active = NULL;
	settings_unguard();
	sigprocmask(SIG_SETMASK, &old, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, ke->old_subreaper, 0, 0, 0);
	if (ke->kpagecount_fd >= 0)
		close(ke->kpagecount_fd);
	if (ke->kpageflags_fd >= 0)
		close(ke->kpageflags_fd);
	if (ke->lock_fd >= 0)
		close(ke->lock_fd);	/* releases the flock */
	for (int i = 0; i < SCN_MAX_PROCS; i++)
		free(ke->pipe[i]);
	free(ke);
}

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Why a process stopped answering. */
static void death_reason(struct kproc *p, char *buf, size_t len)
{
	int status;

	if (p->pidfd >= 0)
		wait_readable(p->pidfd, 1000);
	if (waitpid(p->pid, &status, WNOHANG) == p->pid && WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s", signal_name(WTERMSIG(status)));
	else if (p->pid > 0 && kill(p->pid, 0) && errno == ESRCH)
		snprintf(buf, len, "it died");
	else
		snprintf(buf, len, "its channel closed");
}

/* Waits for one reply on fd; -1 with a message when the process died or hung. */
static int receive_reply(struct kexec *ke, int slot, int fd, struct agent_reply *rep,
			 const char *what, char *err, size_t len)
{
	struct kproc *p = &ke->proc[slot];
	char why[64];
	ssize_t n;

	if (!wait_readable(fd, AGENT_TIMEOUT_MS))
		return scn_fail(err, len, "%s: no answer within %d s", what, AGENT_TIMEOUT_MS / 1000);
	do
		n = recv(fd, rep, sizeof(*rep), 0);
	while (n < 0 && errno == EINTR);
	if (n == sizeof(*rep) && rep->sig) {
		snprintf(why, sizeof(why), "%s at %#llx", signal_name(rep->sig),
			 (unsigned long long)rep->addr);
		proc_forget(p);
		return scn_fail(err, len, "%s: %s", what, why);
	}
	if (n != sizeof(*rep)) {
		death_reason(p, why, sizeof(why));
		proc_forget(p);
		return scn_fail(err, len, "%s: the process stopped answering (%s)", what, why);
	}
	return 0;
}

/* Sends a request (with a descriptor for fork) to the process in slot. */
static int send_request(struct kproc *p, const struct agent_req *r, int pass_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)r, .iov_len = sizeof(*r) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (pass_fd >= 0) {
		struct cmsghdr *cm;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	do
		n = sendmsg(p->fd, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == sizeof(*r) ? 0 : -1;
}

/* One request and its reply, rep->err the system call's errno. */
static int agent_call_errno(struct scn_executor *ex, const struct scn_command *c, int slot,
			    struct agent_req *r, struct agent_reply *rep, char *err, size_t len)
{
	struct kexec *ke = ex->priv;
	struct kproc *p = &ke->proc[slot];

	if (p->pid <= 0)
		return scn_fail(err, len, "no process %s (create it with proc or fork)",
			    ex->scn->procs[slot]);
	memset(rep, 0, sizeof(*rep));
	if (send_request(p, r, -1)) {
		char why[64];

		death_reason(p, why, sizeof(why));
		proc_forget(p);
		return scn_fail(err, len, "%s: process %s is gone (%s)", c->text, ex->scn->procs[slot], why);
	}
	return receive_reply(ke, slot, p->fd, rep, c->text, err, len);
}

/* One request and its reply; a failed system call is a Bail out! naming it. */
static int agent_call(struct scn_executor *ex, const struct scn_command *c, int slot,
		      struct agent_req *r, struct agent_reply *rep, char *err, size_t len)
{
	if (agent_call_errno(ex, c, slot, r, rep, err, len))
		return -1;
	if (rep->err == EINVAL && r->op == AG_PRCTL_MERGE) {
		scn_fail(err, len, "%s: this kernel has no PR_SET_MEMORY_MERGE (Linux 6.4+)", c->text);
		return SCN_LACKS;
	}
	if (rep->err == EINVAL && r->op == AG_PRCTL_THP_DISABLE && r->arg == 3) {
		scn_fail(err, len, "%s: this kernel has no PR_THP_DISABLE_EXCEPT_ADVISED (Linux 6.18+)",
			 c->text);
		return SCN_LACKS;
	}
	if (rep->err) {
		ex->last_errno = rep->err;	/* the system call's errno: expect errno */
		return scn_fail(err, len, "%s: %s", c->text, scn_errno_name(rep->err));
	}
	return 0;
}

/* Waits for a new process's hello and opens its pidfd. */
static int greet(struct kexec *ke, int slot, pid_t expect, const char *what, char *err,
		 size_t len)
{
	struct kproc *p = &ke->proc[slot];
	struct agent_reply hello;

	p->pid = expect;
	if (receive_reply(ke, slot, p->fd, &hello, what, err, len))
		return -1;
	if ((pid_t)hello.value != expect)
		return scn_fail(err, len, "%s: the new process says it is pid %llu, not %d", what,
			    (unsigned long long)hello.value, expect);
	p->pidfd = pidfd_open_(expect);
	if (p->pidfd < 0)
		return scn_fail(err, len, "%s: pidfd_open: %s", what, scn_errno_name(errno));
	return 0;
}

static int proc_create(struct scn_executor *ex, const struct scn_command *c, char *err,
		       size_t len)
{
	struct kexec *ke = ex->priv;
	struct kproc *p = &ke->proc[c->proc[0]];
	pid_t parent = getpid(), pid;
	sigset_t old;
	int sv[2];

	if (p->pid > 0)
		return scn_fail(err, len, "process %s exists already", ex->scn->procs[c->proc[0]]);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return scn_fail(err, len, "%s: socketpair: %s", c->text, scn_errno_name(errno));
	fflush(NULL);
	/* Our handlers must not run in the child: it resets them before unblocking. */
	settings_block_signals(&old);
	pid = fork();
	if (pid == 0) {
		static char *const argv[] = { "mmsim-agent", NULL };
		static char *const envp[] = { AGENT_ENV "=1", NULL };

		/* Dies with the executor, whatever kills it (this survives exec). */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(0);
		/*
		 * A fresh image rather than a copy of ours, so that little
		 * memory outside the window is there to merge; the agent's
		 * constructor takes over. Without /proc, a plain fork will do.
		 */
		if (dup2(sv[1], AGENT_FD) == AGENT_FD && !fcntl(AGENT_FD, F_SETFD, 0)) {
			syscall(SYS_close_range, AGENT_FD + 1, ~0U, 0);
			execve("/proc/self/exe", argv, envp);
			kernel_agent_start(AGENT_FD);
		}
		kernel_agent_start(sv[1]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return scn_fail(err, len, "%s: fork: %s", c->text, scn_errno_name(errno));
	}
	p->fd = sv[0];
	return greet(ke, c->proc[0], pid, c->text, err, len);
}

static int proc_fork(struct scn_executor *ex, const struct scn_command *c, char *err,
		     size_t len)
{
	struct kexec *ke = ex->priv;
	struct kproc *parent = &ke->proc[c->proc[0]], *child = &ke->proc[c->proc[1]];
	struct agent_req r = { .op = AG_FORK };
	struct agent_reply rep;
	int sv[2], ret;

	if (parent->pid <= 0)
		return scn_fail(err, len, "no process %s (create it with proc or fork)",
			    ex->scn->procs[c->proc[0]]);
	if (child->pid > 0)
		return scn_fail(err, len, "process %s exists already", ex->scn->procs[c->proc[1]]);
	/* The child's channel exists before the fork, so it can answer at once. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return scn_fail(err, len, "%s: socketpair: %s", c->text, scn_errno_name(errno));
	ret = send_request(parent, &r, sv[1]);
	close(sv[1]);
	if (ret) {
		close(sv[0]);
		return scn_fail(err, len, "%s: process %s is gone", c->text, ex->scn->procs[c->proc[0]]);
	}
	if (receive_reply(ke, c->proc[0], parent->fd, &rep, c->text, err, len)) {
		close(sv[0]);
		return -1;
	}
	if (rep.err) {
		close(sv[0]);
		return scn_fail(err, len, "%s: fork: %s", c->text, scn_errno_name(rep.err));
	}
	child->fd = sv[0];
	return greet(ke, c->proc[1], (pid_t)rep.value, c->text, err, len);
}

/* exit P: returns once P is gone, and with it its address space. */
static int proc_exit(struct scn_executor *ex, const struct scn_command *c, char *err,
		     size_t len)
{
	struct kexec *ke = ex->priv;
	struct kproc *p = &ke->proc[c->proc[0]];
	struct agent_req r = { .op = AG_EXIT };

	if (p->pid <= 0)
		return scn_fail(err, len, "no process %s (create it with proc or fork)",
			    ex->scn->procs[c->proc[0]]);
	send_request(p, &r, -1);
	/*
	 * A pidfd is readable once the process has passed exit_mm() and become
	 * a zombie (or been reaped by its parent): the mm is torn down by then.
	 */
	if (!wait_readable(p->pidfd, EXIT_TIMEOUT_MS))
		return scn_fail(err, len, "%s: process %s still exists after %d s", c->text,
			    ex->scn->procs[c->proc[0]], EXIT_TIMEOUT_MS / 1000);
	proc_forget(p);
	return 0;
}

/* ---- Memory commands ------------------------------------------------------------ */

static int memory_command(struct scn_executor *ex, const struct scn_command *c, char *err,
			  size_t len)
{
	struct agent_req r = { .addr = c->addr, .len = c->len, .addr2 = c->addr2 };
	struct agent_reply rep;
	int ret;

	switch (c->kind) {
	case CMD_MMAP:
		r.op = AG_MMAP;
		r.arg = c->prot;
		r.value = c->noreserve;
		break;
	case CMD_MUNMAP:
		r.op = AG_MUNMAP;
		break;
	case CMD_MPROTECT:
		r.op = AG_MPROTECT;
		r.arg = c->prot;
		break;
	case CMD_MREMAP:
		r.op = AG_MREMAP;
		r.value = c->dontunmap;
		break;
	case CMD_MADVISE:
		r.op = AG_MADVISE;
		r.arg = c->advice;
		break;
	case CMD_PRCTL:
		r.op = c->thp_prctl ? AG_PRCTL_THP_DISABLE : AG_PRCTL_MERGE;
		r.arg = c->thp_prctl ? (int32_t)c->n : c->on;
		break;
	case CMD_MLOCK:
		r.op = AG_MLOCK;
		r.arg = (int32_t)c->n;
		break;
	case CMD_MUNLOCK:
		r.op = AG_MUNLOCK;
		break;
	case CMD_MLOCKALL:
		r.op = AG_MLOCKALL;
		r.arg = (int32_t)c->n;
		break;
	case CMD_MUNLOCKALL:
		r.op = AG_MUNLOCKALL;
		break;
	case CMD_WRITE:
		r.op = AG_WRITE;
		r.arg = c->fill.kind;
		r.value = c->fill.value;
		r.seed = ex->seed;
		r.n = ex->unique_pages;
		break;
	case CMD_POKE:
		r.op = AG_POKE;
		r.value = c->n;
		break;
	case CMD_READ:
		r.op = AG_READ;
		break;
	case CMD_VMSPLICE:
		r.op = AG_VMSPLICE;
		break;
	case CMD_PIN:
		/*
		 * User space holds a longterm pin through an io_uring fixed
		 * buffer, which is always FOLL_WRITE; a R/O one needs gup_test
		 * (CONFIG_GUP_TEST, a debug option distributions leave out).
		 */
		if (!(c->n & MMSIM_PIN_WRITE) && access(GUP_TEST_PATH, F_OK)) {
			scn_fail(err, len, "%s: a R/O longterm pin needs gup_test (CONFIG_GUP_TEST; "
				 "%s), which this kernel lacks: io_uring's fixed buffers are R/W",
				 c->text, GUP_TEST_PATH);
			return SCN_LACKS_MACHINE;
		}
		r.op = AG_PIN;
		r.arg = (c->n & MMSIM_PIN_WRITE ? AGENT_PIN_WRITE : 0) |
			(c->n & MMSIM_PIN_FAST ? AGENT_PIN_FAST : 0);
		break;
	case CMD_UNPIN:
		r.op = AG_UNPIN;
		break;
	case CMD_MOVE_PAGES:
		r.op = AG_MOVE_PAGES;
		r.n = c->n;
		r.arg = c->on;
		break;
	default:
		return scn_fail(err, len, "%s: not a memory command", c->text);
	}
	ret = agent_call(ex, c, c->proc[0], &r, &rep, err, len);
	if (!ret && c->kind == CMD_WRITE && c->fill.kind == FILL_UNIQUE)
		ex->unique_pages += c->len / 4096;
	return ret;
}

/* pipe_read P: the reply says how many bytes, and a message of their own follows. */
static int pipe_read_command(struct scn_executor *ex, const struct scn_command *c, char *err,
			     size_t len)
{
	struct kexec *ke = ex->priv;
	struct scn_pipe_bytes *pb = ke->pipe[c->proc[0]];
	struct agent_req r = { .op = AG_PIPE_READ };
	struct agent_reply rep;
	ssize_t n;

	if (!pb) {
		pb = malloc(sizeof(*pb));
		if (!pb)
			return scn_fail(err, len, "%s: out of memory", c->text);
		ke->pipe[c->proc[0]] = pb;
	}
	pb->len = 0;
	if (agent_call(ex, c, c->proc[0], &r, &rep, err, len))
		return -1;
	if (!rep.value)
		return 0;
	if (rep.value > sizeof(pb->bytes) || !wait_readable(ke->proc[c->proc[0]].fd, AGENT_TIMEOUT_MS))
		return scn_fail(err, len, "%s: the %llu bytes read did not follow", c->text,
				(unsigned long long)rep.value);
	do
		n = recv(ke->proc[c->proc[0]].fd, pb->bytes, sizeof(pb->bytes), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)rep.value)
		return scn_fail(err, len, "%s: %zd of the %llu bytes read came", c->text, n,
				(unsigned long long)rep.value);
	pb->len = (size_t)n;
	return 0;
}

/* ---- KSM ------------------------------------------------------------------------ */

/* Writes dir/key; a file this kernel lacks is SCN_LACKS. */
static int sysfs_write_key(const char *dir, const char *key, const char *value, char *err,
			   size_t len)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), "%s%s", dir, key);
	ret = sysfs_write(path, value);
	if (ret == -ENOENT) {
		scn_fail(err, len, "this kernel has no %s", path);
		return SCN_LACKS;
	}
	if (ret)
		return scn_fail(err, len, "writing %s to %s: %s", value, path, scn_errno_name(-ret));
	return 0;
}

static int ksm_write(const char *key, const char *value, char *err, size_t len)
{
	return sysfs_write_key(KSM_DIR, key, value, err, len);
}

static int ksm_read(const char *key, long long *v)
{
	char path[128];

	snprintf(path, sizeof(path), KSM_DIR "%s", key);
	return sysfs_read_number(path, v);
}

/* A kernel thread's scheduler state ('S' asleep) and voluntary context switches. */
static int kthread_state(pid_t pid, char *state, long long *nvcsw)
{
	char path[64], buf[2048], *s;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (sysfs_read_line(path, buf, sizeof(buf)))
		return -1;
	s = strrchr(buf, ')');
	if (!s || s[1] != ' ')
		return -1;
	*state = s[2];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	*nvcsw = -1;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "voluntary_ctxt_switches: %lld", nvcsw) == 1)
			break;
	fclose(f);
	return 0;
}

static int ksmd_state(struct kexec *ke, char *state, long long *nvcsw)
{
	return kthread_state(ke->ksmd, state, nvcsw);
}

/*
 * Waits until ksmd sleeps (TASK_INTERRUPTIBLE shows as 'S'). Its only such
 * sleeps are its two waits, between batches and while stopped; inside a pass
 * it sleeps uninterruptibly ('D') or runs.
 */
static int ksmd_wait_asleep(struct kexec *ke, char *err, size_t len)
{
	long deadline = now_ms() + KSMD_TIMEOUT_MS;
	long long nvcsw;
	char state;

	if (!ke->ksmd) {
		sleep_ms(100);
		return 0;
	}
	for (;;) {
		if (ksmd_state(ke, &state, &nvcsw))
			return scn_fail(err, len, "cannot read the state of ksmd (pid %d)", ke->ksmd);
		if (state == 'S')
			return 0;
		if (now_ms() > deadline)
			return scn_fail(err, len, "ksmd did not go to sleep within %d s",
				    KSMD_TIMEOUT_MS / 1000);
		sleep_ms(1);
	}
}

/*
 * Sends a stopped (run=0) ksmd to its stopped wait: if it still sleeps
 * between batches, a changed sleep_millisecs ends that sleep, and finding
 * run=0 it goes to wait for run. Only from there does writing run=1 wake it.
 */
static int ksmd_park(struct kexec *ke, char *err, size_t len)
{
	long long cur = 0;
	char value[24];

	ksm_read("sleep_millisecs", &cur);
	snprintf(value, sizeof(value), "%d",
		 cur == KSM_IDLE_SLEEP_MS ? KSM_IDLE_SLEEP_MS + 1 : KSM_IDLE_SLEEP_MS);
	if (ksm_write("sleep_millisecs", value, err, len))
		return -1;
	return ksmd_wait_asleep(ke, err, len);
}

/*
 * One full pass of ksmd, no more. ksmd is stopped (run=0) and parked; run=1
 * wakes it, and with pages_to_scan above the pages of any pass its batch
 * is exactly one pass (ksm_do_scan() returns at the end of a pass). After the
 * batch it reads sleep_millisecs and sleeps an hour; once it sleeps, run=0
 * (which takes ksm_thread_mutex, so no batch can be under way) keeps any
 * later wake-up (a new mm registering, the hour running out) from starting
 * another pass. *none: ksmd had no mm to scan, so no pass happened.
 */
static int ksm_one_pass(struct kexec *ke, bool *none, char *err, size_t len)
{
	long deadline = now_ms() + KSMD_TIMEOUT_MS;
	long long before, fs, nvcsw0 = -1, nvcsw, scanned, last_scanned = -1;
	char state;

	*none = false;
	if (ksmd_park(ke, err, len) || ksm_write("pages_to_scan", KSM_SCAN_PAGES, err, len))
		return -1;
	if (ksm_read("full_scans", &before))
		return scn_fail(err, len, "cannot read " KSM_DIR "full_scans");
	if (ke->ksmd)
		ksmd_state(ke, &state, &nvcsw0);
	if (ksm_write("run", "1", err, len))
		return -1;
	for (;;) {
		if (ksm_read("full_scans", &fs))
			return scn_fail(err, len, "cannot read " KSM_DIR "full_scans");
		if (fs != before)
			break;
		/*
		 * Woken, it went back to its stopped wait without a pass: its
		 * list of mms is empty (ksmd_should_run() is false). Confirm it
		 * stays asleep, then let run=0 below make sure.
		 */
		if (ke->ksmd && !ksmd_state(ke, &state, &nvcsw) && state == 'S' && nvcsw != nvcsw0) {
			long long again;

			sleep_ms(20);
			if (!ksm_read("full_scans", &fs) && fs == before &&
			    !ksmd_state(ke, &state, &again) && state == 'S' && again == nvcsw) {
				*none = true;
				break;
			}
			continue;
		}
		/*
		 * A pass of gigabytes takes minutes on a loaded machine (ksmd
		 * runs at nice 5): the time limit is for a pass that stopped
		 * scanning pages, not for a long one.
		 */
		if (!ksm_read("pages_scanned", &scanned) && scanned != last_scanned) {
			last_scanned = scanned;
			deadline = now_ms() + KSMD_TIMEOUT_MS;
		}
		if (now_ms() > deadline) {
			ksm_write("run", "0", err, len);
			return scn_fail(err, len, "ksm scan: ksmd scanned no page for %d s and did "
				    "not finish its pass", KSMD_TIMEOUT_MS / 1000);
		}
		sleep_ms(1);
	}
	/* Asleep between batches: it has read sleep_millisecs, so the next park works. */
	if (!*none && ksmd_wait_asleep(ke, err, len))
		return -1;
	if (ksm_write("run", "0", err, len) || ksm_write("pages_to_scan", ke->pages_to_scan, err, len))
		return -1;
	if (ksm_read("full_scans", &fs))
		return scn_fail(err, len, "cannot read " KSM_DIR "full_scans");
	if (*none && fs == before + 1)
		*none = false;	/* it was slower than it looked */
	if (fs != before + (*none ? 0 : 1))
		return scn_fail(err, len, "ksm scan: ksmd ran %lld passes instead of one", fs - before);
	return 0;
}

static int ksm_scan(struct scn_executor *ex, const struct scn_command *c, char *err, size_t len)
{
	struct kexec *ke = ex->priv;

	for (unsigned long i = 0; i < c->n; i++) {
		bool none;

		if (ksm_one_pass(ke, &none, err, len))
			return -1;
		if (none) {
			/* As on the kernel: with no mm registered, ksmd does not run. */
			ex->comment(ex->comment_ctx, "ksm scan: no process is registered with KSM, "
				    "ksmd ran no pass");
			break;
		}
	}
	return 0;
}

static int ksm_unmerge(struct kexec *ke, char *err, size_t len)
{
	long long fs;

	/* The write returns once everything is unmerged and ksmd's state freed. */
	if (ksm_write("run", "2", err, len) || ksm_write("run", "0", err, len))
		return -1;
	/* The kernel sets full_scans back to 0; count from there. */
	if (ksm_read("full_scans", &fs))
		return scn_fail(err, len, "cannot read " KSM_DIR "full_scans");
	ke->base_full_scans = fs;
	return 0;
}

static int ksm_set(struct kexec *ke, const struct scn_command *c, char *err, size_t len)
{
	for (int i = 0; i < c->nr_ksm; i++) {
		char value[24];

		int ret;

		snprintf(value, sizeof(value), "%lu", c->ksm[i].value);
		ret = ksm_write(c->ksm[i].key, value, err, len);
		if (ret) {
			char why[256];

			snprintf(why, sizeof(why), "%s", err);
			scn_fail(err, len, "%s: %s", c->text, why);
			return ret;
		}
		if (!strcmp(c->ksm[i].key, "pages_to_scan"))
			snprintf(ke->pages_to_scan, sizeof(ke->pages_to_scan), "%s", value);
	}
	return 0;
}

/* ---- khugepaged ----------------------------------------------------------------- */

static pid_t find_kthread(const char *name);

static int khugepaged_write(const char *key, const char *value, char *err, size_t len)
{
	return sysfs_write_key(KHUGEPAGED_DIR, key, value, err, len);
}

/*
 * Waits until the khugepaged thread sleeps ('S'): in khugepaged_wait_work(),
 * after its batch. Inside a batch it runs, or sleeps uninterruptibly on a
 * lock ('D'). 0 with *pid 0 when no thread runs (no THP size enabled). A
 * switch to never stops the thread: it may be gone between finding it and
 * reading its state, so it is looked for again each time.
 */
static int khugepaged_wait_asleep(pid_t *pid, char *err, size_t len)
{
	long deadline = now_ms() + KHUGEPAGED_TIMEOUT_MS;
	long long nvcsw;
	char state;

	*pid = find_kthread("khugepaged");
	while (*pid) {
		if (kthread_state(*pid, &state, &nvcsw))
			state = 0;
		if (state == 'S')
			return 0;
		if (now_ms() > deadline)
			return scn_fail(err, len, "khugepaged (pid %d) did not go to sleep within %d s",
					*pid, KHUGEPAGED_TIMEOUT_MS / 1000);
		sleep_ms(1);
		/* Only a thread that may be gone is looked for again (a scan of /proc). */
		if (!state)
			*pid = find_kthread("khugepaged");
	}
	return 0;
}

static int khugepaged_full_scans(long long *v, char *err, size_t len)
{
	if (sysfs_read_number(KHUGEPAGED_DIR "full_scans", v))
		return scn_fail(err, len, "cannot read " KHUGEPAGED_DIR "full_scans");
	return 0;
}

/*
 * Wakes khugepaged out of its hour-long sleep: a write of
 * scan_sleep_millisecs ends the sleep (khugepaged_sleep_expire = 0). The
 * value alternates so that every write is a change.
 */
static int khugepaged_wake(char *err, size_t len)
{
	long long cur = 0;
	char value[24];

	sysfs_read_number(KHUGEPAGED_DIR "scan_sleep_millisecs", &cur);
	snprintf(value, sizeof(value), "%d", cur == KHUGEPAGED_IDLE_SLEEP_MS ?
		 KHUGEPAGED_IDLE_SLEEP_MS + 1 : KHUGEPAGED_IDLE_SLEEP_MS);
	return khugepaged_write("scan_sleep_millisecs", value, err, len);
}

/*
 * One batch of khugepaged, which is one full pass: with pages_to_scan above
 * the pages of any pass, khugepaged_do_scan() goes through the list from
 * its head until it comes back there (full_scans + 1), then sleeps an hour.
 * If a batch had stopped in the middle of the list (a failed allocation
 * cancels the rest), the batch finishes that pass first: + 2, said in a
 * comment. *passes: how many passes ended; 0 when the thread found no mm
 * on its list (it went back to its untimed wait).
 */
static int khugepaged_one_batch(pid_t pid, long long *passes, char *err, size_t len)
{
	long deadline = now_ms() + KHUGEPAGED_TIMEOUT_MS;
	long long before, fs, nvcsw0 = -1, nvcsw, again;
	char state;

	if (khugepaged_full_scans(&before, err, len))
		return -1;
	kthread_state(pid, &state, &nvcsw0);
	if (khugepaged_wake(err, len))
		return -1;
	for (;;) {
		if (khugepaged_full_scans(&fs, err, len))
			return -1;
		if (fs != before)
			break;
		/* Woken and asleep again without a pass: nothing on its list. */
		if (!kthread_state(pid, &state, &nvcsw) && state == 'S' && nvcsw != nvcsw0) {
			sleep_ms(50);
			if (!khugepaged_full_scans(&fs, err, len) && fs == before &&
			    !kthread_state(pid, &state, &again) && state == 'S' && again == nvcsw) {
				*passes = 0;
				return 0;
			}
			continue;
		}
		if (now_ms() > deadline)
			return scn_fail(err, len, "khugepaged scan: khugepaged did not finish a pass "
					"within %d s (full_scans stayed at %lld)",
					KHUGEPAGED_TIMEOUT_MS / 1000, before);
		sleep_ms(1);
	}
	if (khugepaged_wait_asleep(&pid, err, len) || khugepaged_full_scans(&fs, err, len))
		return -1;
	*passes = fs - before;
	if (*passes != 1 && *passes != 2)
		return scn_fail(err, len, "khugepaged scan: full_scans went from %lld to %lld in one "
				"batch", before, fs);
	return 0;
}

static int khugepaged_scan(struct scn_executor *ex, const struct scn_command *c, char *err,
			   size_t len)
{
	pid_t pid;

	for (unsigned long i = 0; i < c->n; i++) {
		long long passes;

		if (khugepaged_wait_asleep(&pid, err, len))
			return -1;
		if (!pid) {
			ex->comment(ex->comment_ctx, "khugepaged scan: no khugepaged thread (no 2M "
				    "THP enabled), no pass");
			return 0;
		}
		if (khugepaged_one_batch(pid, &passes, err, len))
			return -1;
		if (!passes) {
			ex->comment(ex->comment_ctx, "khugepaged scan: no process is registered "
				    "with khugepaged, no pass");
			return 0;
		}
		if (passes == 2)
			ex->comment(ex->comment_ctx, "khugepaged scan: the batch finished a partial "
				    "pass before its full pass");
	}
	return 0;
}

/*
 * khugepaged KEY=VALUE: the kernel checks the value. pages_to_scan goes
 * back to the executor's value at once: passes are whole here, as in the
 * simulator, and a partial batch would make them depend on timing.
 */
static int khugepaged_set(const struct scn_command *c, char *err, size_t len)
{
	for (int i = 0; i < c->nr_ksm; i++) {
		char value[24], why[256];
		int ret;

		snprintf(value, sizeof(value), "%lu", c->ksm[i].value);
		ret = khugepaged_write(c->ksm[i].key, value, err, len);
		if (!ret && !strcmp(c->ksm[i].key, "pages_to_scan"))
			ret = khugepaged_write("pages_to_scan", KHUGEPAGED_SCAN_PAGES, err, len);
		if (ret) {
			snprintf(why, sizeof(why), "%s", err);
			scn_fail(err, len, "%s: %s", c->text, why);
			return ret;
		}
	}
	return 0;
}

/* ---- Settings commands ---------------------------------------------------------- */

static const char *const thp_mode_names[] = { "always", "madvise", "inherit", "never" };

/*
 * thp on a kernel before 6.8, which has only the top-level switch: it
 * decides for 2M THPs, so it takes the mode the scenario gave 2M, or the
 * scenario's top-level mode while 2M inherits it. 2M then behaves as on a
 * kernel with per-size controls; `thp top always` alone, which leaves 2M at
 * never there, enables nothing here either. Other sizes stop the run.
 */
/*
 * A THP switch may start khugepaged, whose thread scans at once (one pass
 * with our pages_to_scan), or stop it. Wait until it sleeps, so that the
 * scenario's next commands do not race with that pass.
 */
static int thp_khugepaged_settle(char *err, size_t len)
{
	pid_t pid;

	return khugepaged_wait_asleep(&pid, err, len);
}

static int thp_set_legacy(struct kexec *ke, const struct scn_command *c, char *err, size_t len)
{
	enum scn_thp_mode mode;
	int ret;

	if (c->thp_size && c->thp_size != (2UL << 20)) {
		scn_fail(err, len, "%s: this kernel has no per-size THP controls (Linux 6.8+)", c->text);
		return SCN_LACKS;
	}
	if (c->thp_size)
		ke->legacy_2m = c->thp_mode;
	else
		ke->legacy_top = c->thp_mode;
	mode = ke->legacy_2m == THP_INHERIT ? ke->legacy_top : ke->legacy_2m;
	ret = sysfs_write(THP_DIR "enabled", thp_mode_names[mode]);
	if (ret)
		return scn_fail(err, len, "%s: writing %s to " THP_DIR "enabled: %s", c->text,
			    thp_mode_names[mode], scn_errno_name(-ret));
	return thp_khugepaged_settle(err, len);
}

static int thp_set(struct kexec *ke, const struct scn_command *c, char *err, size_t len)
{
	const char *mode = thp_mode_names[c->thp_mode];
	char path[128];
	int ret;

	if (ke->thp_legacy)
		return thp_set_legacy(ke, c, err, len);
	if (c->thp_size)
		snprintf(path, sizeof(path), THP_DIR "hugepages-%lukB/enabled", c->thp_size >> 10);
	else
		snprintf(path, sizeof(path), THP_DIR "enabled");
	if (access(path, F_OK))
		return scn_fail(err, len, "%s: this kernel has no %s", c->text, path);
	ret = sysfs_write(path, mode);
	if (ret)
		return scn_fail(err, len, "%s: writing %s to %s: %s", c->text, mode, path,
			    scn_errno_name(-ret));
	return thp_khugepaged_settle(err, len);
}

static int kernel_version(const struct scn_command *c, char *err, size_t len)
{
	struct utsname u;

	if (uname(&u))
		return scn_fail(err, len, "uname: %s", scn_errno_name(errno));
	if (!scn_release_is(u.release, c->word))
		return scn_fail(err, len, "the scenario expects Linux %s, this kernel is %s", c->word,
			    u.release);
	return 0;
}

/*
 * "memory SIZE" is a requirement here: a scenario that needs more than the
 * machine has free cannot run (the rest answers # SKIP with the reason).
 */
static int memory_required(const struct scn_command *c, char *err, size_t len)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long kb = 0;
	char line[128];

	if (!f)
		return scn_fail(err, len, "/proc/meminfo: %s", scn_errno_name(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lu kB", &kb) == 1)
			break;
	fclose(f);
	if (kb / 1024 >= c->n >> 20)
		return 0;
	scn_fail(err, len, "%s: the scenario needs %lu MiB, this machine has %lu MiB available",
		 c->text, c->n >> 20, kb / 1024);
	return SCN_LACKS_MACHINE;
}

static int clear_refs(struct scn_executor *ex, const struct scn_command *c, char *err, size_t len);

/* KiB of swap free over every device of /proc/swaps (0 with none). */
static unsigned long swap_free_kb(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	unsigned long size, used, free_kb = 0;
	char line[512];

	if (!f)
		return 0;	/* a kernel without CONFIG_SWAP */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %lu %lu", &size, &used) == 2 && size > used)
			free_kb += size - used;
	fclose(f);
	return free_kb;
}

/*
 * A swap area of `size` bytes: the header in the first page, as mkswap
 * writes it (version 1, the last page, no bad pages). Four fields: written
 * here rather than run mkswap, which the qemu guests' initramfs lacks.
 */
static int swap_file_make(int fd, unsigned long size)
{
	uint32_t head[3] = { 1, (uint32_t)(size / 4096 - 1), 0 };
	char page[4096] = { 0 };
	/* Blocks, not holes, which swapon refuses; glibc writes them where fallocate is not. */
	int ret = posix_fallocate(fd, 0, (off_t)size);

	if (ret)
		return -ret;
	memcpy(page + 1024, head, sizeof(head));
	memcpy(page + sizeof(page) - 10, "SWAPSPACE2", 10);
	if (pwrite(fd, page, sizeof(page), 0) != (ssize_t)sizeof(page) || fsync(fd))
		return -errno;
	return 0;
}

/*
 * "swap SIZE" is a requirement here: that much swap free, or the run makes
 * a swap file of SIZE (KERNEL_SWAP_PATH) and swaps it on until the end, as
 * it restores every setting. A file system that cannot hold swap (tmpfs:
 * the qemu guests' root) means the scenario is not on this machine.
 */
static int swap_required(const struct scn_command *c, char *err, size_t len)
{
	unsigned long have = swap_free_kb();
	const char *step = "make";
	int fd, ret;

	if (have >= c->n / 1024 - 4)
		return 0;
	if (settings_swap_file_armed()) {
		scn_fail(err, len, "%s: this machine has %lu KiB of swap free", c->text, have);
		return SCN_LACKS_MACHINE;
	}
	if (settings_swap_file_arm(err, len))
		return -1;
	/* /var/tmp is everyone's: a new file of ours, never through a link planted there. */
	if (unlink(KERNEL_SWAP_PATH) && errno != ENOENT)
		return scn_fail(err, len, "%s: cannot remove the stale %s: %s", c->text,
				KERNEL_SWAP_PATH, scn_errno_name(errno));
	fd = open(KERNEL_SWAP_PATH, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	ret = fd < 0 ? -errno : swap_file_make(fd, c->n);
	if (fd >= 0)
		close(fd);
	if (!ret) {
		step = "swap on";
		if (!swapon(KERNEL_SWAP_PATH, 0))
			return 0;
		ret = -errno;
	}
	unlink(KERNEL_SWAP_PATH);
	scn_fail(err, len, "%s: this machine has %lu KiB of swap free, and cannot %s %s: %s%s",
		 c->text, have, step, KERNEL_SWAP_PATH, scn_errno_name(-ret),
		 ret == -EINVAL ? " (its file system cannot hold swap)" : "");
	return SCN_LACKS_MACHINE;
}

/* "numa N" is a requirement here: N nodes with memory, or the scenario cannot run. */
static int numa_required(const struct scn_command *c, char *err, size_t len)
{
	unsigned long nodes = 0;

	for (unsigned long n = 0; n < 64; n++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%lu", n);
		if (!access(path, F_OK))
			nodes++;
	}
	if (!nodes)
		nodes = 1;	/* a kernel without CONFIG_NUMA: one node */
	if (nodes >= c->n)
		return 0;
	scn_fail(err, len, "%s: this kernel has %lu NUMA node%s", c->text, nodes,
		 nodes == 1 ? "" : "s");
	return SCN_LACKS_MACHINE;
}

static int kernel_run(struct scn_executor *ex, const struct scn_command *c, char *err,
		      size_t len)
{
	struct kexec *ke = ex->priv;
	char line[600];

	switch (c->kind) {
	case CMD_KERNEL:
		return kernel_version(c, err, len);
	case CMD_MEMORY:
		return memory_required(c, err, len);
	case CMD_SEED:
		ex->seed = c->n;
		return 0;
	case CMD_THP:
		return thp_set(ke, c, err, len);
	case CMD_KSM_SET:
		return ksm_set(ke, c, err, len);
	case CMD_KSM_SCAN:
		return ksm_scan(ex, c, err, len);
	case CMD_KSM_UNMERGE:
		return ksm_unmerge(ke, err, len);
	case CMD_KHUGEPAGED_SET:
		return khugepaged_set(c, err, len);
	case CMD_KHUGEPAGED_SCAN:
		return khugepaged_scan(ex, c, err, len);
	case CMD_PROC:
		return proc_create(ex, c, err, len);
	case CMD_FORK:
		return proc_fork(ex, c, err, len);
	case CMD_EXIT:
		return proc_exit(ex, c, err, len);
	case CMD_PIPE_READ:
		return pipe_read_command(ex, c, err, len);
	case CMD_CLEAR_REFS:
		return clear_refs(ex, c, err, len);
	case CMD_NUMA:
		return numa_required(c, err, len);
	case CMD_SWAP:
		return swap_required(c, err, len);
	case CMD_SCHEME:
	case CMD_KSM_SKIP:
	case CMD_KSM_RMAP_WALK:
	case CMD_RECLAIM:
	case CMD_ANON_PGOFF:
	case CMD_SHOW:
		snprintf(line, sizeof(line), "skipped on the kernel: %s", c->text);
		ex->comment(ex->comment_ctx, line);
		return 0;
	default:
		return memory_command(ex, c, err, len);
	}
}

/* ---- Queries -------------------------------------------------------------------- */

static void skip(struct scn_answer *ans, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void skip(struct scn_answer *ans, const char *fmt, ...)
{
	va_list ap;

	ans->skip = true;
	va_start(ap, fmt);
	vsnprintf(ans->reason, sizeof(ans->reason), fmt, ap);
	va_end(ap);
}

static pid_t query_pid(struct scn_executor *ex, int slot, char *err, size_t len)
{
	struct kexec *ke = ex->priv;

	if (ke->proc[slot].pid <= 0)
		return scn_fail(err, len, "no process %s (create it with proc or fork)",
			    ex->scn->procs[slot]), 0;
	return ke->proc[slot].pid;
}

static int pagemap(pid_t pid, unsigned long addr, uint64_t *e, char *err, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return scn_fail(err, len, "cannot open %s: %s", path, scn_errno_name(errno));
	n = pread(fd, e, sizeof(*e), (off_t)(addr / 4096 * sizeof(*e)));
	close(fd);
	if (n != sizeof(*e))
		return scn_fail(err, len, "cannot read %s: %s", path, n < 0 ? scn_errno_name(errno) : "short");
	return 0;
}

/*
 * Does this kernel track soft-dirty (CONFIG_MEM_SOFT_DIRTY)? A new mapping
 * is soft-dirty as a whole where it does, so pagemap's bit 55 tells at once.
 */
static int kernel_soft_dirty(struct kexec *ke, char *err, size_t len)
{
	void *p;
	uint64_t e;

	if (ke->soft_dirty >= 0)
		return ke->soft_dirty;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return scn_fail(err, len, "mmap: %s", scn_errno_name(errno));
	if (pagemap(getpid(), (unsigned long)p, &e, err, len)) {
		munmap(p, 4096);
		return -1;
	}
	munmap(p, 4096);
	ke->soft_dirty = !!(e & (1ULL << 55));
	return ke->soft_dirty;
}

/* clear_refs P TYPE: written by us, root, as the selftests' clear_softdirty() does. */
static int clear_refs(struct scn_executor *ex, const struct scn_command *c, char *err, size_t len)
{
	char path[64], value[8];
	pid_t pid = query_pid(ex, c->proc[0], err, len);
	int ret;

	if (!pid)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", pid);
	snprintf(value, sizeof(value), "%lu", c->n);
	ret = sysfs_write(path, value);
	return ret ? scn_fail(err, len, "%s: writing %s to %s: %s", c->text, value, path,
			      scn_errno_name(-ret)) : 0;
}

static int kpage(int fd, const char *file, uint64_t pfn, uint64_t *v, char *err, size_t len)
{
	if (pread(fd, v, sizeof(*v), (off_t)(pfn * sizeof(*v))) != sizeof(*v))
		return scn_fail(err, len, "cannot read %s for pfn %#llx: %s", file,
			    (unsigned long long)pfn, scn_errno_name(errno));
	return 0;
}

static int kpf_bit(const char *name)
{
	static const struct { const char *name; int bit; } bits[] = {
		{ "ANON", 12 }, { "COMPOUND_HEAD", 15 }, { "COMPOUND_TAIL", 16 }, { "KSM", 21 },
		{ "THP", 22 }, { "ZERO_PAGE", 24 }, { "UNEVICTABLE", 18 }, { "MLOCKED", 33 },
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (!strcmp(bits[i].name, name))
			return bits[i].bit;
	return -1;
}

/*
 * The order of the folio holding pfn: from kpageflags, walk back to its
 * compound head and count the tails after it. The zero page is order 0 and
 * the huge zero folio order 9 like any other.
 */
static int folio_order(struct kexec *ke, uint64_t pfn, long long *order, char *err, size_t len)
{
	const uint64_t head_bit = 1ULL << KPF_COMPOUND_HEAD, tail_bit = 1ULL << KPF_COMPOUND_TAIL;
	uint64_t flags, head = pfn, n = 1;

	if (kpage(ke->kpageflags_fd, "/proc/kpageflags", pfn, &flags, err, len))
		return -1;
	*order = 0;
	if (!(flags & (head_bit | tail_bit)))
		return 0;
	while (!(flags & head_bit)) {
		if (!head || pfn - head >= FOLIO_WALK_MAX)
			return scn_fail(err, len, "no compound head found before pfn %#llx",
				    (unsigned long long)pfn);
		if (kpage(ke->kpageflags_fd, "/proc/kpageflags", --head, &flags, err, len))
			return -1;
	}
	for (; n < FOLIO_WALK_MAX; n++) {
		if (kpage(ke->kpageflags_fd, "/proc/kpageflags", head + n, &flags, err, len))
			return -1;
		if (!(flags & tail_bit) || (flags & head_bit))
			break;
	}
	while ((1ULL << (*order + 1)) <= n)
		(*order)++;
	return 0;
}

/* vmflag: is NAME among the VmFlags of the smaps entry covering the address? No entry: no. */
static int smaps_vmflag(pid_t pid, const struct scn_query_spec *q, struct scn_answer *ans,
			char *err, size_t len)
{
	char path[64], line[512], word[SCN_NAME_MAX + 1];
	bool inside = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "re");
	if (!f)
		return scn_fail(err, len, "cannot open %s: %s", path, scn_errno_name(errno));
	snprintf(word, sizeof(word), " %s", q->name);
	ans->value = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			inside = start <= q->addr[0] && q->addr[0] < end;
		else if (inside && !strncmp(line, "VmFlags:", 8)) {
			char *hit = strstr(line + 8, word);

			ans->value = hit && (hit[strlen(word)] == ' ' || hit[strlen(word)] == '\n');
			break;
		}
	}
	fclose(f);
	return 0;
}

/* vma_start and vma_end: the /proc/PID/maps line covering the address, 0 when none. */
static int maps_vma(pid_t pid, const struct scn_query_spec *q, struct scn_answer *ans, char *err,
		    size_t len)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return scn_fail(err, len, "cannot open %s: %s", path, scn_errno_name(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx", &start, &end) != 2 || q->addr[0] < start ||
		    q->addr[0] >= end)
			continue;
		ans->value = (long long)(q->kind == Q_VMA_START ? start : end);
		break;
	}
	fclose(f);
	return 0;
}

/* The sum of one smaps field over the mappings inside the window, in kB. */
static int smaps_sum(pid_t pid, const char *name, struct scn_answer *ans, char *err, size_t len)
{
	char path[64], line[512];
	size_t nlen = strlen(name);
	bool inside = false, seen = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "re");
	if (!f)
		return scn_fail(err, len, "cannot open %s: %s", path, scn_errno_name(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		char perms[8];
		long long v;

		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3) {
			inside = start >= SCN_WINDOW_START && end <= SCN_WINDOW_END;
			continue;
		}
		if (strncmp(line, name, nlen) || line[nlen] != ':')
			continue;
		seen = true;
		if (inside && sscanf(line + nlen + 1, "%lld", &v) == 1)
			ans->value += v;
	}
	fclose(f);
	if (!seen)
		skip(ans, "this kernel's smaps has no %s field", name);
	return 0;
}

static int ksm_stat_field(pid_t pid, const char *name, struct scn_answer *ans, char *err,
			  size_t len)
{
	char path[64], line[256];
	size_t nlen = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/ksm_stat", pid);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && !kill(pid, 0)) {
			skip(ans, "this kernel has no /proc/PID/ksm_stat");
			return 0;
		}
		return scn_fail(err, len, "cannot open %s: %s", path, scn_errno_name(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		const char *v = line + nlen;

		if (strncmp(line, name, nlen) || (*v != ' ' && *v != ':'))
			continue;
		v += strspn(v, ": ");
		if (!strncmp(v, "yes", 3))
			ans->value = 1;
		else if (!strncmp(v, "no", 2))
			ans->value = 0;
		else
			ans->value = strtoll(v, NULL, 10);
		fclose(f);
		return 0;
	}
	fclose(f);
	skip(ans, "this kernel's ksm_stat has no %s", name);
	return 0;
}

static int ksm_counter(struct kexec *ke, const char *name, struct scn_answer *ans, char *err,
		       size_t len)
{
	long long v;
	int ret = ksm_read(name, &v);

	if (ret == -ENOENT) {
		skip(ans, "this kernel has no " KSM_DIR "%s", name);
		return 0;
	}
	if (ret)
		return scn_fail(err, len, "cannot read " KSM_DIR "%s: %s", name, scn_errno_name(-ret));
	/* These count from the scenario's start. */
	if (!strcmp(name, "full_scans"))
		v -= ke->base_full_scans;
	else if (!strcmp(name, "pages_scanned"))
		v -= ke->base_pages_scanned;
	else if (!strcmp(name, "pages_skipped"))
		v -= ke->base_pages_skipped;
	ans->value = v;
	return 0;
}

/*
 * A query the process answers itself: the agent's value is the answer. A
 * failure is named like the query, "byte P ADDR", for the Bail out! message.
 */
static int agent_query(struct scn_executor *ex, const struct scn_query_spec *q,
		       struct agent_req *r, struct scn_answer *ans, char *err, size_t len)
{
	struct scn_command c = { .kind = CMD_EXPECT };
	struct agent_reply rep;
	char what[80];

	if (q->kind == Q_THP_DISABLE)
		snprintf(what, sizeof(what), "%s %s", scn_query_name(q->kind),
			 ex->scn->procs[q->proc[0]]);
	else
		snprintf(what, sizeof(what), "%s %s %#lx", scn_query_name(q->kind),
			 ex->scn->procs[q->proc[0]], q->addr[0]);
	c.text = what;
	if (agent_call(ex, &c, q->proc[0], r, &rep, err, len))
		return -1;
	/* Signed: a node query answers a negative errno as move_pages(2)'s status. */
	ans->value = (long long)(int64_t)rep.value;
	return 0;
}

static int kernel_query(struct scn_executor *ex, const struct scn_query_spec *q,
			struct scn_answer *ans, char *err, size_t len)
{
	struct kexec *ke = ex->priv;
	uint64_t pm, pm2, v;
	pid_t pid, pid2;

	memset(ans, 0, sizeof(*ans));
	if (q->sim_only) {
		skip(ans, "simulator only");
		return 0;
	}
	if (q->kind == Q_KSM)
		return ksm_counter(ke, q->name, ans, err, len);
	/* What was read stays read: the process may be gone since. */
	if (q->kind == Q_PIPE_BYTE)
		return scn_pipe_byte(ke->pipe[q->proc[0]], ex->scn->procs[q->proc[0]], q->addr[0], ans,
				     err, len);
	if (!(pid = query_pid(ex, q->proc[0], err, len)))
		return -1;
	switch (q->kind) {
	case Q_KSM_STAT:
		return ksm_stat_field(pid, q->name, ans, err, len);
	case Q_SMAPS:
		return smaps_sum(pid, q->name, ans, err, len);
	case Q_MADVISE_COLLAPSE: {
		struct agent_req r = { .op = AG_MADVISE, .arg = ADV_COLLAPSE, .addr = q->addr[0],
				       .len = q->addr[1] };
		struct scn_command c = { .kind = CMD_EXPECT };
		struct agent_reply rep;
		char what[80];

		snprintf(what, sizeof(what), "madvise_collapse %s %#lx %#lx",
			 ex->scn->procs[q->proc[0]], q->addr[0], q->addr[1]);
		c.text = what;
		if (agent_call_errno(ex, &c, q->proc[0], &r, &rep, err, len))
			return -1;
		ans->value = -(long long)rep.err;
		return 0;
	}
	case Q_THP_DISABLE: {
		struct agent_req r = { .op = AG_PRCTL_GET_THP_DISABLE };

		return agent_query(ex, q, &r, ans, err, len);
	}
	case Q_NODE: {
		struct agent_req r = { .op = AG_MOVE_PAGES, .addr = q->addr[0] & ~4095UL, .n = ~0ULL };

		return agent_query(ex, q, &r, ans, err, len);
	}
	case Q_PINNED_BYTE: {
		struct agent_req r = { .op = AG_PINNED_BYTE, .addr = q->addr[0] };

		return agent_query(ex, q, &r, ans, err, len);
	}
	case Q_BYTE: {
		struct agent_req r = { .op = AG_BYTE, .addr = q->addr[0] };

		return agent_query(ex, q, &r, ans, err, len);
	}
	default:
		break;
	}
	if (q->kind == Q_VMA_START || q->kind == Q_VMA_END)
		return maps_vma(pid, q, ans, err, len);
	if (q->kind == Q_VMFLAG)
		return smaps_vmflag(pid, q, ans, err, len);
	if (pagemap(pid, q->addr[0], &pm, err, len))
		return -1;
	switch (q->kind) {
	case Q_SWAPPED:
		ans->value = !!(pm & PM_SWAP);
		return 0;
	case Q_SOFT_DIRTY:
		switch (kernel_soft_dirty(ke, err, len)) {
		case -1:
			return -1;
		case 0:
			skip(ans, "this kernel is built without CONFIG_MEM_SOFT_DIRTY");
			return 0;
		}
		ans->value = !!(pm & (1ULL << 55));
		return 0;
	case Q_PRESENT:
		ans->value = !!(pm & PM_PRESENT);
		return 0;
	case Q_EXCLUSIVE:
		ans->value = !!(pm & PM_EXCLUSIVE);
		return 0;
	case Q_SAME_FRAME:
		if (!(pid2 = query_pid(ex, q->proc[1], err, len)) ||
		    pagemap(pid2, q->addr[1], &pm2, err, len))
			return -1;
		ans->value = (pm & PM_PRESENT) && (pm2 & PM_PRESENT) &&
			     (pm & PM_PFN_MASK) == (pm2 & PM_PFN_MASK);
		return 0;
	default:
		break;
	}
	if (!(pm & PM_PRESENT)) {
		/* Nothing mapped: kpagecount 0, no flags, order -1. */
		ans->value = q->kind == Q_FOLIO_ORDER ? -1 : 0;
		return 0;
	}
	switch (q->kind) {
	case Q_KPAGECOUNT:
		if (kpage(ke->kpagecount_fd, "/proc/kpagecount", pm & PM_PFN_MASK, &v, err, len))
			return -1;
		ans->value = (long long)v;
		return 0;
	case Q_KPAGEFLAGS:
		if (kpage(ke->kpageflags_fd, "/proc/kpageflags", pm & PM_PFN_MASK, &v, err, len))
			return -1;
		ans->value = !!(v & (1ULL << kpf_bit(q->name)));
		return 0;
	case Q_FOLIO_ORDER:
		return folio_order(ke, pm & PM_PFN_MASK, &ans->value, err, len);
	default:
		return scn_fail(err, len, "query %s not handled", scn_query_name(q->kind));
	}
}

static void kernel_finish(struct scn_executor *ex)
{
	kexec_release(ex->priv);
	ex->priv = NULL;
}

static const struct scn_executor_ops kernel_ops = {
	.name = "kernel",
	.run = kernel_run,
	.query = kernel_query,
	.finish = kernel_finish,
};

/* ---- Start ---------------------------------------------------------------------- */

static bool pid_in(pid_t pid, const pid_t *pids, int nr)
{
	for (int i = 0; i < nr; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/*
 * Before ksm_stat said ksm_mergeable (6.7) or ksm_merge_any (6.6): does a
 * mapping of pid have VM_MERGEABLE ("mg" among its VmFlags)?
 */
static bool smaps_mergeable(pid_t pid)
{
	char path[64], line[512];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmFlags:", 8) && strstr(line + 8, " mg"))
			found = true;
	fclose(f);
	return found;
}

/*
 * KSM counters are global: refuse while another process has mergeable
 * memory, other than the nr_except processes of except (whatif --live's).
 */
static int check_other_mergeable(const pid_t *except, int nr_except, char *err, size_t len)
{
	char names[256] = "";
	size_t used = 0;
	int found = 0, ret;
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return scn_fail(err, len, "cannot open /proc: %s", scn_errno_name(errno));
	while ((d = readdir(dir))) {
		char path[300], buf[512], comm[64] = "?";
		pid_t pid = (pid_t)atoi(d->d_name);

		if (pid <= 0 || pid == getpid() || pid_in(pid, except, nr_except))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ksm_stat", pid);
		ret = sysfs_read(path, buf, sizeof(buf));
		if (ret && ret != -ENOENT)
			continue;	/* gone */
		if (ret)
			buf[0] = '\0';	/* before 6.1: no ksm_stat at all */
		if (strstr(buf, "ksm_mergeable:") || strstr(buf, "ksm_merge_any:")) {
			if (!strstr(buf, "ksm_mergeable: yes") && !strstr(buf, "ksm_merge_any: yes"))
				continue;
		} else if (!smaps_mergeable(pid)) {
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		sysfs_read_line(path, comm, sizeof(comm));
		if (used < sizeof(names))
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%d (%s)",
						 found ? ", " : "", pid, comm);
		found++;
	}
	closedir(dir);
	if (found)
		return scn_fail(err, len, "other processes have KSM-mergeable memory and would change "
			    "the KSM counters: %s", names);
	return 0;
}

static pid_t find_kthread(const char *name)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");
	pid_t found = 0;

	if (!dir)
		return 0;
	while (!found && (d = readdir(dir))) {
		char path[300], comm[32];
		pid_t pid = (pid_t)atoi(d->d_name);

		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (pid > 0 && !sysfs_read_line(path, comm, sizeof(comm)) && !strcmp(comm, name))
			found = pid;
	}
	closedir(dir);
	return found;
}

static int save_all(char *err, size_t len)
{
	/* In the order of the restore: run first, sleep_millisecs last. */
	static const struct { const char *key; bool required; } ksm[] = {
		{ "run", true }, { "advisor_mode", false }, { "pages_to_scan", true },
		{ "max_page_sharing", true }, { "use_zero_pages", false }, { "smart_scan", false },
		{ "merge_across_nodes", false }, { "stable_node_chains_prune_millisecs", false },
		{ "sleep_millisecs", true },
	};
	static const char *const khugepaged[] = { "max_ptes_none", "max_ptes_shared",
						  "max_ptes_swap", "pages_to_scan",
						  "scan_sleep_millisecs" };
	char path[128];
	struct dirent *d;
	DIR *dir;
	int ret;

	for (size_t i = 0; i < sizeof(ksm) / sizeof(ksm[0]); i++) {
		snprintf(path, sizeof(path), KSM_DIR "%s", ksm[i].key);
		ret = settings_save(path);
		if (ret && (ksm[i].required || ret != -ENOENT))
			return scn_fail(err, len, "cannot read %s: %s", path, scn_errno_name(-ret));
	}
	/* Before the THP switches: restored first, they are in place when khugepaged restarts. */
	for (size_t i = 0; i < sizeof(khugepaged) / sizeof(khugepaged[0]); i++) {
		snprintf(path, sizeof(path), THP_DIR "khugepaged/%s", khugepaged[i]);
		ret = settings_save(path);
		if (ret && ret != -ENOENT)
			return scn_fail(err, len, "cannot read %s: %s", path, scn_errno_name(-ret));
	}
	if (access(THP_DIR "enabled", F_OK))
		return 0;	/* no THP at all */
	if ((ret = settings_save(THP_DIR "enabled")))
		return scn_fail(err, len, "cannot read " THP_DIR "enabled: %s", scn_errno_name(-ret));
	dir = opendir(THP_DIR);
	while (dir && (d = readdir(dir))) {
		if (strncmp(d->d_name, "hugepages-", 10))
			continue;
		snprintf(path, sizeof(path), THP_DIR "%.40s/enabled", d->d_name);
		/* hugepages-8kB has only shmem_enabled: no anonymous order 1. */
		ret = settings_save(path);
		if (ret && ret != -ENOENT) {
			closedir(dir);
			return scn_fail(err, len, "cannot read %s: %s", path, scn_errno_name(-ret));
		}
	}
	if (dir)
		closedir(dir);
	return 0;
}

/* Writes a saved setting, if this kernel has it. */
static int set_if_saved(const char *path, const char *value, char *err, size_t len)
{
	int ret;

	if (!settings_saved_value(path))
		return 0;
	ret = sysfs_write(path, value);
	if (ret)
		return scn_fail(err, len, "writing %s to %s: %s", value, path, scn_errno_name(-ret));
	return 0;
}

/* The state every scenario starts from (the spec's "Notes for the kernel executor"). */
static int set_start_state(struct kexec *ke, char *err, size_t len)
{
	static const char *const tunables[][2] = {
		{ "pages_to_scan", "100" }, { "max_page_sharing", "256" }, { "use_zero_pages", "0" },
		{ "smart_scan", "1" }, { "merge_across_nodes", "1" },
		{ "stable_node_chains_prune_millisecs", "2000" },
	};
	char path[128];
	int ret;

	/* No KSM pages, no rmap_items, full_scans 0, ksmd stopped. */
	if (ksm_write("run", "2", err, len) || ksm_write("run", "0", err, len))
		return -1;
	if (set_if_saved(KSM_DIR "advisor_mode", "none", err, len))
		return -1;
	for (size_t i = 0; i < sizeof(tunables) / sizeof(tunables[0]); i++) {
		snprintf(path, sizeof(path), KSM_DIR "%s", tunables[i][0]);
		if (set_if_saved(path, tunables[i][1], err, len))
			return -1;
	}
	snprintf(ke->pages_to_scan, sizeof(ke->pages_to_scan), "100");
	if (ksmd_park(ke, err, len))
		return -1;
	/* Every THP size never; khugepaged collapses nothing behind our back. */
	for (int i = 0; i < settings_nr(); i++) {
		const char *p = settings_path(i);

		if (!strncmp(p, THP_DIR, strlen(THP_DIR)) && strstr(p, "enabled") &&
		    (ret = sysfs_write(p, "never")))
			return scn_fail(err, len, "writing never to %s: %s", p, scn_errno_name(-ret));
	}
	if (set_if_saved(THP_DIR "khugepaged/max_ptes_none", "0", err, len) ||
	    set_if_saved(THP_DIR "khugepaged/max_ptes_shared", "0", err, len) ||
	    set_if_saved(THP_DIR "khugepaged/max_ptes_swap", "0", err, len) ||
	    set_if_saved(THP_DIR "khugepaged/pages_to_scan", KHUGEPAGED_SCAN_PAGES, err, len) ||
	    set_if_saved(THP_DIR "khugepaged/scan_sleep_millisecs", "3600000", err, len))
		return -1;
	if (ksm_read("full_scans", &ke->base_full_scans))
		return scn_fail(err, len, "cannot read the KSM counters");
	/* Newer counters (pages_scanned 6.7, pages_skipped 6.8): a query on one absent skips. */
	if (ksm_read("pages_scanned", &ke->base_pages_scanned))
		ke->base_pages_scanned = 0;
	if (ksm_read("pages_skipped", &ke->base_pages_skipped))
		ke->base_pages_skipped = 0;
	return 0;
}

int kernel_executor_create(struct scn_executor *ex, const struct scenario *scn, char *err,
			   size_t errlen)
{
	struct kexec *ke;
	bool found;

	if (geteuid())
		return scn_fail(err, errlen, "the kernel executor needs root");
	if (access(KSM_DIR, F_OK))
		return scn_fail(err, errlen, "this kernel has no KSM (" KSM_DIR ")");
	if (scenario_check_window(scn, err, errlen))
		return -1;
	if (active)
		return scn_fail(err, errlen, "a kernel run is already active in this process");
	ke = calloc(1, sizeof(*ke));
	if (!ke)
		return scn_fail(err, errlen, "out of memory");
	ke->kpagecount_fd = ke->kpageflags_fd = -1;
	ke->soft_dirty = -1;
	for (int i = 0; i < SCN_MAX_PROCS; i++)
		ke->proc[i].fd = ke->proc[i].pidfd = -1;
	prctl(PR_GET_CHILD_SUBREAPER, &ke->old_subreaper, 0, 0, 0);
	active = ke;
	if (kernel_lock(&ke->lock_fd, err, errlen) || settings_recover(stderr, &found, err, errlen) ||
	    check_other_mergeable(NULL, 0, err, errlen))
		goto out;
	ke->kpagecount_fd = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	ke->kpageflags_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (ke->kpagecount_fd < 0 || ke->kpageflags_fd < 0) {
		scn_fail(err, errlen, "cannot open /proc/kpagecount and /proc/kpageflags: %s",
		     scn_errno_name(errno));
		goto out;
	}
	ke->ksmd = find_kthread("ksmd");
	ke->thp_legacy = access(THP_DIR "hugepages-2048kB/enabled", F_OK) &&
			 !access(THP_DIR "enabled", F_OK);
	ke->legacy_2m = ke->legacy_top = THP_NEVER;
	settings_guard(kill_active);
	if (save_all(err, errlen) || settings_arm(err, errlen))
		goto out;
	if (set_start_state(ke, err, errlen))
		goto out;
	/* A forked process outlives its parent as our child, so that we can reap it. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) {
		scn_fail(err, errlen, "PR_SET_CHILD_SUBREAPER: %s", scn_errno_name(errno));
		goto out;
	}
	ex->ops = &kernel_ops;
	ex->priv = ke;
	return 0;
out:
	kexec_release(ke);
	return -1;
}

int kernel_settings_recover(FILE *out, char *err, size_t errlen)
{
	struct kexec *ke;
	bool found;
	int ret;

	if (geteuid())
		return scn_fail(err, errlen, "restoring the kernel's settings needs root");
	ke = calloc(1, sizeof(*ke));
	if (!ke)
		return scn_fail(err, errlen, "out of memory");
	ke->lock_fd = -1;
	ret = kernel_lock(&ke->lock_fd, err, errlen) ?: settings_recover(out, &found, err, errlen);
	if (!ret && !found)
		fprintf(out, "mmsim: nothing to restore: no %s (every kernel run restored its "
			"settings)\n", KERNEL_SAVED_PATH);
	if (ke->lock_fd >= 0)
		close(ke->lock_fd);
	free(ke);
	return ret;
}

/* ---- ksmd on processes already running (mmsim whatif ksm --live) ------------------ */

/*
 * The same lock, saved settings, signal handlers and start state as a
 * scenario run, without processes of our own: the live workload's
 * processes (pids) are the only ones allowed mergeable memory. Then each
 * tunable is written; ksmd stays stopped until kernel_ksm_pass().
 */
int kernel_ksm_open(const pid_t *pids, int nr, const char *const (*tunables)[2], int nr_tunables,
		    char *err, size_t len)
{
	struct kexec *ke;
	bool found;

	if (geteuid())
		return scn_fail(err, len, "running the live ksmd needs root");
	if (access(KSM_DIR, F_OK))
		return scn_fail(err, len, "this kernel has no KSM (" KSM_DIR ")");
	if (active)
		return scn_fail(err, len, "a kernel run is already active in this process");
	ke = calloc(1, sizeof(*ke));
	if (!ke)
		return scn_fail(err, len, "out of memory");
	ke->kpagecount_fd = ke->kpageflags_fd = -1;
	ke->soft_dirty = -1;
	for (int i = 0; i < SCN_MAX_PROCS; i++)
		ke->proc[i].fd = ke->proc[i].pidfd = -1;
	prctl(PR_GET_CHILD_SUBREAPER, &ke->old_subreaper, 0, 0, 0);
	active = ke;
	if (kernel_lock(&ke->lock_fd, err, len) || settings_recover(stderr, &found, err, len) ||
	    check_other_mergeable(pids, nr, err, len))
		goto out;
	ke->ksmd = find_kthread("ksmd");
	settings_guard(kill_active);
	if (save_all(err, len) || settings_arm(err, len))
		goto out;
	if (set_start_state(ke, err, len))
		goto out;
	for (int i = 0; i < nr_tunables; i++) {
		if (ksm_write(tunables[i][0], tunables[i][1], err, len))
			goto out;
		if (!strcmp(tunables[i][0], "pages_to_scan"))
			snprintf(ke->pages_to_scan, sizeof(ke->pages_to_scan), "%s", tunables[i][1]);
	}
	return 0;
out:
	kexec_release(ke);
	return -1;
}

/* One full pass of the live ksmd (ksm_one_pass); *none: nothing was registered. */
int kernel_ksm_pass(bool *none, char *err, size_t len)
{
	if (!active)
		return scn_fail(err, len, "no live KSM session");
	return ksm_one_pass(active, none, err, len);
}

pid_t kernel_ksm_ksmd(void)
{
	return active ? active->ksmd : 0;
}

/* Puts every setting back (run=2 unmerges first) and drops the lock. */
void kernel_ksm_close(void)
{
	if (active)
		kexec_release(active);
}
