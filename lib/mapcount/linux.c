// SPDX-License-Identifier: MIT
/*
 * Scheme "linux": the folio mapcounts of Linux 6.18 with CONFIG_PAGE_MAPCOUNT
 * and CONFIG_MM_ID, as in __folio_add_rmap()/__folio_remove_rmap() (mm/rmap.c)
 * and folio_add/sub_return_large_mapcount() (include/linux/rmap.h).
 */
#include "internal.h"

#include <limits.h>
#include <stdio.h>

static void set_mm_slot(struct folio *folio, int slot, unsigned int mm_id, int mapcount)
{
	folio->_mm_id[slot] = mm_id;
	folio->_mm_id_mapcount[slot] = mapcount - 1;
}

void folio_init_mapcounts(struct mmsim *sim, struct folio *folio)
{
	for (long i = 0; i < folio_nr_pages(folio); i++)
		folio_page(sim, folio, i)->_mapcount = -1;
	if (!folio_test_large(folio))
		return;		/* a small folio has none of the rest (see struct folio) */
	folio->_large_mapcount = -1;
	folio->_entire_mapcount = -1;
	folio->_nr_pages_mapped = 0;
	set_mm_slot(folio, 0, 0, 0);
	set_mm_slot(folio, 1, 0, 0);
	folio->_mm_ids_shared = false;
}

/* folio_add_return_large_mapcount(): the total, then the MM-owner slots. */
void folio_add_large_mapcount_mm(struct folio *folio, int diff, const struct mm_struct *mm)
{
	int total = folio->_large_mapcount + diff;	/* biased */

	folio->_large_mapcount = total;
	if (folio->_mm_id[0] == mm->mm_id) {
		folio->_mm_id_mapcount[0] += diff;
	} else if (folio->_mm_id[1] == mm->mm_id) {
		folio->_mm_id_mapcount[1] += diff;
	} else if (folio->_mm_id[0] == 0) {
		set_mm_slot(folio, 0, mm->mm_id, diff);
		/* Mappings that no slot tracks mean another mm maps it. */
		if (total != diff - 1)
			folio->_mm_ids_shared = true;
	} else if (folio->_mm_id[1] == 0) {
		set_mm_slot(folio, 1, mm->mm_id, diff);
		folio->_mm_ids_shared = true;
	}
	/* A third mm goes untracked: only the total (and the bit) know of it. */
}

/* folio_sub_return_large_mapcount(). */
void folio_sub_large_mapcount_mm(struct folio *folio, int diff, const struct mm_struct *mm)
{
	int total = folio->_large_mapcount - diff;	/* biased */

	folio->_large_mapcount = total;
	for (int slot = 0; slot < 2; slot++) {
		if (folio->_mm_id[slot] != mm->mm_id)
			continue;
		folio->_mm_id_mapcount[slot] -= diff;
		if (folio->_mm_id_mapcount[slot] >= 0)
			return;
		/* Mappings added while untracked can underflow a slot: free it. */
		set_mm_slot(folio, slot, 0, 0);
		break;
	}
	if (folio->_mm_id_mapcount[0] == total || folio->_mm_id_mapcount[1] == total)
		folio->_mm_ids_shared = false;
}

/*
 * Whether every mapped page of the folio has exactly one mapping, a PTE: no
 * PMD maps it and its mappings (the exact _large_mapcount) are as many as its
 * mapped pages (_nr_pages_mapped), each of which has at least one. Then the
 * pages a batch of PTEs unmaps all go from 0 to -1, and a munmap of
 * PTE-mapped 2M folios, which takes this path for every page, stores the -1
 * without loading and testing each count first.
 */
static bool folio_pages_mapped_once(const struct folio *folio)
{
	return folio->_entire_mapcount < 0 &&
	       folio->_large_mapcount + 1 == folio->_nr_pages_mapped;
}

/*
 * The _mapcount every page of the folio has, when the folio's counters
 * prove one (INT_MIN when they do not): -1 with no page mapped, 0 with all
 * pages mapped once each. Mapping PTEs then needs no read of the counts.
 */
static int uniform_page_mapcount(const struct folio *folio)
{
	if (folio->_nr_pages_mapped == 0)
		return -1;
	if (folio->_nr_pages_mapped == folio_nr_pages(folio) && folio_pages_mapped_once(folio))
		return 0;
	return INT_MIN;
}

/*
 * The per-page loops below are unrolled (GCC unroll): a
 * PTE-mapped THP's fork and zap run them over 512 pages, and at -O2 the
 * loop's own compare and branch were half of each page's work.
 */
static int linux_add(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
		     enum rmap_level level, const struct rmap_site *site)
{
	int first = 0;

	/*
	 * The kernel's work: the page counts, _nr_pages_mapped or
	 * _entire_mapcount, and _large_mapcount with the MM-owner slots under
	 * their bit spinlock (lock and unlock: two more atomics).
	 */
	pagecount_cost(sim, folio, page, nr, level, 3, folio->_entire_mapcount == -1);
	if (level == RMAP_LEVEL_PTE) {
		int before = uniform_page_mapcount(folio);

		if (before != INT_MIN) {
			/* fork of a private folio, or a new one's first mapping */
			_Pragma("GCC unroll 8")
			for (int i = 0; i < nr; i++)
				page[i]._mapcount = before + 1;
			first = before < 0 ? nr : 0;
		} else {
			_Pragma("GCC unroll 8")
			for (int i = 0; i < nr; i++)
				first += ++page[i]._mapcount == 0;
		}
		folio->_nr_pages_mapped += first;
		folio_add_large_mapcount_mm(folio, nr, site->vma->vm_mm);
		return folio->_nr_pages_mapped >= ENTIRELY_MAPPED ? 0 : first;
	}

	folio_add_large_mapcount_mm(folio, 1, site->vma->vm_mm);
	if (++folio->_entire_mapcount != 0)
		return 0;
	folio->_nr_pages_mapped += ENTIRELY_MAPPED;
	/* Pages already mapped by PTEs were counted then. */
	return (int)folio_nr_pages(folio) - (folio->_nr_pages_mapped - ENTIRELY_MAPPED);
}

static bool linux_remove(struct mmsim *sim, struct folio *folio, struct page *page, int nr,
			 enum rmap_level level, const struct rmap_site *site)
{
	int last = 0, unmapped;

	pagecount_cost(sim, folio, page, nr, level, 3, folio->_entire_mapcount == 0);
	if (level == RMAP_LEVEL_PTE) {
		if (folio_pages_mapped_once(folio)) {
			/* Each of the nr pages goes from 0 to -1: no need to read them. */
			_Pragma("GCC unroll 8")
			for (int i = 0; i < nr; i++)
				page[i]._mapcount = -1;
			last = nr;
		} else {
			_Pragma("GCC unroll 8")
			for (int i = 0; i < nr; i++)
				last += --page[i]._mapcount < 0;
		}
		folio_sub_large_mapcount_mm(folio, nr, site->vma->vm_mm);
		folio->_nr_pages_mapped -= last;
		/* While PMD-mapped nothing became unmapped. */
		unmapped = folio->_nr_pages_mapped >= ENTIRELY_MAPPED ? 0 : last;
		return unmapped && folio->_nr_pages_mapped;
	}

	folio_sub_large_mapcount_mm(folio, 1, site->vma->vm_mm);
	if (--folio->_entire_mapcount >= 0)
		return false;
	folio->_nr_pages_mapped -= ENTIRELY_MAPPED;
	unmapped = (int)folio_nr_pages(folio) - folio->_nr_pages_mapped;
	return unmapped && unmapped < folio_nr_pages(folio);
}

static bool linux_maybe_mapped_shared(const struct mmsim *sim, const struct folio *folio)
{
	int mapcount;

	mc_question(sim, MMSIM_MC_MAYBE_SHARED, folio);
	mapcount = folio_test_large(folio) ? folio->_large_mapcount + 1 :
		   folio_page(sim, folio, 0)->_mapcount + 1;

	if (!folio_test_large(folio))
		return mapcount > 1;
	if (mapcount <= 1)
		return false;
	return folio->_mm_ids_shared;
}


/*
 * __wp_can_reuse_large_anon_folio(): the shared bit clear and the mm owning a
 * slot whose count is the whole large mapcount.
 */
static bool linux_mm_owns_all(const struct mmsim *sim, const struct folio *folio,
			      const struct mm_struct *mm)
{
	mc_question(sim, MMSIM_MC_OWNS_ALL, folio);
	if (folio->_mm_ids_shared)
		return false;
	for (int slot = 0; slot < 2; slot++)
		if (folio->_mm_id[slot] == mm->mm_id)
			return folio->_mm_id_mapcount[slot] == folio->_large_mapcount;
	return false;
}

/*
 * For a large folio: the MM-owner slots never overcount an mm, and a folio
 * two mms map is always "maybe shared".
 */
int verify_mm_slots(struct mmsim *sim, const struct folio *folio,
		    const struct folio_pgtable_truth *t)
{
	for (int slot = 0; slot < 2; slot++) {
		unsigned int id = folio->_mm_id[slot];
		int want;

		if (!id) {
			if (folio->_mm_id_mapcount[slot] != -1)
				return sim_error(sim, -EUCLEAN, "folio %#lx: free slot %d counts %d",
						 folio_pfn(folio), slot, folio->_mm_id_mapcount[slot]);
			continue;
		}
		want = truth_mm_maps(t, id);
		/* A slot may undercount: mappings added while the mm was untracked. */
		if (folio->_mm_id_mapcount[slot] + 1 > want)
			return sim_error(sim, -EUCLEAN, "folio %#lx: slot %d says mm %u maps %d, truth %d",
					 folio_pfn(folio), slot, id, folio->_mm_id_mapcount[slot] + 1, want);
	}
	if (t->nr_mms > 1 && !(folio->_large_mapcount > 0 && folio->_mm_ids_shared))
		return sim_error(sim, -EUCLEAN, "folio %#lx: mapped by %d mms but not maybe-shared",
				 folio_pfn(folio), t->nr_mms);
	return 0;
}

static int linux_verify(struct mmsim *sim, const struct folio *folio,
			const struct folio_pgtable_truth *t)
{
	return pagecount_verify_pages(sim, folio, t) ?: large_mapcount_verify(sim, folio, t) ?:
	       (folio_test_large(folio) ? verify_mm_slots(sim, folio, t) : 0);
}

const struct mapcount_ops mapcount_linux_ops = {
	.name = "linux",
	.folio_init = folio_init_mapcounts,
	.small_folio_in_page_mapcount = true,
	.add = linux_add,
	.remove = linux_remove,
	.folio_mapcount = large_mapcount_folio_mapcount,
	.maybe_mapped_shared = linux_maybe_mapped_shared,
	.page_mapcount = pagecount_page_mapcount,
	.mm_owns_all = linux_mm_owns_all,
	.verify = linux_verify,
	/* _large_mapcount, _entire_mapcount, _nr_pages_mapped, _mm_ids, 2 slots */
	.bytes_per_folio = 4 + 4 + 4 + 8 + 8,
	.bytes_per_page = 4,
};
