// SPDX-License-Identifier: MIT
/*
 * Tests of lib/memory.c: anonymous faults (zero page, order-0 and mTHP
 * allocation, order choice), access errors and determinism. Every expected
 * number comes from the live Linux 6.18 kernel (docs/kernel-facts.md, "Faults",
 * names the scenario that shows each on the kernel), not from what the model
 * prints.
 */
#include "test_util.h"

#include <errno.h>
#include <string.h>

#define KPF(bit)	(1ULL << (bit))
/* The kpageflags bits these tests look at; LRU and the like are not modelled. */
#define KPF_SHOWN	(KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON) |			\
			 KPF(MMSIM_KPF_COMPOUND_HEAD) | KPF(MMSIM_KPF_COMPOUND_TAIL) |	\
			 KPF(MMSIM_KPF_THP) | KPF(MMSIM_KPF_ZERO_PAGE) | KPF(MMSIM_KPF_KSM))

static uint64_t flags_at(struct mmsim *sim, int pid, unsigned long addr)
{
	uint64_t flags;

	OK(sim, mmsim_kpageflags(sim, pfn_of(sim, pid, addr), &flags));
	return flags & KPF_SHOWN;
}

static void write_byte(struct mmsim *sim, int pid, unsigned long addr, int c)
{
	OK(sim, mmsim_fill(sim, pid, addr, 1, c));
}

/*
 * Checks that pages [first, first + 2^order) of the VMA at base form one
 * freshly faulted, exclusive folio of that order: consecutive frames, the
 * head at the aligned first page, mapcount 1 each (kernel-facts C1).
 */
static void assert_folio_block(struct mmsim *sim, int pid, unsigned long base,
			       unsigned long first, int order)
{
	unsigned long head = pfn_of(sim, pid, base + first * PAGE);
	uint64_t want = KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON);

	if (order)
		want |= KPF(MMSIM_KPF_THP);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		unsigned long addr = base + (first + i) * PAGE;
		uint64_t kind = !order ? 0 : i ? KPF(MMSIM_KPF_COMPOUND_TAIL)
					       : KPF(MMSIM_KPF_COMPOUND_HEAD);

		assert_true(present(sim, pid, addr));
		assert_int_equal(pfn_of(sim, pid, addr), head + i);
		assert_int_equal(order_at(sim, pid, addr), order);
		assert_true(exclusive(sim, pid, addr));
		assert_int_equal(kpagecount_at(sim, pid, addr), 1);
		assert_int_equal(flags_at(sim, pid, addr), want | kind);
	}
}

/*
 * kernel-facts A: a read fault on untouched memory maps the shared zero page:
 * present, not exclusive, kpagecount 0, kpageflags ZERO_PAGE only (no MMAP,
 * no ANON), and it costs no Rss. A second PTE on it keeps kpagecount 0. The
 * write that follows allocates a private order-0 page: exclusive, kpagecount
 * 1, MMAP|ANON, Rss = Pss = Private_Dirty = Anonymous = 4 kB.
 */
static void test_read_fault_maps_zero_page(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);
	struct mmsim_smaps s;
	unsigned long zero;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 16 * PAGE, RW));
	assert_int_equal(read_byte(sim, pid, BASE), 0);
	assert_true(present(sim, pid, BASE));
	assert_false(exclusive(sim, pid, BASE));
	assert_int_equal(kpagecount_at(sim, pid, BASE), 0);
	assert_int_equal(flags_at(sim, pid, BASE), KPF(MMSIM_KPF_ZERO_PAGE));
	zero = pfn_of(sim, pid, BASE);

	/* A second read maps the very same frame; still not counted. */
	assert_int_equal(read_byte(sim, pid, BASE + PAGE), 0);
	assert_int_equal(pfn_of(sim, pid, BASE + PAGE), zero);
	assert_int_equal(kpagecount_at(sim, pid, BASE), 0);
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 0);
	assert_int_equal(s.pss, 0);
	assert_int_equal(s.anonymous, 0);
	assert_false(present(sim, pid, BASE + 2 * PAGE));

	write_byte(sim, pid, BASE, 0x5a);
	assert_int_not_equal(pfn_of(sim, pid, BASE), zero);
	assert_int_equal(pfn_of(sim, pid, BASE + PAGE), zero);
	assert_true(exclusive(sim, pid, BASE));
	assert_int_equal(kpagecount_at(sim, pid, BASE), 1);
	assert_int_equal(order_at(sim, pid, BASE), 0);
	assert_int_equal(flags_at(sim, pid, BASE), KPF(MMSIM_KPF_MMAP) | KPF(MMSIM_KPF_ANON));
	assert_int_equal(read_byte(sim, pid, BASE), 0x5a);
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 4);
	assert_int_equal(s.pss, 4);
	assert_int_equal(s.private_dirty, 4);
	assert_int_equal(s.shared_dirty, 0);
	assert_int_equal(s.anonymous, 4);
	assert_int_equal(s.anon_huge_pages, 0);
	mmsim_destroy(sim);
}

/*
 * kernel-facts A (and C3a's second half): a write that hits a zero-page PTE is
 * a wp fault that gives a new order-0 page and counts it in Rss; the
 * neighbouring zero-page PTEs are not touched.
 */
static void test_write_after_read_is_order0_copy_of_zero(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, RW));
	for (unsigned long i = 0; i < 4; i++)
		read_byte(sim, pid, BASE + i * PAGE);
	write_byte(sim, pid, BASE + 2 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + 2 * PAGE), 0);
	assert_int_equal(kpagecount_at(sim, pid, BASE + 2 * PAGE), 1);
	assert_true(exclusive(sim, pid, BASE + 2 * PAGE));
	for (unsigned long i = 0; i < 4; i++)
		if (i != 2)
			assert_int_equal(flags_at(sim, pid, BASE + i * PAGE),
					 KPF(MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 4);
	mmsim_destroy(sim);
}

/*
 * kernel-facts C1: with only hugepages-64kB=always, a write at +0x30000 of a
 * 1M VMA gives an order-4 folio over pages 48..63 (head = page 48), all
 * present, exclusive, kpagecount 1, MMAP|ANON|THP; Rss = Pss = Anonymous = 64,
 * AnonHugePages 0. An unaligned write at +0x57000 fills the aligned block
 * 80..95 and the written page is head + 7; Rss 128.
 */
static void test_mthp_64k_fills_aligned_block(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);
	struct mmsim_smaps s;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	write_byte(sim, pid, BASE + 0x30000, 1);
	assert_folio_block(sim, pid, BASE, 48, 4);
	assert_false(present(sim, pid, BASE + 47 * PAGE));
	assert_false(present(sim, pid, BASE + 64 * PAGE));
	s = smaps_of(sim, pid);
	assert_int_equal(s.rss, 64);
	assert_int_equal(s.pss, 64);
	assert_int_equal(s.anonymous, 64);
	assert_int_equal(s.private_dirty, 64);
	assert_int_equal(s.anon_huge_pages, 0);

	write_byte(sim, pid, BASE + 0x57000, 2);
	assert_folio_block(sim, pid, BASE, 80, 4);
	assert_int_equal(pfn_of(sim, pid, BASE + 0x57000), pfn_of(sim, pid, BASE + 80 * PAGE) + 7);
	assert_int_equal(read_byte(sim, pid, BASE + 0x57000), 2);
	assert_int_equal(read_byte(sim, pid, BASE + 80 * PAGE), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 128);
	mmsim_destroy(sim);
}

/*
 * kernel-facts C2: the naturally aligned block must lie inside the VMA. In
 * [B+4K, B+76K) no 64K block fits around the first or the last page, so both
 * writes give order 0 (Rss 4, then 8). C2c: in [B+4K, B+132K) a write at
 * B+64K gets order 4 because [B+64K, B+128K) is inside (Rss 64).
 */
static void test_mthp_block_must_fit_in_vma(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);
	unsigned long b = BASE, c = BASE + SZ_1M;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, b + PAGE, 72 << 10, RW));
	write_byte(sim, pid, b + PAGE, 1);
	assert_int_equal(order_at(sim, pid, b + PAGE), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 4);
	write_byte(sim, pid, b + (72 << 10), 1);	/* the last page */
	assert_int_equal(order_at(sim, pid, b + (72 << 10)), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 8);

	OK(sim, mmsim_mmap(sim, pid, c + PAGE, 128 << 10, RW));
	write_byte(sim, pid, c + SZ_64K, 1);
	assert_folio_block(sim, pid, c, 16, 4);
	assert_false(present(sim, pid, c + 15 * PAGE));
	assert_false(present(sim, pid, c + 32 * PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 8 + 64);
	mmsim_destroy(sim);
}

/*
 * kernel-facts C3a: a zero-page PTE (page 3) in the 64K block rules order 4
 * out: the write at page 0 gets order 0 (Rss 4). The write to page 3 then
 * replaces the zero page with a new order-0 page (Rss 8).
 * C3c control: an untouched block (write page 39) gets order 4, pages 32..47.
 */
static void test_mthp_zero_pte_rules_block_out(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	read_byte(sim, pid, BASE + 3 * PAGE);
	write_byte(sim, pid, BASE, 1);
	assert_int_equal(order_at(sim, pid, BASE), 0);
	assert_false(present(sim, pid, BASE + PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 4);
	write_byte(sim, pid, BASE + 3 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + 3 * PAGE), 0);
	assert_false(kpageflag_at(sim, pid, BASE + 3 * PAGE, MMSIM_KPF_ZERO_PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 8);

	write_byte(sim, pid, BASE + 39 * PAGE, 1);
	assert_folio_block(sim, pid, BASE, 32, 4);
	assert_int_equal(smaps_of(sim, pid).rss, 8 + 64);
	mmsim_destroy(sim);
}

/*
 * kernel-facts C3b: with 64K=never page 19 gets an order-0 page; after
 * switching 64K to always, a write to page 16 of the same block still gets
 * order 0 because page 19 is populated.
 */
static void test_mthp_populated_pte_rules_block_out(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	write_byte(sim, pid, BASE + 19 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + 19 * PAGE), 0);
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	write_byte(sim, pid, BASE + 16 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + 16 * PAGE), 0);
	assert_false(present(sim, pid, BASE + 17 * PAGE));
	assert_int_equal(smaps_of(sim, pid).rss, 8);
	mmsim_destroy(sim);
}

/*
 * kernel-facts C4: with 16K and 64K always and page 3 a zero-page PTE, a
 * write at page 8 falls to order 2 (pages 8..11), a write at page 1 gets
 * order 0 (its 16K block holds page 3), page 13 gets order 2 (12..15);
 * Rss 36. C4b: an order-0 page at 19 leaves page 20 order 2 (20..23).
 * C4c: an untouched block gets order 4.
 */
static void test_mthp_falls_to_next_enabled_size(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_16K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	read_byte(sim, pid, BASE + 3 * PAGE);
	write_byte(sim, pid, BASE + 8 * PAGE, 1);
	assert_folio_block(sim, pid, BASE, 8, 2);
	write_byte(sim, pid, BASE + 1 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + PAGE), 0);
	assert_false(present(sim, pid, BASE));
	write_byte(sim, pid, BASE + 13 * PAGE, 1);
	assert_folio_block(sim, pid, BASE, 12, 2);
	assert_int_equal(smaps_of(sim, pid).rss, 36);

	/* C4b: page 19 populated by an order-0 write first. */
	OK(sim, mmsim_set_thp(sim, SZ_16K, MMSIM_THP_NEVER));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_NEVER));
	write_byte(sim, pid, BASE + 19 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + 19 * PAGE), 0);
	OK(sim, mmsim_set_thp(sim, SZ_16K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	write_byte(sim, pid, BASE + 20 * PAGE, 1);
	assert_folio_block(sim, pid, BASE, 20, 2);

	/* C4c */
	write_byte(sim, pid, BASE + 40 * PAGE, 1);
	assert_folio_block(sim, pid, BASE, 32, 4);
	mmsim_destroy(sim);
}

/*
 * kernel-facts D (64kB, 1M VMA, write at +0x20000): 'inherit' takes the
 * top-level mode, 'madvise' needs MADV_HUGEPAGE, MADV_NOHUGEPAGE beats
 * 'always'. Order 4 gave Rss 64, order 0 gave Rss 4.
 */
static void test_mthp_sysfs_modes(void **state)
{
	static const struct {
		const char *name;
		enum mmsim_thp_mode top, size;
		int advice;		/* -1: none */
		int order;
	} cases[] = {
		{ "D1", MMSIM_THP_ALWAYS, MMSIM_THP_INHERIT, -1, 4 },
		{ "D2", MMSIM_THP_MADVISE, MMSIM_THP_INHERIT, -1, 0 },
		{ "D3", MMSIM_THP_MADVISE, MMSIM_THP_INHERIT, MMSIM_MADV_HUGEPAGE, 4 },
		{ "D4", MMSIM_THP_NEVER, MMSIM_THP_MADVISE, MMSIM_MADV_HUGEPAGE, 4 },
		{ "D4b", MMSIM_THP_NEVER, MMSIM_THP_MADVISE, -1, 0 },
		{ "D4c", MMSIM_THP_ALWAYS, MMSIM_THP_MADVISE, -1, 0 },
		{ "D5", MMSIM_THP_NEVER, MMSIM_THP_ALWAYS, MMSIM_MADV_NOHUGEPAGE, 0 },
		{ "D6", MMSIM_THP_NEVER, MMSIM_THP_INHERIT, -1, 0 },
		{ "D6b", MMSIM_THP_NEVER, MMSIM_THP_INHERIT, MMSIM_MADV_HUGEPAGE, 0 },
		{ "D7", MMSIM_THP_ALWAYS, MMSIM_THP_INHERIT, MMSIM_MADV_NOHUGEPAGE, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mmsim *sim = test_sim(4096);
		int pid = new_proc(sim);
		unsigned long addr = BASE + 0x20000;

		OK(sim, mmsim_set_thp(sim, 0, cases[i].top));
		OK(sim, mmsim_set_thp(sim, SZ_64K, cases[i].size));
		OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
		if (cases[i].advice >= 0)
			OK(sim, mmsim_madvise(sim, pid, BASE, SZ_1M,
					      (enum mmsim_advice)cases[i].advice));
		write_byte(sim, pid, addr, 1);
		if (order_at(sim, pid, addr) != cases[i].order)
			fail_msg("%s: order %d, kernel %d", cases[i].name,
				 order_at(sim, pid, addr), cases[i].order);
		assert_int_equal(smaps_of(sim, pid).rss, cases[i].order ? 64 : 4);
		mmsim_destroy(sim);
	}
}

/*
 * kernel-facts D4/D4b on one VMA: MADV_HUGEPAGE on part of a VMA splits it,
 * and only the advised part gets the 'madvise' size (faults.md §2.1 step A:
 * the per-VMA VM_HUGEPAGE flag decides).
 */
static void test_mthp_madvise_part_of_vma(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_MADVISE));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	OK(sim, mmsim_madvise(sim, pid, BASE + 0x80000, 0x80000, MMSIM_MADV_HUGEPAGE));
	write_byte(sim, pid, BASE + 0x20000, 1);
	assert_int_equal(order_at(sim, pid, BASE + 0x20000), 0);
	write_byte(sim, pid, BASE + 0x90000, 1);
	assert_folio_block(sim, pid, BASE, 0x90, 4);
	/* MADV_NOHUGEPAGE wins over a later fault in the advised part. */
	OK(sim, mmsim_madvise(sim, pid, BASE + 0xc0000, 0x40000, MMSIM_MADV_NOHUGEPAGE));
	write_byte(sim, pid, BASE + 0xd0000, 1);
	assert_int_equal(order_at(sim, pid, BASE + 0xd0000), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 4 + 64 + 4);
	mmsim_destroy(sim);
}

/*
 * A read never allocates a large folio at the PTE level: with 64K=always the
 * read maps the small zero page, and the later write to it is order 0
 * (kernel-facts C3a/C4: a wp fault on the zero page always gives order 0;
 * faults.md §1.3: only PMD order uses the huge zero folio).
 */
static void test_mthp_read_maps_small_zero_page(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_64K, RW));
	read_byte(sim, pid, BASE + 5 * PAGE);
	assert_int_equal(flags_at(sim, pid, BASE + 5 * PAGE), KPF(MMSIM_KPF_ZERO_PAGE));
	assert_false(present(sim, pid, BASE + 4 * PAGE));
	write_byte(sim, pid, BASE + 5 * PAGE, 1);
	assert_int_equal(order_at(sim, pid, BASE + 5 * PAGE), 0);
	assert_int_equal(smaps_of(sim, pid).rss, 4);
	mmsim_destroy(sim);
}

static void snapshot_stats(struct mmsim *sim, struct mmsim_stats *st)
{
	mmsim_get_stats(sim, st);
}

/*
 * A write to PROT_READ memory, or to an address with no VMA, is a SIGSEGV in
 * the kernel (access_error() in the x86 fault handler): mmsim returns -EFAULT
 * and nothing changes: no page, no Rss, no page table. Reading PROT_NONE
 * memory is refused the same way.
 */
static void test_bad_access_is_efault_and_changes_nothing(void **state)
{
	struct mmsim *sim = test_sim(4096);
	int pid = new_proc(sim);
	struct mmsim_stats before, after;
	uint8_t b = 7;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, 4 * PAGE, MMSIM_PROT_READ));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_1M, 4 * PAGE, MMSIM_PROT_NONE));
	OK(sim, mmsim_mmap(sim, pid, BASE + SZ_2M, 4 * PAGE, RW));
	write_byte(sim, pid, BASE + SZ_2M, 0x11);
	OK(sim, mmsim_mprotect(sim, pid, BASE + SZ_2M, 4 * PAGE, MMSIM_PROT_READ));
	snapshot_stats(sim, &before);

	assert_int_equal(mmsim_write(sim, pid, BASE, &b, 1), -EFAULT);
	assert_false(present(sim, pid, BASE));
	assert_int_equal(mmsim_fill(sim, pid, BASE + 3 * PAGE, PAGE, 1), -EFAULT);
	assert_int_equal(mmsim_write(sim, pid, BASE + 8 * PAGE, &b, 1), -EFAULT);
	assert_int_equal(mmsim_write(sim, pid, BASE + SZ_1M, &b, 1), -EFAULT);
	assert_int_equal(mmsim_read(sim, pid, BASE + SZ_1M, &b, 1), -EFAULT);
	assert_int_equal(mmsim_read(sim, pid, BASE + 8 * PAGE, &b, 1), -EFAULT);
	/* A present page that is now read-only keeps its frame and contents. */
	{
		unsigned long pfn = pfn_of(sim, pid, BASE + SZ_2M);

		assert_int_equal(mmsim_write(sim, pid, BASE + SZ_2M, &b, 1), -EFAULT);
		assert_int_equal(pfn_of(sim, pid, BASE + SZ_2M), pfn);
	}
	snapshot_stats(sim, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(read_byte(sim, pid, BASE + SZ_2M), 0x11);
	assert_int_equal(smaps_of(sim, pid).rss, 4);
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

/* The same operations on two instances: the same frames, byte for byte. */
static void run_script(struct mmsim *sim, unsigned long *pfns, size_t n)
{
	int parent = new_proc(sim), child;
	size_t k = 0;

	OK(sim, mmsim_set_thp(sim, SZ_16K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, parent, BASE, 2 * SZ_2M, RW));
	OK(sim, mmsim_mmap(sim, parent, BASE + 3 * SZ_2M + PAGE, SZ_1M, RW));
	write_byte(sim, parent, BASE + 5 * PAGE, 1);
	read_byte(sim, parent, BASE + SZ_2M);
	write_byte(sim, parent, BASE + 3 * SZ_2M + 0x30000, 2);
	write_byte(sim, parent, BASE + 3 * SZ_2M + 0x2000, 3);
	child = do_fork(sim, parent);
	write_byte(sim, child, BASE + 7 * PAGE, 4);
	write_byte(sim, parent, BASE + 3 * SZ_2M + 0x31000, 5);
	OK(sim, mmsim_madvise(sim, parent, BASE + 3 * SZ_2M + 0x34000, 2 * PAGE,
			      MMSIM_MADV_DONTNEED));
	write_byte(sim, child, BASE + SZ_2M + PAGE, 6);
	for (unsigned long a = BASE; a < BASE + 2 * SZ_2M && k + 2 <= n; a += 61 * PAGE) {
		pfns[k++] = (unsigned long)pagemap_of(sim, parent, a);
		pfns[k++] = (unsigned long)pagemap_of(sim, child, a);
	}
	for (unsigned long a = BASE + 3 * SZ_2M + PAGE; a < BASE + 3 * SZ_2M + 0x50000 && k + 2 <= n;
	     a += PAGE) {
		pfns[k++] = (unsigned long)pagemap_of(sim, parent, a);
		pfns[k++] = (unsigned long)pagemap_of(sim, child, a);
	}
}

static void test_determinism(void **state)
{
	struct mmsim *a = test_sim(8192), *b = test_sim(8192);
	unsigned long pa[400] = { 0 }, pb[400] = { 0 };
	struct mmsim_stats sa, sb;

	(void)state;
	run_script(a, pa, 400);
	run_script(b, pb, 400);
	assert_memory_equal(pa, pb, sizeof(pa));
	mmsim_get_stats(a, &sa);
	mmsim_get_stats(b, &sb);
	assert_memory_equal(&sa, &sb, sizeof(sa));
	mmsim_destroy(a);
	mmsim_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fault_maps_zero_page),
		cmocka_unit_test(test_write_after_read_is_order0_copy_of_zero),
		cmocka_unit_test(test_mthp_64k_fills_aligned_block),
		cmocka_unit_test(test_mthp_block_must_fit_in_vma),
		cmocka_unit_test(test_mthp_zero_pte_rules_block_out),
		cmocka_unit_test(test_mthp_populated_pte_rules_block_out),
		cmocka_unit_test(test_mthp_falls_to_next_enabled_size),
		cmocka_unit_test(test_mthp_sysfs_modes),
		cmocka_unit_test(test_mthp_madvise_part_of_vma),
		cmocka_unit_test(test_mthp_read_maps_small_zero_page),
		cmocka_unit_test(test_bad_access_is_efault_and_changes_nothing),
		cmocka_unit_test(test_determinism),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
