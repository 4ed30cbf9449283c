/* SPDX-License-Identifier: MIT */
/*
 * Physical memory: frames, the buddy allocator, folios and page contents
 * (mm/page_alloc.c, mm/swap.c's folio_put).
 */
#ifndef MMSIM_PAGE_ALLOC_H
#define MMSIM_PAGE_ALLOC_H

#include "sim.h"

#define ZERO_PFN 0UL	/* the shared zero page: frame 0, never allocated */

int page_alloc_init(struct mmsim *sim, unsigned long nr_frames);
void page_alloc_exit(struct mmsim *sim);

/* A free block of 2^order frames, or NULL when memory is exhausted. */
struct page *alloc_pages(struct mmsim *sim, unsigned int order);
/* __alloc_pages_node() with __GFP_THISNODE: on node nid only, or NULL. */
struct page *alloc_pages_node(struct mmsim *sim, int nid, unsigned int order);
void free_pages(struct mmsim *sim, struct page *page, unsigned int order);

/* A new folio of all-zero frames with refcount 1 and nothing mapped; order 0 or 2+. */
struct folio *folio_alloc(struct mmsim *sim, unsigned int order, unsigned int flags);
/* The same on node nid only (migration's target), or NULL. */
struct folio *folio_alloc_node(struct mmsim *sim, int nid, unsigned int order, unsigned int flags);
void folio_get(struct folio *folio);
/* __folio_put(): frees a folio whose last reference went. */
void free_folio(struct mmsim *sim, struct folio *folio);

/*
 * folios_put_refs() (mm/swap.c, with free_unref_folios()): drops refs[i]
 * from folios[i]; those whose last reference went are freed, in order.
 */
void folios_put_refs(struct mmsim *sim, struct folio *const *folios, const unsigned int *refs,
		     unsigned int nr);

/*
 * folio_ref_sub_and_test(): drops references; true when the last went and
 * the folio must be freed. The shared zero page (PG_reserved) never is; the
 * huge zero folio is.
 */
static inline bool folio_ref_sub_and_test(struct folio *folio, int refs)
{
	folio->_refcount -= refs;
	return folio->_refcount == 0 && folio_pfn(folio) != ZERO_PFN;
}

/* Drops references; the last one frees the folio and its frames. */
static inline void folio_put_refs(struct mmsim *sim, struct folio *folio, int refs)
{
	if (folio_ref_sub_and_test(folio, refs))
		free_folio(sim, folio);
}

static inline void folio_put(struct mmsim *sim, struct folio *folio)
{
	folio_put_refs(sim, folio, 1);
}

struct folio *zero_folio(struct mmsim *sim);
/* The huge zero folio, allocated on first use; NULL when memory is exhausted. */
struct folio *get_huge_zero_folio(struct mmsim *sim);

/*
 * 4 KiB buffers for page contents and page tables, zeroed when asked; NULL
 * on (injected) failure. Freed buffers stay with the instance for reuse.
 */
void *page_buf_alloc(struct mmsim *sim, bool zero);
void page_buf_free(struct mmsim *sim, void *buf);

/*
 * Page contents (content.h): a reference, NULL while all zero. A copy is
 * one more reference: it never fails (0), whatever the callers check.
 */
int copy_page_data(struct mmsim *sim, struct page *dst, const struct page *src);
void clear_page_data(struct mmsim *sim, struct page *page);
/* The page takes c (a reference the caller got) and drops what it held. */
void set_page_content(struct mmsim *sim, struct page *page, struct page_content *c);
bool page_is_zero_filled(const struct page *page);
int page_byte(const struct page *page, unsigned long offset);

#endif /* MMSIM_PAGE_ALLOC_H */
