// SPDX-License-Identifier: MIT
/*
 * The agent: the command loop of one real scenario process on the live
 * kernel. It does the system calls and memory accesses the executor asks for,
 * generating page contents in place, and forks itself for `fork P C`.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel_agent.h"
#include "scenario.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE 67
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT	0x01
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT	4
#endif

/* mlock2(2) by its number: the static build's libc may lack the wrapper. */
static int mlock2_(const void *addr, size_t len, unsigned int flags)
{
	return (int)syscall(SYS_mlock2, addr, len, flags);
}

#ifndef PR_THP_DISABLE_EXCEPT_ADVISED
#define PR_THP_DISABLE_EXCEPT_ADVISED (1 << 1)	/* Linux 6.18 */
#endif

#define AGENT_PAGE 4096UL

/*
 * What the process's files hold of its memory: a pipe that vmsplice() fills
 * with page references, and an io_uring ring whose fixed buffer pins a range
 * (pin_user_pages(FOLL_WRITE | FOLL_LONGTERM)). pin_file is where the pin's
 * bytes are written to be read back (IORING_OP_WRITE_FIXED reads them
 * through the pin, not through the page tables). A R/O pin is gup_test's
 * (gup_fd): a kernel built with CONFIG_GUP_TEST pins for the open file.
 */
static int pipe_fds[2] = { -1, -1 };
static struct io_uring ring;
static bool ring_up;
static uint64_t pin_addr, pin_len;
static int pin_file = -1;
static int gup_fd = -1;

/* mm/gup_test.h's interface, which no installed header carries. */
struct pin_longterm_test {
	uint64_t addr, size;
	uint32_t flags;
};
#define PIN_LONGTERM_TEST_START		_IOW('g', 7, struct pin_longterm_test)
#define PIN_LONGTERM_TEST_STOP		_IO('g', 8)
#define PIN_LONGTERM_TEST_READ		_IOW('g', 9, uint64_t)
#define PIN_LONGTERM_TEST_FLAG_USE_WRITE	1
#define PIN_LONGTERM_TEST_FLAG_USE_FAST		2

static int do_vmsplice(const struct agent_req *r, uint64_t *transferred)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)r->addr, .iov_len = r->len };
	ssize_t n;

	if (pipe_fds[0] < 0 && pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC))
		return errno;
	/* SPLICE_F_NONBLOCK: a full pipe answers EAGAIN rather than hanging us. */
	n = vmsplice(pipe_fds[1], &iov, 1, SPLICE_F_NONBLOCK);
	if (n < 0)
		return errno;
	*transferred = (uint64_t)n;
	return 0;
}

static int do_pipe_read(uint8_t *buf, size_t len, uint64_t *nread)
{
	ssize_t n;

	if (pipe_fds[0] < 0)
		return EBADF;
	n = read(pipe_fds[0], buf, len);
	if (n < 0)
		return errno;
	*nread = (uint64_t)n;
	return 0;
}

static void unpin(void)
{
	if (gup_fd >= 0) {
		ioctl(gup_fd, PIN_LONGTERM_TEST_STOP);
		close(gup_fd);
		gup_fd = -1;
	}
	if (!ring_up)
		return;
	io_uring_unregister_buffers(&ring);
	io_uring_queue_exit(&ring);
	close(pin_file);
	pin_file = -1;
	ring_up = false;
}

/* PIN_LONGTERM_TEST_START: pin_user_pages(_fast)(FOLL_LONGTERM), R/O unless asked. */
static int gup_test_pin(const struct agent_req *r)
{
	struct pin_longterm_test args = {
		.addr = r->addr, .size = r->len,
		.flags = (r->arg & AGENT_PIN_WRITE ? PIN_LONGTERM_TEST_FLAG_USE_WRITE : 0) |
			 (r->arg & AGENT_PIN_FAST ? PIN_LONGTERM_TEST_FLAG_USE_FAST : 0),
	};

	gup_fd = open(GUP_TEST_PATH, O_RDWR | O_CLOEXEC);
	if (gup_fd < 0)
		return errno;
	if (!ioctl(gup_fd, PIN_LONGTERM_TEST_START, &args)) {
		pin_addr = r->addr;
		pin_len = r->len;
		return 0;
	}
	close(gup_fd);
	gup_fd = -1;
	return errno;
}

/*
 * io_uring_register_buffers(): the one way to hold a longterm pin from user
 * space on any kernel, always FOLL_WRITE; a R/O one is gup_test's.
 */
static int pin(const struct agent_req *r)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)r->addr, .iov_len = r->len };
	int ret;

	if (ring_up || gup_fd >= 0)
		return EBUSY;
	if (!(r->arg & AGENT_PIN_WRITE))
		return gup_test_pin(r);
	ret = io_uring_queue_init(1, &ring, 0);
	if (ret < 0)
		return -ret;
	pin_file = memfd_create("mmsim-pin", MFD_CLOEXEC);
	if (pin_file < 0) {
		ret = errno;
		io_uring_queue_exit(&ring);
		return ret;
	}
	ret = io_uring_register_buffers(&ring, &iov, 1);
	if (ret < 0) {
		io_uring_queue_exit(&ring);
		close(pin_file);
		pin_file = -1;
		return -ret;
	}
	ring_up = true;
	pin_addr = r->addr;
	pin_len = r->len;
	return 0;
}

/* PIN_LONGTERM_TEST_READ copies every pinned page out: the byte at off of them. */
static int gup_test_pinned_byte(uint64_t off, uint64_t *value)
{
	uint8_t *buf = malloc(pin_len);
	uint64_t to = (uint64_t)(uintptr_t)buf;
	int ret = 0;

	if (!buf)
		return ENOMEM;
	if (ioctl(gup_fd, PIN_LONGTERM_TEST_READ, &to))
		ret = errno;
	else
		*value = buf[off];
	free(buf);
	return ret;
}

/* The byte at off as the pin sees it: written from the fixed buffer, read back. */
static int pinned_byte(uint64_t off, uint64_t *value)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	uint8_t byte;
	int ret;

	if (!ring_up && gup_fd < 0)
		return ENOENT;
	if (off >= pin_len)
		return EINVAL;
	if (gup_fd >= 0)
		return gup_test_pinned_byte(off, value);
	sqe = io_uring_get_sqe(&ring);
	if (!sqe)
		return EBUSY;
	io_uring_prep_write_fixed(sqe, pin_file, (void *)(uintptr_t)(pin_addr + off), 1, 0, 0);
	ret = io_uring_submit(&ring);
	if (ret >= 0)
		ret = io_uring_wait_cqe(&ring, &cqe);
	if (ret < 0)
		return -ret;
	ret = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	if (ret != 1)
		return ret < 0 ? -ret : EIO;
	if (pread(pin_file, &byte, 1, 0) != 1)
		return EIO;
	*value = byte;
	return 0;
}

#define MPOL_MF_MOVE_	(1 << 1)
#define MPOL_MF_MOVE_ALL_ (1 << 2)

/*
 * move_pages(2) of one page, by its number (the static build's libc has no
 * libnuma): to node r->n (MPOL_MF_MOVE_ALL when r->arg), or with n ~0 just
 * where it is. The page's status is the answer: its node, or an errno.
 */
static int move_page(const struct agent_req *r, uint64_t *node)
{
	void *page = (void *)(uintptr_t)r->addr;
	int target = (int)r->n, status = 0;
	long ret = syscall(SYS_move_pages, 0, 1UL, &page, r->n == ~0ULL ? NULL : &target, &status,
			   r->arg ? MPOL_MF_MOVE_ALL_ : MPOL_MF_MOVE_);

	if (ret < 0)
		return errno;
	if (ret > 0)
		return EBUSY;	/* not migrated: the kernel gave up on a busy folio */
	if (status < 0 && r->n != ~0ULL)
		return -status;
	*node = (uint64_t)(int64_t)status;
	return 0;
}

/*
 * A forked child's files are its own (become() closes what it inherited):
 * it lets go of the ring's mappings too, or they would keep the parent's
 * pin alive after the parent exits.
 */
static void forget_files(void)
{
	if (ring_up)
		io_uring_queue_exit(&ring);
	ring_up = false;
	pin_file = gup_fd = -1;
	pipe_fds[0] = pipe_fds[1] = -1;
}

static int prot_of(int p)
{
	return p == PROT_RW ? PROT_READ | PROT_WRITE : p == PROT_R ? PROT_READ : PROT_NONE;
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25	/* Linux 6.1; glibc 2.36 (Debian 12) lacks the name */
#endif

static int advice_of(int a)
{
	static const int advice[] = {
		[ADV_MERGEABLE] = MADV_MERGEABLE, [ADV_UNMERGEABLE] = MADV_UNMERGEABLE,
		[ADV_DONTNEED] = MADV_DONTNEED, [ADV_HUGEPAGE] = MADV_HUGEPAGE,
		[ADV_NOHUGEPAGE] = MADV_NOHUGEPAGE, [ADV_PAGEOUT] = MADV_PAGEOUT,
		[ADV_POPULATE_READ] = MADV_POPULATE_READ, [ADV_POPULATE_WRITE] = MADV_POPULATE_WRITE,
		[ADV_COLLAPSE] = MADV_COLLAPSE,
		[ADV_DONTFORK] = MADV_DONTFORK, [ADV_DOFORK] = MADV_DOFORK,
	};

	return a >= 0 && a <= ADV_DOFORK ? advice[a] : -1;
}

/*
 * A fault in the window is the scenario's access, not a bug of ours: tell the
 * executor what happened (send is async-signal-safe) and die.
 */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct agent_reply rep = { .err = EFAULT, .sig = sig, .addr = (uintptr_t)si->si_addr };

	(void)uc;
	send(AGENT_FD, &rep, sizeof(rep), MSG_NOSIGNAL);
	_exit(128 + sig);
}

static void setup_signals(void)
{
	static const int dfl[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa = { 0 };
	sigset_t none;

	for (size_t i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		signal(dfl[i], SIG_DFL);
	/* A dead executor shows as EOF; our own forks reap themselves. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * Makes fd this process's channel: every other descriptor inherited from the
 * executor goes (other channels, the lock), so EOF reaches the right side.
 */
static void become(int fd)
{
	struct agent_reply hello = { .value = (uint64_t)getpid() };

	if (fd != AGENT_FD) {
		if (dup2(fd, AGENT_FD) < 0)
			_exit(127);
		close(fd);
	}
	syscall(SYS_close_range, AGENT_FD + 1, ~0U, 0);
	if (send(AGENT_FD, &hello, sizeof(hello), MSG_NOSIGNAL) != sizeof(hello))
		_exit(127);
}

static uint64_t fill_word(const struct agent_req *r, uint64_t n, unsigned int i)
{
	switch (r->arg) {
	case FILL_BYTE:
		return 0x0101010101010101ULL * (r->value & 0xff);
	case FILL_PATTERN:
		return r->value;
	case FILL_UNIQUE:
		return scn_splitmix64(r->seed + n * 512 + i);
	default:
		return 0;
	}
}

/* Whole pages in ascending order, each word stored once, straight into place. */
static void write_range(const struct agent_req *r)
{
	uint64_t n = r->n;

	for (uint64_t a = r->addr; a < r->addr + r->len; a += AGENT_PAGE, n++) {
		volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)a;

		for (unsigned int i = 0; i < AGENT_PAGE / 8; i++)
			w[i] = htole64(fill_word(r, n, i));
	}
}

static void read_range(const struct agent_req *r)
{
	for (uint64_t a = r->addr; a < r->addr + r->len; a += AGENT_PAGE)
		(void)*(volatile uint8_t *)(uintptr_t)a;
}

/* One request, and the descriptor passed with a fork request. */
static bool receive(struct agent_req *r, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	do
		n = recvmsg(AGENT_FD, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	*fd = -1;
	cm = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(cm), sizeof(int));
	return n == sizeof(*r);
}

static void serve(void) __attribute__((noreturn));

static void serve(void)
{
	for (;;) {
		struct agent_reply rep = { 0 };
		struct agent_req r;
		void *addr, *p;
		pid_t pid;
		int fd;

		if (!receive(&r, &fd))
			_exit(0);	/* the executor is gone */
		addr = (void *)(uintptr_t)r.addr;
		switch (r.op) {
		case AG_MMAP:
			p = mmap(addr, r.len, prot_of(r.arg), MAP_PRIVATE | MAP_ANONYMOUS |
				 MAP_FIXED_NOREPLACE | (r.value ? MAP_NORESERVE : 0), -1, 0);
			if (p == MAP_FAILED) {
				rep.err = errno;
			} else if (p != addr) {
				/* A kernel without MAP_FIXED_NOREPLACE took it as a hint. */
				munmap(p, r.len);
				rep.err = EEXIST;
			}
			break;
		case AG_MUNMAP:
			rep.err = munmap(addr, r.len) ? errno : 0;
			break;
		case AG_MPROTECT:
			rep.err = mprotect(addr, r.len, prot_of(r.arg)) ? errno : 0;
			break;
		case AG_MREMAP:
			p = mremap(addr, r.len, r.len, MREMAP_MAYMOVE | MREMAP_FIXED |
				   (r.value ? MREMAP_DONTUNMAP : 0), (void *)(uintptr_t)r.addr2);
			rep.err = p == MAP_FAILED ? errno : 0;
			break;
		case AG_MADVISE:
			rep.err = madvise(addr, r.len, advice_of(r.arg)) ? errno : 0;
			/*
			 * MADV_COLLAPSE is best effort: EAGAIN says a page was
			 * briefly busy (isolated, locked, on a CPU's LRU batch).
			 * khugepaged.c's madvise_collapse_retry() tries once
			 * more, and so do we, up to three times: on 7.3 under
			 * TCG the collapse of a child's COW-written block once
			 * answered EAGAIN and succeeded when the file ran again.
			 * A lasting EAGAIN stays the answer.
			 */
			for (int t = 0; t < 3 && rep.err == EAGAIN && r.arg == ADV_COLLAPSE; t++)
				rep.err = madvise(addr, r.len, advice_of(r.arg)) ? errno : 0;
			break;
		case AG_PRCTL_MERGE:
			rep.err = prctl(PR_SET_MEMORY_MERGE, r.arg, 0, 0, 0) ? errno : 0;
			break;
		case AG_PRCTL_THP_DISABLE:	/* arg: 0 off, 1 on, 3 on except advised */
			rep.err = prctl(PR_SET_THP_DISABLE, r.arg != 0,
					r.arg == 3 ? PR_THP_DISABLE_EXCEPT_ADVISED : 0, 0, 0) ? errno : 0;
			break;
		case AG_PRCTL_GET_THP_DISABLE: {
			int v = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);

			rep.err = v < 0 ? errno : 0;
			rep.value = v < 0 ? 0 : (uint64_t)v;
			break;
		}
		case AG_MLOCK:		/* arg: 1 for MLOCK_ONFAULT */
			rep.err = mlock2_(addr, r.len, r.arg ? MLOCK_ONFAULT : 0) ? errno : 0;
			break;
		case AG_MUNLOCK:
			rep.err = munlock(addr, r.len) ? errno : 0;
			break;
		case AG_MLOCKALL:	/* arg: MMSIM_MCL_* */
			rep.err = mlockall((r.arg & MMSIM_MCL_CURRENT ? MCL_CURRENT : 0) |
					   (r.arg & MMSIM_MCL_FUTURE ? MCL_FUTURE : 0) |
					   (r.arg & MMSIM_MCL_ONFAULT ? MCL_ONFAULT : 0)) ? errno : 0;
			break;
		case AG_MUNLOCKALL:
			rep.err = munlockall() ? errno : 0;
			break;
		case AG_WRITE:
			write_range(&r);
			break;
		case AG_POKE:
			*(volatile uint8_t *)addr = (uint8_t)r.value;
			break;
		case AG_READ:
			read_range(&r);
			break;
		case AG_BYTE:
			rep.value = *(volatile uint8_t *)addr;
			break;
		case AG_FORK:
			if (fd < 0) {
				rep.err = EBADF;
				break;
			}
			pid = fork();
			if (pid == 0) {
				/* The child: same memory, its own channel, same loop. */
				forget_files();
				become(fd);
				continue;
			}
			close(fd);
			if (pid < 0)
				rep.err = errno;
			else
				rep.value = (uint64_t)pid;
			break;
		case AG_VMSPLICE:
			rep.err = do_vmsplice(&r, &rep.value);
			break;
		case AG_PIPE_READ: {
			static uint8_t buf[SCN_PIPE_MAX];

			rep.err = do_pipe_read(buf, sizeof(buf), &rep.value);
			if (send(AGENT_FD, &rep, sizeof(rep), MSG_NOSIGNAL) != sizeof(rep))
				_exit(0);
			/* The bytes follow the reply, as a message of their own. */
			if (!rep.err && rep.value &&
			    send(AGENT_FD, buf, rep.value, MSG_NOSIGNAL) != (ssize_t)rep.value)
				_exit(0);
			continue;
		}
		case AG_PIN:
			rep.err = pin(&r);
			break;
		case AG_UNPIN:
			unpin();
			break;
		case AG_PINNED_BYTE:
			rep.err = pinned_byte(r.addr, &rep.value);
			break;
		case AG_MOVE_PAGES:
			rep.err = move_page(&r, &rep.value);
			break;
		case AG_EXIT:
			_exit(0);
		default:
			rep.err = EINVAL;
			break;
		}
		if (fd >= 0 && r.op != AG_FORK)
			close(fd);
		if (send(AGENT_FD, &rep, sizeof(rep), MSG_NOSIGNAL) != sizeof(rep))
			_exit(0);
	}
}

/*
 * Every scenario process runs on one CPU, the lowest it may use, so that
 * the kernel drains the per-CPU folio batches on the CPU that filled them.
 * A folio faulted in waits in its CPU's lru_add batch, off the LRU and
 * holding a reference, until that CPU drains it: MADV_PAGEOUT's
 * lru_add_drain() is local, so after a migration it skips the folio (on
 * 6.18.44, 47 of 50 pages faulted on CPU 0 and paged out from CPU 1 stayed
 * put), and the extra reference can make a write fault copy where it would
 * reuse. Forks inherit the mask. Should it fail, the run goes on exposed to
 * migrations, as the kernel's own selftests are.
 */
static void stay_on_one_cpu(void)
{
	cpu_set_t allowed, one;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
		return;
	}
}

void kernel_agent_start(int fd)
{
	setup_signals();
	stay_on_one_cpu();
	become(fd);
	serve();
}

/*
 * A process for `proc P` is the executor's binary exec'd afresh with this
 * variable set, so it starts with little memory of its own: with `prctl P
 * merge on` KSM then finds few pages outside the window to merge. It becomes
 * the agent here, before main(), if its channel really is on AGENT_FD.
 */
__attribute__((constructor)) static void agent_entry(void)
{
	const char *v = getenv(AGENT_ENV);
	int type = 0;
	socklen_t len = sizeof(type);

	if (!v || strcmp(v, "1"))
		return;
	unsetenv(AGENT_ENV);
	if (getsockopt(AGENT_FD, SOL_SOCKET, SO_TYPE, &type, &len) || type != SOCK_SEQPACKET)
		return;
	kernel_agent_start(AGENT_FD);
}
