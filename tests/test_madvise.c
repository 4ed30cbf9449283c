// SPDX-License-Identifier: MIT
/*
 * madvise(2) (lib/madvise.c) against mm/madvise.c of 6.18. "live" facts
 * were observed on the 6.18.44 kernel (/proc/self/smaps VmFlags: "hg" is
 * VM_HUGEPAGE, "nh" VM_NOHUGEPAGE); G3/G4 are experiments in the kernel
 * facts notes. Offsets in the pictures are pages from BASE.
 */
#include <errno.h>

#include "test_util.h"

#include "huge_memory.h"
#include "vma.h"

#include "test_vma_util.h"

/*
 * A hole inside the range: every mapped part is advised, then -ENOMEM.
 * live: [0,2) RW, [2,4) R, hole, [6,10) RW; MADV_HUGEPAGE [2,8) = -ENOMEM
 * and VmFlags show "hg" on [2,4) and [6,8) only.
 *
 *   0  2  4     6      10       0  2  4     6  8  10
 *   |RW|R |     |RW     |  ->   |RW|Rh|     |RWh|RW|
 */
static void test_madvise_hole_applies_and_enomem(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 2 * PAGE, 2 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mmap(sim, pid, BASE + 6 * PAGE, 4 * PAGE, RW));
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 2 * PAGE, 6 * PAGE, MMSIM_MADV_HUGEPAGE), -ENOMEM);
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW },
		     { 2 * PAGE, 4 * PAGE, PGOFF(2 * PAGE), F_R | VM_HUGEPAGE },
		     { 6 * PAGE, 8 * PAGE, PGOFF(6 * PAGE), F_RW | VM_HUGEPAGE },
		     { 8 * PAGE, 10 * PAGE, PGOFF(8 * PAGE), F_RW });
	/* A hole at the start is skipped the same way. */
	OK(sim, mmsim_fill(sim, pid, BASE + 8 * PAGE, 2 * PAGE, 1));
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 4 * PAGE, 6 * PAGE, MMSIM_MADV_DONTNEED), -ENOMEM);
	assert_false(present(sim, pid, BASE + 8 * PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 0);
	/* Nothing mapped at all: -ENOMEM. */
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 20 * PAGE, PAGE, MMSIM_MADV_HUGEPAGE), -ENOMEM);
	mmsim_destroy(sim);
}

/*
 * MADV_POPULATE_READ/WRITE (madv_populate.c's test_holes and test_prot_read),
 * live on 6.18: a hole is ENOMEM wherever it lies, a write populate of a
 * PROT_READ VMA and either of a PROT_NONE one EINVAL; a read populate maps
 * the zero page, a write one an exclusive page. The pages before a hole stay
 * populated (Linux 6.18.44: selftest-madv-populate-holes.mms).
 */
static void test_madvise_populate(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 8 * PAGE, RW));
	OK(sim, mmsim_munmap(sim, pid, BASE + PAGE, PAGE));
	assert_int_equal(mmsim_madvise(sim, pid, BASE, 4 * PAGE, MMSIM_MADV_POPULATE_READ), -ENOMEM);
	assert_int_equal(mmsim_madvise(sim, pid, BASE, 2 * PAGE, MMSIM_MADV_POPULATE_WRITE), -ENOMEM);
	assert_int_equal(mmsim_madvise(sim, pid, BASE + PAGE, PAGE, MMSIM_MADV_POPULATE_WRITE), -ENOMEM);
	assert_true(present(sim, pid, BASE));
	assert_int_equal(smaps_of(sim, pid).rss, PAGE / 1024);	/* written by the write populate */
	OK(sim, mmsim_mmap(sim, pid, BASE + 16 * PAGE, 2 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mmap(sim, pid, BASE + 20 * PAGE, 2 * PAGE, MMSIM_PROT_NONE));
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 16 * PAGE, 2 * PAGE, MMSIM_MADV_POPULATE_WRITE), -EINVAL);
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 20 * PAGE, 2 * PAGE, MMSIM_MADV_POPULATE_READ), -EINVAL);
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 20 * PAGE, 2 * PAGE, MMSIM_MADV_POPULATE_WRITE), -EINVAL);
	assert_false(present(sim, pid, BASE + 16 * PAGE));
	OK(sim, mmsim_madvise(sim, pid, BASE + 16 * PAGE, 2 * PAGE, MMSIM_MADV_POPULATE_READ));
	assert_true(present(sim, pid, BASE + 17 * PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, PAGE / 1024);	/* the zero page adds none */
	OK(sim, mmsim_madvise(sim, pid, BASE + 2 * PAGE, 6 * PAGE, MMSIM_MADV_POPULATE_WRITE));
	assert_true(present(sim, pid, BASE + 7 * PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 7 * PAGE / 1024);
	mmsim_destroy(sim);
}

/*
 * MADV_DONTFORK / MADV_DOFORK (cow.c's partially shared THP): the middle
 * of a VMA gets VM_DONTCOPY, fork leaves it out of the child, and DOFORK
 * merges the VMA back.
 */
static void test_madvise_dontfork(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim), child;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 4 * PAGE, 1));
	OK(sim, mmsim_madvise(sim, pid, BASE + PAGE, 2 * PAGE, MMSIM_MADV_DONTFORK));
	CHECK_LAYOUT(sim, pid, { 0, PAGE, PGOFF(0), F_RW },
		     { PAGE, 3 * PAGE, PGOFF(PAGE), F_RW },
		     { 3 * PAGE, 4 * PAGE, PGOFF(3 * PAGE), F_RW });
	assert_true(vma_at(sim, pid, BASE + PAGE)->vm_flags & VM_DONTCOPY);
	assert_false(vma_at(sim, pid, BASE)->vm_flags & VM_DONTCOPY);
	OK(sim, mmsim_fork(sim, pid, &child));
	assert_true(present(sim, child, BASE));
	assert_false(present(sim, child, BASE + PAGE));
	assert_true(present(sim, child, BASE + 3 * PAGE));
	OK(sim, mmsim_madvise(sim, pid, BASE + PAGE, 2 * PAGE, MMSIM_MADV_DOFORK));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW });
	mmsim_destroy(sim);
}

/* Arguments, live on 6.18: len 0 -> 0, unaligned start -> EINVAL, len -1 -> EINVAL. */
static void test_madvise_args(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	assert_int_equal(mmsim_madvise(sim, pid, BASE, 0, MMSIM_MADV_DONTNEED), 0);
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 8 * PAGE, 0, MMSIM_MADV_DONTNEED), 0);
	assert_int_equal(mmsim_madvise(sim, pid, BASE + 1, PAGE, MMSIM_MADV_DONTNEED), -EINVAL);
	assert_int_equal(mmsim_madvise(sim, pid, BASE, ~0UL, MMSIM_MADV_DONTNEED), -EINVAL);
	assert_int_equal(mmsim_madvise(sim, pid, BASE, PAGE, (enum mmsim_advice)99), -EINVAL);
	/* An unaligned length rounds up. */
	OK(sim, mmsim_madvise(sim, pid, BASE, PAGE + 1, MMSIM_MADV_NOHUGEPAGE));
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW | VM_NOHUGEPAGE },
		     { 2 * PAGE, 4 * PAGE, PGOFF(2 * PAGE), F_RW });
	mmsim_destroy(sim);
}

/*
 * MADV_HUGEPAGE / NOHUGEPAGE are VMA flag changes: split, then merge back
 * when the flags match again; the same advice twice changes nothing.
 *
 *   0          16      0  4  8    16      0  4  8    16      0          16
 *   |   RW      |  ->  |  |hg|     |  ->  |  |nh|     |  ->  |   RW nh   |
 *                 HUGEPAGE [4,8)  NOHUGEPAGE [4,8)   NOHUGEPAGE [0,16)
 */
static void test_madvise_hugepage_split_merge(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct vm_area_struct *mid;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 16 * PAGE, RW));
	OK(sim, mmsim_madvise(sim, pid, BASE + 4 * PAGE, 4 * PAGE, MMSIM_MADV_HUGEPAGE));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 4 * PAGE, 8 * PAGE, PGOFF(4 * PAGE), F_RW | VM_HUGEPAGE },
		     { 8 * PAGE, 16 * PAGE, PGOFF(8 * PAGE), F_RW });
	mid = vma_at(sim, pid, BASE + 4 * PAGE);
	OK(sim, mmsim_madvise(sim, pid, BASE + 5 * PAGE, PAGE, MMSIM_MADV_HUGEPAGE));
	assert_ptr_equal(vma_at(sim, pid, BASE + 5 * PAGE), mid);	/* unchanged: no split */
	OK(sim, mmsim_madvise(sim, pid, BASE + 4 * PAGE, 4 * PAGE, MMSIM_MADV_NOHUGEPAGE));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 4 * PAGE, 8 * PAGE, PGOFF(4 * PAGE), F_RW | VM_NOHUGEPAGE },
		     { 8 * PAGE, 16 * PAGE, PGOFF(8 * PAGE), F_RW });
	/* Advising the whole range the same way makes one VMA again. */
	OK(sim, mmsim_madvise(sim, pid, BASE, 16 * PAGE, MMSIM_MADV_NOHUGEPAGE));
	CHECK_LAYOUT(sim, pid, { 0, 16 * PAGE, PGOFF(0), F_RW | VM_NOHUGEPAGE });
	OK(sim, mmsim_madvise(sim, pid, BASE, 16 * PAGE, MMSIM_MADV_HUGEPAGE));
	CHECK_LAYOUT(sim, pid, { 0, 16 * PAGE, PGOFF(0), F_RW | VM_HUGEPAGE });
	/* MERGEABLE registers the mm with KSM and splits like the others. */
	OK(sim, mmsim_madvise(sim, pid, BASE, 2 * PAGE, MMSIM_MADV_MERGEABLE));
	assert_true(mm_of(sim, pid)->flags & MMF_VM_MERGEABLE);
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW | VM_HUGEPAGE | VM_MERGEABLE },
		     { 2 * PAGE, 16 * PAGE, PGOFF(2 * PAGE), F_RW | VM_HUGEPAGE });
	OK(sim, mmsim_madvise(sim, pid, BASE, 2 * PAGE, MMSIM_MADV_UNMERGEABLE));
	CHECK_LAYOUT(sim, pid, { 0, 16 * PAGE, PGOFF(0), F_RW | VM_HUGEPAGE });
	mmsim_destroy(sim);
}

/* MADV_HUGEPAGE does not touch existing pages, and a later fault uses THP. */
static void test_madvise_hugepage_enables_thp(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_MADVISE));
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_INHERIT));
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	assert_int_equal(order_at(sim, pid, BASE), 0);
	OK(sim, mmsim_madvise(sim, pid, BASE, 2 * SZ_2M, MMSIM_MADV_HUGEPAGE));
	assert_int_equal(order_at(sim, pid, BASE), 0);
	OK(sim, mmsim_fill(sim, pid, BASE + SZ_2M, PAGE, 1));
	assert_int_equal(order_at(sim, pid, BASE + SZ_2M), 9);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 2048);
	mmsim_destroy(sim);
}

/*
 * Experiment G3: 64K mTHP, MADV_DONTNEED of pages 4..5. Those two are not
 * present; the other 14 keep their frames with kpagecount 1, still order
 * 4; the dropped frames have kpagecount 0; Rss 56; the folio is queued for
 * deferred split (thp_deferred_split_page +1). A re-write of page 4 gets a
 * new order-0 page (the block is not all none), Rss 60.
 */
static void test_madvise_dontneed_part_of_mthp(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long head;
	uint64_t count;
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	assert_int_equal(order_at(sim, pid, BASE), 4);
	head = pfn_of(sim, pid, BASE);
	assert_int_equal(stats(sim).nr_deferred_split, 0);
	OK(sim, mmsim_madvise(sim, pid, BASE + 4 * PAGE, 2 * PAGE, MMSIM_MADV_DONTNEED));
	for (unsigned long i = 0; i < 16; i++) {
		unsigned long a = BASE + i * PAGE;

		if (i == 4 || i == 5) {
			assert_false(present(sim, pid, a));
			OK(sim, mmsim_kpagecount(sim, head + i, &count));
			assert_int_equal(count, 0);
			continue;
		}
		assert_int_equal(pfn_of(sim, pid, a), head + i);
		assert_int_equal(kpagecount_at(sim, pid, a), 1);
		assert_int_equal(order_at(sim, pid, a), 4);
	}
	assert_int_equal(smaps_of(sim, pid).rss, 56);
	assert_int_equal(smaps_of(sim, pid).pss, 56);
	assert_int_equal(stats(sim).nr_deferred_split, 1);
	folio = page_folio(pfn_to_page(sim, head));
	assert_true(folio->flags & FOLIO_partially_mapped);
	assert_int_equal(stats(sim).folio_splits, 0);
	OK(sim, mmsim_fill(sim, pid, BASE + 4 * PAGE, PAGE, 2));
	assert_int_equal(order_at(sim, pid, BASE + 4 * PAGE), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 60);
	mmsim_destroy(sim);
}

/*
 * Experiment G4: PMD THP, MADV_DONTNEED 8K at +8K. The PMD is split, pages
 * 2-3 are not present, the rest keep order 9, Rss 2040, AnonHugePages 0,
 * and the folio is marked partially mapped on the deferred split queue.
 * (A new PMD THP is already on the queue as "underused", so the queue
 * length stays 1; the flag is what changed.)
 */
static void test_madvise_dontneed_part_of_pmd_thp(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long head, splits;
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	head = pfn_of(sim, pid, BASE);
	folio = page_folio(pfn_to_page(sim, head));
	assert_false(folio->flags & FOLIO_partially_mapped);
	splits = stats(sim).pmd_splits;
	OK(sim, mmsim_madvise(sim, pid, BASE + 2 * PAGE, 2 * PAGE, MMSIM_MADV_DONTNEED));
	assert_int_equal(stats(sim).pmd_splits, splits + 1);
	assert_false(present(sim, pid, BASE + 2 * PAGE));
	assert_false(present(sim, pid, BASE + 3 * PAGE));
	assert_int_equal(pfn_of(sim, pid, BASE + 4 * PAGE), head + 4);
	assert_int_equal(order_at(sim, pid, BASE + 511 * PAGE), 9);
	assert_int_equal(kpagecount_at(sim, pid, BASE + 511 * PAGE), 1);
	assert_int_equal(smaps_of(sim, pid).rss, 2040);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	assert_true(folio->flags & FOLIO_partially_mapped);
	assert_int_equal(stats(sim).nr_deferred_split, 1);
	assert_int_equal(stats(sim).folio_splits, 0);
	/* DONTNEED of the whole 2M zaps the rest and frees the folio. */
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_DONTNEED));
	assert_int_equal(smaps_of(sim, pid).rss, 0);
	assert_int_equal(stats(sim).nr_folios, 0);
	assert_int_equal(stats(sim).nr_deferred_split, 0);
	mmsim_destroy(sim);
}

/* DONTNEED of a whole PMD-mapped THP: the PMD goes whole, no split. */
static void test_madvise_dontneed_whole_pmd(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_DONTNEED));
	assert_int_equal(stats(sim).pmd_splits, 0);
	assert_int_equal(stats(sim).nr_folios, 0);
	assert_true(pmd_none(*pmd_lookup(sim, mm_of(sim, pid), BASE)));
	/* The VMA stays; a new write faults a fresh THP in. */
	CHECK_LAYOUT(sim, pid, { 0, SZ_2M, PGOFF(0), F_RW });
	assert_int_equal(read_byte(sim, pid, BASE + 5), 0);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_madvise_hole_applies_and_enomem),
		cmocka_unit_test(test_madvise_args),
		cmocka_unit_test(test_madvise_hugepage_split_merge),
		cmocka_unit_test(test_madvise_hugepage_enables_thp),
		cmocka_unit_test(test_madvise_dontneed_part_of_mthp),
		cmocka_unit_test(test_madvise_dontneed_part_of_pmd_thp),
		cmocka_unit_test(test_madvise_dontneed_whole_pmd),
		cmocka_unit_test(test_madvise_populate),
		cmocka_unit_test(test_madvise_dontfork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
