// SPDX-License-Identifier: MIT
/*
 * The buddy allocator (lib/page_alloc.c), against mm/page_alloc.c:
 * __rmqueue_smallest() takes the first block of the smallest order that
 * fits and expand() hands the upper halves back, so a split keeps the
 * lowest address; __free_one_page() merges a freed block with its free
 * buddy, order by order. Exhaustion is -ENOMEM (VM_FAULT_OOM) at the fault,
 * and a PMD fault that cannot get an order-9 block falls back to small pages.
 */
#include "test_util.h"

#include "page_alloc.h"
#include "pgtable.h"
#include "prng.h"

/* A bare instance for the allocator alone: no process, no verifier calls. */
static struct mmsim *raw_sim(unsigned long nr_frames)
{
	struct mmsim_config cfg = { .nr_frames = nr_frames };
	struct mmsim *sim;

	assert_int_equal(mmsim_create(&cfg, &sim), 0);
	return sim;
}

static unsigned long pfn(struct mmsim *sim, struct page *page)
{
	assert_non_null(page);
	return page_to_pfn(sim, page);
}

static struct mmsim_stats stats(struct mmsim *sim)
{
	struct mmsim_stats s;

	mmsim_get_stats(sim, &s);
	return s;
}

/*
 * memblock_free_all() of 1024 frames, frame 0 being the zero page: the
 * largest naturally aligned blocks, i.e. one of every order below 9 and one
 * order-9 block.
 *
 *   pfn  1   2-3  4-7  8-15 ... 256-511  512-1023
 *   ord  0    1    2    3   ...    8        9
 */
static void test_initial_free_lists(void **state)
{
	struct mmsim *sim = raw_sim(1024);

	(void)state;
	assert_int_equal(sim->nr_free, 1023);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		assert_int_equal(sim->free_area[o].nr_free, 1);
		assert_int_equal(sim->free_area[o].head, 1UL << o);
	}
	assert_true(sim->pages[ZERO_PFN].flags & PG_reserved);
	mmsim_destroy(sim);
}

/*
 * Splitting always keeps the lowest part: 1023 order-0 allocations come
 * back in ascending pfn order (1, 2, 3, ...), then memory is exhausted.
 * Freeing them all merges every buddy back into the boot-time blocks.
 */
static void test_split_lowest_then_merge_back(void **state)
{
	struct mmsim *sim = raw_sim(1024);
	unsigned long heads[MAX_PAGE_ORDER + 1];

	(void)state;
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		heads[o] = sim->free_area[o].head;
	for (unsigned long i = 1; i < 1024; i++)
		assert_int_equal(pfn(sim, alloc_pages(sim, 0)), i);
	assert_int_equal(sim->nr_free, 0);
	assert_null(alloc_pages(sim, 0));
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		assert_int_equal(sim->free_area[o].nr_free, 0);

	/* Free in descending order: each frame meets its buddy when it comes. */
	for (unsigned long i = 1023; i >= 1; i--)
		free_pages(sim, pfn_to_page(sim, i), 0);
	assert_int_equal(sim->nr_free, 1023);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		assert_int_equal(sim->free_area[o].nr_free, 1);
		assert_int_equal(sim->free_area[o].head, heads[o]);
	}
	mmsim_destroy(sim);
}

/*
 * expand(): an order-3 request when only order 4 and up are left splits
 * 16-31 into 16-23 (returned) and 24-31 (free, order 3).
 *
 *   before: [8-15 o3] [16-31 o4] ...
 *   alloc 3 -> 8        alloc 3 -> 16, free list o3 = {24}
 */
static void test_expand_hands_back_upper_half(void **state)
{
	struct mmsim *sim = raw_sim(1024);
	struct page *a, *b;

	(void)state;
	a = alloc_pages(sim, 3);
	assert_int_equal(pfn(sim, a), 8);
	b = alloc_pages(sim, 3);
	assert_int_equal(pfn(sim, b), 16);
	assert_int_equal(sim->free_area[3].nr_free, 1);
	assert_int_equal(sim->free_area[3].head, 24);
	assert_int_equal(sim->free_area[4].nr_free, 0);

	/* 16 comes back: it merges with its free buddy 24 into order 4 at 16. */
	free_pages(sim, b, 3);
	assert_int_equal(sim->free_area[3].nr_free, 0);
	assert_int_equal(sim->free_area[4].head, 16);
	/* 8 comes back: its buddy 0-7 is not one free order-3 block, no merge. */
	free_pages(sim, a, 3);
	assert_int_equal(sim->free_area[3].head, 8);
	assert_int_equal(sim->free_area[4].nr_free, 1);
	assert_int_equal(sim->nr_free, 1023);

	/* The order-9 block is taken whole; a second one does not exist. */
	assert_int_equal(pfn(sim, alloc_pages(sim, 9)), 512);
	assert_null(alloc_pages(sim, 9));
	assert_null(alloc_pages(sim, 10));	/* above MAX_PAGE_ORDER */
	free_pages(sim, pfn_to_page(sim, 512), 9);
	assert_int_equal(sim->free_area[9].nr_free, 1);
	mmsim_destroy(sim);
}

/* A buddy that is free but of a smaller order (partly used) does not merge. */
static void test_no_merge_with_partial_buddy(void **state)
{
	struct mmsim *sim = raw_sim(1024);
	struct page *big, *small;

	(void)state;
	big = alloc_pages(sim, 9);		/* 512-1023 */
	free_pages(sim, big, 9);
	/* Take 512 alone: 513 (o0), 514 (o1), ..., 768 (o8) go back on the lists. */
	for (unsigned int o = 0; o < 9; o++)
		assert_non_null(alloc_pages(sim, o));	/* drain the low blocks first */
	small = alloc_pages(sim, 0);
	assert_int_equal(pfn(sim, small), 512);
	assert_int_equal(sim->free_area[8].head, 768);
	assert_int_equal(sim->free_area[0].head, 513);
	assert_int_equal(sim->free_area[9].nr_free, 0);
	free_pages(sim, small, 0);
	assert_int_equal(sim->free_area[9].nr_free, 1);
	assert_int_equal(sim->free_area[9].head, 512);
	mmsim_destroy(sim);
}

/*
 * A write fault with memory exhausted is VM_FAULT_OOM: -ENOMEM from the
 * write, the model unchanged. 64 frames: frame 0 is the zero page, the pgd
 * takes one, the first fault takes PUD, PMD and PTE tables, leaving 59
 * frames for pages.
 */
static void test_fault_enomem_when_exhausted(void **state)
{
	struct mmsim *sim = test_sim(64);
	struct mmsim_stats before, after;
	int pid = new_proc(sim), err = 0;
	unsigned long i;

	(void)state;
	OK(sim, mmsim_mmap(sim, pid, BASE, SZ_1M, RW));
	for (i = 0; i < 256; i++) {
		err = mmsim_fill(sim, pid, BASE + i * PAGE, PAGE, 1);
		if (err)
			break;
	}
	assert_int_equal(err, -ENOMEM);
	assert_int_equal(i, 59);
	before = stats(sim);
	assert_int_equal(before.nr_free_frames, 0);
	assert_int_equal(before.nr_page_tables, 4);
	/* It fails again and changes nothing; a read still maps the zero page. */
	assert_int_equal(mmsim_fill(sim, pid, BASE + i * PAGE, PAGE, 1), -ENOMEM);
	after = stats(sim);
	assert_int_equal(after.nr_folios, before.nr_folios);
	assert_int_equal(after.nr_free_frames, 0);
	assert_false(present(sim, pid, BASE + i * PAGE));
	assert_int_equal(read_byte(sim, pid, BASE + i * PAGE), 0);
	assert_int_equal(pfn_of(sim, pid, BASE + i * PAGE), ZERO_PFN);
	/* Freeing one page makes the next write work. */
	OK(sim, mmsim_munmap(sim, pid, BASE, PAGE));
	OK(sim, mmsim_fill(sim, pid, BASE + (i + 1) * PAGE, PAGE, 1));
	OK(sim, mmsim_exit(sim, pid));
	assert_int_equal(stats(sim).nr_free_frames, 63);
	mmsim_destroy(sim);
}

/*
 * Fragmentation: memory full of order-0 pages with every other one freed
 * has plenty of free frames but no order-9 block. The buddy still serves
 * order 0, and a write fault in a 2M-enabled VMA falls back to a 4K page
 * (do_huge_pmd_anonymous_page -> VM_FAULT_FALLBACK -> do_anonymous_page).
 */
static void test_fragmentation_thp_fallback(void **state)
{
	struct mmsim *sim = test_sim(1024);
	struct mm_struct *mm;
	int a = new_proc(sim), b = new_proc(sim);
	unsigned long n, i, va = BASE + 64 * SZ_2M;
	pmd_t *pmd;

	(void)state;
	OK(sim, mmsim_mmap(sim, a, BASE, 8 * SZ_1M, RW));
	for (n = 0; n < 2048; n++)
		if (mmsim_fill(sim, a, BASE + n * PAGE, PAGE, 0x5a))
			break;
	assert_int_equal(stats(sim).nr_free_frames, 0);
	for (i = 0; i < n; i += 2)
		OK(sim, mmsim_munmap(sim, a, BASE + i * PAGE, PAGE));
	assert_true(stats(sim).nr_free_frames >= n / 2);
	for (unsigned int o = 1; o <= MAX_PAGE_ORDER; o++)
		assert_int_equal(sim->free_area[o].nr_free, 0);

	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, b, va, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, b, va + 5 * PAGE, PAGE, 1));
	assert_int_equal(order_at(sim, b, va + 5 * PAGE), 0);
	assert_false(present(sim, b, va));
	mm = find_mm(sim, b);
	pmd = pmd_lookup(sim, mm, va);
	assert_non_null(pmd);
	assert_true(pmd_table(*pmd));
	assert_int_equal(smaps_of(sim, b).anon_huge_pages, 0);
	assert_int_equal(smaps_of(sim, b).rss, 4);
	mmsim_destroy(sim);
}

/* Everything a process took comes back at exit, whatever it did. */
static void test_free_count_restored_after_exit(void **state)
{
	struct mmsim *sim = test_sim(8192);
	unsigned long free0 = stats(sim).nr_free_frames;
	int p, c, g;

	(void)state;
	assert_int_equal(free0, 8191);
	p = new_proc(sim);
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_set_thp(sim, SZ_64K, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, 2 * SZ_2M, RW));
	OK(sim, mmsim_mmap(sim, p, BASE + 4 * SZ_2M, SZ_1M, RW));
	OK(sim, mmsim_fill(sim, p, BASE, 3 * PAGE, 1));			/* PMD THP */
	OK(sim, mmsim_fill(sim, p, BASE + 4 * SZ_2M, PAGE, 2));		/* 64K mTHP */
	c = do_fork(sim, p);
	OK(sim, mmsim_fill(sim, c, BASE + 7 * PAGE, PAGE, 3));		/* PMD split + COW */
	g = do_fork(sim, c);
	OK(sim, mmsim_madvise(sim, p, BASE + 4 * SZ_2M + PAGE, PAGE, MMSIM_MADV_DONTNEED));
	OK(sim, mmsim_mremap(sim, g, BASE, SZ_2M, BASE + 8 * SZ_2M));
	OK(sim, mmsim_mprotect(sim, c, BASE + SZ_1M, PAGE, MMSIM_PROT_READ));
	assert_true(stats(sim).nr_free_frames < free0);
	OK(sim, mmsim_exit(sim, c));
	OK(sim, mmsim_exit(sim, p));
	OK(sim, mmsim_exit(sim, g));
	assert_int_equal(stats(sim).nr_free_frames, free0);
	assert_int_equal(stats(sim).nr_folios, 0);
	assert_int_equal(stats(sim).nr_page_tables, 0);
	assert_int_equal(stats(sim).nr_deferred_split, 0);
	assert_int_equal(stats(sim).nr_anon_vmas, 0);
	assert_int_equal(stats(sim).nr_vmas, 0);
	mmsim_destroy(sim);
}

/*
 * folios_put_refs() frees runs of consecutive small folios as the aligned
 * blocks they split into. The free lists must end exactly as freeing the
 * folios one by one leaves them: same blocks, same order on every list,
 * or later allocations would hand out other frames. Small and large folios,
 * runs up and down, gaps, and puts that free nothing, in random order.
 */
#define PUT_FOLIOS 1500

static void put_sequence(struct mmsim *sim, uint64_t seed, bool batched)
{
	struct folio *folios[PUT_FOLIOS], *seq[PUT_FOLIOS];
	unsigned int refs[PUT_FOLIOS];
	unsigned long n = 0, i = 0;

	for (unsigned long f = 0; f < PUT_FOLIOS; f++) {
		unsigned int order = rnd(&seed, 10) ? 0 : 2 + (unsigned int)rnd(&seed, 3);

		folios[f] = folio_alloc(sim, order, FOLIO_anon);
		assert_non_null(folios[f]);
		if (!rnd(&seed, 8))
			folio_get(folios[f]);	/* freed by its second put */
	}
	while (i < PUT_FOLIOS) {
		/* A chunk of consecutive allocations, put up or down. */
		unsigned long len = 1 + rnd(&seed, 64), start = i, end;
		bool down = !rnd(&seed, 4);

		end = start + len < PUT_FOLIOS ? start + len : PUT_FOLIOS;
		for (unsigned long k = 0; k < end - start; k++) {
			struct folio *folio = folios[down ? end - 1 - k : start + k];

			/* Some stay: the free lists keep many blocks, in an order to compare. */
			if (rnd(&seed, 3)) {
				seq[n] = folio;
				refs[n++] = (unsigned int)folio->_refcount;
			}
		}
		i = end;
	}
	if (batched) {
		folios_put_refs(sim, seq, refs, (unsigned int)n);
		return;
	}
	for (unsigned long k = 0; k < n; k++)
		folio_put_refs(sim, seq[k], (int)refs[k]);
}

static void test_folios_put_refs_same_lists_as_one_by_one(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct mmsim *one = raw_sim(8192), *batch = raw_sim(8192);

		put_sequence(one, seed, false);
		put_sequence(batch, seed, true);
		assert_int_equal(batch->nr_free, one->nr_free);
		assert_int_equal(batch->nr_folios, one->nr_folios);
		assert_true(one->nr_folios > 0);
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
			unsigned long a = one->free_area[o].head, b = batch->free_area[o].head;

			assert_int_equal(batch->free_area[o].nr_free, one->free_area[o].nr_free);
			for (; a != NO_PFN; a = buddy_link_pfn(one->pages[a].buddy.next),
					    b = buddy_link_pfn(batch->pages[b].buddy.next))
				assert_int_equal(b, a);
			assert_int_equal(b, NO_PFN);
		}
		mmsim_destroy(one);
		mmsim_destroy(batch);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_free_lists),
		cmocka_unit_test(test_split_lowest_then_merge_back),
		cmocka_unit_test(test_expand_hands_back_upper_half),
		cmocka_unit_test(test_no_merge_with_partial_buddy),
		cmocka_unit_test(test_fault_enomem_when_exhausted),
		cmocka_unit_test(test_fragmentation_thp_fallback),
		cmocka_unit_test(test_free_count_restored_after_exit),
		cmocka_unit_test(test_folios_put_refs_same_lists_as_one_by_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
