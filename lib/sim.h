/* SPDX-License-Identifier: MIT */
/*
 * The simulator instance: everything one simulated machine owns. There is no
 * global mutable state anywhere in the library; every function reaches the
 * machine through a struct mmsim.
 */
#ifndef MMSIM_SIM_H
#define MMSIM_SIM_H

#include <errno.h>
#include <stdarg.h>

#include "content.h"
#include "mapcount_cost.h"
#include "mm_types.h"
#include "profile.h"

struct ksm_state;
struct mapcount_ops;
struct swap_info_struct;
struct swap_cache_entry;

/* One buddy free list per order (mm/page_alloc.c's free_area). */
struct free_area {
	unsigned long head;		/* pfn of the first free block, NO_PFN if none */
	unsigned long nr_free;		/* blocks on this list */
};
#define NO_PFN (~0UL)

/* struct page's 32-bit buddy links: 0 (the zero page, never free) is NO_PFN. */
static inline uint32_t buddy_link(unsigned long pfn)
{
	return pfn == NO_PFN ? 0 : (uint32_t)pfn;
}

static inline unsigned long buddy_link_pfn(uint32_t link)
{
	return link ? link : NO_PFN;
}

/* The per-size and top-level THP switches of /sys/kernel/mm/transparent_hugepage. */
struct thp_policy {
	enum mmsim_thp_mode top;			/* enabled */
	enum mmsim_thp_mode order[HPAGE_PMD_ORDER + 1];	/* hugepages-<size>kB/enabled */
	bool use_zero_page;				/* use_zero_page */
};

/*
 * khugepaged (mm/khugepaged.c): the mms registered with it, in the order of
 * its scan list (khugepaged_scan.mm_head), its tunables and its counters.
 */
struct khugepaged_state {
	struct mm_struct **mm_slots;	/* the scan list, oldest first */
	size_t nr_mm_slots, mm_slots_cap;
	unsigned int pages_to_scan, scan_sleep_millisecs;
	unsigned int max_ptes_none, max_ptes_swap, max_ptes_shared;
	unsigned long full_scans, pages_collapsed;
};

struct mmsim {
	struct mmsim_config cfg;
	const struct mapcount_ops *mapcount;	/* the folio mapcount scheme in use */
	/* What the scheme's kernel counterpart would do (mmsim_mapcount_costs()). */
	struct mapcount_cost_state mc_cost;
	const struct kernel_profile *profile;	/* the Linux version it behaves as */

	/* Physical memory (page_alloc.c). */
	unsigned long nr_frames;
	struct page *pages;			/* descriptor of every frame, by pfn */
	struct folio_slot *folio_slots;		/* folio descriptors, overlaid on frames' slots: pfn_folio() */
	struct free_area free_area[MAX_PAGE_ORDER + 1];
	unsigned long nr_free;			/* free frames */
	unsigned long node_span;		/* frames per NUMA node, whole max-order blocks */
	struct folio *huge_zero_folio;		/* allocated on first use, kept until destroy */
	void **buf_cache;			/* free 4 KiB page-table buffers, a stack */
	unsigned long nr_cached_bufs, buf_cache_size;

	struct content_store contents;		/* every page's contents (content.c) */

	struct thp_policy thp;
	struct list_head deferred_split_queue;	/* partially mapped large folios */
	unsigned long split_queue_len;

	/* Processes. */
	struct mm_struct *mms;			/* uthash by pid, in creation order */
	int next_pid;
	unsigned char *mm_ids;			/* mm ids in use (bytes, lowest free is taken) */
	unsigned int mm_ids_len;

	/* Bookkeeping visible through mmsim_get_stats(). */
	unsigned long nr_folios, nr_large_folios, nr_page_tables;
	unsigned long nr_anon_vmas, nr_vmas, anon_vma_serial;
	unsigned long faults, cow_copies, cow_reuses, pmd_splits, folio_splits;

	struct ksm_state *ksm;			/* ksmd and its trees (ksm.c) */
	struct khugepaged_state khugepaged;	/* khugepaged.c */
	struct rmap_walk_cost anon_rmap_walk_cost;	/* what rmap_walk_anon() searched */

	struct swap_info_struct *swap;		/* the one swap device (swapfile.c) */
	struct swap_cache_entry *swap_cache;	/* swap entry -> folio (swap_state.c) */
	unsigned long nr_swapcache;		/* pages in the swap cache */
	unsigned long pswpout, pswpin, ksm_swpin_copy;	/* /proc/vmstat */
	unsigned long thp_collapse_alloc, thp_collapse_alloc_failed;	/* /proc/vmstat */

	unsigned long fail_countdown;		/* mmsim_fail_nth_alloc(): 0 = off */
	mmsim_progress_fn progress;		/* mmsim_set_progress(): NULL = off */
	void *progress_arg;
	unsigned long verify_calls;		/* calls counted for MMSIM_VERIFY_EVERY_N */
	unsigned long verify_runs, verify_visited;	/* full checks, and what they visited */
	void *verify_frames;			/* the checker's per-frame recount (debug.c), zeroed */
	unsigned long *verify_is_table;		/* its bitmap of frames reached as tables */
	char error[512];			/* mmsim_last_error() */
};

/* Long operations report through sim->progress every this many pages. */
#define PROGRESS_PAGES 65536UL

/*
 * Every allocation of the model asks here first, so tests can fail the n-th
 * one and check that the operation left the model as it was.
 */
bool sim_alloc_fails(struct mmsim *sim);
void *sim_malloc(struct mmsim *sim, size_t size);	/* zeroed; NULL on (injected) failure */
void sim_free(void *ptr);
/*
 * Room for one more of nr elements of elem bytes in an array of *cap: the
 * array itself while nr < *cap, else a copy twice as large (64 at first),
 * the old one freed and *cap updated. NULL (array and *cap untouched) on
 * failure. Not realloc(): sim_malloc() is where failures are injected.
 */
void *sim_array_grow(struct mmsim *sim, void *array, size_t nr, size_t *cap, size_t elem);

/* "EINVAL" for -EINVAL: the kernel's name of a negative errno. */
const char *sim_errno_name(int err);

/* Records a reason for mmsim_last_error() and returns err. */
int sim_error(struct mmsim *sim, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline struct page *pfn_to_page(const struct mmsim *sim, unsigned long pfn)
{
	return &sim->pages[pfn];
}

static inline unsigned long page_to_pfn(const struct mmsim *sim, const struct page *page)
{
	return (unsigned long)(page - sim->pages);
}

/* page_to_nid(): nodes are contiguous runs of node_span frames, the last takes the rest. */
static inline int pfn_to_nid(const struct mmsim *sim, unsigned long pfn)
{
	unsigned long nid = pfn / sim->node_span;

	return (int)(nid < sim->cfg.nr_nodes ? nid : sim->cfg.nr_nodes - 1);
}

/* The folio whose first frame is pfn (valid only if one starts there). */
static inline struct folio *pfn_folio(const struct mmsim *sim, unsigned long pfn)
{
	return (struct folio *)&sim->folio_slots[pfn];
}

static inline struct folio *page_folio(const struct page *page)
{
	return page->folio;
}

static inline struct page *folio_page(const struct mmsim *sim, const struct folio *folio,
				      long n)
{
	return &sim->pages[folio_pfn(folio) + n];
}

static inline long folio_page_idx(const struct mmsim *sim, const struct folio *folio,
				  const struct page *page)
{
	return (long)(page_to_pfn(sim, page) - folio_pfn(folio));
}

struct mm_struct *find_mm(struct mmsim *sim, int pid);

/* A tunable's name and a line on it, for the lists the front ends read. */
struct tunable_doc {
	const char *name, *description;
};
/* docs[i] of n: its name, and its description in *description if not NULL; NULL past the end. */
const char *tunable_doc_at(const struct tunable_doc *docs, size_t n, int i,
			   const char **description);

/* A public call's start: the reason cleared; then the caller's process or -ESRCH. */
#define API_ENTER(sim)		((sim)->error[0] = '\0')
#define GET_MM(sim, pid, mm)							\
	do {									\
		API_ENTER(sim);							\
		(mm) = find_mm((sim), (pid));					\
		if (!(mm))							\
			return sim_error((sim), -ESRCH, "no process %d", (pid));	\
	} while (0)
/* mmdrop(): drops an mmgrab() reference; the last one frees the mm_struct. */
void mmdrop(struct mmsim *sim, struct mm_struct *mm);

#endif /* MMSIM_SIM_H */
