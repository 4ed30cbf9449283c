// SPDX-License-Identifier: MIT
/*
 * The swap cache, after mm/swap_state.c (6.18): while a folio is being
 * swapped out, or after it was read back, it is found by its swap entries.
 * Linux keeps one xarray slot per page; the model keeps one uthash entry per
 * page, keyed by the swap entry. The cache holds one reference per page.
 * The folio's first entry, folio->swap, lives in its first frame's struct
 * page, in the word Linux shares with page->private (mm_types.h).
 */
#include "mapcount.h"
#include "page_alloc.h"
#include "swap.h"

struct swap_cache_entry {
	unsigned long val;		/* swp_entry_t */
	struct folio *folio;
	UT_hash_handle hh;		/* in sim->swap_cache by val */
};

static struct swap_cache_entry *cache_find(struct mmsim *sim, unsigned long val)
{
	struct swap_cache_entry *e;

	HASH_FIND(hh, sim->swap_cache, &val, sizeof(val), e);
	return e;
}

static void cache_del(struct mmsim *sim, struct swap_cache_entry *e)
{
	HASH_DEL(sim->swap_cache, e);
	sim_free(e);
}

swp_entry_t folio_swap(struct mmsim *sim, const struct folio *folio)
{
	if (!folio_test_swapcache(folio))
		return (swp_entry_t){ 0 };
	return (swp_entry_t){ sim->pages[folio_pfn(folio)].swap };
}

struct folio *swap_cache_get_folio(struct mmsim *sim, swp_entry_t entry)
{
	struct swap_cache_entry *e = cache_find(sim, entry.val);

	return e ? e->folio : NULL;
}

int add_to_swap_cache(struct mmsim *sim, struct folio *folio, swp_entry_t entry)
{
	long nr = folio_nr_pages(folio), i;

	for (i = 0; i < nr; i++) {
		struct swap_cache_entry *e = sim_malloc(sim, sizeof(*e));

		if (!e)
			break;
		e->val = entry.val + (unsigned long)i;
		e->folio = folio;
		HASH_ADD(hh, sim->swap_cache, val, sizeof(e->val), e);
		if (!e->hh.tbl) {	/* uthash could not grow its table */
			sim_free(e);
			break;
		}
	}
	if (i < nr) {
		while (i--)
			cache_del(sim, cache_find(sim, entry.val + (unsigned long)i));
		return -ENOMEM;
	}
	folio->flags |= FOLIO_swapcache;
	sim->pages[folio_pfn(folio)].swap = entry.val;
	folio->_refcount += (int)nr;
	sim->nr_swapcache += (unsigned long)nr;
	return 0;
}

void delete_from_swap_cache(struct mmsim *sim, struct folio *folio)
{
	long nr = folio_nr_pages(folio);
	swp_entry_t entry = folio_swap(sim, folio);

	for (long i = 0; i < nr; i++)
		cache_del(sim, cache_find(sim, entry.val + (unsigned long)i));
	folio->flags &= ~FOLIO_swapcache;
	sim->nr_swapcache -= (unsigned long)nr;
	swapcache_clear(sim, entry, nr);
	folio_put_refs(sim, folio, (int)nr);
}

/* A swap-cache folio no PTE and no swap entry needs: reclaim would drop it; we do so now. */
void free_swap_cache(struct mmsim *sim, struct folio *folio)
{
	if (folio_test_swapcache(folio) && !folio_mapped(sim, folio))
		folio_free_swap(sim, folio);
}

void free_pages_and_swap_cache(struct mmsim *sim, struct folio *const *folios,
			       const unsigned int *refs, unsigned int nr)
{
	/* With the cache empty no folio can leave it: a munmap need not look. */
	for (unsigned int i = 0; i < nr && sim->nr_swapcache; i++)
		free_swap_cache(sim, folios[i]);
	folios_put_refs(sim, folios, refs, nr);
}

unsigned long swap_cache_count(struct mmsim *sim)
{
	return HASH_COUNT(sim->swap_cache);
}

void swap_cache_exit(struct mmsim *sim)
{
	while (sim->swap_cache)
		delete_from_swap_cache(sim, sim->swap_cache->folio);
}
