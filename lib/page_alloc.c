// SPDX-License-Identifier: MIT
/*
 * The buddy allocator and folios, after mm/page_alloc.c: free blocks of
 * 2^order frames sit on per-order lists; allocation splits the smallest block
 * that fits (__rmqueue_smallest, expand), freeing merges buddies back.
 * Differences from Linux: one zone, one migratetype, no per-cpu lists and no
 * tail placement heuristic, so the allocation order is simple and exact.
 */
#define _DEFAULT_SOURCE	/* madvise() */
#include "page_alloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ksm.h"
#include "mapcount.h"

/*
 * The list steps are inlined into the merge loop: a munmap of small pages
 * runs them twice a page, and their calls cost a third of the work. They
 * take the descriptor array as an argument because through sim every store
 * to a struct page would make the compiler load sim->pages again.
 */
static inline __attribute__((always_inline)) void
free_list_add(struct free_area *area, struct page *pages, unsigned long pfn, unsigned int order)
{
	struct page *page = &pages[pfn];

	page->flags |= PG_buddy;
	page->buddy_order = (uint8_t)order;
	page->buddy.prev = buddy_link(NO_PFN);
	page->buddy.next = buddy_link(area->head);
	if (area->head != NO_PFN)
		pages[area->head].buddy.prev = buddy_link(pfn);
	area->head = pfn;
	area->nr_free++;
}

static inline __attribute__((always_inline)) void
free_list_del(struct free_area *area, struct page *pages, unsigned long pfn)
{
	struct page *page = &pages[pfn];
	unsigned long prev = buddy_link_pfn(page->buddy.prev);
	unsigned long next = buddy_link_pfn(page->buddy.next);

	if (prev != NO_PFN)
		pages[prev].buddy.next = page->buddy.next;
	else
		area->head = next;
	if (next != NO_PFN)
		pages[next].buddy.prev = page->buddy.prev;
	page->flags &= (uint16_t)~PG_buddy;
	area->nr_free--;
}

/* __free_one_page(): merge with free buddies of the same order, then list. */
static void free_one_block(struct mmsim *sim, unsigned long pfn, unsigned int order)
{
	struct page *pages = sim->pages;
	unsigned long nr_frames = sim->nr_frames;

	sim->nr_free += 1UL << order;
	for (; order < MAX_PAGE_ORDER; order++) {
		unsigned long buddy = pfn ^ (1UL << order);

		if (buddy >= nr_frames || !(pages[buddy].flags & PG_buddy) ||
		    pages[buddy].buddy_order != order)
			break;
		free_list_del(&sim->free_area[order], pages, buddy);
		pfn &= ~(1UL << order);
	}
	free_list_add(&sim->free_area[order], pages, pfn, order);
}

/*
 * The first free block of order o on node nid, NO_PFN if none. Only
 * instances with several nodes search: each is a small experiment, and a
 * node's own lists (the kernel's pglist_data) would cost every other one.
 */
static unsigned long free_block_on_node(struct mmsim *sim, unsigned int o, int nid)
{
	unsigned long pfn = sim->free_area[o].head;

	if (sim->cfg.nr_nodes <= 1)
		return pfn;
	while (pfn != NO_PFN && pfn_to_nid(sim, pfn) != nid)
		pfn = buddy_link_pfn(sim->pages[pfn].buddy.next);
	return pfn;
}

/* __rmqueue_smallest() on one node: NULL when it has no block that large. */
static struct page *rmqueue_node(struct mmsim *sim, unsigned int order, int nid)
{
	unsigned int o = order;
	unsigned long pfn = NO_PFN;

	for (; o <= MAX_PAGE_ORDER; o++) {
		pfn = free_block_on_node(sim, o, nid);
		if (pfn != NO_PFN)
			break;
	}
	if (o > MAX_PAGE_ORDER)
		return NULL;
	free_list_del(&sim->free_area[o], sim->pages, pfn);
	/* expand(): hand the upper halves back, keep the lowest part. */
	while (o > order) {
		o--;
		free_list_add(&sim->free_area[o], sim->pages, pfn + (1UL << o), o);
	}
	sim->nr_free -= 1UL << order;
	/* prep_new_page(): nothing of the free-list links may leak into the new use. */
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *page = pfn_to_page(sim, pfn + i);

		page->flags = 0;
		page->buddy_order = 0;
		page->buddy.next = page->buddy.prev = 0;
	}
	return pfn_to_page(sim, pfn);
}

struct page *alloc_pages_node(struct mmsim *sim, int nid, unsigned int order)
{
	if (order > MAX_PAGE_ORDER || sim_alloc_fails(sim))
		return NULL;
	return rmqueue_node(sim, order, nid);
}

/* Every process runs on node 0: its memory first, then the others' in order. */
struct page *alloc_pages(struct mmsim *sim, unsigned int order)
{
	struct page *page = NULL;

	if (order > MAX_PAGE_ORDER || sim_alloc_fails(sim))
		return NULL;
	for (int nid = 0; !page && nid < (int)sim->cfg.nr_nodes; nid++)
		page = rmqueue_node(sim, order, nid);
	return page;
}

/*
 * What a frame keeps while free: nothing but the -1 of an unmapped
 * _mapcount (free_one_block() then marks the block's head).
 */
static const struct page free_frame = { ._mapcount = -1 };

/* A page table's buffer goes back to the stack, a page's contents lose a reference. */
static inline void reset_freed_page(struct mmsim *sim, struct page *p)
{
	if (p->flags & PG_table)
		page_buf_free(sim, p->data);
	else if (p->content)
		content_put(sim, p->content);
	*p = free_frame;
}

void free_pages(struct mmsim *sim, struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i++)
		reset_freed_page(sim, page + i);
	free_one_block(sim, page_to_pfn(sim, page), order);
}

/*
 * Page tables' buffers. jemalloc could hand these out, but a munmap of a
 * large range would then spend much of its time in free(); the model reuses
 * its own buffers like the kernel reuses frames. The stack is an array so
 * that freeing never touches the (cold) buffer.
 */
void *page_buf_alloc(struct mmsim *sim, bool zero)
{
	void *buf;

	if (sim_alloc_fails(sim))
		return NULL;
	if (!sim->nr_cached_bufs)
		return zero ? calloc(1, PAGE_SIZE) : malloc(PAGE_SIZE);
	buf = sim->buf_cache[--sim->nr_cached_bufs];
	if (zero)
		memset(buf, 0, PAGE_SIZE);
	return buf;
}

void page_buf_free(struct mmsim *sim, void *buf)
{
	/* Full only after many tables went at once: the rest go back to the host. */
	if (sim->nr_cached_bufs == sim->buf_cache_size) {
		free(buf);
		return;
	}
	sim->buf_cache[sim->nr_cached_bufs++] = buf;
}

/* Touches every page of a new array, so the host's faults happen now, not in a fault path. */
static void prefault(void *mem, size_t size)
{
	volatile char *p = mem;

	for (size_t off = 0; off < size; off += 4096)
		p[off] = 0;
}

/*
 * A zeroed array of frame descriptors. Like the kernel's vmemmap, a large
 * one asks the host for huge pages: munmap and fork stream through it, and
 * on 4 KiB pages every 64 or 128 frames would cost another TLB miss.
 */
static void *alloc_frame_array(size_t size, size_t align)
{
	const size_t huge = PMD_SIZE;
	void *mem;

	if (size < huge) {
		mem = aligned_alloc(align, ALIGN_UP(size, align));
		if (mem)
			memset(mem, 0, size);
		return mem;
	}
	size = ALIGN_UP(size, huge);
	mem = aligned_alloc(huge, size);
	if (!mem)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(mem, size, MADV_HUGEPAGE);	/* a hint: without it all works the same */
#endif
	memset(mem, 0, size);
	return mem;
}

int page_alloc_init(struct mmsim *sim, unsigned long nr_frames)
{
	struct folio *zero;

	/*
	 * Room for a table per 64 frames (each maps 512): sized once here, a
	 * free never waits for realloc() to copy the stack or for the host to
	 * fault it in.
	 */
	unsigned long cache_size = nr_frames / 64 + 64;

	sim->pages = alloc_frame_array(nr_frames * sizeof(*sim->pages), sizeof(*sim->pages));
	sim->folio_slots = alloc_frame_array(nr_frames * FOLIO_SLOT_SIZE, FOLIO_SLOT_SIZE);
	sim->buf_cache = malloc(cache_size * sizeof(*sim->buf_cache));
	if (!sim->pages || !sim->folio_slots || !sim->buf_cache) {
		free(sim->pages);
		free(sim->folio_slots);
		free(sim->buf_cache);
		sim->buf_cache = NULL;
		return -ENOMEM;
	}
	sim->nr_frames = nr_frames;
	sim->buf_cache_size = cache_size;
	prefault(sim->buf_cache, cache_size * sizeof(*sim->buf_cache));
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		sim->free_area[o] = (struct free_area){ .head = NO_PFN };
	for (unsigned long pfn = 0; pfn < nr_frames; pfn++)
		sim->pages[pfn]._mapcount = -1;

	/* Frame 0 is the shared zero page. */
	zero = pfn_folio(sim, ZERO_PFN);
	zero->_pfn = ZERO_PFN;
	zero->flags = FOLIO_zero | FOLIO_uptodate;
	zero->_refcount = 1;
	sim->pages[ZERO_PFN].flags = PG_reserved;
	sim->pages[ZERO_PFN].folio = zero;

	/* memblock_free_all(): hand the rest over in the largest aligned blocks. */
	for (unsigned long pfn = 1; pfn < nr_frames;) {
		unsigned int order = MAX_PAGE_ORDER;

		while (!IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > nr_frames)
			order--;
		free_one_block(sim, pfn, order);
		pfn += 1UL << order;
	}
	return 0;
}

void page_alloc_exit(struct mmsim *sim)
{
	if (!sim->pages)
		return;
	for (unsigned long pfn = 0; pfn < sim->nr_frames; pfn++)
		if (sim->pages[pfn].flags & PG_table)
			free(sim->pages[pfn].data);
	while (sim->nr_cached_bufs)
		free(sim->buf_cache[--sim->nr_cached_bufs]);
	free(sim->buf_cache);
	sim->buf_cache = NULL;
	sim->buf_cache_size = 0;
	free(sim->pages);
	free(sim->folio_slots);
	sim->pages = NULL;
	sim->folio_slots = NULL;
}

/* A folio on the frames of page (2^order of them, just allocated). */
static struct folio *folio_prep(struct mmsim *sim, struct page *page, unsigned int order,
				unsigned int flags)
{
	struct folio *folio;
	unsigned long pfn;

	pfn = page_to_pfn(sim, page);
	folio = pfn_folio(sim, pfn);
	memset(folio, 0, folio_struct_size(order));
	folio->_pfn = (uint32_t)pfn;
	folio->order = order;
	folio->flags = flags | FOLIO_uptodate;
	if (order > 1 && (flags & FOLIO_anon))
		folio->flags |= FOLIO_large_rmappable;
	folio->_refcount = 1;
	if (order)
		INIT_LIST_HEAD(&folio->_deferred_list);
	for (long i = 0; i < folio_nr_pages(folio); i++)
		page[i].folio = folio;
	sim->mapcount->folio_init(sim, folio);
	sim->nr_folios++;
	if (order)
		sim->nr_large_folios++;
	return folio;
}

struct folio *folio_alloc(struct mmsim *sim, unsigned int order, unsigned int flags)
{
	struct page *page;

	/* A large folio's fields need the slots of four frames (struct folio). */
	if (order == 1)
		return NULL;
	page = alloc_pages(sim, order);
	return page ? folio_prep(sim, page, order, flags) : NULL;
}

struct folio *folio_alloc_node(struct mmsim *sim, int nid, unsigned int order, unsigned int flags)
{
	struct page *page;

	if (order == 1)
		return NULL;
	page = alloc_pages_node(sim, nid, order);
	return page ? folio_prep(sim, page, order, flags) : NULL;
}

static void free_large_folio(struct mmsim *sim, struct folio *folio)
{
	if (!list_empty(&folio->_deferred_list)) {
		list_del_init(&folio->_deferred_list);
		sim->split_queue_len--;
	}
	sim->nr_large_folios--;
	if (folio == sim->huge_zero_folio)
		sim->huge_zero_folio = NULL;
}

/* Every freed folio, small or large: one folio fewer, and KSM lets go of it. */
static inline __attribute__((always_inline)) void
folio_unaccount(struct mmsim *sim, struct folio *folio)
{
	sim->nr_folios--;
	if (folio->flags & FOLIO_ksm)
		ksm_folio_freed(folio);
}

/*
 * A small folio's descriptors go back to what a free frame keeps; returns
 * its pfn, the frame the caller hands to the buddy allocator. Inlined: a
 * munmap of small pages runs it for every page, and the call was a sixth
 * of the work.
 */
static inline __attribute__((always_inline)) unsigned long
release_small_folio(struct mmsim *sim, struct folio *folio)
{
	unsigned long pfn = folio_pfn(folio);

	folio_unaccount(sim, folio);
	reset_freed_page(sim, pfn_to_page(sim, pfn));
	memset(folio, 0, FOLIO_SLOT_SIZE);	/* not *folio = (struct folio){}: 88 bytes */
	return pfn;
}

void free_folio(struct mmsim *sim, struct folio *folio)
{
	unsigned int order = folio->order;

	if (!order) {
		free_one_block(sim, release_small_folio(sim, folio), 0);
		return;
	}
	folio_unaccount(sim, folio);
	free_large_folio(sim, folio);
	free_pages(sim, folio_page(sim, folio, 0), order);
	memset(folio, 0, folio_struct_size(order));
}

/*
 * Freeing a run of consecutive frames one at a time, lowest first, leaves
 * the free lists as freeing the aligned blocks the run splits into does:
 * each block, once whole, merges on with its buddies as it would have, and
 * the smaller blocks listed and merged on the way leave no trace. The
 * blocks give that result for a fraction of the work: a munmap of small
 * pages spent half of its time merging each frame with its buddy.
 */
struct free_run {
	unsigned long pfn, nr;
};

static void free_run_flush(struct mmsim *sim, struct free_run *run)
{
	unsigned long pfn = run->pfn, nr = run->nr;

	while (nr) {
		/* The largest aligned block at pfn that the run covers (pfn 0 is never free). */
		unsigned int order = (unsigned int)__builtin_ctzl(pfn);
		unsigned int fits = (unsigned int)(8 * sizeof(nr) - 1) -
				    (unsigned int)__builtin_clzl(nr);

		order = order < fits ? order : fits;
		order = order < MAX_PAGE_ORDER ? order : MAX_PAGE_ORDER;
		free_one_block(sim, pfn, order);
		pfn += 1UL << order;
		nr -= 1UL << order;
	}
	run->nr = 0;
}

static void free_run_add(struct mmsim *sim, struct free_run *run, unsigned long pfn)
{
	if (run->nr && pfn != run->pfn + run->nr)
		free_run_flush(sim, run);
	if (!run->nr)
		run->pfn = pfn;
	run->nr++;
}

void folios_put_refs(struct mmsim *sim, struct folio *const *folios, const unsigned int *refs,
		     unsigned int nr)
{
	struct free_run run = { 0 };

	for (unsigned int i = 0; i < nr; i++) {
		struct folio *folio = folios[i];

		if (!folio_ref_sub_and_test(folio, (int)refs[i]))
			continue;
		if (folio_test_large(folio)) {
			/* Frames go back in the order their folios were put. */
			free_run_flush(sim, &run);
			free_folio(sim, folio);
			continue;
		}
		free_run_add(sim, &run, release_small_folio(sim, folio));
	}
	free_run_flush(sim, &run);
}

void folio_get(struct folio *folio)
{
	folio->_refcount++;
}

struct folio *zero_folio(struct mmsim *sim)
{
	return pfn_folio(sim, ZERO_PFN);
}

struct folio *get_huge_zero_folio(struct mmsim *sim)
{
	if (!sim->huge_zero_folio) {
		sim->huge_zero_folio = folio_alloc(sim, HPAGE_PMD_ORDER, FOLIO_zero);
		/* The instance's own reference keeps it until mmsim_destroy(). */
	}
	return sim->huge_zero_folio;
}

int copy_page_data(struct mmsim *sim, struct page *dst, const struct page *src)
{
	set_page_content(sim, dst, content_dup(src->content));
	return 0;
}

void clear_page_data(struct mmsim *sim, struct page *page)
{
	content_put(sim, page->content);
	page->content = NULL;
}

void set_page_content(struct mmsim *sim, struct page *page, struct page_content *c)
{
	struct page_content *old = page->content;

	page->content = c;
	content_put(sim, old);
}

bool page_is_zero_filled(const struct page *page)
{
	return !page->content;	/* contents are canonical: zeroes are NULL */
}

int page_byte(const struct page *page, unsigned long offset)
{
	return content_byte(page->content, offset);
}
