// SPDX-License-Identifier: MIT
/*
 * Tests of lib/fork.c and the COW faults that follow a fork (lib/memory.c,
 * lib/huge_memory.c): small pages, a PMD THP, a 64K mTHP, zero pages and the
 * huge zero page. Every number is the live Linux 6.18 kernel's
 * (docs/kernel-facts.md, "Fork and copy-on-write", names the scenario that
 * shows each on the kernel).
 */
#include "test_util.h"

#define NR_PMD		512UL

static void write_byte(struct mmsim *sim, int pid, unsigned long addr, int c)
{
	OK(sim, mmsim_fill(sim, pid, addr, 1, c));
}

static uint64_t kpagecount_pfn(struct mmsim *sim, unsigned long pfn)
{
	uint64_t count;

	OK(sim, mmsim_kpagecount(sim, pfn, &count));
	return count;
}

static void assert_smaps(struct mmsim *sim, int pid, unsigned long rss, unsigned long pss,
			 unsigned long shared_dirty, unsigned long private_dirty,
			 unsigned long anon_huge)
{
	struct mmsim_smaps s = smaps_of(sim, pid);

	assert_int_equal(s.rss, rss);
	assert_int_equal(s.pss, pss);
	assert_int_equal(s.shared_dirty, shared_dirty);
	assert_int_equal(s.private_dirty, private_dirty);
	assert_int_equal(s.shared_clean, 0);
	assert_int_equal(s.private_clean, 0);
	assert_int_equal(s.anonymous, rss);
	assert_int_equal(s.anon_huge_pages, anon_huge);
}

/*
 * kernel-facts H: THP off, the parent writes 4 pages and forks. Both map the
 * same frames: kpagecount 2, not exclusive, Rss 16 Pss 8 Shared_Dirty 16.
 * The child writes page 0: the child gets a new exclusive frame; the
 * parent's page 0 shows kpagecount 1 and exclusive without any fault of its
 * own; both Rss 16 Pss 10 Shared_Dirty 12 Private_Dirty 4. The parent's
 * write to page 0 then reuses its frame. The parent's write to page 1 while
 * the child lives copies, and the child's page 1 becomes exclusive. After
 * the child exits the parent's page 2 is exclusive and its write reuses the
 * frame; final Rss 16 Pss 16 Private_Dirty 16.
 */
static void test_fork_small_pages_cow(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int parent = new_proc(sim), child;
	unsigned long pfn[4];
	struct mmsim_stats st;

	(void)state;
	OK(sim, mmsim_mmap(sim, parent, BASE, 4 * PAGE, RW));
	OK(sim, mmsim_fill(sim, parent, BASE, 4 * PAGE, 'p'));
	for (int i = 0; i < 4; i++)
		pfn[i] = pfn_of(sim, parent, BASE + (unsigned long)i * PAGE);
	child = do_fork(sim, parent);
	for (int i = 0; i < 4; i++) {
		unsigned long addr = BASE + (unsigned long)i * PAGE;

		assert_int_equal(pfn_of(sim, child, addr), pfn[i]);
		assert_int_equal(kpagecount_pfn(sim, pfn[i]), 2);
		assert_false(exclusive(sim, parent, addr));
		assert_false(exclusive(sim, child, addr));
		assert_int_equal(read_byte(sim, child, addr), 'p');
	}
	assert_smaps(sim, parent, 16, 8, 16, 0, 0);
	assert_smaps(sim, child, 16, 8, 16, 0, 0);

	write_byte(sim, child, BASE, 'c');
	assert_true(pfn_of(sim, child, BASE) != pfn[0]);
	assert_int_equal(kpagecount_at(sim, child, BASE), 1);
	assert_true(exclusive(sim, child, BASE));
	assert_int_equal(pfn_of(sim, parent, BASE), pfn[0]);
	assert_int_equal(kpagecount_at(sim, parent, BASE), 1);
	assert_true(exclusive(sim, parent, BASE));
	assert_int_equal(read_byte(sim, parent, BASE), 'p');
	assert_int_equal(read_byte(sim, child, BASE), 'c');
	assert_int_equal(read_byte(sim, child, BASE + 1), 'p');	/* the copy */
	assert_smaps(sim, parent, 16, 10, 12, 4, 0);
	assert_smaps(sim, child, 16, 10, 12, 4, 0);

	mmsim_get_stats(sim, &st);
	write_byte(sim, parent, BASE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE), pfn[0]);
	{
		struct mmsim_stats st2;

		mmsim_get_stats(sim, &st2);
		assert_int_equal(st2.cow_reuses, st.cow_reuses + 1);
		assert_int_equal(st2.cow_copies, st.cow_copies);
	}

	write_byte(sim, parent, BASE + PAGE, 'P');
	assert_true(pfn_of(sim, parent, BASE + PAGE) != pfn[1]);
	assert_true(exclusive(sim, parent, BASE + PAGE));
	assert_int_equal(pfn_of(sim, child, BASE + PAGE), pfn[1]);
	assert_int_equal(kpagecount_at(sim, child, BASE + PAGE), 1);
	assert_true(exclusive(sim, child, BASE + PAGE));

	OK(sim, mmsim_exit(sim, child));
	assert_int_equal(kpagecount_at(sim, parent, BASE + 2 * PAGE), 1);
	assert_true(exclusive(sim, parent, BASE + 2 * PAGE));
	write_byte(sim, parent, BASE + 2 * PAGE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE + 2 * PAGE), pfn[2]);
	assert_smaps(sim, parent, 16, 16, 0, 16, 0);
	mmsim_destroy(sim);
}

/* top never, hugepages-2048kB always (experiments E and J). */
static struct mmsim *thp_sim(void)
{
	struct mmsim *sim = test_sim(8192);

	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	return sim;
}

static int thp_parent(struct mmsim *sim, unsigned long *head)
{
	int parent = new_proc(sim);

	OK(sim, mmsim_mmap(sim, parent, BASE, SZ_2M, RW));
	write_byte(sim, parent, BASE, 'p');
	*head = pfn_of(sim, parent, BASE);
	assert_int_equal(order_at(sim, parent, BASE), 9);
	return parent;
}

/*
 * kernel-facts E: a PMD THP, fork, the child writes page 5.
 * Right after fork both PMD-map the same frames, kpagecount 2 everywhere, not
 * exclusive; smaps (both) Rss 2048 Pss 1024 Shared_Dirty 2048 AnonHugePages
 * 2048. After the child's write (one PMD split, in the child only):
 * - parent: still PMD-mapped; page 0 kpagecount 2, page 5 = head + 5 with
 *   kpagecount 1 but NOT exclusive (PMD pagemap uses the head's count);
 *   every entry not exclusive. Rss 2048 Pss 1026 Shared_Dirty 2044
 *   Private_Dirty 4 AnonHugePages 2048.
 * - child: PTE-mapped; page 0 the parent's frame (order 9, kpagecount 2);
 *   page 5 a new order-0 frame, kpagecount 1, exclusive; the rest the
 *   parent's frames. Same smaps but AnonHugePages 0.
 * After the child exits the parent is still PMD-mapped, pages 0 and 5
 * kpagecount 1 and exclusive, Rss = Pss = Private_Dirty = AnonHugePages =
 * 2048. Its writes to page 0 and page 5 reuse the frames: order 9, PMD.
 */
static void test_fork_pmd_thp_child_writes(void **state)
{
	struct mmsim *sim = thp_sim();
	unsigned long head;
	int parent = thp_parent(sim, &head), child;
	struct mmsim_stats st;

	(void)state;
	assert_smaps(sim, parent, 2048, 2048, 0, 2048, 2048);
	child = do_fork(sim, parent);
	for (unsigned long i = 0; i < NR_PMD; i += 51) {
		unsigned long addr = BASE + i * PAGE;

		assert_int_equal(pfn_of(sim, parent, addr), head + i);
		assert_int_equal(pfn_of(sim, child, addr), head + i);
		assert_int_equal(kpagecount_pfn(sim, head + i), 2);
		assert_false(exclusive(sim, parent, addr));
		assert_false(exclusive(sim, child, addr));
	}
	assert_smaps(sim, parent, 2048, 1024, 2048, 0, 2048);
	assert_smaps(sim, child, 2048, 1024, 2048, 0, 2048);

	write_byte(sim, child, BASE + 5 * PAGE, 'c');
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.pmd_splits, 1);
	assert_int_equal(st.folio_splits, 0);
	/* Parent */
	assert_int_equal(pfn_of(sim, parent, BASE), head);
	assert_int_equal(order_at(sim, parent, BASE), 9);
	assert_int_equal(kpagecount_at(sim, parent, BASE), 2);
	assert_false(exclusive(sim, parent, BASE));
	assert_int_equal(pfn_of(sim, parent, BASE + 5 * PAGE), head + 5);
	assert_int_equal(order_at(sim, parent, BASE + 5 * PAGE), 9);
	assert_int_equal(kpagecount_at(sim, parent, BASE + 5 * PAGE), 1);
	assert_false(exclusive(sim, parent, BASE + 5 * PAGE));
	for (unsigned long i = 0; i < NR_PMD; i++)
		assert_false(exclusive(sim, parent, BASE + i * PAGE));
	assert_smaps(sim, parent, 2048, 1026, 2044, 4, 2048);
	/* Child */
	assert_int_equal(pfn_of(sim, child, BASE), head);
	assert_int_equal(order_at(sim, child, BASE), 9);
	assert_int_equal(kpagecount_at(sim, child, BASE), 2);
	assert_false(exclusive(sim, child, BASE));
	assert_true(pfn_of(sim, child, BASE + 5 * PAGE) != head + 5);
	assert_int_equal(order_at(sim, child, BASE + 5 * PAGE), 0);
	assert_int_equal(kpagecount_at(sim, child, BASE + 5 * PAGE), 1);
	assert_true(exclusive(sim, child, BASE + 5 * PAGE));
	for (unsigned long i = 1; i < NR_PMD; i++) {
		if (i == 5)
			continue;
		assert_int_equal(pfn_of(sim, child, BASE + i * PAGE), head + i);
		assert_int_equal(kpagecount_pfn(sim, head + i), 2);
		assert_false(exclusive(sim, child, BASE + i * PAGE));
	}
	assert_smaps(sim, child, 2048, 1026, 2044, 4, 0);
	assert_int_equal(read_byte(sim, child, BASE), 'p');
	assert_int_equal(read_byte(sim, child, BASE + 5 * PAGE), 'c');
	assert_int_equal(read_byte(sim, parent, BASE + 5 * PAGE), 0);

	OK(sim, mmsim_exit(sim, child));
	assert_int_equal(kpagecount_at(sim, parent, BASE), 1);
	assert_true(exclusive(sim, parent, BASE));
	assert_int_equal(kpagecount_at(sim, parent, BASE + 5 * PAGE), 1);
	assert_true(exclusive(sim, parent, BASE + 5 * PAGE));
	assert_smaps(sim, parent, 2048, 2048, 0, 2048, 2048);

	write_byte(sim, parent, BASE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE), head);
	assert_int_equal(order_at(sim, parent, BASE), 9);
	assert_true(exclusive(sim, parent, BASE));
	assert_int_equal(kpagecount_at(sim, parent, BASE), 1);
	write_byte(sim, parent, BASE + 5 * PAGE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE + 5 * PAGE), head + 5);
	assert_smaps(sim, parent, 2048, 2048, 0, 2048, 2048);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.pmd_splits, 1);
	mmsim_destroy(sim);
}

/*
 * kernel-facts E2: the parent writes page 5 while the child lives and has
 * touched nothing: the parent's PMD is split, its page 5 is a new order-0
 * exclusive frame, its other pages are PTE-mapped THP pages with kpagecount
 * 2, not exclusive. The child stays PMD-mapped (AnonHugePages 2048); its
 * page 5 has kpagecount 1 but is not exclusive. Both Rss 2048 Pss 1026
 * Shared_Dirty 2044 Private_Dirty 4; the parent's AnonHugePages 0. After the
 * child exits a parent write to page 6 reuses the same frame (order 9 folio
 * intact, PTE-mapped, Pss 2048, AnonHugePages 0).
 */
static void test_fork_pmd_thp_parent_writes(void **state)
{
	struct mmsim *sim = thp_sim();
	unsigned long head;
	int parent = thp_parent(sim, &head), child = do_fork(sim, parent);

	(void)state;
	write_byte(sim, parent, BASE + 5 * PAGE, 'P');
	assert_true(pfn_of(sim, parent, BASE + 5 * PAGE) != head + 5);
	assert_int_equal(order_at(sim, parent, BASE + 5 * PAGE), 0);
	assert_true(exclusive(sim, parent, BASE + 5 * PAGE));
	assert_int_equal(kpagecount_at(sim, parent, BASE + 6 * PAGE), 2);
	assert_false(exclusive(sim, parent, BASE + 6 * PAGE));
	assert_int_equal(order_at(sim, parent, BASE + 6 * PAGE), 9);
	assert_int_equal(pfn_of(sim, child, BASE + 5 * PAGE), head + 5);
	assert_int_equal(kpagecount_at(sim, child, BASE + 5 * PAGE), 1);
	assert_false(exclusive(sim, child, BASE + 5 * PAGE));
	assert_smaps(sim, parent, 2048, 1026, 2044, 4, 0);
	assert_smaps(sim, child, 2048, 1026, 2044, 4, 2048);

	OK(sim, mmsim_exit(sim, child));
	write_byte(sim, parent, BASE + 6 * PAGE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE + 6 * PAGE), head + 6);
	assert_int_equal(order_at(sim, parent, BASE + 6 * PAGE), 9);
	assert_true(exclusive(sim, parent, BASE + 6 * PAGE));
	assert_smaps(sim, parent, 2048, 2048, 0, 2048, 0);
	mmsim_destroy(sim);
}

/*
 * kernel-facts E3: the child writes page 0 (the head): the parent stays
 * PMD-mapped with page 0 kpagecount 1 and pages 1..511 kpagecount 2, but
 * pagemap shows exclusive for all 512 entries (the head's count stands for
 * all of them).
 */
static void test_fork_pmd_thp_child_writes_head(void **state)
{
	struct mmsim *sim = thp_sim();
	unsigned long head;
	int parent = thp_parent(sim, &head), child = do_fork(sim, parent);

	(void)state;
	write_byte(sim, child, BASE, 'c');
	assert_int_equal(kpagecount_at(sim, parent, BASE), 1);
	for (unsigned long i = 1; i < NR_PMD; i++)
		assert_int_equal(kpagecount_pfn(sim, head + i), 2);
	for (unsigned long i = 0; i < NR_PMD; i++)
		assert_true(exclusive(sim, parent, BASE + i * PAGE));
	assert_int_equal(smaps_of(sim, parent).anon_huge_pages, 2048);
	mmsim_destroy(sim);
}

/*
 * kernel-facts F: a 64K mTHP (VMA 64K long and aligned), fork, the child
 * writes page 1.
 * - After fork both map the same 16 frames, kpagecount 2, not exclusive; Rss
 *   64 Pss 32 Shared_Dirty 64.
 * - Child writes page 1: new order-0 exclusive frame in the child; the
 *   parent's page 1 (head + 1, order 4) has kpagecount 1 and IS exclusive
 *   (PTE path: per-page count); the rest kpagecount 2. Both Rss 64 Pss 34
 *   Shared_Dirty 60 Private_Dirty 4.
 * - The parent writes page 2 while the child lives: copied (order 0,
 *   exclusive); the child's page 2 becomes kpagecount 1, exclusive. Both Pss
 *   36 Shared_Dirty 56 Private_Dirty 8.
 * - The child exits: the parent's original pages show kpagecount 1,
 *   exclusive. Its writes to pages 3 and 4 reuse the frames in place (order
 *   4 kept). Rss = Pss = Private_Dirty = 64.
 */
static void test_fork_mthp_64k_cow(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int parent = new_proc(sim), child;
	unsigned long head;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, parent, BASE, SZ_64K, RW));
	write_byte(sim, parent, BASE, 'p');
	head = pfn_of(sim, parent, BASE);
	assert_int_equal(order_at(sim, parent, BASE), 4);
	assert_smaps(sim, parent, 64, 64, 0, 64, 0);
	child = do_fork(sim, parent);
	for (unsigned long i = 0; i < 16; i++) {
		assert_int_equal(pfn_of(sim, child, BASE + i * PAGE), head + i);
		assert_int_equal(kpagecount_pfn(sim, head + i), 2);
		assert_false(exclusive(sim, parent, BASE + i * PAGE));
		assert_false(exclusive(sim, child, BASE + i * PAGE));
	}
	assert_smaps(sim, parent, 64, 32, 64, 0, 0);
	assert_smaps(sim, child, 64, 32, 64, 0, 0);

	write_byte(sim, child, BASE + PAGE, 'c');
	assert_true(pfn_of(sim, child, BASE + PAGE) != head + 1);
	assert_int_equal(order_at(sim, child, BASE + PAGE), 0);
	assert_int_equal(kpagecount_at(sim, child, BASE + PAGE), 1);
	assert_true(exclusive(sim, child, BASE + PAGE));
	assert_int_equal(pfn_of(sim, parent, BASE + PAGE), head + 1);
	assert_int_equal(order_at(sim, parent, BASE + PAGE), 4);
	assert_int_equal(kpagecount_at(sim, parent, BASE + PAGE), 1);
	assert_true(exclusive(sim, parent, BASE + PAGE));
	for (unsigned long i = 0; i < 16; i++) {
		if (i == 1)
			continue;
		assert_int_equal(kpagecount_pfn(sim, head + i), 2);
		assert_int_equal(order_at(sim, child, BASE + i * PAGE), 4);
		assert_false(exclusive(sim, parent, BASE + i * PAGE));
		assert_false(exclusive(sim, child, BASE + i * PAGE));
	}
	assert_smaps(sim, parent, 64, 34, 60, 4, 0);
	assert_smaps(sim, child, 64, 34, 60, 4, 0);

	write_byte(sim, parent, BASE + 2 * PAGE, 'P');
	assert_true(pfn_of(sim, parent, BASE + 2 * PAGE) != head + 2);
	assert_int_equal(order_at(sim, parent, BASE + 2 * PAGE), 0);
	assert_true(exclusive(sim, parent, BASE + 2 * PAGE));
	assert_int_equal(pfn_of(sim, child, BASE + 2 * PAGE), head + 2);
	assert_int_equal(kpagecount_at(sim, child, BASE + 2 * PAGE), 1);
	assert_true(exclusive(sim, child, BASE + 2 * PAGE));
	assert_smaps(sim, parent, 64, 36, 56, 8, 0);
	assert_smaps(sim, child, 64, 36, 56, 8, 0);

	OK(sim, mmsim_exit(sim, child));
	for (unsigned long i = 0; i < 16; i++) {
		if (i == 2)
			continue;
		assert_int_equal(kpagecount_pfn(sim, head + i), 1);
		assert_true(exclusive(sim, parent, BASE + i * PAGE));
	}
	write_byte(sim, parent, BASE + 3 * PAGE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE + 3 * PAGE), head + 3);
	assert_int_equal(order_at(sim, parent, BASE + 3 * PAGE), 4);
	write_byte(sim, parent, BASE + 4 * PAGE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE + 4 * PAGE), head + 4);
	assert_smaps(sim, parent, 64, 64, 0, 64, 0);
	mmsim_destroy(sim);
}

/*
 * faults.md §3.3 (6.15+): a write to a non-exclusive page of a large folio
 * whose large mapcount is 1 is copied, not reused, so the folio can go.
 * On the live kernel (cow-large-last-page-copied.mms): 64K mTHP, fork, child
 * exits, parent DONTNEEDs pages 1..15, writes page 0 -> a new order-0 frame.
 * Control (pages 2..15 dropped, two pages left): page 0 and page 1 are both
 * reused in place (same frames, still order 4).
 */
static void test_fork_mthp_last_mapped_page_is_copied(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int parent = new_proc(sim), child;
	unsigned long a = BASE, b = BASE + SZ_1M, ha, hb;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, parent, a, SZ_64K, RW));
	OK(sim, mmsim_mmap(sim, parent, b, SZ_64K, RW));
	OK(sim, mmsim_fill(sim, parent, a, SZ_64K, 1));
	OK(sim, mmsim_fill(sim, parent, b, SZ_64K, 1));
	ha = pfn_of(sim, parent, a);
	hb = pfn_of(sim, parent, b);
	child = do_fork(sim, parent);
	OK(sim, mmsim_exit(sim, child));
	OK(sim, mmsim_madvise(sim, parent, a + PAGE, 15 * PAGE, MMSIM_MADV_DONTNEED));
	OK(sim, mmsim_madvise(sim, parent, b + 2 * PAGE, 14 * PAGE, MMSIM_MADV_DONTNEED));
	assert_int_equal(pfn_of(sim, parent, a), ha);
	assert_true(exclusive(sim, parent, a));
	assert_int_equal(kpagecount_at(sim, parent, a), 1);

	write_byte(sim, parent, a, 2);
	assert_true(pfn_of(sim, parent, a) != ha);
	assert_int_equal(order_at(sim, parent, a), 0);
	assert_true(exclusive(sim, parent, a));
	assert_int_equal(read_byte(sim, parent, a + 1), 1);	/* copied contents */

	write_byte(sim, parent, b, 2);
	assert_int_equal(pfn_of(sim, parent, b), hb);
	assert_int_equal(order_at(sim, parent, b), 4);
	write_byte(sim, parent, b + PAGE, 2);
	assert_int_equal(pfn_of(sim, parent, b + PAGE), hb + 1);
	assert_int_equal(order_at(sim, parent, b + PAGE), 4);
	mmsim_destroy(sim);
}

/*
 * kernel-facts A extras: a VMA that has only been read (zero-page PTEs, no
 * anon_vma) is not copied at fork: the child's pages are not present. A VMA
 * with an anon_vma copies its zero-page PTEs as they are: the child's page 1
 * is the zero page, and page 0 is the parent's frame with kpagecount 2.
 */
static void test_fork_copies_zero_ptes_only_with_anon_vma(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int parent = new_proc(sim), child;
	unsigned long ro = BASE, rw = BASE + SZ_1M;

	(void)state;
	OK(sim, mmsim_mmap(sim, parent, ro, 4 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, parent, rw, 4 * PAGE, RW));
	read_byte(sim, parent, ro);
	read_byte(sim, parent, ro + PAGE);
	write_byte(sim, parent, rw, 1);
	read_byte(sim, parent, rw + PAGE);
	child = do_fork(sim, parent);
	assert_true(present(sim, parent, ro));
	assert_false(present(sim, child, ro));
	assert_false(present(sim, child, ro + PAGE));
	assert_int_equal(pfn_of(sim, child, rw), pfn_of(sim, parent, rw));
	assert_int_equal(kpagecount_at(sim, child, rw), 2);
	assert_false(exclusive(sim, child, rw));
	assert_false(exclusive(sim, parent, rw));
	assert_true(present(sim, child, rw + PAGE));
	assert_int_equal(pfn_of(sim, child, rw + PAGE), pfn_of(sim, parent, ro));
	assert_true(kpageflag_at(sim, child, rw + PAGE, MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(kpagecount_at(sim, child, rw + PAGE), 0);
	assert_int_equal(smaps_of(sim, child).rss, 4);
	/* The child reads the uncopied range: the zero page again, no Rss. */
	assert_int_equal(read_byte(sim, child, ro), 0);
	assert_true(kpageflag_at(sim, child, ro, MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(smaps_of(sim, child).rss, 4);
	mmsim_destroy(sim);
}

/*
 * kernel-facts J: the huge zero PMD IS copied at fork (its fault prepared the
 * anon_vma). Before the child touches anything it maps the same huge zero
 * folio: order 9, kpagecount 0, not exclusive, Rss 0, AnonHugePages 0 in both.
 * The child's read changes nothing. The child's write to page 3 gives it a
 * new order-9 PMD THP (Rss 2048, AnonHugePages 2048, kpagecount 1, exclusive);
 * the parent keeps the huge zero PMD.
 */
static void test_fork_huge_zero_page_is_copied(void **state)
{
	struct mmsim *sim = thp_sim();
	int parent = new_proc(sim), child;
	unsigned long zero;

	(void)state;
	OK(sim, mmsim_mmap(sim, parent, BASE, SZ_2M, RW));
	read_byte(sim, parent, BASE);
	zero = pfn_of(sim, parent, BASE);
	assert_true(kpageflag_at(sim, parent, BASE, MMSIM_KPF_ZERO_PAGE));
	child = do_fork(sim, parent);
	assert_true(present(sim, child, BASE));
	assert_int_equal(pfn_of(sim, child, BASE), zero);
	assert_int_equal(pfn_of(sim, child, BASE + 3 * PAGE), zero + 3);
	assert_int_equal(order_at(sim, child, BASE), 9);
	assert_int_equal(kpagecount_at(sim, child, BASE), 0);
	assert_false(exclusive(sim, child, BASE));
	assert_smaps(sim, parent, 0, 0, 0, 0, 0);
	assert_smaps(sim, child, 0, 0, 0, 0, 0);
	read_byte(sim, child, BASE + 7 * PAGE);
	assert_int_equal(pfn_of(sim, child, BASE), zero);
	assert_smaps(sim, child, 0, 0, 0, 0, 0);

	write_byte(sim, child, BASE + 3 * PAGE, 'c');
	assert_true(pfn_of(sim, child, BASE) != zero);
	assert_int_equal(order_at(sim, child, BASE), 9);
	assert_int_equal(kpagecount_at(sim, child, BASE + 3 * PAGE), 1);
	assert_true(exclusive(sim, child, BASE + 3 * PAGE));
	assert_smaps(sim, child, 2048, 2048, 0, 2048, 2048);
	assert_int_equal(pfn_of(sim, parent, BASE), zero);
	assert_smaps(sim, parent, 0, 0, 0, 0, 0);
	mmsim_destroy(sim);
}

/*
 * kernel-facts E/H with three generations: the grandchild's write copies one
 * page while two other mms still map the THP; kpagecount counts every mm
 * (3 before, 2 after for the copied page) and Pss divides by it.
 */
static void test_fork_twice_thp_counts_three(void **state)
{
	struct mmsim *sim = thp_sim();
	unsigned long head;
	int parent = thp_parent(sim, &head), child = do_fork(sim, parent);
	int grandchild = do_fork(sim, child);

	(void)state;
	assert_int_equal(kpagecount_pfn(sim, head + 9), 3);
	assert_int_equal(pfn_of(sim, grandchild, BASE + 9 * PAGE), head + 9);
	write_byte(sim, grandchild, BASE + 9 * PAGE, 'g');
	assert_int_equal(kpagecount_pfn(sim, head + 9), 2);
	assert_int_equal(kpagecount_pfn(sim, head + 8), 3);
	assert_true(exclusive(sim, grandchild, BASE + 9 * PAGE));
	assert_false(exclusive(sim, parent, BASE));
	OK(sim, mmsim_exit(sim, child));
	OK(sim, mmsim_exit(sim, grandchild));
	write_byte(sim, parent, BASE + 9 * PAGE, 'P');
	assert_int_equal(pfn_of(sim, parent, BASE + 9 * PAGE), head + 9);
	assert_smaps(sim, parent, 2048, 2048, 0, 2048, 2048);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_small_pages_cow),
		cmocka_unit_test(test_fork_pmd_thp_child_writes),
		cmocka_unit_test(test_fork_pmd_thp_parent_writes),
		cmocka_unit_test(test_fork_pmd_thp_child_writes_head),
		cmocka_unit_test(test_fork_mthp_64k_cow),
		cmocka_unit_test(test_fork_mthp_last_mapped_page_is_copied),
		cmocka_unit_test(test_fork_copies_zero_ptes_only_with_anon_vma),
		cmocka_unit_test(test_fork_huge_zero_page_is_copied),
		cmocka_unit_test(test_fork_twice_thp_counts_three),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
