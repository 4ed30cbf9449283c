// SPDX-License-Identifier: MIT
/*
 * The simulated swap device, after mm/swapfile.c (6.18): a swap_map of use
 * counts per slot, slot allocation for a whole folio (get_swap_pages), and
 * the reference counting of swap entries (swap_duplicate, swap_free,
 * free_swap_and_cache). The slots hold the written pages' contents.
 */
#include <stdlib.h>
#include <string.h>

#include "mapcount.h"
#include "page_alloc.h"
#include "swap.h"

int swap_init(struct mmsim *sim, unsigned long nr)
{
	struct swap_info_struct *si = calloc(1, sizeof(*si));

	if (!si)
		return -ENOMEM;
	si->max = nr + 1;	/* the header's slot comes on top */
	sim->swap = si;
	return 0;
}

/*
 * The per-slot arrays (12 bytes a slot, a slot a frame by default) come at
 * the first swap-out: most runs never swap. Until then no slot is used, and
 * swap_map_entry() names none.
 */
static int swap_alloc_slots(struct swap_info_struct *si)
{
	if (si->swap_map)
		return 0;
	si->swap_map = calloc(si->max, sizeof(*si->swap_map));
	si->slot_data = calloc(si->max, sizeof(*si->slot_data));
	if (si->swap_map && si->slot_data)
		return 0;
	free(si->swap_map);
	free(si->slot_data);
	si->swap_map = NULL;
	si->slot_data = NULL;
	return -ENOMEM;
}

void swap_exit(struct mmsim *sim)
{
	struct swap_info_struct *si = sim->swap;

	if (!si)
		return;
	swap_cache_exit(sim);
	for (unsigned long i = 0; si->slot_data && i < si->max; i++)
		content_put(sim, si->slot_data[i]);
	free(si->swap_map);
	free(si->slot_data);
	free(si);
	sim->swap = NULL;
}

unsigned int *swap_map_entry(struct mmsim *sim, swp_entry_t entry)
{
	struct swap_info_struct *si = sim->swap;
	unsigned long offset = swp_offset(entry);

	if (!si || !si->swap_map || swp_type(entry) != si->type || offset == 0 ||
	    offset >= si->max)
		return NULL;
	return &si->swap_map[offset];
}

static bool slots_free(const struct swap_info_struct *si, unsigned long offset, long nr)
{
	for (long i = 0; i < nr; i++)
		if (si->swap_map[offset + (unsigned long)i])
			return false;
	return true;
}

/*
 * The cluster allocator of 6.18 keeps a large folio's slots contiguous and
 * aligned to its size. The model takes the lowest free block so aligned:
 * the same shape without the cluster lists, and the used slots stay low,
 * which keeps the checker's recount short. Which slot a page gets is not
 * observable on a kernel without swap anyway.
 */
swp_entry_t get_swap_pages(struct mmsim *sim, long nr)
{
	struct swap_info_struct *si = sim->swap;
	unsigned long n = (unsigned long)nr;

	/* No room, or no memory for the slots: no entry, as when swap is full. */
	if (!si || si->max - 1 - si->inuse_pages < n || swap_alloc_slots(si))
		return (swp_entry_t){ 0 };
	/* Slot 0 is the header: a block of one starts at 1, larger ones at n. */
	for (unsigned long start = n == 1 ? 1 : n; start + n <= si->max; start += n) {
		if (!slots_free(si, start, nr))
			continue;
		for (unsigned long i = 0; i < n; i++)
			si->swap_map[start + i] = SWAP_HAS_CACHE;
		si->inuse_pages += n;
		si->highest_bit = MAX(si->highest_bit, start + n - 1);
		return swp_entry(si->type, start);
	}
	return (swp_entry_t){ 0 };
}

unsigned int swap_count(struct mmsim *sim, swp_entry_t entry)
{
	unsigned int *map = swap_map_entry(sim, entry);

	return map ? *map & SWAP_COUNT_MASK : 0;
}

void swap_duplicate(struct mmsim *sim, swp_entry_t entry)
{
	(*swap_map_entry(sim, entry))++;
}

/* swap_entry_range_free(): the slot holds nothing any more. */
static void swap_slot_free(struct mmsim *sim, unsigned long offset)
{
	struct swap_info_struct *si = sim->swap;

	content_put(sim, si->slot_data[offset]);
	si->slot_data[offset] = NULL;
	si->inuse_pages--;
}

void swap_free(struct mmsim *sim, swp_entry_t entry)
{
	unsigned int *map = swap_map_entry(sim, entry);

	if (--*map == 0)
		swap_slot_free(sim, swp_offset(entry));
}

void swapcache_clear(struct mmsim *sim, swp_entry_t entry, long nr)
{
	for (long i = 0; i < nr; i++) {
		swp_entry_t e = { entry.val + (unsigned long)i };
		unsigned int *map = swap_map_entry(sim, e);

		*map &= ~SWAP_HAS_CACHE;
		if (!*map)
			swap_slot_free(sim, swp_offset(e));
	}
}

bool folio_swapped(struct mmsim *sim, const struct folio *folio)
{
	swp_entry_t entry = folio_swap(sim, folio);

	for (long i = 0; i < folio_nr_pages(folio); i++)
		if (swap_count(sim, (swp_entry_t){ entry.val + (unsigned long)i }))
			return true;
	return false;
}

bool folio_free_swap(struct mmsim *sim, struct folio *folio)
{
	if (!folio_test_swapcache(folio) || folio_swapped(sim, folio))
		return false;
	delete_from_swap_cache(sim, folio);
	return true;
}

void free_swap_and_cache(struct mmsim *sim, swp_entry_t entry)
{
	struct folio *folio = swap_cache_get_folio(sim, entry);

	swap_free(sim, entry);
	/* __try_to_reclaim_swap(TTRS_UNMAPPED): only a folio nobody maps. */
	if (folio && !folio_mapped(sim, folio))
		folio_free_swap(sim, folio);
}

int swap_read_folio(struct mmsim *sim, swp_entry_t entry, struct page *page)
{
	/* The page and the slot share the contents: a reference, nothing to copy. */
	set_page_content(sim, page, content_dup(sim->swap->slot_data[swp_offset(entry)]));
	return 0;
}

void swap_writepage(struct mmsim *sim, struct page *page, swp_entry_t entry)
{
	struct page_content **slot = &sim->swap->slot_data[swp_offset(entry)];

	/* A slot is written once per allocation: the reference moves. */
	content_put(sim, *slot);
	*slot = page->content;
	page->content = NULL;
	sim->pswpout++;
}
