// SPDX-License-Identifier: MIT
/*
 * Tests of lib/proc.c: /proc/PID/pagemap, /proc/kpagecount,
 * /proc/kpageflags and /proc/PID/smaps as the live Linux 6.18 kernel shows
 * them (docs/kernel-facts.md, "/proc", names the scenario that shows each on
 * the kernel).
 */
#include "test_util.h"

#define KPF(bit)	(1ULL << (bit))
#define KPF_SHOWN	(KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON) |			\
			 KPF(MMSIM_KPF_COMPOUND_HEAD) | KPF(MMSIM_KPF_COMPOUND_TAIL) |	\
			 KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE) | KPF(MMSIM_KPF_KSM))
#define KPF_HEAD	KPF(MMSIM_KPF_COMPOUND_HEAD)
#define KPF_TAIL	KPF(MMSIM_KPF_COMPOUND_TAIL)
#define KPF_MAPPED_ANON	(KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON))

static uint64_t pfn_flags(struct mmsim *sim, unsigned long pfn)
{
	uint64_t flags;

	OK(sim, mmsim_kpageflags(sim, pfn, &flags));
	return flags & KPF_SHOWN;
}

static uint64_t kpagecount_pfn(struct mmsim *sim, unsigned long pfn)
{
	uint64_t count;

	OK(sim, mmsim_kpagecount(sim, pfn, &count));
	return count;
}

static void write_byte(struct mmsim *sim, int pid, unsigned long addr, int c)
{
	OK(sim, mmsim_fill(sim, pid, addr, 1, c));
}

/*
 * On the live kernel (CONFIG_MEM_SOFT_DIRTY not set; zero-page-read.mms): the
 * raw pagemap words are exactly PRESENT|MMAP_EXCLUSIVE|pfn for a written
 * page, PRESENT|pfn for the zero page, and 0 for an untouched page inside a
 * VMA. No other bit (soft-dirty 55, file 61, swap 62) is ever set. Outside
 * any VMA the entry is 0 too.
 */
static void test_pagemap_raw_words(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);
	uint64_t pm;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 3 * PAGE, RW));
	write_byte(sim, pid, BASE, 1);
	read_byte(sim, pid, BASE + PAGE);
	pm = pagemap_of(sim, pid, BASE);
	assert_int_equal(pm, MMSIM_PM_PRESENT | MMSIM_PM_MMAP_EXCLUSIVE | pfn_of(sim, pid, BASE));
	pm = pagemap_of(sim, pid, BASE + PAGE);
	assert_int_equal(pm, MMSIM_PM_PRESENT | pfn_of(sim, pid, BASE + PAGE));
	assert_int_equal(pagemap_of(sim, pid, BASE + 2 * PAGE), 0);
	assert_int_equal(pagemap_of(sim, pid, BASE + 3 * PAGE), 0);
	assert_int_equal(pagemap_of(sim, pid, BASE - PAGE), 0);
	/* An unaligned address reads the entry of its page. */
	assert_int_equal(pagemap_of(sim, pid, BASE + 123), pagemap_of(sim, pid, BASE));
	mmsim_destroy(sim);
}

static bool soft_dirty(struct mmsim *sim, int pid, unsigned long addr)
{
	bool dirty;

	OK(sim, mmsim_soft_dirty(sim, pid, addr, &dirty));
	return dirty;
}

/*
 * Soft-dirty on a kernel that tracks it (profile 7.3; soft-dirty.c's
 * scenarios in tests/scenarios/era/v7.3-selftest-soft-dirty-*.mms hold the
 * kernel's answers): a new VMA is soft-dirty, clear_refs 4 cleans and
 * write-protects, a write fault marks the entry; swap-out and swap-in keep
 * the bit, mremap() marks what it moves, a pinned page keeps its entry.
 * This machine's 6.18 build has no soft-dirty: -EOPNOTSUPP, and clear_refs 4
 * changes nothing.
 */
static void test_soft_dirty(void **state)
{
	struct mmsim_config cfg = { .nr_frames = 4096, .nr_swap_slots = 64, .verify_every_step = true,
				    .kernel = "7.3" };
	struct mmsim *sim = test_sim_cfg(cfg);
	int pid = new_proc(sim);
	bool dirty;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	assert_true(soft_dirty(sim, pid, BASE + 3 * PAGE));	/* VM_SOFTDIRTY: empty pages too */
	write_byte(sim, pid, BASE, 1);
	write_byte(sim, pid, BASE + PAGE, 1);
	OK(sim, mmsim_clear_refs(sim, pid, 4));
	assert_false(soft_dirty(sim, pid, BASE));
	assert_false(soft_dirty(sim, pid, BASE + 3 * PAGE));
	write_byte(sim, pid, BASE, 2);
	assert_true(soft_dirty(sim, pid, BASE));
	assert_false(soft_dirty(sim, pid, BASE + PAGE));
	/* mprotect() does not make a clean entry writable: the next write still marks it. */
	OK(sim, mmsim_mprotect(sim, pid, BASE + PAGE, PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mprotect(sim, pid, BASE + PAGE, PAGE, RW));
	write_byte(sim, pid, BASE + PAGE, 2);
	assert_true(soft_dirty(sim, pid, BASE + PAGE));
	/* The swap entry keeps the bit, and so does the page read back. */
	OK(sim, mmsim_madvise(sim, pid, BASE, 2 * PAGE, MMSIM_MADV_PAGEOUT));
	assert_true(pagemap_of(sim, pid, BASE) & MMSIM_PM_SWAP);
	assert_true(soft_dirty(sim, pid, BASE));
	OK(sim, mmsim_clear_refs(sim, pid, 4));
	assert_false(soft_dirty(sim, pid, BASE));
	read_byte(sim, pid, BASE);
	assert_false(soft_dirty(sim, pid, BASE));
	/* mremap() marks what it moves. */
	OK(sim, mmsim_mremap(sim, pid, BASE, PAGE, BASE + 64 * PAGE));
	assert_true(soft_dirty(sim, pid, BASE + 64 * PAGE));
	/* A pinned page keeps its entry (and its write access). */
	OK(sim, mmsim_pin_user_pages(sim, pid, BASE + PAGE, PAGE, MMSIM_PIN_WRITE));
	OK(sim, mmsim_clear_refs(sim, pid, 4));
	assert_true(soft_dirty(sim, pid, BASE + PAGE));
	assert_int_equal(mmsim_clear_refs(sim, pid, 5), -EINVAL);
	assert_int_equal(mmsim_clear_refs(sim, pid, 0), -EINVAL);
	mmsim_destroy(sim);

	sim = test_sim_cfg((struct mmsim_config){ .nr_frames = 4096, .kernel = "6.18" });
	pid = new_proc(sim);
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
	assert_int_equal(mmsim_soft_dirty(sim, pid, BASE, &dirty), -EOPNOTSUPP);
	assert_int_equal(pagemap_of(sim, pid, BASE) & MMSIM_PM_SOFT_DIRTY, 0);
	OK(sim, mmsim_clear_refs(sim, pid, 4));
	mmsim_destroy(sim);
}

/*
 * kernel-facts notes + A + B: the 4K zero page shows only ZERO_PAGE (no
 * MMAP, no ANON) and kpagecount 0; the huge zero folio shows
 * HEAD|THP|ZERO_PAGE on its head and TAIL|THP|ZERO_PAGE on its tails,
 * kpagecount 0; neither is ever exclusive in pagemap.
 */
static void test_zero_page_flags_and_counts(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = new_proc(sim);
	unsigned long zero, huge;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, PAGE, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_2M, SZ_2M, RW));
	read_byte(sim, pid, BASE);
	zero = pfn_of(sim, pid, BASE);
	assert_int_equal(pfn_flags(sim, zero), KPF(MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(kpagecount_pfn(sim, zero), 0);
	assert_false(exclusive(sim, pid, BASE));

	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	read_byte(sim, pid, BASE + SZ_2M + 100 * PAGE);
	huge = pfn_of(sim, pid, BASE + SZ_2M);
	assert_int_equal(pfn_of(sim, pid, BASE + SZ_2M + 100 * PAGE), huge + 100);
	assert_int_equal(pfn_flags(sim, huge),
			 KPF_HEAD | KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(pfn_flags(sim, huge + 100),
			 KPF_TAIL | KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(pfn_flags(sim, huge + 511),
			 KPF_TAIL | KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(kpagecount_pfn(sim, huge), 0);
	assert_int_equal(kpagecount_pfn(sim, huge + 100), 0);
	assert_false(exclusive(sim, pid, BASE + SZ_2M));
	assert_false(exclusive(sim, pid, BASE + SZ_2M + 100 * PAGE));
	mmsim_destroy(sim);
}

/*
 * kernel-facts notes ("KPF_THP is set on the head and every tail of any
 * large anon folio (mTHP too)") and C1: every page of a 16K and of a 64K
 * mTHP shows MMAP|ANON|THP plus HEAD or TAIL; an order-0 page shows neither
 * THP nor HEAD/TAIL.
 */
static void test_kpageflags_thp_on_every_mthp_page(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);
	unsigned long h;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	write_byte(sim, pid, BASE + SZ_1M - PAGE, 1);
	assert_int_equal(pfn_flags(sim, pfn_of(sim, pid, BASE + SZ_1M - PAGE)), KPF_MAPPED_ANON);
	OK(sim, mmsim_set_thp(sim, SZ_16K, MMSIM_THP_ALWAYS));
	write_byte(sim, pid, BASE, 1);
	h = pfn_of(sim, pid, BASE);
	assert_int_equal(pfn_flags(sim, h), KPF_MAPPED_ANON | KPF(MMSIM_KPF_THP) | KPF_HEAD);
	for (unsigned long i = 1; i < 4; i++)
		assert_int_equal(pfn_flags(sim, h + i), KPF_MAPPED_ANON | KPF(MMSIM_KPF_THP) | KPF_TAIL);
	OK(sim, mmsim_set_thp(sim, SZ_16K, MMSIM_THP_NEVER));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	write_byte(sim, pid, BASE + SZ_64K, 1);
	h = pfn_of(sim, pid, BASE + SZ_64K);
	assert_int_equal(pfn_flags(sim, h), KPF_MAPPED_ANON | KPF(MMSIM_KPF_THP) | KPF_HEAD);
	for (unsigned long i = 1; i < 16; i++)
		assert_int_equal(pfn_flags(sim, h + i), KPF_MAPPED_ANON | KPF(MMSIM_KPF_THP) | KPF_TAIL);
	mmsim_destroy(sim);
}

/*
 * kernel-facts notes, G1, G3: KPF_MMAP is folio_mapped() for a large folio,
 * so a page of a partly mapped large folio that is itself unmapped still
 * shows MMAP (and ANON, THP, HEAD/TAIL) while its kpagecount is 0. Here the
 * unmapped page is the head itself (MADV_DONTNEED of page 0 of a 64K mTHP),
 * and in a PMD THP the unmapped second half (munmap). Once the whole folio is
 * unmapped its frames are free and show no MMAP or ANON.
 */
static void test_kpageflags_mmap_on_unmapped_page_of_mapped_folio(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = new_proc(sim);
	unsigned long h, t;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_64K, RW));
	write_byte(sim, pid, BASE, 1);
	h = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_madvise(sim, pid, BASE, PAGE, MMSIM_MADV_DONTNEED));
	assert_false(present(sim, pid, BASE));
	assert_int_equal(kpagecount_pfn(sim, h), 0);
	assert_int_equal(pfn_flags(sim, h), KPF_MAPPED_ANON | KPF(MMSIM_KPF_THP) | KPF_HEAD);
	assert_int_equal(kpagecount_pfn(sim, h + 1), 1);
	assert_true(exclusive(sim, pid, BASE + PAGE));

	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_2M, SZ_2M, RW));
	write_byte(sim, pid, BASE + SZ_2M, 1);
	t = pfn_of(sim, pid, BASE + SZ_2M);
	OK(sim, mmsim_munmap(sim, pid, BASE + SZ_2M + SZ_1M, SZ_1M));
	assert_int_equal(kpagecount_pfn(sim, t + 300), 0);
	assert_int_equal(pfn_flags(sim, t + 300), KPF_MAPPED_ANON | KPF(MMSIM_KPF_THP) | KPF_TAIL);
	assert_int_equal(kpagecount_pfn(sim, t + 255), 1);

	/* Whole folio gone: the frames are free. */
	OK(sim, mmsim_munmap(sim, pid, BASE, SZ_64K));
	for (unsigned long i = 0; i < 16; i++) {
		assert_int_equal(kpagecount_pfn(sim, h + i), 0);
		assert_int_equal(pfn_flags(sim, h + i) & KPF_MAPPED_ANON, 0);
	}
	mmsim_destroy(sim);
}

/*
 * kernel-facts E and E3: a PMD entry's pagemap exclusive bit is the head
 * page's (precise mapcount == 1) for all 512 entries. After fork + the
 * child's write to page 5, the parent's page 5 has kpagecount 1 but is shown
 * shared; after the child's write to page 0 instead, every parent entry is
 * shown exclusive although pages 1..511 have kpagecount 2. A PTE-mapped page
 * uses its own count (kernel-facts F: the parent's page 1 is exclusive).
 */
static void test_pagemap_pmd_uses_head_count(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int parent = new_proc(sim), child, child2;
	unsigned long head;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, parent, BASE, SZ_2M, RW));
	write_byte(sim, parent, BASE, 1);
	head = pfn_of(sim, parent, BASE);

	child = do_fork(sim, parent);
	write_byte(sim, child, BASE + 5 * PAGE, 2);
	assert_int_equal(kpagecount_pfn(sim, head + 5), 1);
	assert_false(exclusive(sim, parent, BASE + 5 * PAGE));
	assert_int_equal(smaps_of(sim, parent).anon_huge_pages, 2048);
	OK(sim, mmsim_exit(sim, child));

	child2 = do_fork(sim, parent);
	write_byte(sim, child2, BASE, 3);
	assert_int_equal(kpagecount_pfn(sim, head), 1);
	assert_int_equal(kpagecount_pfn(sim, head + 1), 2);
	assert_int_equal(kpagecount_pfn(sim, head + 5), 2);
	assert_true(exclusive(sim, parent, BASE));
	assert_true(exclusive(sim, parent, BASE + PAGE));
	assert_true(exclusive(sim, parent, BASE + 511 * PAGE));
	/* The child's PTE-mapped entries use their own page's count. */
	assert_false(exclusive(sim, child2, BASE + PAGE));
	assert_true(exclusive(sim, child2, BASE));
	assert_int_equal(pfn_of(sim, child2, BASE + 5 * PAGE), head + 5);
	mmsim_destroy(sim);
}

/*
 * On the live kernel (smaps-pss-three-way.mms): three pages, each mapped
 * by three mms (parent + 2 children): Rss 12, Shared_Dirty 12 and Pss 3 kB,
 * not 4: each page adds (4096 << 12) / 3 rounded down, and the sum is
 * shifted down to kB, so 3 * 1365.33 bytes shows as 3 kB. K1b: page 0
 * shared by three, pages 1-2 private: Pss 9 (9.33 rounded down),
 * Shared_Dirty 4, Private_Dirty 8.
 */
static void test_smaps_pss_rounding(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int parent = new_proc(sim), c1, c2;
	struct mmsim_smaps s;

	(void)state;
	OK(sim, mmsim_mmap(sim, parent, BASE, 3 * PAGE, RW));
	OK(sim, mmsim_fill(sim, parent, BASE, 3 * PAGE, 1));
	c1 = do_fork(sim, parent);
	c2 = do_fork(sim, parent);
	assert_int_equal(kpagecount_at(sim, parent, BASE), 3);
	s = smaps_of(sim, parent);
	assert_int_equal(s.rss, 12);
	assert_int_equal(s.pss, 3);
	assert_int_equal(s.shared_dirty, 12);
	assert_int_equal(s.private_dirty, 0);
	assert_int_equal(smaps_of(sim, c1).pss, 3);
	assert_int_equal(smaps_of(sim, c2).pss, 3);
	OK(sim, mmsim_exit(sim, c1));
	OK(sim, mmsim_exit(sim, c2));
	OK(sim, mmsim_munmap(sim, parent, BASE, 3 * PAGE));

	OK(sim, mmsim_mmap(sim, parent, BASE, 3 * PAGE, RW));
	write_byte(sim, parent, BASE, 1);
	c1 = do_fork(sim, parent);
	c2 = do_fork(sim, parent);
	OK(sim, mmsim_fill(sim, parent, BASE + PAGE, 2 * PAGE, 1));
	s = smaps_of(sim, parent);
	assert_int_equal(s.rss, 12);
	assert_int_equal(s.pss, 9);
	assert_int_equal(s.shared_dirty, 4);
	assert_int_equal(s.private_dirty, 8);
	mmsim_destroy(sim);
}

/*
 * smaps is one entry per VMA and each entry's Pss is shifted down to kB on
 * its own (the K1 rule applied per VMA): two separate VMAs, each with two
 * pages mapped by three mms, show 2 kB each (2.67 rounded down), so the sum
 * over the range is 4, not the 5 that one combined entry would give.
 */
static void test_smaps_pss_rounds_per_vma(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int parent = new_proc(sim);
	unsigned long a = BASE, b = BASE + SZ_1M;

	(void)state;
	OK(sim, mmsim_mmap(sim, parent, a, 2 * PAGE, RW));
	OK(sim, mmsim_mmap(sim, parent, b, 2 * PAGE, RW));
	OK(sim, mmsim_fill(sim, parent, a, 2 * PAGE, 1));
	OK(sim, mmsim_fill(sim, parent, b, 2 * PAGE, 1));
	do_fork(sim, parent);
	do_fork(sim, parent);
	{
		struct mmsim_smaps sa, sb;

		OK(sim, mmsim_smaps(sim, parent, a, a + 2 * PAGE, &sa));
		OK(sim, mmsim_smaps(sim, parent, b, b + 2 * PAGE, &sb));
		assert_int_equal(sa.pss, 2);
		assert_int_equal(sb.pss, 2);
	}
	assert_int_equal(smaps_of(sim, parent).pss, 4);
	assert_int_equal(smaps_of(sim, parent).rss, 16);
	mmsim_destroy(sim);
}

/*
 * kernel-facts E: smaps counts a PMD-mapped THP page by page with each
 * page's precise mapcount: after fork + the child's write of page 5 the
 * PMD-mapped parent has Pss = 511 * 4 / 2 + 4 = 1026, Shared_Dirty 2044,
 * Private_Dirty 4, and AnonHugePages still 2048.
 */
static void test_smaps_pmd_thp_per_page_mapcount(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int parent = new_proc(sim), child;
	struct mmsim_smaps s;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, parent, BASE, SZ_2M, RW));
	write_byte(sim, parent, BASE, 1);
	child = do_fork(sim, parent);
	write_byte(sim, child, BASE + 5 * PAGE, 2);
	s = smaps_of(sim, parent);
	assert_int_equal(s.rss, 2048);
	assert_int_equal(s.pss, 1026);
	assert_int_equal(s.shared_dirty, 2044);
	assert_int_equal(s.private_dirty, 4);
	assert_int_equal(s.shared_clean, 0);
	assert_int_equal(s.private_clean, 0);
	assert_int_equal(s.anonymous, 2048);
	assert_int_equal(s.anon_huge_pages, 2048);
	mmsim_destroy(sim);
}

/*
 * fs/proc/page.c stops a read at max_pfn (nothing comes back for a frame
 * beyond physical memory); mmsim reports that as an error, not as a count.
 */
static void test_kpage_out_of_range(void **state)
{
	struct mmsim *sim = test_sim(4096);
	uint64_t v;

	(void)state;
	assert_int_not_equal(mmsim_kpagecount(sim, 4096, &v), 0);
	assert_int_not_equal(mmsim_kpageflags(sim, 1UL << 40, &v), 0);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagemap_raw_words),
		cmocka_unit_test(test_zero_page_flags_and_counts),
		cmocka_unit_test(test_kpageflags_thp_on_every_mthp_page),
		cmocka_unit_test(test_kpageflags_mmap_on_unmapped_page_of_mapped_folio),
		cmocka_unit_test(test_pagemap_pmd_uses_head_count),
		cmocka_unit_test(test_smaps_pss_rounding),
		cmocka_unit_test(test_smaps_pss_rounds_per_vma),
		cmocka_unit_test(test_smaps_pmd_thp_per_page_mapcount),
		cmocka_unit_test(test_kpage_out_of_range),
		cmocka_unit_test(test_soft_dirty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
