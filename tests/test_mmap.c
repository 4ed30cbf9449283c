// SPDX-License-Identifier: MIT
/*
 * mmap and munmap of private anonymous memory (lib/mmap.c, lib/vma.c)
 * against mm/mmap.c and mm/vma.c of 6.18. Facts marked "live" were observed
 * on the 6.18.44 kernel with /proc/self/{maps,smaps} (probe in the test
 * comment); offsets in the pictures are pages from BASE.
 */
#include <errno.h>

#include "test_util.h"

#include "internal.h"
#include "vma.h"

#include "test_vma_util.h"

/*
 * Adjacent compatible mmaps merge (vma_merge_new_range): anonymous vm_pgoff
 * is addr >> PAGE_SHIFT, so neighbours are always pgoff-contiguous. A
 * read-only one differs in VM_WRITE and VM_ACCOUNT and stays apart.
 * live: mmap [0,4) RW, [4,8) RW, [8,12) R -> maps shows [0,8) rw-p and
 * [8,12) r--p (VmFlags "ac" only on the first).
 *
 *   0   4   8   12        0       8   12
 *   |RW |RW |R  |   ->    |  RW   |R  |
 */
static void test_mmap_merges_with_prev(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 8 * PAGE, 4 * PAGE, MMSIM_PROT_READ));
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW }, { 8 * PAGE, 12 * PAGE, PGOFF(8 * PAGE), F_R });
	assert_int_equal(stats(sim).nr_vmas, 2);
	mmsim_destroy(sim);
}

/*
 * A new range below an existing VMA: the next VMA grows down and takes the
 * new range's pgoff; filling the hole between two merges all three.
 *
 *        4   8       12  16        0               16
 *        |RW |  hole  |RW |   ->   |      RW       |
 *   +[0,4)            +[8,12)
 */
static void test_mmap_merges_with_next_and_both(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW });
	OK(sim, mmsim_mmap(sim, pid, BASE + 12 * PAGE, 4 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW },
		     { 12 * PAGE, 16 * PAGE, PGOFF(12 * PAGE), F_RW });
	OK(sim, mmsim_mmap(sim, pid, BASE + 8 * PAGE, 4 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 16 * PAGE, PGOFF(0), F_RW });
	assert_int_equal(stats(sim).nr_vmas, 1);
	mmsim_destroy(sim);
}

/*
 * Merging with faulted neighbours (is_mergeable_anon_vma, 6.16+): a new
 * range has no anon_vma, so it joins a neighbour whose chain is singular,
 * and takes that anon_vma. Between two VMAs with different anon_vmas only
 * the left merge happens (can_vma_merge_right() refuses two anon_vmas).
 *
 *   0   4   8   12       0       8   12
 *   |A  |new|B  |   ->   |  A    |B  |
 */
static void test_mmap_merge_faulted_neighbours(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct anon_vma *a, *b;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 8 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	OK(sim, mmsim_fill(sim, pid, BASE + 8 * PAGE, PAGE, 2));
	a = vma_at(sim, pid, BASE)->anon_vma;
	b = vma_at(sim, pid, BASE + 8 * PAGE)->anon_vma;
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW },
		     { 8 * PAGE, 12 * PAGE, PGOFF(8 * PAGE), F_RW });
	assert_ptr_equal(vma_at(sim, pid, BASE + 4 * PAGE)->anon_vma, a);
	assert_int_equal(a->num_active_vmas, 1);
	/* A write in the grown part uses the same anon_vma and linear index. */
	OK(sim, mmsim_fill(sim, pid, BASE + 5 * PAGE, PAGE, 3));
	assert_int_equal(stats(sim).nr_anon_vmas, 2);
	mmsim_destroy(sim);
}

/*
 * A forked child's faulted VMA has two anon_vmas in its chain
 * (vma_had_uncowed_parents): a new range next to it does not merge.
 */
static void test_mmap_no_merge_with_fork_child(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 1));
	c = do_fork(sim, p);
	OK(sim, mmsim_mmap(sim, c, BASE + 4 * PAGE, 4 * PAGE, RW));
	CHECK_LAYOUT(sim, c, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 4 * PAGE, 8 * PAGE, PGOFF(4 * PAGE), F_RW });
	/* The parent's chain is singular: the same mmap merges there. */
	OK(sim, mmsim_mmap(sim, p, BASE + 4 * PAGE, 4 * PAGE, RW));
	CHECK_LAYOUT(sim, p, { 0, 8 * PAGE, PGOFF(0), F_RW });
	mmsim_destroy(sim);
}

/* MAP_FIXED_NOREPLACE: any overlap is -EEXIST and changes nothing. */
static void test_mmap_noreplace_eexist(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE + 4 * PAGE, PAGE, 7));
	assert_int_equal(mmsim_mmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW), -EEXIST);
	assert_int_equal(mmsim_mmap(sim, pid, BASE, 5 * PAGE, RW), -EEXIST);
	assert_int_equal(mmsim_mmap(sim, pid, BASE + 7 * PAGE, 4 * PAGE, RW), -EEXIST);
	assert_int_equal(mmsim_mmap(sim, pid, BASE + 5 * PAGE, PAGE, MMSIM_PROT_READ), -EEXIST);
	assert_int_equal(mmsim_mmap(sim, pid, BASE, 16 * PAGE, RW), -EEXIST);
	CHECK_LAYOUT(sim, pid, { 4 * PAGE, 8 * PAGE, PGOFF(4 * PAGE), F_RW });
	assert_int_equal(read_byte(sim, pid, BASE + 4 * PAGE), 7);
	mmsim_destroy(sim);
}

/*
 * Argument checks of do_mmap(), live on 6.18: len 0 -> EINVAL, unaligned
 * addr -> EINVAL, len 4097 maps two pages (rounded up, not refused), a range
 * past TASK_SIZE -> ENOMEM (get_unmapped_area), unknown prot -> EINVAL here.
 */
static void test_mmap_bad_args(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	assert_int_equal(mmsim_mmap(sim, pid, BASE, 0, RW), -EINVAL);
	assert_int_equal(mmsim_mmap(sim, pid, BASE + 1, PAGE, RW), -EINVAL);
	assert_int_equal(mmsim_mmap(sim, pid, BASE, PAGE, 0x4), -EINVAL);
	assert_int_equal(mmsim_mmap(sim, pid, TASK_SIZE - PAGE, 2 * PAGE, RW), -ENOMEM);
	assert_int_equal(mmsim_mmap(sim, pid, BASE, ~0UL, RW), -ENOMEM);
	assert_int_equal(mmsim_mmap(sim, 999, BASE, PAGE, RW), -ESRCH);
	assert_null(vma_first(mm_of(sim, pid)));
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE + 1, RW));
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW });
	/* PROT_NONE and PROT_READ mappings carry no VM_ACCOUNT. */
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, PAGE, MMSIM_PROT_NONE));
	assert_int_equal(vma_at(sim, pid, BASE + 4 * PAGE)->vm_flags & (VM_ACCESS_FLAGS | VM_ACCOUNT), 0);
	mmsim_destroy(sim);
}

/*
 * munmap in the middle splits the VMA in two; the upper part keeps the
 * pgoff of its first page, both keep the anon_vma (split clones the chain).
 *
 *   0               16        0   4   8       16
 *   |   A (faulted)  |   ->   |A  |   |A      |
 *                                 pgoff +8
 */
static void test_munmap_middle_splits(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct anon_vma *av;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 16 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 16 * PAGE, 9));
	av = vma_at(sim, pid, BASE)->anon_vma;
	assert_int_equal(smaps_of(sim, pid).rss, 64);
	OK(sim, mmsim_munmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 8 * PAGE, 16 * PAGE, PGOFF(8 * PAGE), F_RW });
	assert_ptr_equal(vma_at(sim, pid, BASE)->anon_vma, av);
	assert_ptr_equal(vma_at(sim, pid, BASE + 8 * PAGE)->anon_vma, av);
	assert_int_equal(av->num_active_vmas, 2);
	assert_int_equal(smaps_of(sim, pid).rss, 48);
	assert_false(present(sim, pid, BASE + 4 * PAGE));
	assert_int_equal(read_byte(sim, pid, BASE + 8 * PAGE), 9);
	assert_int_equal(mmsim_read(sim, pid, BASE + 5 * PAGE, &(char){0}, 1), -EFAULT);
	mmsim_destroy(sim);
}

/*
 * munmap arguments (do_vmi_munmap), live on 6.18: len 0 -> EINVAL,
 * unaligned start -> EINVAL, unaligned len is rounded up, a hole is 0.
 * A range over several VMAs and holes trims the edge VMAs.
 *
 *   0   4   6      12  14        0  2       11 12  14
 *   |A  |   |B      |C  |   ->    |A |       |B |C  |
 *   munmap [2, 11)
 */
static void test_munmap_args_and_spans(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 6 * PAGE, 6 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mmap(sim, pid, BASE + 12 * PAGE, 2 * PAGE, RW));
	assert_int_equal(mmsim_munmap(sim, pid, BASE, 0), -EINVAL);
	assert_int_equal(mmsim_munmap(sim, pid, BASE + 1, PAGE), -EINVAL);
	assert_int_equal(mmsim_munmap(sim, pid, TASK_SIZE + PAGE, PAGE), -EINVAL);
	OK(sim, mmsim_munmap(sim, pid, BASE + 20 * PAGE, PAGE));	/* nothing there */
	OK(sim, mmsim_munmap(sim, pid, BASE + 2 * PAGE, 9 * PAGE - 100));	/* -> [2, 11) */
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW },
		     { 11 * PAGE, 12 * PAGE, PGOFF(11 * PAGE), F_R },
		     { 12 * PAGE, 14 * PAGE, PGOFF(12 * PAGE), F_RW });
	OK(sim, mmsim_munmap(sim, pid, BASE, 64 * PAGE));
	assert_null(vma_first(mm_of(sim, pid)));
	assert_int_equal(stats(sim).nr_vmas, 0);
	mmsim_destroy(sim);
}

/* munmap of shared (forked) pages drops only this mm's mappings. */
static void test_munmap_after_fork(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	unsigned long pfn;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, p, BASE, 4 * PAGE, 1));
	c = do_fork(sim, p);
	pfn = pfn_of(sim, p, BASE);
	assert_int_equal(kpagecount_at(sim, c, BASE), 2);
	OK(sim, mmsim_munmap(sim, c, BASE, 4 * PAGE));
	assert_int_equal(kpagecount_at(sim, p, BASE), 1);
	assert_int_equal(pfn_of(sim, p, BASE), pfn);
	/* H: the parent's page now shows exclusive from the precise mapcount. */
	assert_true(exclusive(sim, p, BASE));
	assert_int_equal(stats(sim).nr_anon_vmas, 1);	/* the child's own anon_vma went */
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mmap_merges_with_prev),
		cmocka_unit_test(test_mmap_merges_with_next_and_both),
		cmocka_unit_test(test_mmap_merge_faulted_neighbours),
		cmocka_unit_test(test_mmap_no_merge_with_fork_child),
		cmocka_unit_test(test_mmap_noreplace_eexist),
		cmocka_unit_test(test_mmap_bad_args),
		cmocka_unit_test(test_munmap_middle_splits),
		cmocka_unit_test(test_munmap_args_and_spans),
		cmocka_unit_test(test_munmap_after_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
