// SPDX-License-Identifier: MIT
/*
 * Property tests: long deterministic random sequences of every public
 * operation over a small window of a few 2 MiB regions, with the invariant
 * checker on after every step (test_sim()), and three oracles kept by the
 * test itself:
 *
 *  - a per-page protection model of every process (-1: unmapped), from which
 *    the expected return value of each call is predicted exactly (EINVAL,
 *    EEXIST, EFAULT, ENOMEM for holes), and how far a partial write got;
 *  - a shadow copy of the contents of every process (fork copies it, munmap
 *    and MADV_DONTNEED zero it, mremap moves it), checked against reads;
 *  - a snapshot of pagemap + kpagecount + folio order over the window and
 *    the stats, compared before/after every call that fails without having
 *    done anything (mprotect and madvise over a hole partly apply, as in
 *    Linux, and are checked against the model instead).
 *
 * At the end every process exits and the model must be empty again: no
 * leaked frames, folios, anon_vmas, VMAs or page tables (the huge zero folio
 * is kept by the instance and accounted for).
 *
 * A second variant runs with little memory so that faults, fork and mremap
 * meet -ENOMEM; there a failed call must leave the model as it was, except
 * what the kernel leaves too (an empty page table or a prepared anon_vma
 * after a failed fault).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "prng.h"

#include "sim.h"
#include "vma.h"

#define NREG		4			/* 2 MiB regions in the window */
#define WIN		(NREG * SZ_2M)
#define NPAGES		(WIN / PAGE)
/*
 * Live processes at most: more than the two MM-owner slots of a large folio,
 * so that untracked mms and slots changing hands are exercised.
 */
#define MAXP		6
#define FAR		(BASE + (1UL << 32))	/* far from the window: never touched */

/* ---- deterministic PRNG ---------------------------------------------------- */

/* ---- the model ------------------------------------------------------------- */
struct proc {
	int pid;
	int8_t prot[NPAGES];		/* -1: no VMA; else MMSIM_PROT_* */
	uint8_t *shadow;		/* WIN bytes: what a read must return */
};

struct world {
	struct mmsim *sim;
	uint64_t rng;
	unsigned long seed;
	int step;
	bool small;			/* low-memory variant: -ENOMEM is legal */
	struct proc procs[MAXP];
	int nprocs;
	struct snap *before, *after;
	uint8_t *buf;			/* scratch, WIN bytes */
	unsigned long enomem;		/* how many calls met -ENOMEM */
	bool desync;			/* a known bug made the model unpredictable */
};

/* ---- snapshots ------------------------------------------------------------- */
struct snap {
	int n;
	int pids[MAXP];
	uint64_t pm[MAXP][NPAGES];
	uint64_t cnt[MAXP][NPAGES];
	int order[MAXP][NPAGES];
	struct mmsim_stats st;
	bool hzf;			/* the huge zero folio exists */
};

static void take_snap(struct world *w, struct snap *s)
{
	struct mmsim *sim = w->sim;

	s->n = w->nprocs;
	for (int p = 0; p < w->nprocs; p++) {
		int pid = w->procs[p].pid;

		s->pids[p] = pid;
		for (unsigned long i = 0; i < NPAGES; i++) {
			unsigned long addr = BASE + i * PAGE;
			uint64_t pm, cnt = 0;
			int order;

			assert_int_equal(mmsim_pagemap(sim, pid, addr, &pm), 0);
			if (pm & MMSIM_PM_PRESENT)
				assert_int_equal(mmsim_kpagecount(sim, pm & MMSIM_PM_PFN_MASK, &cnt), 0);
			assert_int_equal(mmsim_folio_order(sim, pid, addr, &order), 0);
			s->pm[p][i] = pm;
			s->cnt[p][i] = cnt;
			s->order[p][i] = order;
		}
	}
	mmsim_get_stats(sim, &s->st);
	s->hzf = sim->huge_zero_folio != NULL;
}

/*
 * NULL when b shows the same model as a. fault_leftovers: a failed fault may
 * leave new page tables and a prepared anon_vma behind.
 */
static const char *snap_diff(const struct snap *a, const struct snap *b, bool fault_leftovers)
{
	static char why[256];
	long hz = (long)b->hzf - (long)a->hzf;

	if (a->n != b->n)
		return "number of processes";
	for (int p = 0; p < a->n; p++)
		for (unsigned long i = 0; i < NPAGES; i++) {
			if (a->pm[p][i] != b->pm[p][i] || a->cnt[p][i] != b->cnt[p][i] ||
			    a->order[p][i] != b->order[p][i]) {
				snprintf(why, sizeof(why),
					 "pid %d at %#lx: pagemap %#llx->%#llx count %llu->%llu order %d->%d",
					 a->pids[p], BASE + i * PAGE,
					 (unsigned long long)a->pm[p][i], (unsigned long long)b->pm[p][i],
					 (unsigned long long)a->cnt[p][i], (unsigned long long)b->cnt[p][i],
					 a->order[p][i], b->order[p][i]);
				return why;
			}
		}
#define SAME(f) (a->st.f == b->st.f)
	if (!SAME(nr_mms) || !SAME(nr_vmas) || !SAME(nr_deferred_split) ||
	    (long)b->st.nr_folios - (long)a->st.nr_folios != hz ||
	    (long)b->st.nr_large_folios - (long)a->st.nr_large_folios != hz) {
		snprintf(why, sizeof(why), "stats: mms %lu->%lu vmas %lu->%lu folios %lu->%lu large %lu->%lu split %lu->%lu",
			 a->st.nr_mms, b->st.nr_mms, a->st.nr_vmas, b->st.nr_vmas,
			 a->st.nr_folios, b->st.nr_folios, a->st.nr_large_folios,
			 b->st.nr_large_folios, a->st.nr_deferred_split, b->st.nr_deferred_split);
		return why;
	}
	if (fault_leftovers ? (b->st.nr_page_tables < a->st.nr_page_tables ||
			       b->st.nr_anon_vmas < a->st.nr_anon_vmas)
			    : (!SAME(nr_page_tables) || !SAME(nr_anon_vmas))) {
		snprintf(why, sizeof(why), "stats: page tables %lu->%lu anon_vmas %lu->%lu",
			 a->st.nr_page_tables, b->st.nr_page_tables, a->st.nr_anon_vmas,
			 b->st.nr_anon_vmas);
		return why;
	}
	if ((long)b->st.nr_free_frames + (long)b->st.nr_page_tables + 512 * hz !=
	    (long)a->st.nr_free_frames + (long)a->st.nr_page_tables) {
		snprintf(why, sizeof(why), "stats: free frames %lu->%lu (page tables %lu->%lu)",
			 a->st.nr_free_frames, b->st.nr_free_frames, a->st.nr_page_tables,
			 b->st.nr_page_tables);
		return why;
	}
#undef SAME
	return NULL;
}

#define CHECK(w, cond, fmt, ...)						\
	do {									\
		if (!(cond))							\
			fail_msg("seed %lu step %d: " fmt, (w)->seed, (w)->step,	\
				 ##__VA_ARGS__);					\
	} while (0)

static void check_unchanged(struct world *w, const char *op, int err, bool fault_leftovers)
{
	const char *why;

	take_snap(w, w->after);
	why = snap_diff(w->before, w->after, fault_leftovers);
	CHECK(w, !why, "failed %s (%d) changed the model: %s", op, err, why);
	CHECK(w, mmsim_verify(w->sim) == 0, "verify after failed %s: %s", op,
	      mmsim_last_error(w->sim));
}

/* MMSIM_PROPERTY_TRACE=1 prints every call, to minimise a failing seed. */
static bool trace;
static unsigned long watch;	/* MMSIM_PROPERTY_WATCH=addr: the model's view of it */
#define TRACE(w, fmt, ...)							\
	do {									\
		if (trace)							\
			printf("[%lu/%d] " fmt "\n", (w)->seed, (w)->step, ##__VA_ARGS__);	\
	} while (0)

/* ---- ranges ------------------------------------------------------------------ */
static unsigned long pg(unsigned long addr)
{
	return (addr - BASE) / PAGE;
}

/* A page-aligned range inside the window, often aligned to a THP size. */
static void rand_range(struct world *w, unsigned long *addr, unsigned long *len)
{
	static const unsigned long units[] = { PAGE, PAGE, SZ_16K, SZ_64K, SZ_2M, SZ_2M };
	unsigned long unit = units[rnd(&w->rng, 6)], n = WIN / unit, first, cnt;

	first = rnd(&w->rng, n);
	cnt = 1 + rnd(&w->rng, MIN(n - first, unit == SZ_2M ? 2UL : 8UL));
	*addr = BASE + first * unit;
	*len = cnt * unit;
	/* Sometimes a ragged range of pages. */
	if (rnd(&w->rng, 4) == 0) {
		unsigned long a = rnd(&w->rng, NPAGES);

		*addr = BASE + a * PAGE;
		*len = (1 + rnd(&w->rng, MIN(NPAGES - a, 600UL))) * PAGE;
	}
}

/*
 * Odd arguments now and then: 1 unaligned address, 2 zero length, 3 beyond
 * TASK_SIZE, 4 an unaligned length (Linux rounds it up: returned as 0, the
 * range is then as good as aligned).
 */
enum { BAD_NONE, BAD_ADDR, BAD_ZERO, BAD_TOP, BAD_LEN };
static int rand_bad(struct world *w, unsigned long *addr, unsigned long *len)
{
	switch (rnd(&w->rng, 40)) {
	case 3:
		*len -= 1 + rnd(&w->rng, PAGE - 1);
		return 0;
	case 0:
		*addr += 1 + rnd(&w->rng, PAGE - 1);
		return 1;
	case 1:
		*len = 0;
		return 2;
	case 2:
		*addr = (1UL << 47) - PAGE * rnd(&w->rng, 2);
		*len = 2 * PAGE;
		return 3;
	}
	return 0;
}

static bool all_mapped(const struct proc *p, unsigned long addr, unsigned long len)
{
	for (unsigned long i = pg(addr); i < pg(addr + len); i++)
		if (p->prot[i] < 0)
			return false;
	return true;
}

static bool any_mapped(const struct proc *p, unsigned long addr, unsigned long len)
{
	for (unsigned long i = pg(addr); i < pg(addr + len); i++)
		if (p->prot[i] >= 0)
			return true;
	return false;
}

static void unmap_model(struct proc *p, unsigned long addr, unsigned long len)
{
	memset(&p->prot[pg(addr)], -1, len / PAGE);
	memset(p->shadow + (addr - BASE), 0, len);
}

/* ---- operations ------------------------------------------------------------------ */
enum { OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MREMAP, OP_MADVISE, OP_FORK, OP_EXIT,
       OP_WRITE, OP_FILL, OP_READ, OP_THP, OP_RECLAIM, OP_KHUGEPAGED, OP_PIN, OP_VMSPLICE,
       OP_CLEAR_REFS, OP_MOVE_PAGES, NR_OPS };
static const int op_weight[NR_OPS] = { 14, 6, 8, 6, 10, 3, 2, 14, 12, 10, 3, 3, 5, 3, 3, 2, 4 };

static int pick_op(struct world *w)
{
	int total = 0, r;

	for (int i = 0; i < NR_OPS; i++)
		total += op_weight[i];
	r = (int)rnd(&w->rng, (unsigned long)total);
	for (int i = 0; i < NR_OPS; i++) {
		if (r < op_weight[i])
			return i;
		r -= op_weight[i];
	}
	return 0;
}

/* Is err what the model predicted, or -ENOMEM in the low-memory variant? */
static bool is_oom(struct world *w, int err)
{
	if (w->small && (err == -ENOMEM || err == -EAGAIN)) {
		w->enomem++;
		return true;
	}
	return false;
}

static void do_mmap_op(struct world *w, struct proc *p)
{
	unsigned long addr, len;
	int prot = (int)rnd(&w->rng, 4), bad, want, err;

	rand_range(w, &addr, &len);
	/* Whole aligned 2 MiB regions now and then, so that PMD THPs appear. */
	if (rnd(&w->rng, 3) == 0) {
		addr = BASE + rnd(&w->rng, NREG) * SZ_2M;
		len = SZ_2M;
		prot = RW;
	}
	bad = rand_bad(w, &addr, &len);
	want = bad == BAD_TOP ? -ENOMEM : bad ? -EINVAL :
	       any_mapped(p, addr, ALIGN_UP(len, PAGE)) ? -EEXIST : 0;
	if (want)
		take_snap(w, w->before);
	TRACE(w, "mmap(pid %d, %#lx, %#lx, %d)", p->pid, addr, len, prot);
	err = mmsim_mmap(w->sim, p->pid, addr, len, prot);
	if (want && err == want) {
		check_unchanged(w, "mmap", err, false);
		return;
	}
	CHECK(w, err == want, "mmap(%#lx, %#lx, %d) = %d, want %d: %s", addr, len, prot, err,
	      want, mmsim_last_error(w->sim));
	memset(&p->prot[pg(addr)], prot, ALIGN_UP(len, PAGE) / PAGE);
}

static void do_munmap_op(struct world *w, struct proc *p)
{
	unsigned long addr, len;
	int bad, want, err;

	rand_range(w, &addr, &len);
	bad = rand_bad(w, &addr, &len);
	want = bad ? -EINVAL : 0;
	take_snap(w, w->before);
	TRACE(w, "munmap(pid %d, %#lx, %#lx)", p->pid, addr, len);
	err = mmsim_munmap(w->sim, p->pid, addr, len);
	if (err && (err == want || is_oom(w, err))) {
		check_unchanged(w, "munmap", err, false);
		return;
	}
	CHECK(w, err == want, "munmap(%#lx, %#lx) = %d, want %d: %s", addr, len, err, want,
	      mmsim_last_error(w->sim));
	unmap_model(p, addr, ALIGN_UP(len, PAGE));
}

static void do_mprotect_op(struct world *w, struct proc *p)
{
	unsigned long addr, len, i, end;
	int prot = (int)rnd(&w->rng, 4), bad, want, err;

	rand_range(w, &addr, &len);
	bad = rand_bad(w, &addr, &len);
	if (bad) {
		/* do_mprotect_pkey(): length 0 is a no-op; no VMA at the top: -ENOMEM. */
		want = bad == BAD_ADDR ? -EINVAL : bad == BAD_ZERO ? 0 : -ENOMEM;
		take_snap(w, w->before);
		TRACE(w, "mprotect(pid %d, %#lx, %#lx, %d)", p->pid, addr, len, prot);
		err = mmsim_mprotect(w->sim, p->pid, addr, len, prot);
		CHECK(w, err == want, "mprotect(%#lx, %#lx) = %d, want %d", addr, len, err, want);
		check_unchanged(w, "mprotect", err, false);
		return;
	}
	end = pg(addr + ALIGN_UP(len, PAGE));
	/* Linux changes VMA by VMA and stops at the first hole with -ENOMEM. */
	for (i = pg(addr); i < end && p->prot[i] >= 0; i++)
		;
	want = i < end ? -ENOMEM : 0;
	TRACE(w, "mprotect(pid %d, %#lx, %#lx, %d)", p->pid, addr, len, prot);
	err = mmsim_mprotect(w->sim, p->pid, addr, len, prot);
	CHECK(w, err == want, "mprotect(%#lx, %#lx, %d) = %d, want %d: %s", addr, len, prot, err,
	      want, mmsim_last_error(w->sim));
	memset(&p->prot[pg(addr)], prot, i - pg(addr));
}

/*
 * Before 6.17 mremap() moves one VMA (profile mremap_move_multiple_vmas): is
 * [old, old + len) past the end of the VMA at old?
 */
static bool past_one_vma(struct world *w, struct proc *p, unsigned long old, unsigned long len)
{
	struct vm_area_struct *vma;

	if (w->sim->profile->mremap_move_multiple_vmas)
		return false;
	vma = vma_lookup(find_mm(w->sim, p->pid), old);
	return vma && ALIGN_UP(len, PAGE) > vma->vm_end - old;
}

static void do_mremap_op(struct world *w, struct proc *p)
{
	unsigned long old, len, new, n;
	int8_t prot[NPAGES];
	int bad, want, err;
	bool one_vma = false;

	rand_range(w, &old, &len);
	n = (WIN - len) / PAGE;
	new = BASE + rnd(&w->rng, n + 1) * PAGE;
	if (rnd(&w->rng, 2) && IS_ALIGNED(len, SZ_2M))
		new = BASE + rnd(&w->rng, (WIN - len) / SZ_2M + 1) * SZ_2M;
	bad = rand_bad(w, &old, &len);
	if (bad == 1 && rnd(&w->rng, 2)) {
		old &= ~(PAGE - 1);
		new += 1;
	}
	if (bad || (old < new + ALIGN_UP(len, PAGE) && new < old + ALIGN_UP(len, PAGE)))
		want = -EINVAL;
	else if (p->prot[pg(old)] < 0)
		want = -EFAULT;		/* the range must start inside a VMA */
	else if ((one_vma = past_one_vma(w, p, old, len)))
		want = -EFAULT;
	else
		want = 0;
	take_snap(w, w->before);
	TRACE(w, "mremap(pid %d, %#lx, %#lx, %#lx)", p->pid, old, len, new);
	err = mmsim_mremap(w->sim, p->pid, old, len, new);
	if (err && err == want && one_vma) {
		/* mremap_to() unmapped the destination before it failed. */
		unmap_model(p, new, ALIGN_UP(len, PAGE));
		return;
	}
	if (err && err == want) {
		check_unchanged(w, "mremap", err, false);
		return;
	}
	if (err && is_oom(w, err)) {
		/*
		 * Out of memory mid-move: the destination was unmapped first,
		 * and of a range spanning several VMAs the pieces moved before
		 * the failing one stay moved, as with Linux's remap_move()
		 * (the failing piece itself goes back:
		 * test_mremap_enomem_moves_back). Not worth predicting: stop
		 * this seed here, still checking the model and that exiting
		 * frees everything.
		 */
		w->desync = true;
		return;
	}
	CHECK(w, err == want, "mremap(%#lx, %#lx, %#lx) = %d, want %d: %s", old, len, new, err,
	      want, mmsim_last_error(w->sim));
	len = ALIGN_UP(len, PAGE);
	/*
	 * A move-only mremap (6.17+) moves VMA by VMA: each mapped page goes,
	 * and the destination facing a gap of the source keeps what it had.
	 */
	memcpy(w->buf, p->shadow + (old - BASE), len);
	memcpy(prot, &p->prot[pg(old)], len / PAGE);
	unmap_model(p, old, len);
	for (unsigned long i = 0; i < len / PAGE; i++) {
		if (prot[i] < 0)
			continue;
		memcpy(p->shadow + (new - BASE) + i * PAGE, w->buf + i * PAGE, PAGE);
		p->prot[pg(new) + i] = prot[i];
	}
}

static void do_madvise_op(struct world *w, struct proc *p)
{
	/* Not populate: its errors depend on the protections. */
	static const enum mmsim_advice advices[] = {
		MMSIM_MADV_DONTNEED, MMSIM_MADV_HUGEPAGE, MMSIM_MADV_NOHUGEPAGE,
		MMSIM_MADV_MERGEABLE, MMSIM_MADV_UNMERGEABLE, MMSIM_MADV_PAGEOUT,
		MMSIM_MADV_COLLAPSE,
	};
	enum mmsim_advice adv = advices[rnd(&w->rng, sizeof(advices) / sizeof(advices[0]))];
	unsigned long addr, len;
	int bad, want, err;

	rand_range(w, &addr, &len);
	bad = rand_bad(w, &addr, &len);
	if (bad == BAD_ADDR || bad == BAD_TOP)
		want = -EINVAL;
	else if (bad == BAD_ZERO)
		want = 0;		/* madvise(addr, 0) succeeds, as in Linux */
	else
		want = all_mapped(p, addr, ALIGN_UP(len, PAGE)) ? 0 : -ENOMEM;
	len = ALIGN_UP(len, PAGE);
	TRACE(w, "madvise(pid %d, %#lx, %#lx, %d)", p->pid, addr, len, adv);
	err = mmsim_madvise(w->sim, p->pid, addr, len, adv);
	/*
	 * A collapse may fail on its own terms, before a hole too; the contents
	 * stay the same. In little memory no 2M folio can be had: -ENOMEM, as
	 * Linux answers SCAN_ALLOC_HUGE_PAGE_FAIL.
	 */
	if (adv == MMSIM_MADV_COLLAPSE && !bad && (want == 0 || want == -ENOMEM) &&
	    (err == -EINVAL || err == -EAGAIN || err == -EBUSY || (w->small && err == -ENOMEM)))
		want = err;
	if (err && err != want && is_oom(w, err))
		fail_msg("seed %lu step %d: madvise(%#lx, %#lx, %d) = %d without an allocation failing",
			 w->seed, w->step, addr, len, adv, err);
	CHECK(w, err == want, "madvise(%#lx, %#lx, %d) = %d, want %d: %s", addr, len, adv, err,
	      want, mmsim_last_error(w->sim));
	if (bad || adv != MMSIM_MADV_DONTNEED)
		return;
	/* Every mapped page in the range is zapped; holes are skipped. */
	for (unsigned long i = pg(addr); i < pg(addr + len); i++)
		if (p->prot[i] >= 0)
			memset(p->shadow + i * PAGE, 0, PAGE);
}

/* Global reclaim of what the range maps, shared folios too: contents must survive. */
static void do_reclaim_op(struct world *w, struct proc *p)
{
	unsigned long addr, len, n = 0;
	int err;

	rand_range(w, &addr, &len);
	TRACE(w, "reclaim(pid %d, %#lx, %#lx)", p->pid, addr, len);
	err = mmsim_reclaim(w->sim, p->pid, addr, len, &n);
	CHECK(w, err == 0 || is_oom(w, err), "reclaim(%#lx, %#lx) = %d: %s", addr, len, err,
	      mmsim_last_error(w->sim));
}

/*
 * A longterm pin (R/O or R/W, slow or fast) of a random range, or its release.
 * Its faults change no contents; while it holds pages, fork copies them,
 * reclaim and KSM leave them, and the checker counts their references.
 */
static void do_pin_op(struct world *w, struct proc *p)
{
	unsigned int flags = (unsigned int)rnd(&w->rng, 4);	/* MMSIM_PIN_WRITE | _FAST */
	unsigned long addr, len;
	int err;

	if (rnd(&w->rng, 3) == 0) {
		TRACE(w, "unpin(pid %d)", p->pid);
		err = mmsim_unpin_user_pages(w->sim, p->pid);
		CHECK(w, err == 0, "unpin = %d: %s", err, mmsim_last_error(w->sim));
		return;
	}
	rand_range(w, &addr, &len);
	TRACE(w, "pin(pid %d, %#lx, %#lx, %#x)", p->pid, addr, len, flags);
	err = mmsim_pin_user_pages(w->sim, p->pid, addr, len, flags);
	CHECK(w, err == 0 || err == -EFAULT || err == -EBUSY || is_oom(w, err),
	      "pin(%#lx, %#lx, %#x) = %d: %s", addr, len, flags, err, mmsim_last_error(w->sim));
}

/*
 * vmsplice() of a random range into the process's pipe, or a read of it:
 * what the pipe gives back is what the pages hold when it is read, which
 * the shadows cannot tell once the pages are gone; the references are checked.
 */
static void do_vmsplice_op(struct world *w, struct proc *p)
{
	unsigned long addr, len;
	size_t n;
	int err;

	if (rnd(&w->rng, 2)) {
		TRACE(w, "pipe_read(pid %d)", p->pid);
		err = mmsim_pipe_read(w->sim, p->pid, w->buf, WIN, &n);
		CHECK(w, err == 0 || err == -EAGAIN || err == -EBADF, "pipe_read = %d: %s", err,
		      mmsim_last_error(w->sim));
		return;
	}
	rand_range(w, &addr, &len);
	TRACE(w, "vmsplice(pid %d, %#lx, %#lx)", p->pid, addr, len);
	err = mmsim_vmsplice(w->sim, p->pid, addr, len, &n);
	CHECK(w, err == 0 || err == -EFAULT || err == -EAGAIN || is_oom(w, err),
	      "vmsplice(%#lx, %#lx) = %d: %s", addr, len, err, mmsim_last_error(w->sim));
}

/*
 * move_pages() of a few random pages to a random node: contents stay (the
 * shadows check them at the end), and whatever moved, every mapping moved
 * with it (the checker's rmap and refcount checks).
 */
static void do_move_pages_op(struct world *w, struct proc *p)
{
	struct mmsim_config cfg;

	mmsim_get_config(w->sim, &cfg);
	for (int i = 0, n = 1 + (int)rnd(&w->rng, 8); i < n; i++) {
		unsigned long addr = BASE + rnd(&w->rng, NPAGES) * PAGE;
		int node = (int)rnd(&w->rng, cfg.nr_nodes), status, err;
		bool all = rnd(&w->rng, 2);

		TRACE(w, "move_pages(pid %d, %#lx, %d, %d)", p->pid, addr, node, all);
		err = mmsim_move_pages(w->sim, p->pid, addr, node, all, &status);
		CHECK(w, err == 0 && (status == node || status == -EFAULT || status == -ENOENT ||
				      status == -EACCES || status == -EBUSY || status == -ENOMEM),
		      "move_pages(%#lx, %d) = %d, status %d: %s", addr, node, err, status,
		      mmsim_last_error(w->sim));
	}
}

/* clear_refs 1 to 4: accessed bits, or soft-dirty and write access; no contents change. */
static void do_clear_refs_op(struct world *w, struct proc *p)
{
	int type = 1 + (int)rnd(&w->rng, 4), err;

	TRACE(w, "clear_refs(pid %d, %d)", p->pid, type);
	err = mmsim_clear_refs(w->sim, p->pid, type);
	CHECK(w, err == 0, "clear_refs(%d) = %d: %s", type, err, mmsim_last_error(w->sim));
}

/*
 * khugepaged with random limits (mostly 511, so that blocks collapse), then one or two full
 * passes: contents stay (checked at the end against the shadows), and each
 * pass counts, or none does when the thread would not run.
 */
static void do_khugepaged_op(struct world *w)
{
	static const char *const limits[] = { "max_ptes_none", "max_ptes_swap", "max_ptes_shared" };
	unsigned long n = 1 + rnd(&w->rng, 2);
	long before, after;
	int err;

	for (int i = 0; i < 3; i++) {
		unsigned long r = rnd(&w->rng, 4), v = r == 0 ? 0 : r == 3 ? rnd(&w->rng, 512) : 511;

		TRACE(w, "khugepaged_set(%s, %lu)", limits[i], v);
		assert_int_equal(mmsim_khugepaged_set(w->sim, limits[i], v), 0);
	}
	assert_int_equal(mmsim_khugepaged_counter(w->sim, "full_scans", &before), 0);
	TRACE(w, "khugepaged_scan(%lu)", n);
	err = mmsim_khugepaged_scan(w->sim, n);
	CHECK(w, err == 0, "khugepaged_scan(%lu) = %d: %s", n, err, mmsim_last_error(w->sim));
	assert_int_equal(mmsim_khugepaged_counter(w->sim, "full_scans", &after), 0);
	CHECK(w, after == before || after == before + (long)n, "khugepaged_scan(%lu): full_scans "
	      "%ld -> %ld", n, before, after);
}

static void do_fork_op(struct world *w, struct proc *p)
{
	struct proc *c;
	int child = -1, err;

	if (w->nprocs == MAXP)
		return;
	take_snap(w, w->before);
	TRACE(w, "fork(pid %d)", p->pid);
	err = mmsim_fork(w->sim, p->pid, &child);
	if (err && is_oom(w, err)) {
		check_unchanged(w, "fork", err, false);
		return;
	}
	CHECK(w, err == 0, "fork(%d) = %d: %s", p->pid, err, mmsim_last_error(w->sim));
	TRACE(w, "  -> child %d", child);
	c = &w->procs[w->nprocs++];
	c->pid = child;
	memcpy(c->prot, p->prot, sizeof(c->prot));
	c->shadow = malloc(WIN);
	assert_non_null(c->shadow);
	memcpy(c->shadow, p->shadow, WIN);
}

static void do_exit_op(struct world *w, int idx)
{
	struct proc *p = &w->procs[idx];
	int err;

	TRACE(w, "exit(pid %d)", p->pid);
	err = mmsim_exit(w->sim, p->pid);

	CHECK(w, err == 0, "exit(%d) = %d: %s", p->pid, err, mmsim_last_error(w->sim));
	CHECK(w, mmsim_exit(w->sim, p->pid) == -ESRCH, "second exit(%d) is not -ESRCH", p->pid);
	free(p->shadow);
	w->procs[idx] = w->procs[--w->nprocs];
}

/*
 * The index of the first page of [addr, addr + len) the access may not touch,
 * as a byte offset from addr, or len when it all may.
 */
static unsigned long access_limit(const struct proc *p, unsigned long addr, unsigned long len,
				  int need)
{
	for (unsigned long a = addr; a < addr + len; a = (a & ~(PAGE - 1)) + PAGE)
		if (p->prot[pg(a)] < 0 || !(p->prot[pg(a)] & need))
			return a - addr;
	return len;
}

/* A byte range inside the window, of any alignment. */
static void rand_bytes(struct world *w, unsigned long *addr, unsigned long *len,
		       unsigned long max)
{
	unsigned long l = 1 + rnd(&w->rng, max);

	if (rnd(&w->rng, 3) == 0) {
		unsigned long a, al;

		rand_range(w, &a, &al);
		*addr = a;
		*len = MIN(al, 3 * SZ_64K);
		return;
	}
	*addr = BASE + rnd(&w->rng, WIN - l);
	*len = l;
}

/*
 * After a write that met -ENOMEM part way: each page either took the new
 * bytes or kept the old ones; read back what is there and adopt it.
 */
static void resync_after_oom(struct world *w, struct proc *p, unsigned long addr,
			     unsigned long len, const uint8_t *newb)
{
	for (unsigned long a = addr; a < addr + len;) {
		unsigned long next = MIN((a & ~(PAGE - 1)) + PAGE, addr + len), n = next - a;
		uint8_t got[PAGE];
		uint64_t pm;

		assert_int_equal(mmsim_pagemap(w->sim, p->pid, a, &pm), 0);
		if (pm & MMSIM_PM_PRESENT) {
			int err = mmsim_read(w->sim, p->pid, a, got, n);

			CHECK(w, err == 0 || p->prot[pg(a)] == MMSIM_PROT_NONE,
			      "read back of a present page = %d", err);
			if (err == 0) {
				CHECK(w, !memcmp(got, p->shadow + (a - BASE), n) ||
					 !memcmp(got, newb + (a - addr), n),
				      "page at %#lx holds neither the old nor the new bytes", a);
				memcpy(p->shadow + (a - BASE), got, n);
			}
		}
		a = next;
	}
}

static void do_write_op(struct world *w, struct proc *p, bool fill)
{
	unsigned long addr, len, ok;
	int c = rnd(&w->rng, 4) == 0 ? 0 : (int)rnd(&w->rng, 256), err;

	rand_bytes(w, &addr, &len, fill ? 3 * SZ_64K : 3 * PAGE);
	if (fill)
		memset(w->buf, c, len);
	else
		for (unsigned long i = 0; i < len; i++)
			w->buf[i] = (uint8_t)splitmix64(&w->rng);
	ok = access_limit(p, addr, len, MMSIM_PROT_WRITE);
	if (ok == 0)
		take_snap(w, w->before);
	TRACE(w, "%s(pid %d, %#lx, %#lx, c=%d)", fill ? "fill" : "write", p->pid, addr, len, c);
	err = fill ? mmsim_fill(w->sim, p->pid, addr, len, c)
		   : mmsim_write(w->sim, p->pid, addr, w->buf, len);
	if (err && is_oom(w, err)) {
		resync_after_oom(w, p, addr, ok, w->buf);
		return;
	}
	CHECK(w, err == (ok == len ? 0 : -EFAULT), "%s(%#lx, %#lx) = %d, %#lx writable: %s",
	      fill ? "fill" : "write", addr, len, err, ok, mmsim_last_error(w->sim));
	if (ok == 0) {
		check_unchanged(w, fill ? "fill" : "write", err, false);
		return;
	}
	/* Pages before the first unwritable one are written, as copy_to_user would. */
	memcpy(p->shadow + (addr - BASE), w->buf, ok);
}

static void do_read_op(struct world *w, struct proc *p)
{
	unsigned long addr, len, ok;
	int err;

	rand_bytes(w, &addr, &len, 3 * SZ_64K);
	/* x86's access_error(): a read needs any access right, PROT_WRITE will do. */
	ok = access_limit(p, addr, len, MMSIM_PROT_READ | MMSIM_PROT_WRITE);
	if (ok == 0)
		take_snap(w, w->before);
	TRACE(w, "read(pid %d, %#lx, %#lx)", p->pid, addr, len);
	err = mmsim_read(w->sim, p->pid, addr, w->buf, len);
	if (err && is_oom(w, err))
		return;
	CHECK(w, err == (ok == len ? 0 : -EFAULT), "read(%#lx, %#lx) = %d, %#lx readable: %s",
	      addr, len, err, ok, mmsim_last_error(w->sim));
	if (ok == 0) {
		check_unchanged(w, "read", err, false);
		return;
	}
	if (err)
		return;
	for (unsigned long i = 0; i < len; i++)
		CHECK(w, w->buf[i] == p->shadow[addr - BASE + i],
		      "pid %d read %#lx: %#x, shadow %#x", p->pid, addr + i, w->buf[i],
		      p->shadow[addr - BASE + i]);
}

/* Sizes other than 2M fail, as the kernel lacks them, on a profile before 6.8. */
static void set_thp(struct mmsim *sim, unsigned long size, enum mmsim_thp_mode mode)
{
	int ret = mmsim_set_thp(sim, size, mode);

	if (ret == -EOPNOTSUPP && size && size != SZ_2M)
		return;
	assert_int_equal(ret, 0);
}

static void do_thp_op(struct world *w)
{
	static const unsigned long sizes[] = { 0, SZ_16K, SZ_64K, SZ_2M };
	unsigned long size = sizes[rnd(&w->rng, 4)];
	enum mmsim_thp_mode mode = (enum mmsim_thp_mode)rnd(&w->rng, size ? 4 : 3);

	TRACE(w, "set_thp(%#lx, %d)", size, mode);
	set_thp(w->sim, size, mode);
	if (rnd(&w->rng, 8) == 0) {
		bool on = rnd(&w->rng, 2);

		TRACE(w, "set_thp_use_zero_page(%d)", on);
		assert_int_equal(mmsim_set_thp_use_zero_page(w->sim, on), 0);
	}
}

/* Reads every readable page of every process back against its shadow. */
static void check_all_contents(struct world *w)
{
	for (int i = 0; i < w->nprocs; i++) {
		struct proc *p = &w->procs[i];

		for (unsigned long pgi = 0; pgi < NPAGES; pgi++) {
			unsigned long addr = BASE + pgi * PAGE;
			uint8_t got[PAGE];
			int err;

			if (p->prot[pgi] < 0) {
				for (unsigned long b = 0; b < PAGE; b++)
					CHECK(w, p->shadow[pgi * PAGE + b] == 0, "unmapped shadow not zero");
				continue;
			}
			if (p->prot[pgi] == MMSIM_PROT_NONE)
				continue;
			err = mmsim_read(w->sim, p->pid, addr, got, PAGE);
			if (err && w->small && err == -ENOMEM)
				continue;
			CHECK(w, err == 0, "final read of %#lx = %d: %s", addr, err,
			      mmsim_last_error(w->sim));
			if (!memcmp(got, p->shadow + pgi * PAGE, PAGE))
				continue;
			for (unsigned long b = 0; b < PAGE; b++)
				CHECK(w, got[b] == p->shadow[pgi * PAGE + b],
				      "pid %d final %#lx: %#x, shadow %#x", p->pid, addr + b, got[b],
				      p->shadow[pgi * PAGE + b]);
		}
	}
}

static void run_seed(unsigned long seed, int nops, unsigned long nr_frames, bool small)
{
	struct world *w = calloc(1, sizeof(*w));
	struct mmsim_stats st0, st;
	int err;

	assert_non_null(w);
	w->before = malloc(sizeof(struct snap));
	w->after = malloc(sizeof(struct snap));
	w->buf = malloc(WIN);
	assert_true(w->before && w->after && w->buf);
	w->seed = seed;
	w->small = small;
	w->rng = seed * 0x2545f4914f6cdd1dULL + 1;
	/* Every other seed has two NUMA nodes, for move_pages(). */
	w->sim = test_sim_cfg((struct mmsim_config){ .nr_frames = nr_frames,
						     .nr_nodes = seed % 2 && !small ? 2 : 1,
						     .scheme = getenv("MMSIM_TEST_SCHEME"),
						     .kernel = getenv("MMSIM_TEST_KERNEL") });
	mmsim_get_stats(w->sim, &st0);
	w->procs[0].pid = new_proc(w->sim);
	w->procs[0].shadow = calloc(1, WIN);
	memset(w->procs[0].prot, -1, NPAGES);
	w->nprocs = 1;
	/* Start with a THP-friendly setting now and then. */
	if (seed % 3 == 0)
		assert_int_equal(mmsim_set_thp(w->sim, 0, MMSIM_THP_ALWAYS), 0);
	if (seed % 4 == 1)
		set_thp(w->sim, SZ_64K, MMSIM_THP_ALWAYS);

	for (w->step = 0; w->step < nops && !w->desync; w->step++) {
		int idx = (int)rnd(&w->rng, (unsigned long)w->nprocs);
		struct proc *p = &w->procs[idx];

		switch (pick_op(w)) {
		case OP_MMAP: do_mmap_op(w, p); break;
		case OP_MUNMAP: do_munmap_op(w, p); break;
		case OP_MPROTECT: do_mprotect_op(w, p); break;
		case OP_MREMAP: do_mremap_op(w, p); break;
		case OP_MADVISE: do_madvise_op(w, p); break;
		case OP_FORK: do_fork_op(w, p); break;
		case OP_EXIT:
			if (w->nprocs > 1)
				do_exit_op(w, idx);
			break;
		case OP_WRITE: do_write_op(w, p, false); break;
		case OP_FILL: do_write_op(w, p, true); break;
		case OP_READ: do_read_op(w, p); break;
		case OP_THP: do_thp_op(w); break;
		case OP_RECLAIM: do_reclaim_op(w, p); break;
		case OP_KHUGEPAGED: do_khugepaged_op(w); break;
		case OP_PIN: do_pin_op(w, p); break;
		case OP_VMSPLICE: do_vmsplice_op(w, p); break;
		case OP_CLEAR_REFS: do_clear_refs_op(w, p); break;
		case OP_MOVE_PAGES: do_move_pages_op(w, p); break;
		}
		if (watch)
			for (int i = 0; i < w->nprocs; i++)
				TRACE(w, "  model: pid %d prot %d at %#lx", w->procs[i].pid,
				      w->procs[i].prot[pg(watch)], watch);
	}
	if (!w->desync)
		check_all_contents(w);
	err = mmsim_verify(w->sim);
	CHECK(w, err == 0, "final verify: %s", mmsim_last_error(w->sim));
	/* Nothing outside the window was ever touched. */
	for (int i = 0; i < w->nprocs; i++) {
		uint64_t pm;

		assert_int_equal(mmsim_pagemap(w->sim, w->procs[i].pid, FAR, &pm), 0);
		assert_int_equal(pm, 0);
	}
	while (w->nprocs)
		do_exit_op(w, w->nprocs - 1);
	assert_int_equal(mmsim_verify(w->sim), 0);
	mmsim_get_stats(w->sim, &st);
	{
		unsigned long hz = w->sim->huge_zero_folio ? 1 : 0;

		CHECK(w, st.nr_free_frames + hz * 512 == st0.nr_free_frames,
		      "leak: %lu free frames at the end, %lu at the start (huge zero %lu)",
		      st.nr_free_frames, st0.nr_free_frames, hz);
		CHECK(w, st.nr_folios == hz && st.nr_large_folios == hz,
		      "leak: %lu folios (%lu large) left", st.nr_folios, st.nr_large_folios);
		CHECK(w, st.nr_swap_used == 0 && st.nr_swapcache == 0,
		      "leak: %lu swap slots in use, %lu pages in the swap cache", st.nr_swap_used,
		      st.nr_swapcache);
		CHECK(w, st.nr_anon_vmas == 0 && st.nr_vmas == 0 && st.nr_page_tables == 0 &&
			 st.nr_mms == 0 && st.nr_deferred_split == 0,
		      "leak: anon_vmas %lu vmas %lu page tables %lu mms %lu split queue %lu",
		      st.nr_anon_vmas, st.nr_vmas, st.nr_page_tables, st.nr_mms,
		      st.nr_deferred_split);
	}
	if (getenv("MMSIM_PROPERTY_VERBOSE")) {
		long collapsed = 0;

		mmsim_khugepaged_counter(w->sim, "pages_collapsed", &collapsed);
		printf("seed %lu: %lu calls met -ENOMEM, faults %lu cow %lu/%lu pmd splits %lu folio splits %lu "
		       "swap out/in %lu/%lu khugepaged collapses %ld\n",
		       seed, w->enomem, st.faults, st.cow_copies, st.cow_reuses, st.pmd_splits,
		       st.folio_splits, st.pswpout, st.pswpin, collapsed);
	}
	mmsim_destroy(w->sim);
	free(w->before);
	free(w->after);
	free(w->buf);
	free(w);
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s ? strtoul(s, NULL, 0) : def;
}

static void test_random_sequences(void **state)
{
	unsigned long first = env_ul("MMSIM_PROPERTY_SEED", 1);
	unsigned long nseeds = env_ul("MMSIM_PROPERTY_SEEDS", 20);
	int nops = (int)env_ul("MMSIM_PROPERTY_OPS", 400);

	(void)state;
	trace = getenv("MMSIM_PROPERTY_TRACE") != NULL;
	watch = env_ul("MMSIM_PROPERTY_WATCH", 0);
	for (unsigned long seed = first; seed < first + nseeds; seed++)
		run_seed(seed, nops, 0, false);
}

/* Little memory: faults, fork and mremap meet -ENOMEM and must undo themselves. */
static void test_random_sequences_low_memory(void **state)
{
	unsigned long first = env_ul("MMSIM_PROPERTY_SEED", 1);
	unsigned long nseeds = env_ul("MMSIM_PROPERTY_SEEDS", 20) / 2;
	int nops = (int)env_ul("MMSIM_PROPERTY_OPS", 400);

	(void)state;
	trace = getenv("MMSIM_PROPERTY_TRACE") != NULL;
	for (unsigned long seed = first; seed < first + nseeds; seed++)
		run_seed(1000 + seed, nops, 400, true);
}

/*
 * Five mms map one large folio and the MM-owner slot 1 changes hands to the
 * fifth: the checker must still find that mm's mappings in its truth (it
 * once kept only the first four mms it met). Found by seed 13.
 */
static void test_verify_five_mms(void **state)
{
	struct mmsim *sim;
	int p1, kids[5];

	(void)state;
	sim = test_sim(0);
	p1 = new_proc(sim);
	if (mmsim_set_thp(sim, SZ_16K, MMSIM_THP_ALWAYS) == -EOPNOTSUPP) {
		mmsim_destroy(sim);
		skip();		/* a profile before 6.8: no 16K folios */
	}
	OK(sim, mmsim_mmap(sim, p1, BASE, SZ_16K, RW));
	OK(sim, mmsim_fill(sim, p1, BASE, SZ_16K, 1));	/* one 16K folio, mm 1 in slot 0 */
	for (int i = 0; i < 4; i++)
		kids[i] = do_fork(sim, p1);		/* slot 1: the first child's mm */
	OK(sim, mmsim_munmap(sim, kids[0], BASE, SZ_16K));	/* frees slot 1 */
	kids[4] = do_fork(sim, p1);			/* mm 6 takes slot 1: fails here */
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_five_mms),
		cmocka_unit_test(test_random_sequences),
		cmocka_unit_test(test_random_sequences_low_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
