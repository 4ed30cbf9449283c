// SPDX-License-Identifier: MIT
/*
 * mmsim capture on the live kernel, of processes this test starts with
 * contents it knows: a process writes a region page by page (some pages
 * zero, one only read, two never touched) and a 2M region with
 * MADV_HUGEPAGE, then forks a child that writes one page. The capture must
 * record each page's fingerprint of the known contents and the frames fork
 * shares; the replay must rebuild each page: contents, folio order,
 * kpagecount, and which pages the two share. Usage: capture_known MMSIM.
 * Exit 77 without root (the capture needs /proc/kpageflags).
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture_db.h"
#include "replay.h"

/* Clear of AddressSanitizer's shadow and allocator, so that it runs under it too. */
#define R1	0x520000000000UL	/* 64 pages */
#define R2	0x520000400000UL	/* 2M, MADV_HUGEPAGE */
#define NR1	64
#define PAGE	4096UL

static int failures;

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			failures++;						\
			printf("not ok: " __VA_ARGS__);				\
			printf("\n");						\
		}								\
	} while (0)

/* What the test wrote at page i of R1 (-1: zero page read, -2: untouched). */
static int r1_byte(int i)
{
	if (i == 61)
		return -1;
	if (i >= 62)
		return -2;
	return i == 60 ? 0 : i % 5 + 1;
}

static void child_body(int ready)
{
	volatile char *r1 = mmap((void *)R1, NR1 * PAGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	char *r2 = mmap((void *)R2, 2UL << 20, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	char c;

	if (r1 == MAP_FAILED || r2 == MAP_FAILED)
		_exit(3);
	madvise(r2, 2UL << 20, MADV_HUGEPAGE);
	for (int i = 0; i < NR1; i++)
		if (r1_byte(i) >= 0)
			memset((char *)r1 + i * PAGE, r1_byte(i), PAGE);
		else if (r1_byte(i) == -1)
			c = r1[i * PAGE];
	for (int i = 0; i < 512; i++)
		memset(r2 + i * PAGE, i % 7 + 0x10, PAGE);
	(void)c;
	if (fork() == 0) {
		memset((char *)r1, 0xee, PAGE);	/* its own copy of page 0 */
		write(ready, "g", 1);
		pause();
		_exit(0);
	}
	write(ready, "c", 1);
	pause();
	_exit(0);
}

static void expect_fp(const struct cap_page *pg, int byte, const char *who, int i)
{
	unsigned char page[PAGE];
	struct cap_fp fp;

	memset(page, byte, sizeof(page));
	cap_fingerprint(page, &fp);
	CHECK(pg && pg->has_fp && !memcmp(fp.b, pg->fp.b, 16), "%s page %d: fingerprint of byte %#x",
	      who, i, byte);
}

static const struct cap_page *page_at(const struct cap_proc *p, uint64_t addr)
{
	for (size_t i = 0; p && i < p->nr_pages; i++)
		if (p->pages[i].addr == addr)
			return &p->pages[i];
	return NULL;
}

static void check_capture(const struct cap_proc *c, const struct cap_proc *g)
{
	for (int i = 0; i < NR1; i++) {
		const struct cap_page *pc = page_at(c, R1 + i * PAGE), *pg = page_at(g, R1 + i * PAGE);

		if (r1_byte(i) == -2) {
			CHECK(!pc && !pg, "page %d untouched, yet captured", i);
			continue;
		}
		if (r1_byte(i) == -1) {
			CHECK(pc && (pc->kpageflags >> CAP_KPF_ZERO_PAGE & 1), "page %d: zero page", i);
			continue;
		}
		expect_fp(pc, r1_byte(i), "parent", i);
		expect_fp(pg, i ? r1_byte(i) : 0xee, "child", i);
		if (pc && pg)
			CHECK((pc->pfn == pg->pfn) == (i != 0), "page %d: shared by fork iff not 0", i);
	}
	for (int i = 0; i < 512; i++)
		expect_fp(page_at(c, R2 + i * PAGE), i % 7 + 0x10, "parent R2", i);
}

/* Each captured page of the two regions, rebuilt: contents, order, kpagecount, sharing. */
static void check_replay(const struct capture *cap, struct replay *r, size_t kc, size_t kg)
{
	const size_t ks[2] = { kc, kg };

	for (int w = 0; w < 2; w++) {
		const struct cap_proc *p = &cap->procs[ks[w]];

		for (size_t i = 0; i < p->nr_pages; i++) {
			const struct cap_page *pg = &p->pages[i];
			unsigned char got[PAGE], want[PAGE];
			uint64_t pm = 0, count = 0;
			int order = -1, spid = r->sim_pid[ks[w]];

			if (pg->addr < R1 || pg->addr >= R2 + (2UL << 20))
				continue;
			mmsim_read(r->sim, spid, pg->addr, got, PAGE);
			replay_contents(&pg->fp, want);
			CHECK(!memcmp(got, want, PAGE), "replay %d %#lx: contents", p->pid,
			      (unsigned long)pg->addr);
			if (pg->kpageflags >> CAP_KPF_ZERO_PAGE & 1)
				continue;
			mmsim_pagemap(r->sim, spid, pg->addr, &pm);
			mmsim_kpagecount(r->sim, pm & MMSIM_PM_PFN_MASK, &count);
			mmsim_folio_order(r->sim, spid, pg->addr, &order);
			CHECK(order == pg->folio_order, "replay %d %#lx: folio order %d, captured %d",
			      p->pid, (unsigned long)pg->addr, order, pg->folio_order);
			CHECK(count == pg->kpagecount, "replay %d %#lx: kpagecount %llu, captured %llu",
			      p->pid, (unsigned long)pg->addr, (unsigned long long)count,
			      (unsigned long long)pg->kpagecount);
		}
	}
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/mmsim-known-XXXXXX", file[64], err[512], b;
	struct replay_opts o = { .verify = true };
	struct capture cap;
	struct replay r;
	int ready[2], st, got = 0, lock;
	pid_t c, cap_pid;
	size_t kc = 0, kg = 0;

	if (argc != 2)
		return 2;
	if (geteuid()) {
		printf("skip: capture needs root for /proc/kpageflags\n");
		return 77;
	}
	/* No kernel run may change the THP settings meanwhile: the project's lock. */
	lock = open("/run/mmsim-kernel.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0 || flock(lock, LOCK_EX))
		return 2;
	if (!mkdtemp(path) || pipe(ready))
		return 2;
	c = fork();
	if (!c) {
		/*
		 * The lock is the test's alone: a child that kept it would hold
		 * every later kernel run off if the test died first, and it dies
		 * with the test.
		 */
		close(lock);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setpgid(0, 0);	/* the test kills it and its child as a group */
		child_body(ready[1]);
	}
	close(ready[1]);	/* a child that dies early gives EOF */
	while (got < 2 && read(ready[0], &b, 1) == 1)
		got++;
	if (got < 2) {
		waitpid(c, &st, 0);
		printf("not ok: the test's process could not map its regions (status %#x)\n", st);
		return 1;
	}
	snprintf(file, sizeof(file), "%s/k.cap", path);
	cap_pid = fork();
	if (!cap_pid) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", c);
		execl(argv[1], argv[1], "capture", "-o", file, "--pid", pid, "--children", (char *)NULL);
		_exit(127);
	}
	waitpid(cap_pid, &st, 0);
	kill(-c, SIGKILL);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) || capture_load(file, &cap, err, sizeof(err))) {
		printf("not ok: capture failed: %s\n", err);
		return 1;
	}
	unlink(file);
	rmdir(path);
	CHECK(cap.nr_procs == 2, "2 processes captured, not %zu", cap.nr_procs);
	if (cap.nr_procs != 2)
		return 1;
	kg = cap.procs[0].pid == c;
	kc = !kg;
	CHECK(cap.procs[kg].ppid == c, "the child's parent");
	check_capture(&cap.procs[kc], &cap.procs[kg]);
	if (replay_build(&cap, &o, &r, err, sizeof(err))) {
		printf("not ok: replay: %s\n", err);
		return 1;
	}
	replay_print_report(stdout, &r.rep);
	check_replay(&cap, &r, kc, kg);
	printf("# THP at %#lx captured with order %d\n", R2, page_at(&cap.procs[kc], R2) ?
	       page_at(&cap.procs[kc], R2)->folio_order : -1);
	replay_free(&r);
	capture_free(&cap);
	printf("%s: %d failures\n", failures ? "not ok" : "ok", failures);
	return failures ? 1 : 0;
}
