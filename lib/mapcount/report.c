// SPDX-License-Identifier: MIT
/*
 * The accuracy report: each mapped anonymous folio's scheme answers beside
 * what an rmap walk finds in the page tables. The walk goes through the
 * anon_vma tree, never through the mapcounts, so it is the same truth for
 * every scheme; mm_verify() checks the model, this measures the scheme.
 */
#include <stdlib.h>

#include "../mapcount.h"
#include "../proc.h"
#include "../rmap.h"

int folio_rmap_truth(struct mmsim *sim, struct folio *folio, struct folio_rmap_truth *t)
{
	long nr = folio_nr_pages(folio);
	struct rmap_hits h;
	int err = rmap_collect(sim, folio, &h);

	*t = (struct folio_rmap_truth){ 0 };
	if (err)
		return err;
	t->entries = (int)h.nr;
	for (size_t i = 0; i < h.nr; i++) {
		const struct rmap_hit *hit = &h.hits[i];
		bool new_pair = true, new_mm = true;

		/* A PMD slot holds one leaf or one PTE table: it names the table. */
		for (size_t j = 0; j < i; j++) {
			if (h.hits[j].vma == hit->vma && h.hits[j].pmd == hit->pmd)
				new_pair = false;
			if (h.hits[j].vma->vm_mm == hit->vma->vm_mm)
				new_mm = false;
		}
		t->pairs += new_pair;
		t->nr_mms += new_mm;
		if (!hit->pte) {
			for (long p = 0; p < nr; p++)
				t->page_maps[p]++;
		} else {
			t->page_maps[folio_page_idx(sim, folio, hit->page)]++;
		}
	}
	for (long p = 0; p < nr; p++)
		t->pages_mapped += t->page_maps[p] > 0;
	sim_free(h.hits);
	return 0;
}

static void report_folio(struct mmsim *sim, struct folio *folio, const struct folio_rmap_truth *t,
			 struct mmsim_mapcount_report *acc)
{
	const struct mapcount_ops *ops = sim->mapcount;
	int mapcount = folio_mapcount(sim, folio);
	int want = ops->counts == MAPCOUNT_COUNTS_PAIRS ? t->pairs : t->entries;
	bool shared = folio_maybe_mapped_shared(sim, folio);

	acc->folios++;
	if (mapcount != want) {
		acc->wrong_mapcount++;
		acc->drift += mapcount - want;
		acc->abs_drift += (unsigned long)abs(mapcount - want);
	}
	acc->false_unmapped += mapcount <= 0;
	acc->false_shared += shared && t->nr_mms == 1;
	acc->false_exclusive += !shared && t->nr_mms > 1;
	for (long p = 0; p < folio_nr_pages(folio); p++) {
		if (!t->page_maps[p])
			continue;
		acc->pages++;
		acc->wrong_page_counts +=
			page_mapcount_for_stats(sim, folio, folio_page(sim, folio, p)) != t->page_maps[p];
	}
	if (folio->order > 1 && (folio->flags & FOLIO_large_rmappable)) {
		bool partial = t->pages_mapped < folio_nr_pages(folio);
		bool queued = folio->flags & FOLIO_partially_mapped;

		acc->missed_partial += partial && !queued;
		acc->false_partial += queued && !partial;
	}
}

/* The report's own walks and questions cost the kernel nothing: not counted. */
static int mapcount_report(struct mmsim *sim, struct mmsim_mapcount_report *acc);

int mmsim_mapcount_report(struct mmsim *sim, struct mmsim_mapcount_report *acc)
{
	int err;

	mc_pause(sim);
	err = mapcount_report(sim, acc);
	mc_resume(sim);
	return err;
}

static int mapcount_report(struct mmsim *sim, struct mmsim_mapcount_report *acc)
{
	acc->samples++;
	for (unsigned long pfn = 0; pfn < sim->nr_frames; pfn++) {
		struct folio *folio = pfn_to_page(sim, pfn)->folio;
		struct folio_rmap_truth t;
		int err;

		if (!folio || folio_pfn(folio) != pfn || folio_is_zero(folio) || !folio_test_anon(folio) ||
		    folio_test_ksm(folio))
			continue;
		err = folio_rmap_truth(sim, folio, &t);
		if (err)
			return err;
		if (t.entries)
			report_folio(sim, folio, &t, acc);
		pfn += folio_nr_pages(folio) - 1;
	}
	return 0;
}

const char *mmsim_scheme(const struct mmsim *sim)
{
	return sim->mapcount->name;
}

long mmsim_mapcount_query_range(struct mmsim *sim, int pid, unsigned long addr,
				unsigned long len, unsigned long *nr_folios)
{
	struct mm_struct *mm = find_mm(sim, pid);
	unsigned long n = 0, a = addr;
	long sum = 0;

	if (!mm)
		return sim_error(sim, -ESRCH, "no process %d", pid);
	while (a < addr + len) {
		bool pmd_mapped;
		struct page *page = follow_page(sim, mm, a, &pmd_mapped);
		struct folio *folio = page ? page_folio(page) : NULL;

		if (!folio) {
			a += PAGE_SIZE;
			continue;
		}
		if (folio_test_anon(folio) && !folio_is_zero(folio)) {
			sum += folio_mapcount(sim, folio) + folio_maybe_mapped_shared(sim, folio);
			n++;
		}
		/* The rest of the folio's pages, mapped in a run as faults and fork leave them. */
		a += (unsigned long)(folio_nr_pages(folio) - folio_page_idx(sim, folio, page)) *
		     PAGE_SIZE;
	}
	if (nr_folios)
		*nr_folios = n;
	return sum;
}
