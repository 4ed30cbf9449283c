// SPDX-License-Identifier: MIT
/*
 * Swap (lib/swapfile.c, lib/swap_state.c, lib/vmscan.c, do_swap_page in
 * lib/memory.c): MADV_PAGEOUT and global reclaim write anonymous pages to
 * the simulated device and swap-in brings them back, byte for byte, through
 * fork, zap, mremap, mprotect, a full device and KSM. The checker recounts
 * every slot's swap_map from the page tables after each step.
 */
#include <errno.h>
#include <string.h>

#include "test_util.h"

#include "ksm.h"
#include "page_alloc.h"
#include "swap.h"
#include "vma.h"

static struct mmsim *swap_sim(unsigned long slots)
{
	return test_sim_cfg((struct mmsim_config){ .nr_frames = 8192, .nr_swap_slots = slots });
}

static int swapped(struct mmsim *sim, int pid, unsigned long addr)
{
	return !!(pagemap_of(sim, pid, addr) & MMSIM_PM_SWAP);
}

static struct mmsim_stats stats(struct mmsim *sim)
{
	struct mmsim_stats st;

	mmsim_get_stats(sim, &st);
	return st;
}

/* The swap entry's slot, from pagemap's swap offset (bits 5-54). */
static unsigned long slot_of(struct mmsim *sim, int pid, unsigned long addr)
{
	return (unsigned long)((pagemap_of(sim, pid, addr) & MMSIM_PM_PFN_MASK) >> 5);
}

static unsigned int slot_count(struct mmsim *sim, int pid, unsigned long addr)
{
	return swap_count(sim, swp_entry(0, slot_of(sim, pid, addr)));
}

/* A process with n pages at BASE, page i holding byte 0x10 + i. */
static int filled_proc(struct mmsim *sim, unsigned long n)
{
	int pid = new_proc(sim);

	OK(sim, mmsim_mmap(sim, pid, BASE, n * PAGE, RW));
	for (unsigned long i = 0; i < n; i++)
		OK(sim, mmsim_fill(sim, pid, BASE + i * PAGE, PAGE, (int)(0x10 + i)));
	return pid;
}

static void assert_bytes(struct mmsim *sim, int pid, unsigned long addr, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		assert_int_equal(read_byte(sim, pid, addr + i * PAGE), 0x10 + i);
		assert_int_equal(read_byte(sim, pid, addr + i * PAGE + PAGE - 1), 0x10 + i);
	}
}

static void test_pageout_round_trip(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 8);
	struct mmsim_stats before = stats(sim), after;

	(void)state;
	OK(sim, mmsim_madvise(sim, p, BASE, 8 * PAGE, MMSIM_MADV_PAGEOUT));
	after = stats(sim);
	for (unsigned long i = 0; i < 8; i++) {
		assert_true(swapped(sim, p, BASE + i * PAGE));
		assert_false(present(sim, p, BASE + i * PAGE));
	}
	assert_int_equal(after.pswpout, 8);
	assert_int_equal(after.nr_swap_used, 8);
	assert_int_equal(after.nr_swapcache, 0);
	assert_int_equal(after.nr_folios, before.nr_folios - 8);
	assert_int_equal(smaps_of(sim, p).swap, 32);
	assert_int_equal(smaps_of(sim, p).rss, 0);
	/* Read back: order-0 folios from the swap cache, the slots kept (read faults). */
	assert_bytes(sim, p, BASE, 8);
	after = stats(sim);
	assert_int_equal(after.pswpin, 8);
	assert_int_equal(after.nr_swapcache, 8);
	assert_int_equal(smaps_of(sim, p).swap, 0);
	/* The entries were exclusive: mapped writable, a write copies nothing. */
	assert_true(exclusive(sim, p, BASE));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 0x77));
	assert_int_equal(stats(sim).cow_copies, before.cow_copies);
	assert_int_equal(read_byte(sim, p, BASE), 0x77);
	mmsim_destroy(sim);
}

/* A write fault on a swap entry frees its slot (should_try_to_free_swap). */
static void test_write_fault_frees_slot(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 2);

	(void)state;
	OK(sim, mmsim_madvise(sim, p, BASE, 2 * PAGE, MMSIM_MADV_PAGEOUT));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 0x55));
	assert_int_equal(stats(sim).nr_swap_used, 1);
	assert_int_equal(stats(sim).nr_swapcache, 0);
	assert_int_equal(read_byte(sim, p, BASE), 0x55);
	assert_int_equal(read_byte(sim, p, BASE + PAGE), 0x11);
	mmsim_destroy(sim);
}

static void test_fork_shares_swap_entry(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 4), c;

	(void)state;
	OK(sim, mmsim_madvise(sim, p, BASE, 4 * PAGE, MMSIM_MADV_PAGEOUT));
	c = do_fork(sim, p);
	assert_true(swapped(sim, c, BASE));
	assert_int_equal(slot_of(sim, c, BASE), slot_of(sim, p, BASE));
	assert_int_equal(slot_count(sim, p, BASE), 2);
	assert_int_equal(stats(sim).nr_swap_used, 4);
	/* Both swap in the same folio: same anon_vma root, same index, no copy. */
	assert_bytes(sim, p, BASE, 4);
	assert_bytes(sim, c, BASE, 4);
	assert_int_equal(pfn_of(sim, p, BASE), pfn_of(sim, c, BASE));
	assert_int_equal(kpagecount_at(sim, p, BASE), 2);
	assert_false(exclusive(sim, p, BASE));
	assert_int_equal(stats(sim).ksm_swpin_copy, 0);
	/* Neither may write without a copy now. */
	OK(sim, mmsim_fill(sim, c, BASE, PAGE, 0x99));
	assert_int_equal(read_byte(sim, p, BASE), 0x10);
	assert_int_equal(read_byte(sim, c, BASE), 0x99);
	OK(sim, mmsim_exit(sim, c));
	OK(sim, mmsim_exit(sim, p));
	assert_int_equal(stats(sim).nr_swap_used, 0);
	assert_int_equal(stats(sim).nr_swapcache, 0);
	mmsim_destroy(sim);
}

static void test_zap_frees_slots(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 6);

	(void)state;
	OK(sim, mmsim_madvise(sim, p, BASE, 6 * PAGE, MMSIM_MADV_PAGEOUT));
	OK(sim, mmsim_munmap(sim, p, BASE, 2 * PAGE));
	assert_int_equal(stats(sim).nr_swap_used, 4);
	OK(sim, mmsim_madvise(sim, p, BASE + 2 * PAGE, 2 * PAGE, MMSIM_MADV_DONTNEED));
	assert_int_equal(stats(sim).nr_swap_used, 2);
	assert_int_equal(read_byte(sim, p, BASE + 2 * PAGE), 0);
	assert_bytes(sim, p, BASE + 4 * PAGE, 0);
	assert_int_equal(read_byte(sim, p, BASE + 5 * PAGE), 0x15);
	OK(sim, mmsim_exit(sim, p));
	assert_int_equal(stats(sim).nr_swap_used, 0);
	assert_int_equal(stats(sim).nr_swapcache, 0);
	mmsim_destroy(sim);
}

/* A full device: pageout stops without error, reclaim says -ENOMEM and changes nothing. */
static void test_swap_full(void **state)
{
	struct mmsim *sim = swap_sim(4);
	int p = filled_proc(sim, 8);
	struct mmsim_stats before;
	unsigned long n = 99;

	(void)state;
	assert_int_equal(stats(sim).nr_swap_slots, 4);
	OK(sim, mmsim_madvise(sim, p, BASE, 8 * PAGE, MMSIM_MADV_PAGEOUT));
	for (unsigned long i = 0; i < 8; i++)
		assert_int_equal(swapped(sim, p, BASE + i * PAGE), i < 4);
	before = stats(sim);
	assert_int_equal(mmsim_reclaim(sim, p, BASE + 4 * PAGE, 4 * PAGE, &n), -ENOMEM);
	assert_int_equal(n, 0);
	assert_int_equal(stats(sim).nr_folios, before.nr_folios);
	assert_int_equal(stats(sim).pswpout, before.pswpout);
	OK(sim, mmsim_verify(sim));
	assert_bytes(sim, p, BASE, 8);
	mmsim_destroy(sim);
}

static void test_mremap_swapped_range(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 4);
	struct mmsim_rmap_walk w;

	(void)state;
	OK(sim, mmsim_madvise(sim, p, BASE, 4 * PAGE, MMSIM_MADV_PAGEOUT));
	OK(sim, mmsim_mremap(sim, p, BASE, 4 * PAGE, BASE + SZ_1M));
	assert_true(swapped(sim, p, BASE + SZ_1M));
	assert_false(swapped(sim, p, BASE));
	assert_bytes(sim, p, BASE + SZ_1M, 4);
	OK(sim, mmsim_rmap_walk(sim, p, BASE + SZ_1M, &w));
	assert_true(w.reaches);
	assert_int_equal(w.mappings, 1);
	mmsim_destroy(sim);
}

static void test_mprotect_keeps_swap_entries(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 2);
	uint8_t b = 1;

	(void)state;
	OK(sim, mmsim_madvise(sim, p, BASE, 2 * PAGE, MMSIM_MADV_PAGEOUT));
	OK(sim, mmsim_mprotect(sim, p, BASE, 2 * PAGE, MMSIM_PROT_READ));
	assert_true(swapped(sim, p, BASE));
	assert_int_equal(read_byte(sim, p, BASE), 0x10);
	assert_int_equal(mmsim_write(sim, p, BASE, &b, 1), -EFAULT);
	OK(sim, mmsim_mprotect(sim, p, BASE, 2 * PAGE, RW));
	assert_true(swapped(sim, p, BASE + PAGE));
	OK(sim, mmsim_write(sim, p, BASE + PAGE, &b, 1));
	assert_int_equal(read_byte(sim, p, BASE + PAGE), 1);
	assert_int_equal(read_byte(sim, p, BASE + PAGE + 1), 0x11);
	mmsim_destroy(sim);
}

/* A PMD-mapped THP goes out whole into 512 contiguous slots, its PMD split first. */
static void test_thp_pageout(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = new_proc(sim);
	struct mmsim_stats before;

	(void)state;
	OK(sim, mmsim_set_thp(sim, SZ_2M, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_set_thp(sim, 0, MMSIM_THP_ALWAYS));
	OK(sim, mmsim_mmap(sim, p, BASE, SZ_2M, RW));
	OK(sim, mmsim_fill(sim, p, BASE, SZ_2M, 0x3c));
	assert_int_equal(order_at(sim, p, BASE), 9);
	before = stats(sim);
	OK(sim, mmsim_madvise(sim, p, BASE, SZ_2M, MMSIM_MADV_PAGEOUT));
	assert_int_equal(stats(sim).pmd_splits, before.pmd_splits + 1);
	assert_int_equal(stats(sim).folio_splits, before.folio_splits);
	assert_int_equal(stats(sim).pswpout, before.pswpout + 512);
	assert_int_equal(slot_of(sim, p, BASE + SZ_2M - PAGE), slot_of(sim, p, BASE) + 511);
	assert_int_equal(slot_of(sim, p, BASE) % 512, 0);
	assert_int_equal(read_byte(sim, p, BASE + 5 * PAGE), 0x3c);
	assert_int_equal(order_at(sim, p, BASE + 5 * PAGE), 0);	/* swap-in is order-0 */
	mmsim_destroy(sim);
}

/* MADV_PAGEOUT leaves a folio another process maps; reclaim takes it. */
static void test_pageout_skips_shared(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 2), c = do_fork(sim, p);
	unsigned long n = 0;

	(void)state;
	OK(sim, mmsim_madvise(sim, p, BASE, 2 * PAGE, MMSIM_MADV_PAGEOUT));
	assert_true(present(sim, p, BASE));
	assert_int_equal(stats(sim).pswpout, 0);
	OK(sim, mmsim_reclaim(sim, p, BASE, 2 * PAGE, &n));
	assert_int_equal(n, 2);
	assert_true(swapped(sim, p, BASE));
	assert_true(swapped(sim, c, BASE));
	assert_int_equal(slot_count(sim, c, BASE), 2);
	assert_bytes(sim, c, BASE, 2);
	mmsim_destroy(sim);
}

/* Two unrelated processes with one KSM page (byte 0x4d) at BASE and BASE + PAGE. */
static void ksm_pair(struct mmsim *sim, int *p, int *q)
{
	long shared;

	for (int i = 0; i < 2; i++) {
		int pid = new_proc(sim);

		OK(sim, mmsim_mmap(sim, pid, BASE, 2 * PAGE, RW));
		OK(sim, mmsim_madvise(sim, pid, BASE, 2 * PAGE, MMSIM_MADV_MERGEABLE));
		OK(sim, mmsim_fill(sim, pid, BASE, 2 * PAGE, 0x4d));
		*(i ? q : p) = pid;
	}
	OK(sim, mmsim_ksm_scan(sim, 2));
	OK(sim, mmsim_ksm_counter(sim, "pages_shared", &shared));
	assert_int_equal(shared, 1);
}

static struct folio *folio_at(struct mmsim *sim, int pid, unsigned long addr)
{
	return sim->pages[pfn_of(sim, pid, addr)].folio;
}

/*
 * A KSM page is swapped and brought back: pageout skips it (mapped by two
 * mms), reclaim writes it once for all four PTEs; the first swap-in gets the
 * plain folio, indexed for P's VMA. Q's VMA has another anon_vma root, and
 * P's second page another index: both get copies (ksm_might_need_to_copy).
 */
static void test_ksm_page_swapped_and_back(void **state)
{
	struct mmsim *sim = swap_sim(0);
	unsigned long n = 0;
	int p, q;

	(void)state;
	ksm_pair(sim, &p, &q);
	assert_true(kpageflag_at(sim, p, BASE, MMSIM_KPF_KSM));
	OK(sim, mmsim_madvise(sim, p, BASE, 2 * PAGE, MMSIM_MADV_PAGEOUT));
	assert_true(present(sim, p, BASE));
	OK(sim, mmsim_reclaim(sim, p, BASE, PAGE, &n));
	assert_int_equal(n, 1);
	for (unsigned long a = BASE; a < BASE + 2 * PAGE; a += PAGE) {
		assert_true(swapped(sim, p, a));
		assert_true(swapped(sim, q, a));
	}
	assert_int_equal(slot_count(sim, q, BASE), 4);
	assert_int_equal(read_byte(sim, p, BASE), 0x4d);
	assert_false(kpageflag_at(sim, p, BASE, MMSIM_KPF_KSM));
	assert_int_equal(folio_at(sim, p, BASE)->index, BASE >> 12);
	assert_int_equal(stats(sim).ksm_swpin_copy, 0);
	assert_int_equal(read_byte(sim, p, BASE + PAGE), 0x4d);
	assert_int_equal(stats(sim).ksm_swpin_copy, 1);
	assert_int_equal(read_byte(sim, q, BASE), 0x4d);
	assert_int_equal(read_byte(sim, q, BASE + PAGE), 0x4d);
	assert_int_equal(stats(sim).ksm_swpin_copy, 3);
	assert_true(pfn_of(sim, q, BASE) != pfn_of(sim, p, BASE));
	/* Every entry swapped in: the slot and the cached folio are gone once P's is unmapped. */
	assert_int_equal(stats(sim).nr_swap_used, 1);
	OK(sim, mmsim_munmap(sim, p, BASE, PAGE));
	assert_int_equal(stats(sim).nr_swap_used, 0);
	assert_int_equal(stats(sim).nr_swapcache, 0);
	/* ksmd merges the four again. */
	OK(sim, mmsim_mmap(sim, p, BASE, PAGE, RW));
	OK(sim, mmsim_madvise(sim, p, BASE, PAGE, MMSIM_MADV_MERGEABLE));
	OK(sim, mmsim_fill(sim, p, BASE, PAGE, 0x4d));
	OK(sim, mmsim_ksm_scan(sim, 3));
	assert_true(kpageflag_at(sim, q, BASE + PAGE, MMSIM_KPF_KSM));
	mmsim_destroy(sim);
}

/*
 * ksm_might_need_to_copy() itself: a KSM folio in the stable tree is used
 * as is, unless KSM is unmerging (run=2); a plain folio only where its index
 * and anon_vma root match.
 */
static void test_ksm_might_need_to_copy(void **state)
{
	struct mmsim *sim = swap_sim(0);
	struct vm_area_struct *vma;
	struct folio *ksm, *copy;
	int p, q, c;

	(void)state;
	ksm_pair(sim, &p, &q);
	ksm = folio_at(sim, p, BASE);
	vma = vma_lookup(find_mm(sim, q), BASE);
	assert_ptr_equal(ksm_might_need_to_copy(sim, ksm, vma, BASE + PAGE), ksm);
	sim->ksm.run = KSM_RUN_UNMERGE;
	copy = ksm_might_need_to_copy(sim, ksm, vma, BASE);
	sim->ksm.run = KSM_RUN_MERGE;
	assert_non_null(copy);
	assert_ptr_not_equal(copy, ksm);
	assert_int_equal(page_byte(&sim->pages[folio_pfn(copy)], 0), 0x4d);
	folio_put(sim, copy);

	c = new_proc(sim);
	OK(sim, mmsim_mmap(sim, c, BASE, 2 * PAGE, RW));
	OK(sim, mmsim_fill(sim, c, BASE, 2 * PAGE, 1));
	{
		struct folio *plain = folio_at(sim, c, BASE);
		struct vm_area_struct *own = vma_lookup(find_mm(sim, c), BASE);
		int child = do_fork(sim, c);
		struct vm_area_struct *childs = vma_lookup(find_mm(sim, child), BASE);

		assert_ptr_equal(ksm_might_need_to_copy(sim, plain, own, BASE), plain);
		assert_ptr_equal(ksm_might_need_to_copy(sim, plain, childs, BASE), plain);
		copy = ksm_might_need_to_copy(sim, plain, own, BASE + PAGE);
		assert_ptr_not_equal(copy, plain);
		folio_put(sim, copy);
		copy = ksm_might_need_to_copy(sim, plain, vma, BASE);
		assert_ptr_not_equal(copy, plain);
		folio_put(sim, copy);
	}
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

/* The checker recounts swap_map from the page tables and the swap cache. */
static void test_checker_recounts_swap_map(void **state)
{
	struct mmsim *sim = swap_sim(0);
	int p = filled_proc(sim, 2);
	unsigned int *map;

	(void)state;
	/* The slots come at the first swap-out; until then a count is a corruption. */
	assert_null(sim->swap->swap_map);
	assert_null(swap_map_entry(sim, swp_entry(0, 1)));
	sim->swap->inuse_pages++;
	assert_int_equal(mmsim_verify(sim), -EUCLEAN);
	assert_non_null(strstr(mmsim_last_error(sim), "no slot was ever allocated"));
	sim->swap->inuse_pages--;
	OK(sim, mmsim_verify(sim));
	OK(sim, mmsim_madvise(sim, p, BASE, 2 * PAGE, MMSIM_MADV_PAGEOUT));
	assert_non_null(sim->swap->swap_map);
	map = swap_map_entry(sim, swp_entry(0, slot_of(sim, p, BASE)));
	(*map)++;
	assert_int_equal(mmsim_verify(sim), -EUCLEAN);
	assert_non_null(strstr(mmsim_last_error(sim), "count 2, 1 swap PTEs"));
	(*map)--;
	*map |= SWAP_HAS_CACHE;
	assert_int_equal(mmsim_verify(sim), -EUCLEAN);
	assert_non_null(strstr(mmsim_last_error(sim), "SWAP_HAS_CACHE set, cache holds none"));
	*map &= ~SWAP_HAS_CACHE;
	find_mm(sim, p)->rss[MM_SWAPENTS]--;
	assert_int_equal(mmsim_verify(sim), -EUCLEAN);
	assert_non_null(strstr(mmsim_last_error(sim), "MM_SWAPENTS"));
	find_mm(sim, p)->rss[MM_SWAPENTS]++;
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

/* Every allocation of pageout and of swap-in may fail: an error or success, the model intact. */
static void test_allocation_failures(void **state)
{
	(void)state;
	for (unsigned long nth = 1; nth < 40; nth++) {
		struct mmsim *sim = swap_sim(0);
		int p = filled_proc(sim, 4), err;
		uint8_t b;

		mmsim_fail_nth_alloc(sim, nth);
		err = mmsim_reclaim(sim, p, BASE, 4 * PAGE, NULL);
		assert_true(err == 0 || err == -ENOMEM);
		mmsim_fail_nth_alloc(sim, 0);
		OK(sim, mmsim_verify(sim));
		mmsim_fail_nth_alloc(sim, nth);
		err = mmsim_read(sim, p, BASE + PAGE, &b, 1);
		assert_true(err == 0 || err == -ENOMEM);
		mmsim_fail_nth_alloc(sim, 0);
		OK(sim, mmsim_verify(sim));
		assert_bytes(sim, p, BASE, 4);
		mmsim_destroy(sim);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pageout_round_trip),
		cmocka_unit_test(test_write_fault_frees_slot),
		cmocka_unit_test(test_fork_shares_swap_entry),
		cmocka_unit_test(test_zap_frees_slots),
		cmocka_unit_test(test_swap_full),
		cmocka_unit_test(test_mremap_swapped_range),
		cmocka_unit_test(test_mprotect_keeps_swap_entries),
		cmocka_unit_test(test_thp_pageout),
		cmocka_unit_test(test_pageout_skips_shared),
		cmocka_unit_test(test_ksm_page_swapped_and_back),
		cmocka_unit_test(test_ksm_might_need_to_copy),
		cmocka_unit_test(test_checker_recounts_swap_map),
		cmocka_unit_test(test_allocation_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
