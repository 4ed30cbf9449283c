// SPDX-License-Identifier: MIT
/*
 * Page tables (lib/pgtable.c): allocated level by level on fault
 * (__pud_alloc/__pmd_alloc/__pte_alloc), freed at munmap by
 * free_pgd_range()'s floor/ceiling rule (a table goes only when its whole
 * span lies between the previous VMA's end and the next VMA's start), a
 * PTE table deposited with every PMD leaf, and PT_RECLAIM on MADV_DONTNEED.
 * mm->nr_page_tables counts the pgd too.
 */
#include <errno.h>

#include "test_util.h"

#include "huge_memory.h"
#include "vma.h"

#include "test_vma_util.h"

static unsigned long tables(struct mmsim *sim, int pid)
{
	return mm_of(sim, pid)->nr_page_tables;
}

static bool has_pte_table(struct mmsim *sim, int pid, unsigned long addr)
{
	pmd_t *pmd = pmd_lookup(sim, mm_of(sim, pid), addr);

	return pmd && pmd_table(*pmd);
}

/* pgd at creation; PUD+PMD+PTE on the first fault; one more per level crossed. */
static void test_tables_allocated_on_fault(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);
	unsigned long far = BASE + (1UL << 39);	/* another pgd slot */

	(void)state;
	assert_int_equal(tables(sim, pid), 1);
	OK(sim, mmsim_mmap(sim, pid, BASE, 1UL << 31, RW));
	OK(sim, mmsim_mmap(sim, pid, far, SZ_2M, RW));
	assert_int_equal(tables(sim, pid), 1);		/* mmap allocates none */
	OK(sim, mmsim_read(sim, pid, BASE, &(char){0}, 1));
	assert_int_equal(tables(sim, pid), 4);		/* even the zero page needs a PTE */
	OK(sim, mmsim_fill(sim, pid, BASE + PAGE, PAGE, 1));
	assert_int_equal(tables(sim, pid), 4);
	OK(sim, mmsim_fill(sim, pid, BASE + SZ_2M, PAGE, 1));
	assert_int_equal(tables(sim, pid), 5);		/* next 2M: one PTE table */
	OK(sim, mmsim_fill(sim, pid, BASE + (1UL << 30), PAGE, 1));
	assert_int_equal(tables(sim, pid), 7);		/* next 1G: PMD + PTE */
	OK(sim, mmsim_fill(sim, pid, far, PAGE, 1));
	assert_int_equal(tables(sim, pid), 10);		/* next 512G: PUD + PMD + PTE */
	assert_int_equal(stats(sim).nr_page_tables, 10);
	OK(sim, mmsim_exit(sim, pid));
	assert_int_equal(stats(sim).nr_page_tables, 0);
	mmsim_destroy(sim);
}

/*
 * Ceiling: a VMA below another in the same 2M keeps the shared PTE table
 * when unmapped; the last one frees everything down to the pgd.
 *
 *   X        X+1M  X+1M+4K      X+2M
 *   |   A     |     |  B         |        one PTE table
 */
static void test_munmap_keeps_shared_table(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_1M + PAGE, SZ_1M - PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	assert_int_equal(tables(sim, pid), 4);
	OK(sim, mmsim_munmap(sim, pid, BASE, SZ_1M));
	assert_int_equal(tables(sim, pid), 4);		/* B's start is the ceiling */
	assert_true(has_pte_table(sim, pid, BASE));
	OK(sim, mmsim_munmap(sim, pid, BASE + SZ_1M, SZ_1M));
	assert_int_equal(tables(sim, pid), 1);		/* no VMA left: all but the pgd */
	assert_null(pmd_lookup(sim, mm_of(sim, pid), BASE));
	mmsim_destroy(sim);
}

/*
 * Floor and ceiling together: A = [X, X+4K), B = [X+8K, X+2M+4K),
 * C = [X+2M+8K, X+4M). Unmapping B frees neither the first PTE table
 * (A's end is the floor) nor the second (C's start is the ceiling); after
 * C goes, unmapping B frees the second but not the first.
 *
 *   X  +4K +8K          X+2M +4K +8K         X+4M
 *   |A |   |B              |  |   |C            |
 */
static void test_munmap_floor_and_ceiling(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 2 * PAGE, SZ_2M - PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_2M + 2 * PAGE, SZ_2M - 2 * PAGE, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	OK(sim, mmsim_fill(sim, pid, BASE + SZ_2M, PAGE, 1));
	OK(sim, mmsim_fill(sim, pid, BASE + SZ_2M + 2 * PAGE, PAGE, 1));
	assert_int_equal(tables(sim, pid), 5);
	OK(sim, mmsim_munmap(sim, pid, BASE + 2 * PAGE, SZ_2M - PAGE));
	assert_int_equal(tables(sim, pid), 5);
	assert_true(has_pte_table(sim, pid, BASE));
	assert_true(has_pte_table(sim, pid, BASE + SZ_2M));

	OK(sim, mmsim_munmap(sim, pid, BASE + SZ_2M + 2 * PAGE, SZ_2M - 2 * PAGE));
	/* C's own table is B's old one too: B is gone, A's end is the floor. */
	assert_int_equal(tables(sim, pid), 4);
	assert_true(has_pte_table(sim, pid, BASE));
	assert_false(has_pte_table(sim, pid, BASE + SZ_2M));
	mmsim_destroy(sim);
}

/*
 * A PMD leaf carries a deposited PTE table (pgtable_trans_huge_deposit):
 * counted in nr_page_tables, hung off the PMD table's frame. Splitting the
 * PMD withdraws it as the new PTE table; a fork deposits one in the child;
 * zapping the whole PMD frees it.
 */
static void test_pmd_leaf_deposit(void **state)
{
	struct mmsim *sim = test_sim(0);
	int p = new_proc(sim), c;
	struct mm_struct *mm;
	struct page *pmd_page;
	unsigned long dep;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, 2 * SZ_2M, RW));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 1));
	mm = mm_of(sim, p);
	assert_true(pmd_leaf(*pmd_lookup(sim, mm, BASE)));
	assert_int_equal(tables(sim, p), 4);		/* pgd, PUD, PMD + deposit */
	pmd_page = pfn_to_page(sim, pmd_table_pfn(sim, mm, BASE));
	dep = pmd_page->pt.pmd_huge_pte;
	assert_int_not_equal(dep, 0);
	assert_true(pfn_to_page(sim, dep)->flags & PG_table);

	c = do_fork(sim, p);
	assert_int_equal(tables(sim, c), 4);
	assert_int_not_equal(pfn_to_page(sim, pmd_table_pfn(sim, mm_of(sim, c), BASE))->pt.pmd_huge_pte, 0);
	OK(sim, mmsim_exit(sim, c));

	/* A read of the second 2M maps the huge zero PMD, with its own deposit. */
	OK(sim, mmsim_read(sim, p, BASE + SZ_2M, &(char){0}, 1));
	assert_true(pmd_leaf(*pmd_lookup(sim, mm, BASE + SZ_2M)));
	assert_int_equal(tables(sim, p), 5);

	/*
	 * Split: a deposited table becomes the PTE table; nothing new. Both
	 * PMDs sit in one PMD table whose deposit list is a stack, so the
	 * withdrawn one is the last deposited (the zero PMD's), as in
	 * pgtable_trans_huge_withdraw(); one table stays deposited.
	 */
	OK(sim, mmsim_madvise(sim, p, BASE + PAGE, PAGE, MMSIM_MADV_DONTNEED));
	assert_true(pmd_table(*pmd_lookup(sim, mm, BASE)));
	assert_int_not_equal(pte_pfn(*pmd_lookup(sim, mm, BASE)), dep);
	assert_int_equal(pmd_page->pt.pmd_huge_pte, dep);
	assert_int_equal(pfn_to_page(sim, dep)->pt.deposit_next, 0);
	assert_int_equal(tables(sim, p), 5);
	/* Zapping the whole huge zero PMD frees its deposit. */
	OK(sim, mmsim_madvise(sim, p, BASE + SZ_2M, SZ_2M, MMSIM_MADV_DONTNEED));
	assert_true(pmd_none(*pmd_lookup(sim, mm, BASE + SZ_2M)));
	assert_int_equal(pmd_page->pt.pmd_huge_pte, 0);
	assert_int_equal(tables(sim, p), 4);
	OK(sim, mmsim_munmap(sim, p, BASE, 2 * SZ_2M));
	assert_int_equal(tables(sim, p), 1);
	mmsim_destroy(sim);
}

/*
 * PT_RECLAIM (6.14+): MADV_DONTNEED frees a PTE table whose whole 2M it
 * emptied; a partial span keeps its table. live (VmPTE of /proc/self/
 * status, 4M VMA fully written with NOHUGEPAGE): 64 kB -> DONTNEED of the
 * first 2M -> 60 kB -> DONTNEED of 1M of the second -> 60 kB.
 */
static void test_dontneed_reclaims_empty_table(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * SZ_2M, RW));
	OK(sim, mmsim_fill(sim, pid, BASE, 2 * SZ_2M, 1));
	assert_int_equal(tables(sim, pid), 5);
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_DONTNEED));
	assert_int_equal(tables(sim, pid), 4);
	assert_false(has_pte_table(sim, pid, BASE));
	OK(sim, mmsim_madvise(sim, pid, BASE + SZ_2M, SZ_1M, MMSIM_MADV_DONTNEED));
	assert_int_equal(tables(sim, pid), 4);
	assert_true(has_pte_table(sim, pid, BASE + SZ_2M));
	/* The next fault allocates the table again. */
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 2));
	assert_int_equal(tables(sim, pid), 5);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_allocated_on_fault),
		cmocka_unit_test(test_munmap_keeps_shared_table),
		cmocka_unit_test(test_munmap_floor_and_ceiling),
		cmocka_unit_test(test_pmd_leaf_deposit),
		cmocka_unit_test(test_dontneed_reclaims_empty_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
