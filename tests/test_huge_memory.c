// SPDX-License-Identifier: MIT
/*
 * Tests of lib/huge_memory.c: PMD-sized THP faults, the huge zero folio,
 * the PMD/mTHP size choice and partial unmap/mprotect/DONTNEED/mremap of a
 * THP. Expected numbers are the live Linux 6.18 kernel's (docs/kernel-facts.md,
 * "Huge pages", names the scenario that shows each on the kernel).
 */
#include "test_util.h"

#include <errno.h>

#define KPF(bit)	(1ULL << (bit))
#define KPF_SHOWN	(KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON) |			\
			 KPF(MMSIM_KPF_COMPOUND_HEAD) | KPF(MMSIM_KPF_COMPOUND_TAIL) |	\
			 KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE) | KPF(MMSIM_KPF_KSM))
#define KPF_HEAD	KPF(MMSIM_KPF_COMPOUND_HEAD)
#define KPF_TAIL	KPF(MMSIM_KPF_COMPOUND_TAIL)
#define KPF_ANON_THP	(KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON) | KPF(MMSIM_KPF_THP))
#define NR_PMD		512UL

static uint64_t pfn_flags(struct mmsim *sim, unsigned long pfn)
{
	uint64_t flags;

	OK(sim, mmsim_kpageflags(sim, pfn, &flags));
	return flags & KPF_SHOWN;
}

static uint64_t flags_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return pfn_flags(sim, pfn_of(sim, pid, addr));
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

static struct mmsim_smaps smaps_range(struct mmsim *sim, int pid, unsigned long start,
				      unsigned long end)
{
	struct mmsim_smaps s;

	OK(sim, mmsim_smaps(sim, pid, start, end, &s));
	return s;
}

/* top never, hugepages-2048kB always, as experiment B set it. */
static struct mmsim *thp_sim(void)
{
	struct mmsim *sim = test_sim(8192);

	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	return sim;
}

/*
 * The 2M block at base is one order-9 anon THP mapped exclusively by pid:
 * consecutive frames, kpagecount 1, exclusive, MMAP|ANON|THP with HEAD on
 * page 0 and TAIL elsewhere (kernel-facts B, E "before fork").
 */
static void assert_exclusive_thp(struct mmsim *sim, int pid, unsigned long base)
{
	unsigned long head = pfn_of(sim, pid, base);

	for (unsigned long i = 0; i < NR_PMD; i++) {
		unsigned long addr = base + i * PAGE;

		assert_true(present(sim, pid, addr));
		assert_int_equal(pfn_of(sim, pid, addr), head + i);
		assert_true(exclusive(sim, pid, addr));
		assert_int_equal(kpagecount_pfn(sim, head + i), 1);
		assert_int_equal(pfn_flags(sim, head + i), KPF_ANON_THP | (i ? KPF_TAIL : KPF_HEAD));
	}
	assert_int_equal(order_at(sim, pid, base), 9);
	assert_int_equal(order_at(sim, pid, base + SZ_2M - PAGE), 9);
}

/*
 * kernel-facts B (write) / E (before fork): a write fault in a 2M-aligned
 * VMA with 2048kB=always maps a new order-9 THP with one PMD: every page
 * present, exclusive, kpagecount 1; Rss = Pss = Private_Dirty = Anonymous =
 * AnonHugePages = 2048. The next 2M block stays untouched, and the PMD was
 * not split (AnonHugePages counts PMD-mapped THPs only).
 */
static void test_pmd_thp_write_fault(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);
	struct mmsim_smaps s;
	struct mmsim_stats st;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * SZ_2M, RW));
	write_byte(sim, pid, BASE + 5 * PAGE, 0x42);
	assert_exclusive_thp(sim, pid, BASE);
	assert_false(present(sim, pid, BASE + SZ_2M));
	assert_int_equal(read_byte(sim, pid, BASE + 5 * PAGE), 0x42);
	assert_int_equal(read_byte(sim, pid, BASE + 4 * PAGE), 0);
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 2048);
	assert_int_equal(s.pss, 2048);
	assert_int_equal(s.private_dirty, 2048);
	assert_int_equal(s.shared_dirty, 0);
	assert_int_equal(s.anonymous, 2048);
	assert_int_equal(s.anon_huge_pages, 2048);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.pmd_splits, 0);
	assert_int_equal(st.nr_large_folios, 1);
	mmsim_destroy(sim);
}

/*
 * kernel-facts B: a read of untouched memory with 2M enabled and
 * use_zero_page=1 PMD-maps the huge zero folio: page i is head + i, order 9,
 * kpagecount 0, not exclusive, kpageflags HEAD|THP|ZERO_PAGE on the head and
 * TAIL|THP|ZERO_PAGE on the tails, no MMAP/ANON; Rss = Pss = Anonymous =
 * AnonHugePages = 0. The next 2M is not present.
 * Then a write to page 5 replaces it with a new order-9 THP (all 512 pages
 * exclusive, kpagecount 1, Rss 2048, AnonHugePages 2048) without a PMD split.
 */
static void test_huge_zero_page_read_then_write(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);
	struct mmsim_smaps s;
	struct mmsim_stats st;
	unsigned long zero;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 2 * SZ_2M, RW));
	assert_int_equal(read_byte(sim, pid, BASE), 0);
	zero = pfn_of(sim, pid, BASE);
	for (unsigned long i = 0; i < NR_PMD; i += 73) {
		unsigned long addr = BASE + i * PAGE;

		assert_true(present(sim, pid, addr));
		assert_int_equal(pfn_of(sim, pid, addr), zero + i);
		assert_false(exclusive(sim, pid, addr));
		assert_int_equal(kpagecount_at(sim, pid, addr), 0);
		assert_int_equal(flags_at(sim, pid, addr),
				 KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE) |
				 (i ? KPF_TAIL : KPF_HEAD));
	}
	assert_int_equal(flags_at(sim, pid, BASE + SZ_2M - PAGE),
			 KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE) | KPF_TAIL);
	assert_int_equal(order_at(sim, pid, BASE), 9);
	assert_false(present(sim, pid, BASE + SZ_2M));
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 0);
	assert_int_equal(s.pss, 0);
	assert_int_equal(s.anonymous, 0);
	assert_int_equal(s.anon_huge_pages, 0);

	write_byte(sim, pid, BASE + 5 * PAGE, 1);
	assert_exclusive_thp(sim, pid, BASE);
	assert_true(pfn_of(sim, pid, BASE) != zero);
	assert_false(present(sim, pid, BASE + SZ_2M));
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 2048);
	assert_int_equal(s.pss, 2048);
	assert_int_equal(s.private_dirty, 2048);
	assert_int_equal(s.anon_huge_pages, 2048);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.pmd_splits, 0);
	/* The huge zero folio is still the huge zero folio. */
	assert_int_equal(pfn_flags(sim, zero), KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE) |
			 KPF_HEAD);
	mmsim_destroy(sim);
}

/*
 * kernel-facts B ("later runs reuse the same huge zero folio"): there is one
 * huge zero folio; a second 2M block, and a second process, map the same one.
 */
static void test_huge_zero_page_is_shared(void **state)
{
	struct mmsim *sim = thp_sim();
	int a = new_proc(sim), b = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, a, BASE, 2 * SZ_2M, RW));
	OK(sim, mmsim_mmap(sim, b, BASE, SZ_2M, RW));
	read_byte(sim, a, BASE);
	read_byte(sim, a, BASE + SZ_2M + 7 * PAGE);
	read_byte(sim, b, BASE + 3 * PAGE);
	assert_int_equal(pfn_of(sim, a, BASE + SZ_2M), pfn_of(sim, a, BASE));
	assert_int_equal(pfn_of(sim, b, BASE), pfn_of(sim, a, BASE));
	assert_int_equal(kpagecount_at(sim, a, BASE), 0);
	mmsim_destroy(sim);
}

/* kernel-facts B extra: with use_zero_page=0 a read allocates a real THP. */
static void test_read_without_huge_zero_page_allocates_thp(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);
	struct mmsim_smaps s;

	(void)state;
	OK(sim, mmsim_set_thp_use_zero_page(sim, false));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	assert_int_equal(read_byte(sim, pid, BASE + 9 * PAGE), 0);
	assert_exclusive_thp(sim, pid, BASE);
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 2048);
	assert_int_equal(s.anon_huge_pages, 2048);
	mmsim_destroy(sim);
}

/*
 * faults.md §2.2/§2.3 with kernel-facts C2 and I2 (THPeligible=0 off
 * alignment): when the 2M block around the fault is not inside the VMA the
 * PMD fault falls back to the PTE level, which never tries order 9 again:
 * order 0 with only 2M enabled, the largest fitting mTHP size otherwise.
 */
static void test_pmd_fault_falls_back_when_block_not_in_vma(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE + PAGE, SZ_2M, RW));
	write_byte(sim, pid, BASE + SZ_1M, 1);
	assert_int_equal(order_at(sim, pid, BASE + SZ_1M), 0);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	assert_int_equal(smaps_of(sim, pid).rss, 4);

	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	write_byte(sim, pid, BASE + SZ_1M + SZ_64K, 1);
	assert_int_equal(order_at(sim, pid, BASE + SZ_1M + SZ_64K), 4);
	assert_int_equal(smaps_of(sim, pid).rss, 4 + 64);
	mmsim_destroy(sim);
}

/*
 * faults.md §2.2: if the PMD slot already holds a PTE table (an earlier 4K
 * fault in that 2M range) the PMD path is not attempted; the write gets the
 * largest mTHP size whose block is all none (kernel-facts C4c), never 2M.
 */
static void test_pte_table_present_rules_out_pmd(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	write_byte(sim, pid, BASE + SZ_1M, 1);		/* order 0: nothing enabled */
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	write_byte(sim, pid, BASE, 1);
	assert_int_equal(order_at(sim, pid, BASE), 4);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	/* Only 2M enabled: order 0. */
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_NEVER));
	write_byte(sim, pid, BASE + SZ_64K, 1);
	assert_int_equal(order_at(sim, pid, BASE + SZ_64K), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 4 + 64 + 4);
	mmsim_destroy(sim);
}

/*
 * kernel-facts D applied at PMD order (faults.md §2.1 step A is the same
 * mask for every order): top madvise + 2048kB inherit needs MADV_HUGEPAGE;
 * MADV_NOHUGEPAGE beats 2048kB=always; 2048kB=always works with top never
 * (kernel-facts B).
 */
static void test_pmd_thp_sysfs_and_madvise(void **state)
{
	static const struct {
		enum mmsim_thp_mode top, size;
		int advice;
		int order;
	} cases[] = {
		{ MMSIM_THP_MADVISE, MMSIM_THP_INHERIT, -1, 0 },
		{ MMSIM_THP_MADVISE, MMSIM_THP_INHERIT, MMSIM_MADV_HUGEPAGE, 9 },
		{ MMSIM_THP_ALWAYS, MMSIM_THP_INHERIT, -1, 9 },
		{ MMSIM_THP_NEVER, MMSIM_THP_INHERIT, MMSIM_MADV_HUGEPAGE, 0 },
		{ MMSIM_THP_NEVER, MMSIM_THP_ALWAYS, -1, 9 },
		{ MMSIM_THP_NEVER, MMSIM_THP_ALWAYS, MMSIM_MADV_NOHUGEPAGE, 0 },
		{ MMSIM_THP_ALWAYS, MMSIM_THP_MADVISE, -1, 0 },
		{ MMSIM_THP_NEVER, MMSIM_THP_MADVISE, MMSIM_MADV_HUGEPAGE, 9 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mmsim *sim = test_sim(8192);
		int pid = new_proc(sim);

		OK(sim, mmsim_set_thp(sim, 0, cases[i].top));
		OK(sim, mmsim_set_thp(sim, SZ_2M, cases[i].size));
		OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
		if (cases[i].advice >= 0)
			OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M,
					      (enum mmsim_advice)cases[i].advice));
		write_byte(sim, pid, BASE + 3 * PAGE, 1);
		if (order_at(sim, pid, BASE + 3 * PAGE) != cases[i].order)
			fail_msg("case %zu: order %d, kernel %d", i,
				 order_at(sim, pid, BASE + 3 * PAGE), cases[i].order);
		assert_int_equal(smaps_of(sim, pid).anon_huge_pages, cases[i].order ? 2048 : 0);
		mmsim_destroy(sim);
	}
}

/*
 * kernel-facts G1: munmap of the second 1M of a PMD THP splits the PMD, not
 * the folio: the remaining 256 pages are PTE-mapped, same frames, order 9,
 * kpagecount 1, exclusive. The unmapped frames have kpagecount 0 but keep
 * MMAP|ANON|TAIL|THP. smaps: Rss = Pss = 1024, AnonHugePages 0. No folio
 * split (thp_split_page +0); the folio is queued for deferred split.
 */
static void test_partial_munmap_splits_pmd_not_folio(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);
	struct mmsim_smaps s;
	struct mmsim_stats st;
	unsigned long head;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	write_byte(sim, pid, BASE, 1);
	head = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_munmap(sim, pid, BASE + SZ_1M, SZ_1M));
	for (unsigned long i = 0; i < 256; i++) {
		unsigned long addr = BASE + i * PAGE;

		assert_int_equal(pfn_of(sim, pid, addr), head + i);
		assert_true(exclusive(sim, pid, addr));
		assert_int_equal(kpagecount_pfn(sim, head + i), 1);
		assert_int_equal(order_at(sim, pid, addr), 9);
	}
	for (unsigned long i = 256; i < NR_PMD; i++) {
		assert_int_equal(kpagecount_pfn(sim, head + i), 0);
		assert_int_equal(pfn_flags(sim, head + i), KPF_ANON_THP | KPF_TAIL);
	}
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 1024);
	assert_int_equal(s.pss, 1024);
	assert_int_equal(s.anon_huge_pages, 0);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.pmd_splits, 1);
	assert_int_equal(st.folio_splits, 0);
	assert_int_equal(st.nr_large_folios, 1);
	assert_int_equal(st.nr_deferred_split, 1);
	mmsim_destroy(sim);
}

/*
 * kernel-facts G2: mprotect(PROT_READ) of 4K at +1M splits the VMA in three
 * and the PMD into PTEs; the folio stays order 9, every page kpagecount 1 and
 * exclusive. smaps per VMA: Rss 1024 / 4 / 1020, AnonHugePages 0 in each.
 */
static void test_partial_mprotect_splits_pmd(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);
	unsigned long head;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	write_byte(sim, pid, BASE, 1);
	head = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_mprotect(sim, pid, BASE + SZ_1M, PAGE, MMSIM_PROT_READ));
	for (unsigned long i = 0; i < NR_PMD; i += 17) {
		assert_int_equal(pfn_of(sim, pid, BASE + i * PAGE), head + i);
		assert_true(exclusive(sim, pid, BASE + i * PAGE));
		assert_int_equal(kpagecount_pfn(sim, head + i), 1);
		assert_int_equal(order_at(sim, pid, BASE + i * PAGE), 9);
	}
	assert_int_equal(smaps_range(sim, pid, BASE, BASE + SZ_1M).rss, 1024);
	assert_int_equal(smaps_range(sim, pid, BASE + SZ_1M, BASE + SZ_1M + PAGE).rss, 4);
	assert_int_equal(smaps_range(sim, pid, BASE + SZ_1M + PAGE, BASE + SZ_2M).rss, 1020);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	assert_int_equal(mmsim_fill(sim, pid, BASE + SZ_1M, 1, 2), -EFAULT);
	mmsim_destroy(sim);
}

/*
 * kernel-facts G3: MADV_DONTNEED of pages 4..5 of a 64K mTHP: they are not
 * present, the other 14 keep their frames, kpagecount 1, order 4. The dropped
 * frames have kpagecount 0 and still MMAP|TAIL|THP. Rss = Pss = 56. A re-write
 * of page 4 gets a new order-0 page (its block is not all none), Rss 60.
 */
static void test_mthp_dontneed_part(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);
	struct mmsim_smaps s;
	unsigned long head;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_64K, RW));
	write_byte(sim, pid, BASE, 1);
	head = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_madvise(sim, pid, BASE + 4 * PAGE, 2 * PAGE, MMSIM_MADV_DONTNEED));
	for (unsigned long i = 0; i < 16; i++) {
		unsigned long addr = BASE + i * PAGE;

		if (i == 4 || i == 5) {
			assert_false(present(sim, pid, addr));
			assert_int_equal(kpagecount_pfn(sim, head + i), 0);
			assert_int_equal(pfn_flags(sim, head + i), KPF_ANON_THP | KPF_TAIL);
			continue;
		}
		assert_int_equal(pfn_of(sim, pid, addr), head + i);
		assert_int_equal(kpagecount_pfn(sim, head + i), 1);
		assert_int_equal(order_at(sim, pid, addr), 4);
	}
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 56);
	assert_int_equal(s.pss, 56);
	write_byte(sim, pid, BASE + 4 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + 4 * PAGE), 0);
	assert_true(pfn_of(sim, pid, BASE + 4 * PAGE) != head + 4);
	assert_int_equal(smaps_of(sim, pid).rss, 60);
	mmsim_destroy(sim);
}

/*
 * kernel-facts G4: MADV_DONTNEED of 8K at +8K of a PMD THP splits the PMD:
 * pages 2-3 not present, the rest still order 9, Rss 2040, AnonHugePages 0.
 */
static void test_pmd_thp_dontneed_part(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);
	struct mmsim_smaps s;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	write_byte(sim, pid, BASE, 1);
	OK(sim, mmsim_madvise(sim, pid, BASE + 2 * PAGE, 2 * PAGE, MMSIM_MADV_DONTNEED));
	assert_false(present(sim, pid, BASE + 2 * PAGE));
	assert_false(present(sim, pid, BASE + 3 * PAGE));
	assert_int_equal(order_at(sim, pid, BASE + 4 * PAGE), 9);
	assert_int_equal(order_at(sim, pid, BASE + PAGE), 9);
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 2040);
	assert_int_equal(s.anon_huge_pages, 0);
	mmsim_destroy(sim);
}

/*
 * kernel-facts I1: mremap of a PMD THP between 2M-aligned addresses moves the
 * PMD: same frames, order 9, PMD-mapped (AnonHugePages 2048), kpagecount 1,
 * exclusive, no split. I2: to an address 4K above alignment the PMD is split
 * and the PTEs move: same frames, still order 9, kpagecount 1, exclusive,
 * Rss 2048, AnonHugePages 0; a write to page 0 then reuses the same frame.
 */
static void test_mremap_pmd_thp(void **state)
{
	struct mmsim *sim = thp_sim();
	int pid = new_proc(sim);
	unsigned long head, to = BASE + 32 * SZ_2M, to2 = BASE + 64 * SZ_2M + PAGE;
	struct mmsim_stats st;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	write_byte(sim, pid, BASE, 1);
	head = pfn_of(sim, pid, BASE);
	OK(sim, mmsim_mremap(sim, pid, BASE, SZ_2M, to));
	assert_false(present(sim, pid, BASE));
	assert_exclusive_thp(sim, pid, to);
	assert_int_equal(pfn_of(sim, pid, to), head);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 2048);
	mmsim_get_stats(sim, &st);
	assert_int_equal(st.pmd_splits, 0);

	OK(sim, mmsim_mremap(sim, pid, to, SZ_2M, to2));
	for (unsigned long i = 0; i < NR_PMD; i += 31) {
		assert_int_equal(pfn_of(sim, pid, to2 + i * PAGE), head + i);
		assert_true(exclusive(sim, pid, to2 + i * PAGE));
		assert_int_equal(kpagecount_pfn(sim, head + i), 1);
		assert_int_equal(order_at(sim, pid, to2 + i * PAGE), 9);
	}
	assert_int_equal(smaps_of(sim, pid).rss, 2048);
	assert_int_equal(smaps_of(sim, pid).pss, 2048);
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	write_byte(sim, pid, to2, 2);
	assert_int_equal(pfn_of(sim, pid, to2), head);
	assert_int_equal(read_byte(sim, pid, to2), 2);
	mmsim_destroy(sim);
}

/*
 * On the live kernel (huge-zero-partial-munmap.mms; here enabled =
 * madvise, 2048kB = inherit, MADV_HUGEPAGE on the VMA): after a read maps the
 * huge zero PMD, munmap of the second 1M splits it into PTEs that map the
 * small 4K zero page (kpageflags ZERO_PAGE only, no THP); the unmapped half is
 * not present. A write to page 1 then gets a new order-0 page and page 0
 * stays the small zero page. Rss stays 0 until the write.
 */
static void test_partial_munmap_of_huge_zero_pmd(void **state)
{
	struct mmsim *sim = test_sim(8192);
	int pid = new_proc(sim);
	unsigned long small_zero;

	(void)state;
	OK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_MADVISE));
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_INHERIT));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_mmap(sim, pid, BASE + 4 * SZ_2M, PAGE, RW));
	read_byte(sim, pid, BASE + 4 * SZ_2M);		/* the small zero page */
	small_zero = pfn_of(sim, pid, BASE + 4 * SZ_2M);
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_HUGEPAGE));
	read_byte(sim, pid, BASE);
	assert_int_equal(flags_at(sim, pid, BASE + 300 * PAGE),
			 KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE) | KPF_TAIL);
	OK(sim, mmsim_munmap(sim, pid, BASE + SZ_1M, SZ_1M));
	assert_int_equal(pfn_of(sim, pid, BASE), small_zero);
	assert_int_equal(pfn_of(sim, pid, BASE + 255 * PAGE), small_zero);
	assert_int_equal(flags_at(sim, pid, BASE), KPF(MMSIM_KPF_ZERO_PAGE));
	assert_false(present(sim, pid, BASE + 256 * PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 0);
	write_byte(sim, pid, BASE + PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + PAGE), 0);
	assert_int_equal(flags_at(sim, pid, BASE + PAGE), KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON));
	assert_int_equal(pfn_of(sim, pid, BASE), small_zero);
	assert_int_equal(smaps_of(sim, pid).rss, 4);
	mmsim_destroy(sim);
}

/* PR_GET_THP_DISABLE's answer for the process. */
static int thp_disabled(struct mmsim *sim, int pid)
{
	int v = -1;

	OK(sim, mmsim_prctl_get_thp_disable(sim, pid, &v));
	return v;
}

/*
 * PR_SET_THP_DISABLE (prctl_thp_disable.c, live on 6.18): with it no fault
 * maps a THP; with PR_THP_DISABLE_EXCEPT_ADVISED a MADV_HUGEPAGE range still
 * gets one; a child inherits the setting; clearing it takes no flags.
 * PR_GET_THP_DISABLE answers 1, 3 or 0 (selftest-prctl-thp-disable-*.mms).
 */
static void test_prctl_thp_disable(void **state)
{
	struct mmsim *sim = test_sim(0);
	int pid = new_proc(sim), child;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_prctl_set_thp_disable(sim, pid, true, false));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_2M, RW));
	OK(sim, mmsim_madvise(sim, pid, BASE, SZ_2M, MMSIM_MADV_HUGEPAGE));
	OK(sim, mmsim_fill(sim, pid, BASE, PAGE, 1));
	assert_int_equal(smaps_of(sim, pid).anon_huge_pages, 0);
	OK(sim, mmsim_prctl_set_thp_disable(sim, pid, true, true));
	OK(sim, mmsim_fork(sim, pid, &child));
	OK(sim, mmsim_mmap(sim, child, BASE + 4 * SZ_2M, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, child, BASE + 4 * SZ_2M, PAGE, 1));
	assert_int_equal(smaps_of(sim, child).anon_huge_pages, 0);
	OK(sim, mmsim_mmap(sim, child, BASE + 8 * SZ_2M, SZ_2M, RW));
	OK(sim, mmsim_madvise(sim, child, BASE + 8 * SZ_2M, SZ_2M, MMSIM_MADV_HUGEPAGE));
	OK(sim, mmsim_fill(sim, child, BASE + 8 * SZ_2M, PAGE, 1));
	assert_int_equal(smaps_of(sim, child).anon_huge_pages, 2048);
	assert_int_equal(mmsim_prctl_set_thp_disable(sim, pid, false, true), -EINVAL);
	assert_int_equal(thp_disabled(sim, pid), 3);
	assert_int_equal(thp_disabled(sim, child), 3);	/* inherited at fork */
	OK(sim, mmsim_prctl_set_thp_disable(sim, pid, false, false));
	assert_int_equal(thp_disabled(sim, pid), 0);
	OK(sim, mmsim_prctl_set_thp_disable(sim, child, true, false));
	assert_int_equal(thp_disabled(sim, child), 1);
	assert_int_equal(mmsim_prctl_get_thp_disable(sim, 999, &(int){ 0 }), -ESRCH);
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmd_thp_write_fault),
		cmocka_unit_test(test_huge_zero_page_read_then_write),
		cmocka_unit_test(test_huge_zero_page_is_shared),
		cmocka_unit_test(test_read_without_huge_zero_page_allocates_thp),
		cmocka_unit_test(test_pmd_fault_falls_back_when_block_not_in_vma),
		cmocka_unit_test(test_pte_table_present_rules_out_pmd),
		cmocka_unit_test(test_pmd_thp_sysfs_and_madvise),
		cmocka_unit_test(test_partial_munmap_splits_pmd_not_folio),
		cmocka_unit_test(test_partial_mprotect_splits_pmd),
		cmocka_unit_test(test_mthp_dontneed_part),
		cmocka_unit_test(test_pmd_thp_dontneed_part),
		cmocka_unit_test(test_mremap_pmd_thp),
		cmocka_unit_test(test_partial_munmap_of_huge_zero_pmd),
		cmocka_unit_test(test_prctl_thp_disable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
