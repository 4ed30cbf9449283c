// SPDX-License-Identifier: MIT
/*
 * mremap(2) with MREMAP_MAYMOVE | MREMAP_FIXED and an unchanged size
 * (lib/mremap.c) against mm/mremap.c of 6.18. "live" facts were observed on
 * the 6.18.44 kernel through /proc/self/maps; I1/I2 are experiments in the
 * kernel facts notes. Offsets in the pictures are pages from BASE; D is
 * BASE + 32M.
 */
#include <errno.h>

#include "test_util.h"

#include "huge_memory.h"
#include "vma.h"

#include "test_vma_util.h"

#define D (32 * SZ_1M)

/*
 * A faulted VMA keeps its vm_pgoff at the new address, so every folio's
 * index (linear_page_index at the old place) stays valid; nothing in the
 * folio changes. The source is unmapped.
 *
 *   0       8                 D       D+8
 *   |A      |        ->       |A pgoff of 0|
 */
static void test_mremap_carries_pgoff(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct folio *folio;
	unsigned long pfn;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 8 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE + 3 * PAGE, PAGE, 0x33));
	pfn = pfn_of(sim, pid, BASE + 3 * PAGE);
	folio = page_folio(pfn_to_page(sim, pfn));
	assert_int_equal(folio->index, PGOFF(3 * PAGE));
	OK(sim, mmsim_mremap(sim, pid, BASE, 8 * PAGE, BASE + D));
	CHECK_LAYOUT(sim, pid, { D, D + 8 * PAGE, PGOFF(0), F_RW });
	assert_int_equal(pfn_of(sim, pid, BASE + D + 3 * PAGE), pfn);
	assert_int_equal(folio->index, PGOFF(3 * PAGE));
	assert_int_equal(linear_page_index(vma_at(sim, pid, BASE + D), BASE + D + 3 * PAGE),
			 folio->index);
	assert_int_equal(read_byte(sim, pid, BASE + D + 3 * PAGE), 0x33);
	assert_int_equal(kpagecount_at(sim, pid, BASE + D + 3 * PAGE), 1);
	assert_true(exclusive(sim, pid, BASE + D + 3 * PAGE));
	assert_int_equal(stats(sim).nr_anon_vmas, 1);
	/* A write to the moved page reuses it: no copy. */
	OK(sim, mmsim_fill(sim, pid, BASE + D + 3 * PAGE, PAGE, 1));
	assert_int_equal(pfn_of(sim, pid, BASE + D + 3 * PAGE), pfn);
	mmsim_destroy(sim);
}

/*
 * MREMAP_DONTUNMAP (mremap_dontunmap.c, live on 6.18): the pages move with
 * their pgoff, the source VMA stays whole (not split, even for part of it)
 * and empty; when all of it moved it drops its anon_vma.
 *
 *   0   4   8            0   4   8         D   D+4
 *   |A      |     ->     |A  |   |    +    |A  |   (part: [0,8) one VMA)
 */
static void test_mremap_dontunmap(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long pfn;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 8 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 8 * PAGE, 0x61));
	pfn = pfn_of(sim, pid, BASE + 4 * PAGE);
	OK(sim, mmsim_mremap_flags(sim, pid, BASE + 4 * PAGE, 4 * PAGE, BASE + D,
				   MMSIM_MREMAP_DONTUNMAP));
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW },
		     { D, D + 4 * PAGE, PGOFF(4 * PAGE), F_RW });
	assert_int_equal(pfn_of(sim, pid, BASE + D), pfn);
	assert_false(present(sim, pid, BASE + 4 * PAGE));
	assert_true(present(sim, pid, BASE + 3 * PAGE));
	assert_non_null(vma_at(sim, pid, BASE)->anon_vma);
	/* All of a VMA: it stays, without its anon_vma. */
	OK(sim, mmsim_mremap_flags(sim, pid, BASE + D, 4 * PAGE, BASE + 2 * D,
				   MMSIM_MREMAP_DONTUNMAP));
	assert_null(vma_at(sim, pid, BASE + D)->anon_vma);
	assert_int_equal(pfn_of(sim, pid, BASE + 2 * D), pfn);
	assert_int_equal(mmsim_mremap_flags(sim, pid, BASE, PAGE, BASE + 3 * D, 2), -EINVAL);
	mmsim_destroy(sim);
}

/*
 * copy_vma(): a VMA that never faulted starts afresh with pgoff
 * new_addr >> PAGE_SHIFT, so it merges with an unfaulted neighbour there;
 * a faulted one keeps its old pgoff and does not.
 * live: unfaulted [0,4) moved to D+4 next to unfaulted [D,D+4) -> one
 * [D,D+8) VMA; the same with [0,4) faulted -> two VMAs.
 */
static void test_mremap_unfaulted_new_pgoff(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + D, 4 * PAGE, RW));
	OK(sim, mmsim_mremap(sim, pid, BASE, 4 * PAGE, BASE + D + 4 * PAGE));
	CHECK_LAYOUT(sim, pid, { D, D + 8 * PAGE, PGOFF(D), F_RW });

	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	OK(sim, mmsim_mremap(sim, pid, BASE, 4 * PAGE, BASE + D + 8 * PAGE));
	CHECK_LAYOUT(sim, pid, { D, D + 8 * PAGE, PGOFF(D), F_RW },
		     { D + 8 * PAGE, D + 12 * PAGE, PGOFF(0), F_RW });
	mmsim_destroy(sim);
}

/*
 * Moving a faulted piece away and back: back next to its original
 * neighbour its pgoff is contiguous again and the anon_vma is the same, so
 * it merges. live: [0,8) faulted, move [4,8) to D and back -> one [0,8).
 *
 *   0   4   8        0   4     D   D+4       0       8
 *   |A  |A  |   ->   |A  |     |A  |    ->   |A      |
 */
static void test_mremap_move_back_merges(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct anon_vma *av;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 8 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 8 * PAGE, 5));
	av = vma_at(sim, pid, BASE)->anon_vma;
	OK(sim, mmsim_mremap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, BASE + D));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { D, D + 4 * PAGE, PGOFF(4 * PAGE), F_RW });
	assert_ptr_equal(vma_at(sim, pid, BASE + D)->anon_vma, av);
	assert_int_equal(av->num_active_vmas, 2);
	OK(sim, mmsim_mremap(sim, pid, BASE + D, 4 * PAGE, BASE + 4 * PAGE));
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW });
	assert_int_equal(av->num_active_vmas, 1);
	assert_int_equal(smaps_of(sim, pid).rss, 32);
	mmsim_destroy(sim);
}

/*
 * Experiment I1: a PMD THP moved from 2M-aligned to 2M-aligned keeps its
 * PMD (move_huge_pmd): same frames, order 9, AnonHugePages 2048, no split.
 * The deposited table moves with it.
 */
static void test_mremap_thp_aligned_keeps_pmd(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long head, dst = BASE + 32 * SZ_2M;
	struct mm_struct *mm;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	head = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_mremap(sim, pid, BASE, SZ_2M, dst));
	mm = mm_of(sim, pid);
	assert_true(pmd_leaf(*pmd_lookup(sim, mm, dst)));
	assert_int_equal(pfn_to_page(sim, pmd_table_pfn(sim, mm, dst))->pt.pmd_huge_pte != 0, 1);
	assert_int_equal(pfn_of(sim, pid, dst), head);
	assert_int_equal(pfn_of(sim, pid, dst + 511 * PAGE), head + 511);
	assert_int_equal(order_at(sim, pid, dst), 9);
	assert_int_equal(kpagecount_at(sim, pid, dst + 7 * PAGE), 1);
	assert_true(exclusive(sim, pid, dst));
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 2048);
	assert_int_equal(smaps_of(sim, pid).rss, 2048);
	assert_int_equal(stats(sim).pmd_splits, 0);
	mmsim_destroy(sim);
}

/*
 * Experiment I2: to 4K above a 2M boundary the PMD is split and the PTEs
 * moved: same frames, still order 9, all PTE-mapped, kpagecount 1, excl 1,
 * AnonHugePages 0, thp_split_pmd +1, no folio split, no deferred split.
 * A write afterwards reuses the frame.
 */
static void test_mremap_thp_misaligned_splits_pmd(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long head, dst = BASE + 32 * SZ_2M + PAGE;
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	head = pfn_of(sim, pid, BASE);
	folio = page_folio(pfn_to_page(sim, head));
	OK(sim, mmsim_mremap(sim, pid, BASE, SZ_2M, dst));
	assert_int_equal(stats(sim).pmd_splits, 1);
	assert_int_equal(stats(sim).folio_splits, 0);
	for (unsigned long i = 0; i < 512; i++) {
		assert_int_equal(pfn_of(sim, pid, dst + i * PAGE), head + i);
		assert_int_equal(kpagecount_at(sim, pid, dst + i * PAGE), 1);
		assert_true(exclusive(sim, pid, dst + i * PAGE));
	}
	assert_int_equal(order_at(sim, pid, dst), 9);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	assert_int_equal(smaps_of(sim, pid).rss, 2048);
	assert_false(folio->flags & FOLIO_partially_mapped);
	assert_int_equal(folio->index, PGOFF(0));
	OK(sim, mmsim_fill(sim, pid, dst, PAGE, 2));
	assert_int_equal(pfn_of(sim, pid, dst), head);
	mmsim_destroy(sim);
}

/*
 * Errors, live on 6.18: the old range starting in a hole -> EFAULT;
 * overlapping ranges -> EINVAL; unaligned new address -> EINVAL; len 0 ->
 * EINVAL. Nothing changes.
 */
static void test_mremap_errors(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE + 2 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + D, 4 * PAGE, MMSIM_PROT_READ));
	assert_int_equal(mmsim_mremap(sim, pid, BASE, 4 * PAGE, BASE + 64 * PAGE), -EFAULT);
	assert_int_equal(mmsim_mremap(sim, pid, BASE + 10 * PAGE, PAGE, BASE + 64 * PAGE), -EFAULT);
	assert_int_equal(mmsim_mremap(sim, pid, BASE + 2 * PAGE, 4 * PAGE, BASE + 4 * PAGE), -EINVAL);
	assert_int_equal(mmsim_mremap(sim, pid, BASE + 2 * PAGE, 4 * PAGE, BASE), -EINVAL);
	assert_int_equal(mmsim_mremap(sim, pid, BASE + 2 * PAGE, 4 * PAGE, BASE + D + 1), -EINVAL);
	assert_int_equal(mmsim_mremap(sim, pid, BASE + 2 * PAGE + 1, 4 * PAGE, BASE + D), -EINVAL);
	assert_int_equal(mmsim_mremap(sim, pid, BASE + 2 * PAGE, 0, BASE + D), -EINVAL);
	CHECK_LAYOUT(sim, pid, { 2 * PAGE, 6 * PAGE, PGOFF(2 * PAGE), F_RW },
		     { D, D + 4 * PAGE, PGOFF(D), F_R });
	mmsim_destroy(sim);
}

/*
 * 6.17+ remap_move(): a move-only mremap may span several VMAs. Each piece
 * moves on its own and keeps its flags; gaps keep their size, and what was
 * mapped at the destination facing a gap stays.
 * live: [0,4) RW + [4,8) R moved to D -> [D,D+4) rw-p, [D+4,D+8) r--p.
 * live: [0,4) RW, hole, [6,8) RW moved over a R mapping [D,D+8) ->
 *       [D,D+4) rw-p, [D+4,D+6) r--p (the old one), [D+6,D+8) rw-p.
 * live: a range that runs past the last VMA moves what is there.
 *
 *   0   4  6  8          D   D+4 D+6 D+8
 *   |RW |  |RW|   over   |   R       |   ->   |RW |R |RW |
 */
static void test_mremap_multi_vma(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 0x11));
	OK(sim, mmsim_mremap(sim, pid, BASE, 8 * PAGE, BASE + D));
	CHECK_LAYOUT(sim, pid, { D, D + 4 * PAGE, PGOFF(0), F_RW },
		     { D + 4 * PAGE, D + 8 * PAGE, PGOFF(D + 4 * PAGE), F_R });
	assert_int_equal(read_byte(sim, pid, BASE + D), 0x11);
	OK(sim, mmsim_munmap(sim, pid, BASE, 64 * SZ_1M));

	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 6 * PAGE, 2 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	OK(sim, mmsim_fill(sim, pid, BASE + 6 * PAGE, PAGE, 2));
	OK(sim, mmsim_mmap(sim, pid, BASE + D, 8 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mremap(sim, pid, BASE, 8 * PAGE, BASE + D));
	CHECK_LAYOUT(sim, pid, { D, D + 4 * PAGE, PGOFF(0), F_RW },
		     { D + 4 * PAGE, D + 6 * PAGE, PGOFF(D + 4 * PAGE), F_R },
		     { D + 6 * PAGE, D + 8 * PAGE, PGOFF(6 * PAGE), F_RW });
	assert_int_equal(read_byte(sim, pid, BASE + D), 1);
	assert_int_equal(read_byte(sim, pid, BASE + D + 6 * PAGE), 2);
	OK(sim, mmsim_munmap(sim, pid, BASE, 64 * SZ_1M));

	OK(sim, mmsim_mmap(sim, pid, BASE + 2 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_mremap(sim, pid, BASE + 2 * PAGE, 8 * PAGE, BASE + D));
	CHECK_LAYOUT(sim, pid, { D, D + 4 * PAGE, PGOFF(D), F_RW });
	mmsim_destroy(sim);
}

/* MREMAP_FIXED unmaps what was at the destination: its pages are freed. */
static void test_mremap_replaces_destination(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long src_pfn, folios;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + D, 8 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 4 * PAGE, 0xaa));
	OK(sim, mmsim_fill(sim, pid, BASE + D, 8 * PAGE, 0xbb));
	src_pfn = pfn_of(sim, pid, BASE);
	folios = stats(sim).nr_folios;
	assert_int_equal(folios, 12);
	OK(sim, mmsim_mremap(sim, pid, BASE, 4 * PAGE, BASE + D + 2 * PAGE));
	/*
	 *   D  D+2     D+6  D+8
	 *   |bb|aa(moved)|bb |
	 */
	CHECK_LAYOUT(sim, pid, { D, D + 2 * PAGE, PGOFF(D), F_RW },
		     { D + 2 * PAGE, D + 6 * PAGE, PGOFF(0), F_RW },
		     { D + 6 * PAGE, D + 8 * PAGE, PGOFF(D + 6 * PAGE), F_RW });
	assert_int_equal(stats(sim).nr_folios, 8);
	assert_int_equal(pfn_of(sim, pid, BASE + D + 2 * PAGE), src_pfn);
	assert_int_equal(read_byte(sim, pid, BASE + D + 2 * PAGE), 0xaa);
	assert_int_equal(read_byte(sim, pid, BASE + D + PAGE), 0xbb);
	assert_int_equal(read_byte(sim, pid, BASE + D + 7 * PAGE), 0xbb);
	assert_int_equal(smaps_of(sim, pid).rss, 32);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mremap_carries_pgoff),
		cmocka_unit_test(test_mremap_unfaulted_new_pgoff),
		cmocka_unit_test(test_mremap_move_back_merges),
		cmocka_unit_test(test_mremap_thp_aligned_keeps_pmd),
		cmocka_unit_test(test_mremap_thp_misaligned_splits_pmd),
		cmocka_unit_test(test_mremap_errors),
		cmocka_unit_test(test_mremap_multi_vma),
		cmocka_unit_test(test_mremap_replaces_destination),
		cmocka_unit_test(test_mremap_dontunmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
