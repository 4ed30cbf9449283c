/* SPDX-License-Identifier: MIT */
/*
 * The control channel between the live-kernel executor and each scenario
 * process: one request, one reply, over a SOCK_SEQPACKET socketpair.
 */
#ifndef MMSIM_CLI_KERNEL_AGENT_H
#define MMSIM_CLI_KERNEL_AGENT_H

#include <stdint.h>

/* The agent's end of its channel, moved here after fork. */
#define AGENT_FD	3
/* Set in the environment of a new process: be an agent, not mmsim. */
#define AGENT_ENV	"MMSIM_KERNEL_AGENT"

enum agent_op {
	AG_MMAP, AG_MUNMAP, AG_MPROTECT, AG_MREMAP, AG_MADVISE, AG_PRCTL_MERGE,
	AG_WRITE, AG_POKE, AG_READ, AG_BYTE, AG_FORK, AG_EXIT, AG_PRCTL_THP_DISABLE,
	AG_MLOCK, AG_MUNLOCK, AG_MLOCKALL, AG_MUNLOCKALL, AG_PRCTL_GET_THP_DISABLE,
	AG_VMSPLICE, AG_PIPE_READ, AG_PIN, AG_UNPIN, AG_PINNED_BYTE, AG_MOVE_PAGES,
};

/*
 * arg is the scenario's enum scn_prot, scn_advice or scn_fill, or on/off.
 * A write of fill=unique starts at the n-th unique page of the scenario: the
 * executor counts them, the agent generates each page in place.
 */
/* agent_req.arg of AG_PIN. */
#define AGENT_PIN_WRITE		(1 << 0)	/* FOLL_WRITE */
#define AGENT_PIN_FAST		(1 << 1)	/* pin_user_pages_fast() */
/* CONFIG_GUP_TEST's file, where debugfs is mounted: a R/O longterm pin. */
#define GUP_TEST_PATH		"/sys/kernel/debug/gup_test"

struct agent_req {
	uint32_t op;
	int32_t arg;
	uint64_t addr, len, addr2;
	uint64_t value;			/* poke byte, byte=V, pattern=K; mmap: MAP_NORESERVE; mremap: MREMAP_DONTUNMAP */
	uint64_t seed, n;
};

/*
 * The reply. A process that faults sends one with sig set (from its signal
 * handler) and exits; hello is the first message on a new channel.
 */
struct agent_reply {
	int32_t err;			/* 0 or the errno of the failed call */
	int32_t sig;			/* SIGSEGV/SIGBUS when the access faulted */
	uint64_t value;			/* byte read, pid (fork, hello), bytes vmspliced or read
					 * (AG_PIPE_READ: a second message carries them) */
	uint64_t addr;			/* fault address */
};

/*
 * In a freshly forked process: makes fd its channel, says hello and runs the
 * command loop until told to exit or the executor goes away. Never returns.
 */
void kernel_agent_start(int fd) __attribute__((noreturn));

#endif /* MMSIM_CLI_KERNEL_AGENT_H */
