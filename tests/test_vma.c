// SPDX-License-Identifier: MIT
/*
 * The VMA layer (lib/vma.c) against mm/vma.c of 6.18: __split_vma() with
 * its anon_vma_clone() and interval-tree update, vma_adjust_trans_huge() at
 * a split, and vma_merge_new_range()'s anon_vma rules
 * (is_mergeable_anon_vma + dup_anon_vma) called directly as copy_vma() does.
 * Offsets in the pictures are pages from BASE.
 */
#include <errno.h>
#include <string.h>

#include "test_util.h"

#include "huge_memory.h"
#include "rmap.h"
#include "vma.h"

#include "test_vma_util.h"

/* The VMA the anon_vma's interval tree gives for page offset pgoff (one hit expected). */
static struct vm_area_struct *tree_vma(struct anon_vma *av, unsigned long pgoff)
{
	struct interval_tree_node *node = interval_tree_iter_first(&av->rb_root, pgoff, pgoff);
	struct anon_vma_chain *avc;

	if (!node)
		return NULL;
	assert_null(interval_tree_iter_next(node, pgoff, pgoff));
	avc = container_of(node, struct anon_vma_chain, rb);
	return avc->vma;
}

/*
 * __split_vma(): the new upper VMA starts at pgoff + (addr - start) pages,
 * shares the anon_vma through a cloned chain, and the interval tree keys
 * follow both halves.
 *
 *   0               16        0       8       16
 *   |   A            |   ->   |A      |A (+8)  |
 */
static void test_split_vma(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct vm_area_struct *lo, *hi;
	struct anon_vma *av;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 16 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	lo = vma_at(sim, pid, BASE);
	av = lo->anon_vma;
	assert_int_equal(split_vma(sim, lo, BASE + 8 * PAGE), 0);
	assert_int_equal(split_vma(sim, lo, BASE), -EINVAL);
	assert_int_equal(split_vma(sim, lo, BASE + 8 * PAGE), -EINVAL);
	OK(sim, mmsim_verify(sim));
	hi = vma_at(sim, pid, BASE + 8 * PAGE);
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW },
		     { 8 * PAGE, 16 * PAGE, PGOFF(8 * PAGE), F_RW });
	assert_ptr_equal(hi->anon_vma, av);
	assert_int_equal(av->num_active_vmas, 2);
	assert_ptr_equal(tree_vma(av, PGOFF(3 * PAGE)), lo);
	assert_ptr_equal(tree_vma(av, PGOFF(8 * PAGE)), hi);
	assert_ptr_equal(tree_vma(av, PGOFF(15 * PAGE)), hi);
	assert_null(tree_vma(av, PGOFF(16 * PAGE)));
	/* A write in the upper half keeps using the same anon_vma and index. */
	OK(sim, mmsim_fill(sim, pid, BASE + 9 * PAGE, PAGE, 1));
	assert_int_equal(stats(sim).nr_anon_vmas, 1);
	mmsim_destroy(sim);
}

/*
 * vma_adjust_trans_huge(): a split inside a PMD-mapped 2M splits the PMD
 * (the folio stays order 9); a split on a 2M boundary does not.
 */
static void test_split_vma_splits_straddling_pmd(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct mm_struct *mm;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	OK(sim, mmsim_fill(sim, pid, BASE + SZ_2M, PAGE, 1));
	mm = mm_of(sim, pid);
	assert_int_equal(split_vma(sim, vma_at(sim, pid, BASE), BASE + SZ_2M), 0);
	OK(sim, mmsim_verify(sim));
	assert_int_equal(stats(sim).pmd_splits, 0);
	assert_true(pmd_leaf(*pmd_lookup(sim, mm, BASE)));
	assert_true(pmd_leaf(*pmd_lookup(sim, mm, BASE + SZ_2M)));
	assert_int_equal(split_vma(sim, vma_at(sim, pid, BASE), BASE + SZ_1M), 0);
	OK(sim, mmsim_verify(sim));
	assert_int_equal(stats(sim).pmd_splits, 1);
	assert_true(pmd_table(*pmd_lookup(sim, mm, BASE)));
	assert_int_equal(order_at(sim, pid, BASE + SZ_1M), 9);
	assert_int_equal(mm->map_count, 3);
	mmsim_destroy(sim);
}

/*
 * vma_merge_new_range() for a copy (mremap's copy_vma): an unfaulted
 * neighbour may absorb a range whose source has a singular chain and then
 * joins the source's anon_vma (dup_anon_vma); a fork child's source
 * (vma_had_uncowed_parents) is refused.
 *
 *   0   4   8       16  20
 *   |Y  |new|       |X  |       new = copy of X's pages, pgoff linear after Y
 */
static void test_merge_new_range_anon_rules(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct vm_area_struct *x, *y, *got;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, p, BASE + 16 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, p, BASE + 16 * PAGE, PAGE, 1));
	c = do_fork(sim, p);

	/* Child: X's chain has two anon_vmas, so no merge. */
	x = vma_at(sim, c, BASE + 16 * PAGE);
	assert_null(vma_merge_new_range(sim, mm_of(sim, c), BASE + 4 * PAGE, BASE + 8 * PAGE,
					x->vm_flags, PGOFF(4 * PAGE), x));
	CHECK_LAYOUT(sim, c, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 16 * PAGE, 20 * PAGE, PGOFF(16 * PAGE), F_RW });

	/* Parent: singular chain, Y grows and joins X's anon_vma. */
	x = vma_at(sim, p, BASE + 16 * PAGE);
	y = vma_at(sim, p, BASE);
	got = vma_merge_new_range(sim, mm_of(sim, p), BASE + 4 * PAGE, BASE + 8 * PAGE,
				  x->vm_flags, PGOFF(4 * PAGE), x);
	assert_ptr_equal(got, y);
	OK(sim, mmsim_verify(sim));
	CHECK_LAYOUT(sim, p, { 0, 8 * PAGE, PGOFF(0), F_RW },
		     { 16 * PAGE, 20 * PAGE, PGOFF(16 * PAGE), F_RW });
	assert_ptr_equal(y->anon_vma, x->anon_vma);
	assert_int_equal(x->anon_vma->num_active_vmas, 2);

	/* A pgoff that is not linear never merges. */
	assert_null(vma_merge_new_range(sim, mm_of(sim, p), BASE + 8 * PAGE, BASE + 12 * PAGE,
					x->vm_flags, PGOFF(100 * PAGE), NULL));
	/* Other flags never merge either. */
	assert_null(vma_merge_new_range(sim, mm_of(sim, p), BASE + 8 * PAGE, BASE + 12 * PAGE,
					VM_READ | VM_MAYREAD, PGOFF(8 * PAGE), NULL));
	mmsim_destroy(sim);
}

/*
 * vma_modify_flags(): the middle of a VMA gets new flags (split in three);
 * giving the old flags back merges the three, and the anon_vma is kept
 * with the right number of active VMAs.
 */
static void test_modify_flags_split_merge(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim), err;
	struct vm_area_struct *vma, *mid;
	unsigned long flags;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 12 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 12 * PAGE, 1));
	vma = vma_at(sim, pid, BASE);
	flags = vma->vm_flags;
	mid = vma_modify_flags(sim, vma, BASE + 4 * PAGE, BASE + 8 * PAGE, flags | VM_HUGEPAGE, &err);
	assert_int_equal(err, 0);
	assert_int_equal(mid->vm_start, BASE + 4 * PAGE);
	assert_int_equal(mid->vm_end, BASE + 8 * PAGE);
	assert_int_equal(mid->anon_vma->num_active_vmas, 3);
	OK(sim, mmsim_verify(sim));
	vma = vma_modify_flags(sim, mid, BASE + 4 * PAGE, BASE + 8 * PAGE, flags, &err);
	assert_int_equal(err, 0);
	OK(sim, mmsim_verify(sim));
	CHECK_LAYOUT(sim, pid, { 0, 12 * PAGE, PGOFF(0), F_RW });
	assert_ptr_equal(vma, vma_at(sim, pid, BASE));
	assert_int_equal(vma->anon_vma->num_active_vmas, 1);
	mmsim_destroy(sim);
}

/*
 * The VMA rules that changed after 6.12 (lib/profile.c), in each version:
 * merge.c's mprotect_faulted_left_unfaulted_right (a faulted VMA joins an
 * unfaulted neighbour, 6.16+), its ksm_merge (a new mapping of a
 * PR_SET_MEMORY_MERGE process merges, 6.16+) and mremap_test.c's move of
 * several VMAs (6.17+; before, EFAULT after the destination's unmap).
 *
 *   0       3       6       9          6.18: |0              9|
 *   |L faulted, r |M rw->r |R r  |      6.12: |0      6|R      9|
 */
static void test_vma_rules_by_version(void **state)
{
	static const char *const kernels[] = { "6.18", "7.3", "6.12", "6.1" };

	(void)state;
	for (int i = 0; i < 4; i++) {
		bool old = i >= 2;
		struct mmsim *sim = test_sim_cfg((struct mmsim_config){ .kernel = kernels[i] });
		int pid = new_proc(sim);
		uint8_t b = 7;

		OK(sim, mmsim_mmap_flags(sim, pid, BASE, 9 * PAGE, RW, MMSIM_MAP_NORESERVE));
		OK(sim, mmsim_mprotect(sim, pid, BASE + 6 * PAGE, 3 * PAGE, MMSIM_PROT_READ));
		OK(sim, mmsim_write(sim, pid, BASE, &b, 1));
		OK(sim, mmsim_mprotect(sim, pid, BASE, 3 * PAGE, MMSIM_PROT_READ));
		OK(sim, mmsim_mprotect(sim, pid, BASE + 3 * PAGE, 3 * PAGE, MMSIM_PROT_READ));
		assert_int_equal(vma_at(sim, pid, BASE)->vm_end, BASE + (old ? 6 : 9) * PAGE);

		/* Two VMAs: a move-only mremap of both, into a mapped destination. */
		OK(sim, mmsim_mmap(sim, pid, BASE + 16 * PAGE, 9 * PAGE, RW));
		assert_int_equal(mmsim_mremap(sim, pid, BASE, 9 * PAGE, BASE + 16 * PAGE),
				 old ? -EFAULT : 0);
		assert_int_equal(vma_at(sim, pid, BASE) != NULL, old);
		assert_null(old ? vma_at(sim, pid, BASE + 16 * PAGE) : NULL);
		OK(sim, mmsim_munmap(sim, pid, BASE, 32 * PAGE));

		if (!strcmp(kernels[i], "6.1")) {	/* no PR_SET_MEMORY_MERGE */
			mmsim_destroy(sim);
			continue;
		}
		OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
		OK(sim, mmsim_prctl_set_memory_merge(sim, pid, true));
		OK(sim, mmsim_mmap(sim, pid, BASE + PAGE, PAGE, RW));
		assert_int_equal(vma_at(sim, pid, BASE)->vm_end, BASE + (old ? 1 : 2) * PAGE);
		assert_true(vma_at(sim, pid, BASE + PAGE)->vm_flags & VM_MERGEABLE);
		OK(sim, mmsim_prctl_set_memory_merge(sim, pid, false));
		OK(sim, mmsim_verify(sim));
		mmsim_destroy(sim);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_vma),
		cmocka_unit_test(test_split_vma_splits_straddling_pmd),
		cmocka_unit_test(test_merge_new_range_anon_rules),
		cmocka_unit_test(test_modify_flags_split_merge),
		cmocka_unit_test(test_vma_rules_by_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
