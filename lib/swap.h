/* SPDX-License-Identifier: MIT */
/*
 * Swap (include/linux/swap.h, mm/swap.h): the simulated swap device
 * (swapfile.c), the swap cache (swap_state.c) and anonymous reclaim
 * (vmscan.c). Only the model's one device exists: swap type 0.
 */
#ifndef MMSIM_SWAP_H
#define MMSIM_SWAP_H

#include "pgtable.h"

/*
 * One swap_map byte of Linux per slot: the number of swap entries (PTEs)
 * that refer to the slot, plus SWAP_HAS_CACHE while the swap cache holds a
 * folio for it. Linux chains continuation pages past 0x3e references; the
 * model's counts are wide enough not to need them.
 */
#define SWAP_HAS_CACHE	(1U << 31)
#define SWAP_COUNT_MASK	(SWAP_HAS_CACHE - 1)

struct swap_info_struct {
	unsigned int type;		/* 0 */
	unsigned long max;		/* slots, the header's slot 0 included */
	unsigned long inuse_pages;	/* slots with a count or a cached folio */
	unsigned int *swap_map;		/* per slot: count | SWAP_HAS_CACHE; NULL until the first swap-out */
	struct page_content **slot_data;	/* per slot: the page's contents written there (content.h); same */
	unsigned long highest_bit;	/* no slot above was ever used (the checker stops there) */
};

/* ---- swapfile.c -------------------------------------------------------------- */
/* swapon(): a device of nr slots (slot 0 is the header). 0 or -ENOMEM. */
int swap_init(struct mmsim *sim, unsigned long nr);
/* swapoff() at teardown: drops the swap cache and every slot. */
void swap_exit(struct mmsim *sim);
/* The device's map entry for a swap entry, NULL when it names no valid slot. */
unsigned int *swap_map_entry(struct mmsim *sim, swp_entry_t entry);
/*
 * folio_alloc_swap(): nr contiguous, nr-aligned free slots for the folio,
 * marked SWAP_HAS_CACHE. The first entry, or an entry of val 0 when full.
 */
swp_entry_t get_swap_pages(struct mmsim *sim, long nr);
/* swap_duplicate(): one more reference (fork, try_to_unmap). */
void swap_duplicate(struct mmsim *sim, swp_entry_t entry);
/* swap_free(): one reference less; a slot with none and no cached folio is free again. */
void swap_free(struct mmsim *sim, swp_entry_t entry);
/* Clears SWAP_HAS_CACHE from nr slots (the folio left the swap cache). */
void swapcache_clear(struct mmsim *sim, swp_entry_t entry, long nr);
/* __swap_count(): the references to one slot. */
unsigned int swap_count(struct mmsim *sim, swp_entry_t entry);
/* folio_swapped(): does any PTE still refer to a slot of this swap-cache folio? */
bool folio_swapped(struct mmsim *sim, const struct folio *folio);
/*
 * free_swap_and_cache(): a zapped swap PTE. The reference goes; when none is
 * left and the cached folio is mapped nowhere, the folio leaves the cache.
 */
void free_swap_and_cache(struct mmsim *sim, swp_entry_t entry);
/* folio_free_swap(): an unswapped swap-cache folio gives its slots back. */
bool folio_free_swap(struct mmsim *sim, struct folio *folio);
/* Copies the contents of a slot into page; -ENOMEM when no buffer. */
int swap_read_folio(struct mmsim *sim, swp_entry_t entry, struct page *page);
/* swap_writepage(): the page's contents move to its slot. */
void swap_writepage(struct mmsim *sim, struct page *page, swp_entry_t entry);

/* ---- swap_state.c -------------------------------------------------------------- */
/* add_to_swap_cache(): the folio is found under its nr entries; takes nr references. -ENOMEM. */
int add_to_swap_cache(struct mmsim *sim, struct folio *folio, swp_entry_t entry);
/* delete_from_swap_cache(): the folio leaves the cache, drops its references and SWAP_HAS_CACHE. */
void delete_from_swap_cache(struct mmsim *sim, struct folio *folio);
/* folio->swap: the first entry of a swap-cache folio (val 0 when not in the cache). */
swp_entry_t folio_swap(struct mmsim *sim, const struct folio *folio);
/* swap_cache_get_folio(): the folio cached for entry, or NULL. */
struct folio *swap_cache_get_folio(struct mmsim *sim, swp_entry_t entry);
/* free_swap_cache(): a swap-cache folio mapped nowhere leaves the cache if no entry needs it. */
void free_swap_cache(struct mmsim *sim, struct folio *folio);
/*
 * free_pages_and_swap_cache(): the folios an unmap gathered (mmu_gather.h)
 * leave the swap cache where they may, then lose refs[i] references each.
 */
void free_pages_and_swap_cache(struct mmsim *sim, struct folio *const *folios,
			       const unsigned int *refs, unsigned int nr);
/* Entries in the swap cache, for the checker. */
unsigned long swap_cache_count(struct mmsim *sim);
/* Drops every folio of the swap cache (teardown). */
void swap_cache_exit(struct mmsim *sim);

/* ---- vmscan.c ------------------------------------------------------------------ */
/*
 * shrink_folio_list() for one anonymous folio: add_to_swap(), try_to_unmap()
 * into swap entries, pageout() and the folio's freeing. *nr_written counts
 * the pages that reached the device. 0 (reclaimed, or kept because still
 * mapped), -ENOMEM (swap full: the folio stays as it was).
 */
int shrink_anon_folio(struct mmsim *sim, struct folio *folio, unsigned long *nr_written);
/* Reclaims the folios mapped in [start, end) of mm; shared_too: global reclaim. */
int reclaim_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		  unsigned long end, bool shared_too, unsigned long *nr_written);

/* ---- memory.c ------------------------------------------------------------------ */
/* do_swap_page(): a fault on a swap PTE. 0 or -ENOMEM. */
int do_swap_page(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd, pte_t *pte,
		 unsigned long addr, bool write);

#endif /* MMSIM_SWAP_H */
