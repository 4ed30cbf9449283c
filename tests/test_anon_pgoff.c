// SPDX-License-Identifier: MIT
/*
 * Seed 004: the vm_pgoff of anonymous VMAs (cfg.anon_pgoff). Linux gives a
 * new VMA vm_start >> PAGE_SHIFT; the seed's one-liner gives 0. Under both,
 * every rmap walk still finds every mapping (the checker walks after each
 * step), because mremap keeps vm_pgoff and sharing an anon_vma needs
 * contiguous page offsets. What differs: folio->index, merging of adjacent
 * mappings, and, where offsets line up by chance under 0, an anon_vma that
 * covers unrelated memory: more interval-tree work and a swap-in that
 * ksm_might_need_to_copy() lets share what Linux would copy.
 */
#include <errno.h>
#include <string.h>

#include "test_util.h"
#include "prng.h"

#include "swap.h"
#include "vma.h"

static const enum mmsim_anon_pgoff policies[] = { MMSIM_ANON_PGOFF_KERNEL, MMSIM_ANON_PGOFF_ZERO };

static struct mmsim *policy_sim(enum mmsim_anon_pgoff policy)
{
	return test_sim_cfg((struct mmsim_config){ .nr_frames = 8192, .anon_pgoff = policy });
}

static struct vm_area_struct *vma_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return vma_lookup(find_mm(sim, pid), addr);
}

static struct folio *folio_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return sim->pages[pfn_of(sim, pid, addr)].folio;
}

static int map_count(struct mmsim *sim, int pid)
{
	return find_mm(sim, pid)->map_count;
}

static unsigned long stats_vmas(struct mmsim *sim)
{
	struct mmsim_stats st;

	mmsim_get_stats(sim, &st);
	return st.nr_vmas;
}

static struct mmsim_rmap_walk walk_at(struct mmsim *sim, int pid, unsigned long addr)
{
	struct mmsim_rmap_walk w;

	OK(sim, mmsim_rmap_walk(sim, pid, addr, &w));
	return w;
}

static void test_bad_policy(void **state)
{
	struct mmsim_config cfg = { .anon_pgoff = (enum mmsim_anon_pgoff)2 };
	struct mmsim *sim;

	(void)state;
	assert_int_equal(mmsim_create(&cfg, &sim), -EINVAL);
}

/* vm_pgoff and folio->index: the address under Linux, the offset in the VMA under 0. */
static void test_folio_index(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct mmsim *sim = policy_sim(policies[i]);
		int p = new_proc(sim);
		unsigned long base = i ? 0 : BASE >> 12;

		OK(sim, mmsim_mmap(sim, p, BASE + 4 * PAGE, 4 * PAGE, RW));
		OK(sim, mmsim_fill(sim, p, BASE + 6 * PAGE, PAGE, 1));
		assert_int_equal(vma_at(sim, p, BASE + 4 * PAGE)->vm_pgoff, base + (i ? 0 : 4));
		assert_int_equal(folio_at(sim, p, BASE + 6 * PAGE)->index, base + (i ? 2 : 6));
		mmsim_destroy(sim);
	}
}

/*
 * Adjacent mmaps: Linux extends the neighbour (its offsets continue); under
 * 0 they never continue, so every mmap is a VMA of its own, in every fork.
 * Pieces of one mapping still merge back: mprotect's split keeps offsets.
 */
static void test_vma_merging(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct mmsim *sim = policy_sim(policies[i]);
		int p = new_proc(sim), c;

		for (unsigned long k = 0; k < 8; k++)
			OK(sim, mmsim_mmap(sim, p, BASE + k * PAGE, PAGE, RW));
		assert_int_equal(map_count(sim, p), i ? 8 : 1);
		OK(sim, mmsim_fill(sim, p, BASE, 8 * PAGE, 2));
		c = do_fork(sim, p);
		assert_int_equal(map_count(sim, c), i ? 8 : 1);
		assert_int_equal(stats_vmas(sim), i ? 16 : 2);
		OK(sim, mmsim_mmap(sim, p, BASE + SZ_1M, 8 * PAGE, RW));
		OK(sim, mmsim_mprotect(sim, p, BASE + SZ_1M + 2 * PAGE, 2 * PAGE, MMSIM_PROT_READ));
		assert_int_equal(map_count(sim, p), (i ? 8 : 1) + 3);
		OK(sim, mmsim_mprotect(sim, p, BASE + SZ_1M + 2 * PAGE, 2 * PAGE, RW));
		assert_int_equal(map_count(sim, p), (i ? 8 : 1) + 1);
		mmsim_destroy(sim);
	}
}

/*
 *   P: [BASE, +8p) written; its upper half moves to NEW; then [NEW - 4p, NEW)
 *   is mapped and written with the bytes of BASE's first page.
 * Under 0 the moved half's offsets are 4..7 and the new mapping's 0..3: they
 * merge, and the anon_vma of BASE's pages now also covers NEW - 4p.
 */
#define NEW (BASE + SZ_1M)
static int lined_up(struct mmsim *sim)
{
	int p = new_proc(sim);

	OK(sim, mmsim_prctl_set_memory_merge(sim, p, true));
	OK(sim, mmsim_mmap(sim, p, BASE, 8 * PAGE, RW));
	for (unsigned long k = 0; k < 8; k++)
		OK(sim, mmsim_fill(sim, p, BASE + k * PAGE, PAGE, (int)(0x20 + k)));
	OK(sim, mmsim_mremap(sim, p, BASE + 4 * PAGE, 4 * PAGE, NEW));
	OK(sim, mmsim_mmap(sim, p, NEW - 4 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, p, NEW - 4 * PAGE, PAGE, 0x20));
	return p;
}

static void test_lined_up_offsets(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct mmsim *sim = policy_sim(policies[i]);
		int p = lined_up(sim);
		struct mmsim_rmap_walk w = walk_at(sim, p, BASE);

		assert_int_equal(map_count(sim, p), i ? 2 : 3);
		assert_int_equal(vma_at(sim, p, NEW - 4 * PAGE)->anon_vma == vma_at(sim, p, BASE)->anon_vma,
				 i);
		assert_int_equal(folio_at(sim, p, NEW - 4 * PAGE)->index, i ? 0 : (NEW - 4 * PAGE) >> 12);
		assert_int_equal(folio_at(sim, p, BASE)->index, i ? 0 : BASE >> 12);
		/* The walk of BASE's folio finds its one mapping; under 0 it searches two VMAs. */
		assert_true(w.reaches);
		assert_int_equal(w.mappings, 1);
		assert_int_equal(w.vmas, i ? 2 : 1);
		mmsim_destroy(sim);
	}
}

/*
 * The two equal pages merged by KSM, reclaimed and read back: the first
 * read gets the plain folio; the second finds it in the swap cache. Linux:
 * another anon_vma, so a copy. Under 0: same anon_vma, same index, so the
 * folio is shared, and the rmap still finds both mappings.
 */
static void test_swapin_copy_lined_up(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct mmsim *sim = policy_sim(policies[i]);
		int p = lined_up(sim);
		struct mmsim_stats st;

		OK(sim, mmsim_ksm_scan(sim, 2));
		assert_int_equal(pfn_of(sim, p, BASE), pfn_of(sim, p, NEW - 4 * PAGE));
		OK(sim, mmsim_reclaim(sim, p, BASE, PAGE, NULL));
		assert_int_equal(read_byte(sim, p, BASE), 0x20);
		assert_int_equal(read_byte(sim, p, NEW - 4 * PAGE), 0x20);
		mmsim_get_stats(sim, &st);
		assert_int_equal(st.ksm_swpin_copy, i ? 0 : 1);
		assert_int_equal(pfn_of(sim, p, BASE) == pfn_of(sim, p, NEW - 4 * PAGE), i);
		assert_int_equal(walk_at(sim, p, BASE).mappings, i ? 2 : 1);
		mmsim_destroy(sim);
	}
}

/*
 * After fork and mremap the moved VMA keeps vm_pgoff, under both policies:
 * every rmap walk finds every mapping, and a swapped page comes back into
 * parent and moved child without a copy.
 */
static void test_mremap_fork_swapin(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct mmsim *sim = policy_sim(policies[i]);
		int p = new_proc(sim), c[3];
		struct mmsim_stats st;

		OK(sim, mmsim_mmap(sim, p, BASE, 4 * PAGE, RW));
		OK(sim, mmsim_fill(sim, p, BASE, 4 * PAGE, 0x61));
		for (int k = 0; k < 3; k++) {
			c[k] = do_fork(sim, p);
			OK(sim, mmsim_mremap(sim, c[k], BASE, 4 * PAGE, BASE + (unsigned long)(k + 1) * SZ_1M));
		}
		for (int k = 0; k < 3; k++) {
			struct mmsim_rmap_walk w = walk_at(sim, c[k], BASE + (unsigned long)(k + 1) * SZ_1M + PAGE);

			assert_true(w.reaches);
			assert_int_equal(w.mappings, 4);
		}
		OK(sim, mmsim_reclaim(sim, p, BASE, 4 * PAGE, NULL));
		for (int k = 0; k < 3; k++)
			assert_int_equal(read_byte(sim, c[k], BASE + (unsigned long)(k + 1) * SZ_1M + PAGE), 0x61);
		assert_int_equal(read_byte(sim, p, BASE + PAGE), 0x61);
		mmsim_get_stats(sim, &st);
		assert_int_equal(st.ksm_swpin_copy, 0);
		assert_int_equal(pfn_of(sim, p, BASE + PAGE), pfn_of(sim, c[2], BASE + 3 * SZ_1M + PAGE));
		assert_int_equal(walk_at(sim, p, BASE + PAGE).mappings, 4);
		mmsim_destroy(sim);
	}
}

/*
 * Random workloads under both policies with the checker on: it walks the
 * rmap of every folio after every step and fails when a mapping is missed.
 */
static void random_step(struct mmsim *sim, uint64_t *rs, int *pids, int *nr)
{
	int pid = pids[rnd(rs, (unsigned long)*nr)];
	unsigned long a = BASE + rnd(rs, 64) * PAGE, len = (1 + rnd(rs, 8)) * PAGE;
	unsigned long b = BASE + rnd(rs, 64) * PAGE;
	int err = 0;

	switch (rnd(rs, 9)) {
	case 0:
		err = mmsim_mmap(sim, pid, a, len, RW);
		break;
	case 1:
		err = mmsim_munmap(sim, pid, a, len);
		break;
	case 2:
		err = mmsim_mremap(sim, pid, a, len, b);
		break;
	case 3:
		if (*nr < 6)
			err = mmsim_fork(sim, pid, &pids[(*nr)++]);
		break;
	case 4:
		err = mmsim_fill(sim, pid, a, len, (int)rnd(rs, 4));
		break;
	case 5:
		err = mmsim_madvise(sim, pid, a, len, MMSIM_MADV_PAGEOUT);
		break;
	case 6:
		err = mmsim_reclaim(sim, pid, a, len, NULL);
		break;
	case 7: {
		uint8_t buf[8 * PAGE];

		err = mmsim_read(sim, pid, a, buf, len);
		break;
	}
	default:
		err = mmsim_mprotect(sim, pid, a, len, rnd(rs, 2) ? RW : MMSIM_PROT_READ);
		break;
	}
	/* Only the kernel's refusals: no mapping there, EEXIST, EFAULT, EINVAL. */
	assert_true(err == 0 || err == -ENOMEM || err == -EEXIST || err == -EFAULT ||
		    err == -EINVAL);
}

static void test_random_workloads(void **state)
{
	unsigned long out = 0, in = 0;

	(void)state;
	for (int i = 0; i < 2; i++) {
		for (uint64_t seed = 1; seed <= 8; seed++) {
			struct mmsim *sim = policy_sim(policies[i]);
			uint64_t rs = seed * 1000 + (uint64_t)i;
			int pids[6], nr = 1;
			struct mmsim_stats st;

			pids[0] = new_proc(sim);
			OK(sim, mmsim_mmap(sim, pids[0], BASE, 64 * PAGE, RW));
			OK(sim, mmsim_fill(sim, pids[0], BASE, 64 * PAGE, 7));
			for (int step = 0; step < 300; step++)
				random_step(sim, &rs, pids, &nr);
			OK(sim, mmsim_verify(sim));
			mmsim_get_stats(sim, &st);
			out += st.pswpout;
			in += st.pswpin;
			mmsim_destroy(sim);
		}
	}
	/* The workloads did swap out and in. */
	assert_true(out > 100 && in > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_policy),
		cmocka_unit_test(test_folio_index),
		cmocka_unit_test(test_vma_merging),
		cmocka_unit_test(test_lined_up_offsets),
		cmocka_unit_test(test_swapin_copy_lined_up),
		cmocka_unit_test(test_mremap_fork_swapin),
		cmocka_unit_test(test_random_workloads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
