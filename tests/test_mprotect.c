// SPDX-License-Identifier: MIT
/*
 * mprotect(2) (lib/mprotect.c) against mm/mprotect.c of 6.18:
 * do_mprotect_pkey() + mprotect_fixup() + vma_modify_flags(). "live" facts
 * were observed on the 6.18.44 kernel through /proc/self/smaps (VmFlags
 * "ac" is VM_ACCOUNT); offsets in the pictures are pages from BASE.
 */
#include <errno.h>

#include "test_util.h"

#include "huge_memory.h"
#include "vma.h"

#include "test_vma_util.h"

static bool pte_writable(struct mmsim *sim, int pid, unsigned long addr)
{
	pte_t *pte = pte_lookup(sim, mm_of(sim, pid), addr);

	assert_non_null(pte);
	return pte_write(*pte);
}

/*
 * Split and re-merge, faulted: the read-only middle keeps VM_ACCOUNT (it
 * has an anon_vma), so restoring RW merges the three back into one.
 * live: [0,8) RW + fault, [4,8) -> R gives rw-p "ac" | r--p "ac";
 * back to RW gives one [0,8) rw-p.
 *
 *   0       8  16        0  4  8   16       0          16
 *   |  RW      |    ->   |RW|R |RW |   ->   |   RW     |
 */
static void test_mprotect_split_and_remerge(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct anon_vma *av;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 16 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 16 * PAGE, 1));
	av = vma_at(sim, pid, BASE)->anon_vma;
	OK(sim, mmsim_mprotect(sim, pid, BASE + 4 * PAGE, 4 * PAGE, MMSIM_PROT_READ));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 4 * PAGE, 8 * PAGE, PGOFF(4 * PAGE), F_R | VM_ACCOUNT },
		     { 8 * PAGE, 16 * PAGE, PGOFF(8 * PAGE), F_RW });
	assert_int_equal(av->num_active_vmas, 3);
	assert_false(pte_writable(sim, pid, BASE + 4 * PAGE));
	assert_true(pte_writable(sim, pid, BASE + 3 * PAGE));
	assert_int_equal(mmsim_fill(sim, pid, BASE + 5 * PAGE, 1, 2), -EFAULT);

	OK(sim, mmsim_mprotect(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 16 * PAGE, PGOFF(0), F_RW });
	assert_int_equal(av->num_active_vmas, 1);
	/*
	 * can_change_pte_writable(): exclusive anon pages get write back at
	 * once, so the next write does not fault.
	 */
	assert_true(pte_writable(sim, pid, BASE + 5 * PAGE));
	unsigned long faults = stats(sim).faults;
	OK(sim, mmsim_fill(sim, pid, BASE + 5 * PAGE, PAGE, 3));
	assert_int_equal(stats(sim).faults, faults);
	mmsim_destroy(sim);
}

/*
 * Unfaulted: mprotect_fixup() drops VM_ACCOUNT from an anonymous VMA without
 * anon_vma that loses write, so it merges with a read-only neighbour.
 * live: [0,8) RW unfaulted + [8,12) R; mprotect [4,8) R -> [0,4) rw-p "ac",
 * [4,12) r--p without "ac".
 *
 *   0   4   8   12       0   4       12
 *   |RW     |R  |   ->   |RW |R      |
 */
static void test_mprotect_unfaulted_drops_account(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 8 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 8 * PAGE, 4 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mprotect(sim, pid, BASE + 4 * PAGE, 4 * PAGE, MMSIM_PROT_READ));
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW },
		     { 4 * PAGE, 12 * PAGE, PGOFF(4 * PAGE), F_R });
	/* Becoming writable again charges it again. */
	OK(sim, mmsim_mprotect(sim, pid, BASE + 4 * PAGE, 8 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 12 * PAGE, PGOFF(0), F_RW });
	mmsim_destroy(sim);
}

/*
 * A range over two VMAs of which the second already has the new flags:
 * the first one changes and merges into the second; no error.
 * live: [0,4) R + [4,8) RW, mprotect [0,8) RW -> one [0,8) rw-p, returns 0.
 */
static void test_mprotect_merge_into_next(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW));
	OK(sim, mmsim_mprotect(sim, pid, BASE, 8 * PAGE, RW));
	CHECK_LAYOUT(sim, pid, { 0, 8 * PAGE, PGOFF(0), F_RW });
	mmsim_destroy(sim);
}

/*
 * A hole in the range: the part before it is changed, then -ENOMEM.
 * live: [0,4) RW, [6,10) RW; mprotect [2,8) R = -ENOMEM and maps shows
 * [0,2) rw-p, [2,4) r--p, [6,10) rw-p. A range that runs past the last
 * VMA is the same: [8,12) over [6,10) changes [8,10) and fails.
 *
 *   0   2   4   6       10         0  2  4   6   8  10
 *   |RW     |   |RW      |   ->    |RW|R |   |RW |R |
 */
static void test_mprotect_hole_enomem_partial(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 6 * PAGE, 4 * PAGE, RW));
	assert_int_equal(mmsim_mprotect(sim, pid, BASE + 2 * PAGE, 6 * PAGE, MMSIM_PROT_READ), -ENOMEM);
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW },
		     { 2 * PAGE, 4 * PAGE, PGOFF(2 * PAGE), F_R },
		     { 6 * PAGE, 10 * PAGE, PGOFF(6 * PAGE), F_RW });
	/* Nothing mapped at start: -ENOMEM, nothing changed. */
	assert_int_equal(mmsim_mprotect(sim, pid, BASE + 12 * PAGE, 2 * PAGE, MMSIM_PROT_READ), -ENOMEM);
	assert_int_equal(mmsim_mprotect(sim, pid, BASE + 4 * PAGE, 4 * PAGE, MMSIM_PROT_READ), -ENOMEM);
	assert_int_equal(mm_of(sim, pid)->map_count, 3);
	assert_int_equal(mmsim_mprotect(sim, pid, BASE + 8 * PAGE, 4 * PAGE, MMSIM_PROT_READ), -ENOMEM);
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_RW },
		     { 2 * PAGE, 4 * PAGE, PGOFF(2 * PAGE), F_R },
		     { 6 * PAGE, 8 * PAGE, PGOFF(6 * PAGE), F_RW },
		     { 8 * PAGE, 10 * PAGE, PGOFF(8 * PAGE), F_R });
	mmsim_destroy(sim);
}

/*
 * Unchanged flags: mprotect_fixup() returns before any split or merge, so
 * the VMA is the same object with the same bounds.
 */
static void test_mprotect_unchanged_noop(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	struct vm_area_struct *vma;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 16 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	vma = vma_at(sim, pid, BASE);
	OK(sim, mmsim_mprotect(sim, pid, BASE + 4 * PAGE, 4 * PAGE, RW));
	assert_ptr_equal(vma_at(sim, pid, BASE + 4 * PAGE), vma);
	CHECK_LAYOUT(sim, pid, { 0, 16 * PAGE, PGOFF(0), F_RW });
	/* A faulted read-only piece keeps VM_ACCOUNT; R again is unchanged too. */
	OK(sim, mmsim_mprotect(sim, pid, BASE, 16 * PAGE, MMSIM_PROT_READ));
	vma = vma_at(sim, pid, BASE);
	OK(sim, mmsim_mprotect(sim, pid, BASE + 2 * PAGE, PAGE, MMSIM_PROT_READ));
	assert_ptr_equal(vma_at(sim, pid, BASE), vma);
	CHECK_LAYOUT(sim, pid, { 0, 16 * PAGE, PGOFF(0), F_R | VM_ACCOUNT });
	mmsim_destroy(sim);
}

/*
 * Argument order of do_mprotect_pkey(), live on 6.18: unaligned start ->
 * EINVAL; len 0 -> 0 even with an invalid prot; unaligned len rounds up.
 */
static void test_mprotect_args(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	assert_int_equal(mmsim_mprotect(sim, pid, BASE + 1, PAGE, MMSIM_PROT_READ), -EINVAL);
	assert_int_equal(mmsim_mprotect(sim, pid, BASE, 0, MMSIM_PROT_READ), 0);
	assert_int_equal(mmsim_mprotect(sim, pid, BASE, 0, 0x100), 0);
	assert_int_equal(mmsim_mprotect(sim, pid, BASE, PAGE, 0x100), -EINVAL);
	assert_int_equal(mmsim_mprotect(sim, pid, BASE, ~0UL - PAGE, MMSIM_PROT_READ), -ENOMEM);
	CHECK_LAYOUT(sim, pid, { 0, 4 * PAGE, PGOFF(0), F_RW });
	OK(sim, mmsim_mprotect(sim, pid, BASE, PAGE + 1, MMSIM_PROT_READ));	/* 2 pages */
	CHECK_LAYOUT(sim, pid, { 0, 2 * PAGE, PGOFF(0), F_R },
		     { 2 * PAGE, 4 * PAGE, PGOFF(2 * PAGE), F_RW });
	mmsim_destroy(sim);
}

/*
 * After fork the pages are shared: mprotect RW gives write back only to
 * exclusive pages (can_change_pte_writable needs PageAnonExclusive); the
 * shared ones stay read-only and COW on the next write.
 */
static void test_mprotect_shared_pages_stay_readonly(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;

	(void)state;
	OK(sim, mmsim_mmap(sim, p, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, p, BASE, 2 * PAGE, 1));
	c = do_fork(sim, p);
	OK(sim, mmsim_fill(sim, p, BASE + 2 * PAGE, PAGE, 2));	/* after fork: exclusive */
	OK(sim, mmsim_mprotect(sim, p, BASE, 4 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mprotect(sim, p, BASE, 4 * PAGE, RW));
	assert_false(pte_writable(sim, p, BASE));
	assert_true(pte_writable(sim, p, BASE + 2 * PAGE));
	unsigned long copies = stats(sim).cow_copies;
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 3));
	assert_int_equal(stats(sim).cow_copies, copies + 1);
	assert_int_equal(read_byte(sim, c, BASE), 1);
	mmsim_destroy(sim);
}

/*
 * Experiment G2: mprotect PROT_READ of 4K at +1M of a PMD THP. The VMA
 * splits into 1024K / 4K / 1020K, the PMD is split (thp_split_pmd +1), the
 * folio stays order 9 with all 512 pages PTE-mapped, kpagecount 1, excl 1,
 * AnonHugePages 0; no deferred split (it is still fully mapped).
 */
static void test_mprotect_partial_pmd_thp(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long head, splits;
	struct folio *folio;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 2048);
	head = pfn_of(sim, pid, BASE);
	splits = stats(sim).pmd_splits;
	OK(sim, mmsim_mprotect(sim, pid, BASE + SZ_1M, PAGE, MMSIM_PROT_READ));
	CHECK_LAYOUT(sim, pid, { 0, SZ_1M, PGOFF(0), F_RW },
		     { SZ_1M, SZ_1M + PAGE, PGOFF(SZ_1M), F_R | VM_ACCOUNT },
		     { SZ_1M + PAGE, SZ_2M, PGOFF(SZ_1M + PAGE), F_RW });
	assert_int_equal(stats(sim).pmd_splits, splits + 1);
	assert_int_equal(stats(sim).folio_splits, 0);
	for (unsigned long i = 0; i < 512; i++) {
		unsigned long a = BASE + i * PAGE;

		assert_int_equal(pfn_of(sim, pid, a), head + i);
		assert_int_equal(kpagecount_at(sim, pid, a), 1);
		assert_true(exclusive(sim, pid, a));
		assert_int_equal(order_at(sim, pid, a), 9);
	}
	assert_true(pmd_table(*pmd_lookup(sim, mm_of(sim, pid), BASE)));
	assert_int_equal(smaps_of(sim, pid).rss, 2048);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	folio = page_folio(pfn_to_page(sim, head));
	assert_false(folio->flags & FOLIO_partially_mapped);
	assert_false(pte_writable(sim, pid, BASE + SZ_1M));
	assert_true(pte_writable(sim, pid, BASE + SZ_1M + PAGE));
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mprotect_split_and_remerge),
		cmocka_unit_test(test_mprotect_unfaulted_drops_account),
		cmocka_unit_test(test_mprotect_merge_into_next),
		cmocka_unit_test(test_mprotect_hole_enomem_partial),
		cmocka_unit_test(test_mprotect_unchanged_noop),
		cmocka_unit_test(test_mprotect_args),
		cmocka_unit_test(test_mprotect_shared_pages_stay_readonly),
		cmocka_unit_test(test_mprotect_partial_pmd_thp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
