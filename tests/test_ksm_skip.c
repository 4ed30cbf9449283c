// SPDX-License-Identifier: MIT
/*
 * Property test of `ksm skip=` (seed 000, lib/ksm.c's ksm_scan_step()):
 * random workloads of mTHPs and 2M THPs, forks with COW after them, partial
 * munmaps, mremaps and MADV_DONTNEED, scanned under each policy with the
 * invariant checker on after every step.
 *
 * The oracle is the scan's own trace: after a full pass an mm's rmap_items
 * sit exactly at the addresses the pass visited (get_next_rmap_item() frees
 * every item the cursor went past). Every page holds unique contents, so
 * no merge changes the page tables during a pass and what the pass saw is
 * what the test sees afterwards. Then:
 *  - none (the kernel) visits every present anonymous page;
 *  - batch never leaves out a page unless the PTE before it maps the page
 *    before it in the same folio, in the same VMA and page table: it never
 *    steps over a PTE that maps another folio;
 *  - compound does step over other folios' pages, in some workloads;
 *  - for both, the pages left out are what pages_jumped and
 *    pages_jumped_other counted.
 */
#include <stdio.h>
#include <string.h>

#include "test_util.h"
#include "prng.h"

#include "ksm.h"
#include "sim.h"
#include "vma.h"

#define WIN		(8 * SZ_2M)		/* each process's window from BASE */
#define MAXP		4
#define NR_SEEDS	100
#define TAG		0x5eed000000000000ULL	/* first word of every page written */


struct world {
	struct mmsim *sim;
	uint64_t rng;
	uint64_t next_tag;
	int pids[MAXP];
	int nprocs;
};

/* What one pass left out, by the oracle. */
struct left_out {
	unsigned long pages;		/* scannable pages with no rmap_item */
	unsigned long other;		/* of those, another folio than the last visited page's */
	unsigned long not_batch;	/* of those, not the next page of the PTE before's folio */
};

/* ---- The workload ----------------------------------------------------------- */

/*
 * Writes the pages of [addr, addr + len) with a fresh tag each in their first
 * word, zeroes after it, in one call (the checker runs once): no two frames
 * ever hold equal contents. -EFAULT where a hole stopped it.
 */
static int write_tags(struct world *w, int pid, unsigned long addr, unsigned long len)
{
	uint8_t *buf = calloc(1, len);
	int err;

	assert_non_null(buf);
	for (unsigned long off = 0; off < len; off += PAGE) {
		uint64_t tag = TAG | w->next_tag++;

		memcpy(buf + off, &tag, sizeof(tag));
	}
	err = mmsim_write(w->sim, pid, addr, buf, len);
	free(buf);
	assert_true(err == 0 || err == -EFAULT);
	return err;
}

static bool present_anon(struct world *w, int pid, unsigned long addr, unsigned long *pfn)
{
	uint64_t pm, flags;

	OK(w->sim, mmsim_pagemap(w->sim, pid, addr, &pm));
	if (!(pm & MMSIM_PM_PRESENT))
		return false;
	*pfn = (unsigned long)(pm & MMSIM_PM_PFN_MASK);
	OK(w->sim, mmsim_kpageflags(w->sim, *pfn, &flags));
	return flags & (1ULL << MMSIM_KPF_ANON);
}

/* Does the frame hold a tag (a frame without contents is all zero)? */
static bool tagged(struct world *w, unsigned long pfn)
{
	uint64_t word = 0;

	content_read(w->sim->pages[pfn].content, 0, &word, sizeof(word));
	return (word & ~0xffffffffffffULL) == TAG;
}

/*
 * Tags every present page still holding what a fault left (the zero-filled
 * rest of a large folio), a run of them per write. A tag written to a page
 * shared since fork copies it; the other mapping is tagged in a later round.
 */
static void tag_everything(struct world *w)
{
	bool again = true;

	while (again) {
		again = false;
		for (int p = 0; p < w->nprocs; p++) {
			unsigned long run = 0, pfn;

			for (unsigned long a = BASE; a <= BASE + WIN; a += PAGE) {
				if (a < BASE + WIN && present_anon(w, w->pids[p], a, &pfn) &&
				    !tagged(w, pfn)) {
					run++;
					continue;
				}
				if (run)
					OK(w->sim, write_tags(w, w->pids[p], a - run * PAGE, run * PAGE));
				again |= run > 0;
				run = 0;
			}
		}
	}
}

static unsigned long rnd_len(struct world *w)
{
	static const unsigned long pages[] = { 1, 3, 4, 8, 13, 16, 32, 48, 512 };

	return pages[rnd(&w->rng, sizeof(pages) / sizeof(pages[0]))] * PAGE;
}

/* An address in the window, often aligned to a large folio size. */
static unsigned long rnd_addr(struct world *w, unsigned long len)
{
	static const unsigned long align[] = { PAGE, SZ_16K, SZ_64K, SZ_2M };
	unsigned long a = align[rnd(&w->rng, 4)];

	if (len > WIN)
		len = WIN;
	return BASE + rnd(&w->rng, (WIN - len) / a + 1) * a;
}

/* One random operation; errors a random one may meet (a hole, a clash) are fine. */
static void random_op(struct world *w)
{
	struct mmsim *sim = w->sim;
	int pid = w->pids[rnd(&w->rng, (unsigned long)w->nprocs)], err = 0;
	unsigned long len = rnd_len(w), addr = rnd_addr(w, len);

	switch (rnd(&w->rng, 7)) {
	case 0:
	case 1:
		err = mmsim_mmap(sim, pid, addr, len, RW);
		assert_true(err == 0 || err == -EEXIST);
		if (!err)	/* the first third, half or all of it */
			write_tags(w, pid, addr, (len / PAGE / (1 + rnd(&w->rng, 3)) ?: 1) * PAGE);
		break;
	case 2:
		write_tags(w, pid, addr, len);	/* COW after a fork */
		break;
	case 3:
		if (w->nprocs < MAXP)
			w->pids[w->nprocs++] = do_fork(sim, pid);
		break;
	case 4:
		err = mmsim_munmap(sim, pid, addr, len);
		assert_int_equal(err, 0);
		break;
	case 5:
		err = mmsim_mremap(sim, pid, addr, len, rnd_addr(w, len));
		assert_true(err == 0 || err == -EFAULT || err == -EINVAL);
		break;
	default:
		err = mmsim_madvise(sim, pid, addr, len, MMSIM_MADV_DONTNEED);
		assert_true(err == 0 || err == -ENOMEM);	/* -ENOMEM: a hole */
		break;
	}
}

static void world_init(struct world *w, unsigned long seed)
{
	static const unsigned long sizes[] = { SZ_16K, 2 * SZ_16K, SZ_64K, 2 * SZ_64K, SZ_2M };

	memset(w, 0, sizeof(*w));
	w->rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	w->sim = test_sim(65536);
	for (int i = 0; i < 5; i++)
		if (rnd(&w->rng, 2))
			OK(w->sim, mmsim_set_thp(w->sim, sizes[i], MMSIM_THP_ALWAYS));
	w->pids[w->nprocs++] = new_proc(w->sim);
	/* PR_SET_MEMORY_MERGE: every VMA mergeable, in every child too. */
	OK(w->sim, mmsim_prctl_set_memory_merge(w->sim, w->pids[0], true));
}

/* ---- The oracle --------------------------------------------------------------- */

static struct ksm_mm_slot *slot_of(struct mmsim *sim, struct mm_struct *mm)
{
	struct ksm_mm_slot *slot;

	list_for_each_entry(slot, &sim->ksm->mm_head, mm_node)
		if (slot->mm == mm)
			return slot;
	return NULL;
}

/* Whether an rmap_item of the slot sits at addr (the list is sorted). */
static bool visited(const struct ksm_mm_slot *slot, unsigned long addr)
{
	for (const struct ksm_rmap_item *it = slot->rmap_list; it; it = it->rmap_list) {
		if ((it->address & PAGE_MASK) == addr)
			return true;
		if ((it->address & PAGE_MASK) > addr)
			break;
	}
	return false;
}

/* What the last pass left out of one process's window. */
static void left_out_of(struct world *w, int pid, struct left_out *out)
{
	struct mmsim *sim = w->sim;
	struct mm_struct *mm = find_mm(sim, pid);
	struct ksm_mm_slot *slot = slot_of(sim, mm);
	struct folio *last = NULL;		/* folio of the last visited page */
	unsigned long prev_pfn = 0, prev_addr = 0;
	struct vm_area_struct *vma;

	if (!slot) {		/* dropped at the end of a pass with no VMA */
		assert_null(vma_first(mm));
		return;
	}
	for_each_vma(mm, vma) {
		assert_true(vma->vm_flags & VM_MERGEABLE);
		for (unsigned long a = vma->vm_start; a < vma->vm_end; a += PAGE) {
			unsigned long pfn;
			struct folio *folio;
			bool follows;

			if (!present_anon(w, pid, a, &pfn))
				continue;
			folio = sim->pages[pfn].folio;
			/* Could folio_pte_batch() have carried a batch here from a - PAGE? */
			follows = prev_addr == a - PAGE && a >= vma->vm_start + PAGE &&
				  a % SZ_2M && prev_pfn + 1 == pfn &&
				  sim->pages[prev_pfn].folio == folio;
			if (visited(slot, a)) {
				last = folio;
			} else {
				out->pages++;
				out->other += folio != last;
				out->not_batch += !follows;
			}
			prev_addr = a;
			prev_pfn = pfn;
		}
	}
}

/* One full pass under the world's policy, checked against the oracle. */
static struct left_out scan_and_check(struct world *w, enum mmsim_ksm_skip policy)
{
	struct mmsim *sim = w->sim;
	struct left_out out = { 0 };
	long jumped0, other0, jumped, other;

	OK(sim, mmsim_ksm_counter(sim, "pages_jumped", &jumped0));
	OK(sim, mmsim_ksm_counter(sim, "pages_jumped_other", &other0));
	OK(sim, mmsim_ksm_scan(sim, 1));
	OK(sim, mmsim_ksm_counter(sim, "pages_jumped", &jumped));
	OK(sim, mmsim_ksm_counter(sim, "pages_jumped_other", &other));
	assert_int_equal(sim->ksm->pages_sharing + sim->ksm->pages_shared, 0);	/* unique pages */
	for (int p = 0; p < w->nprocs; p++)
		left_out_of(w, w->pids[p], &out);
	assert_int_equal(jumped - jumped0, out.pages);
	assert_int_equal(other - other0, out.other);
	if (policy == MMSIM_KSM_SKIP_NONE)
		assert_int_equal(out.pages, 0);
	if (policy == MMSIM_KSM_SKIP_BATCH) {
		assert_int_equal(out.other, 0);
		assert_int_equal(out.not_batch, 0);
	}
	return out;
}

/* One seed: a workload, two passes, more changes, two more passes. */
static struct left_out run_seed(unsigned long seed, enum mmsim_ksm_skip policy)
{
	struct left_out total = { 0 };
	struct world w;

	world_init(&w, seed);
	OK(w.sim, mmsim_ksm_set(w.sim, "skip", policy));
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 25; i++)
			random_op(&w);
		tag_everything(&w);
		for (int pass = 0; pass < 2; pass++) {
			struct left_out out = scan_and_check(&w, policy);

			total.pages += out.pages;
			total.other += out.other;
			total.not_batch += out.not_batch;
		}
	}
	mmsim_destroy(w.sim);
	return total;
}

static void test_none_visits_every_page(void **state)
{
	(void)state;
	for (unsigned long seed = 1; seed <= NR_SEEDS / 4; seed++)
		run_seed(seed, MMSIM_KSM_SKIP_NONE);
}

static void test_batch_never_jumps_another_folio(void **state)
{
	unsigned long jumped = 0;

	(void)state;
	for (unsigned long seed = 1; seed <= NR_SEEDS; seed++)
		jumped += run_seed(seed, MMSIM_KSM_SKIP_BATCH).pages;
	print_message("skip=batch: %lu pages jumped, all of the folio jumped from\n", jumped);
	assert_true(jumped > 0);	/* and it did skip something */
}

static void test_compound_jumps_other_folios(void **state)
{
	unsigned long other = 0, seeds_hit = 0;

	(void)state;
	for (unsigned long seed = 1; seed <= NR_SEEDS; seed++) {
		struct left_out out = run_seed(seed, MMSIM_KSM_SKIP_COMPOUND);

		other += out.other;
		seeds_hit += out.other > 0;
	}
	print_message("skip=compound: %lu pages of other folios never visited, in %lu of %d seeds\n",
		      other, seeds_hit, NR_SEEDS);
	assert_true(seeds_hit > 0);
}

/* The API takes exactly the three policies and reads the one set back. */
static void test_skip_setting(void **state)
{
	struct mmsim *sim = test_sim(1024);
	long v;

	(void)state;
	OK(sim, mmsim_ksm_counter(sim, "skip", &v));
	assert_int_equal(v, MMSIM_KSM_SKIP_NONE);
	OK(sim, mmsim_ksm_set(sim, "skip", MMSIM_KSM_SKIP_BATCH));
	OK(sim, mmsim_ksm_counter(sim, "skip", &v));
	assert_int_equal(v, MMSIM_KSM_SKIP_BATCH);
	assert_int_equal(mmsim_ksm_set(sim, "skip", 3), -EINVAL);
	OK(sim, mmsim_ksm_counter(sim, "skip", &v));
	assert_int_equal(v, MMSIM_KSM_SKIP_BATCH);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skip_setting),
		cmocka_unit_test(test_none_visits_every_page),
		cmocka_unit_test(test_batch_never_jumps_another_folio),
		cmocka_unit_test(test_compound_jumps_other_folios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
