/* SPDX-License-Identifier: MIT */
/*
 * The structures of the model: frames (struct page), folios, address spaces,
 * VMAs and anon_vmas. Follows include/linux/mm_types.h and rmap.h of 6.18;
 * the deliberate differences are listed in docs/architecture.md.
 */
#ifndef MMSIM_MM_TYPES_H
#define MMSIM_MM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uthash.h>

#include "interval_tree.h"
#include "list.h"
#include "rbtree.h"
#include <mmsim/mmsim.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_SHIFT	30
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
#define PGDIR_SHIFT	39
#define PTRS_PER_TABLE	512
#define HPAGE_PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR	(1 << HPAGE_PMD_ORDER)
#define MAX_PAGE_ORDER	9		/* buddy orders 0..9: up to one PMD */
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)
#define TASK_SIZE	(1UL << 47)	/* 4-level x86-64 user address space */

#define ALIGN_DOWN(x, a)	((x) & ~((a) - 1))
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((a) - 1)) == 0)
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

struct mmsim;
struct folio;
struct anon_vma;

/* Bits of struct page::flags: what this one frame is. */
enum {
	PG_reserved		= 1 << 0,	/* the shared zero page: never allocated or freed */
	PG_buddy		= 1 << 1,	/* first frame of a free buddy block */
	PG_table		= 1 << 2,	/* holds a page table */
	PG_anon_exclusive	= 1 << 3,	/* PageAnonExclusive: mapped by one mm only, may be written without a copy */
};

/*
 * One descriptor per 4 KiB frame, indexed by pfn: 32 bytes, two to a cache
 * line, since munmap and fork stream through them. Pfns fit 32 bits (at
 * most 2^32 frames), and 0, the zero page's, is never free nor a table.
 */
struct page {
	uint16_t flags;			/* PG_* */
	uint8_t buddy_order;		/* order of the free block this frame heads (PG_buddy) */
	int32_t _mapcount;		/* per-page mapcount, biased by -1; owned by the mapcount scheme */
	struct folio *folio;		/* folio this frame belongs to; NULL when free or a page table */
	union {
		void *data;		/* PG_table: the table's entries, a 4 KiB buffer */
		struct page_content *content;	/* otherwise: the contents (content.h), NULL while all zero */
	};
	union {
		struct {		/* PG_buddy: free list links, as pfns (0 = none) */
			uint32_t next, prev;
		} buddy;
		struct {		/* PG_table */
			uint32_t pmd_huge_pte;	/* PMD table: deposited PTE tables (pfn stack, 0 = none) */
			uint32_t deposit_next;	/* deposited PTE table: next in that stack */
		} pt;
		/*
		 * First frame of a folio in the swap cache: folio->swap, the
		 * entry of its first slot, in the word Linux shares with
		 * page->private (swap_state.c).
		 */
		unsigned long swap;
	};
};
_Static_assert(sizeof(struct page) == 32, "two frame descriptors per cache line");

/* Bits of struct folio::flags. */
enum {
	FOLIO_anon		= 1 << 0,	/* mapping is an anon_vma (PAGE_MAPPING_ANON) */
	FOLIO_ksm		= 1 << 1,	/* mapping is a KSM stable_node */
	FOLIO_large_rmappable	= 1 << 2,	/* large anon folio that may be deferred-split */
	FOLIO_partially_mapped	= 1 << 3,	/* on the deferred split queue because partly unmapped */
	FOLIO_dirty		= 1 << 4,
	FOLIO_swapbacked	= 1 << 5,
	FOLIO_zero		= 1 << 6,	/* the shared zero page or the huge zero folio */
	FOLIO_uptodate		= 1 << 7,
	FOLIO_swapcache		= 1 << 8,	/* in the swap cache: swap holds its slots (lib/swap_state.c) */
};

/*
 * A folio: one power-of-two run of frames that is allocated, mapped and
 * freed as a unit. As the kernel overlays it on the first struct pages, we
 * overlay it on the folio slots of its first frames (sim->folio_slots, 32
 * bytes per frame, two to a cache line): a small folio is its first slot
 * alone; the fields only large folios use lie in the slots of the following
 * frames, as the kernel keeps them in the second and third struct page.
 * Never touch those of a small folio: they belong to the next frames'
 * folios. Large folios have order 2 or more, so they own at least 4 slots.
 */
struct folio {
	uint32_t _pfn;			/* first frame: folio_pfn(); pfns fit 32 bits (struct page) */
	uint8_t order;			/* 0 for a small folio, up to HPAGE_PMD_ORDER */
	uint16_t flags;			/* FOLIO_* */
	int _refcount;			/* one per mapping (PTE or PMD) plus any extra holder */
	int scheme_private;		/* state of the other mapcount schemes, small folios too */
	union {				/* folio->mapping: which one, FOLIO_ksm says */
		struct anon_vma *anon_vma;	/* an anonymous folio's */
		void *stable_node;		/* a KSM folio's (NULL while set up or let go) */
	};
	unsigned long index;		/* linear_page_index() of the first page where first mapped */
	/* Large folios only, from here on: the following frames' slots. */
	/* Mapcounts of scheme "linux" (CONFIG_PAGE_MAPCOUNT + CONFIG_MM_ID), all biased by -1. */
	int _large_mapcount;		/* every PTE and PMD mapping the folio */
	int _entire_mapcount;		/* PMD mappings of the whole folio */
	int _nr_pages_mapped;		/* pages with a PTE mapping, + ENTIRELY_MAPPED while PMD-mapped */
	int scheme_private_large[2];	/* more state of the other mapcount schemes */
	unsigned int _mm_id[2];		/* MM-owner slots: which mm owns each slot (0: free) */
	int _mm_id_mapcount[2];		/* mappings by that mm, biased by -1 */
	bool _mm_ids_shared;		/* the "maybe mapped shared" bit */
	int _pincount;			/* FOLL_PIN pins (a small folio's add GUP_PIN_COUNTING_BIAS to _refcount) */
	struct list_head _deferred_list;/* on sim->deferred_split_queue */
};

/* One frame's share of folio descriptors: half a cache line. */
#define FOLIO_SLOT_SIZE 32
struct folio_slot {
	_Alignas(FOLIO_SLOT_SIZE) unsigned char bytes[FOLIO_SLOT_SIZE];
};
_Static_assert(offsetof(struct folio, _large_mapcount) == FOLIO_SLOT_SIZE,
	       "a small folio's fields fill the first slot exactly");
/* Order 1 would give 2 slots: folio_alloc() makes no order-1 folios. */
_Static_assert(sizeof(struct folio) <= 4 * FOLIO_SLOT_SIZE,
	       "a large folio's fields fit its first four frames' slots");

static inline unsigned long folio_pfn(const struct folio *folio)
{
	return folio->_pfn;
}

/* The bytes of folio descriptor a folio of this order owns. */
static inline size_t folio_struct_size(unsigned int order)
{
	return order ? sizeof(struct folio) : FOLIO_SLOT_SIZE;
}

#define ENTIRELY_MAPPED 0x800000

static inline long folio_nr_pages(const struct folio *folio)
{
	return 1L << folio->order;
}

static inline bool folio_test_large(const struct folio *folio)
{
	return folio->order > 0;
}

static inline bool folio_test_anon(const struct folio *folio)
{
	return folio->flags & FOLIO_anon;
}

static inline bool folio_test_ksm(const struct folio *folio)
{
	return folio->flags & FOLIO_ksm;
}

static inline bool folio_test_swapcache(const struct folio *folio)
{
	return folio->flags & FOLIO_swapcache;
}

static inline bool folio_is_zero(const struct folio *folio)
{
	return folio->flags & FOLIO_zero;
}

/* ---- VMAs ------------------------------------------------------------------ */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_LOCKED	0x00002000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_LOCKONFAULT	0x00080000UL	/* mlock2(MLOCK_ONFAULT): lock pages as they fault */
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_WIPEONFORK	0x02000000UL
/*
 * Not soft-dirty clean: set on a new VMA and cleared by clear_refs 4, but
 * only on a kernel built with CONFIG_MEM_SOFT_DIRTY (profile mem_soft_dirty:
 * Debian's 6.1, 6.12 and 7.3; not this machine's 6.18 build).
 */
#define VM_SOFTDIRTY	0x08000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)
/* Flags that never prevent two VMAs from merging (vma.c's VM_IGNORE_MERGE). */
#define VM_IGNORE_MERGE	VM_SOFTDIRTY
/* Kept by a merged VMA when either side had it (7.x, profile vma_softdirty_sticky). */
#define VM_STICKY_FLAGS	VM_SOFTDIRTY

struct vm_area_struct {
	unsigned long vm_start;		/* first address */
	unsigned long vm_end;		/* first address after */
	unsigned long vm_pgoff;		/* page offset of vm_start: vm_start >> PAGE_SHIFT at mmap for anon */
	unsigned long vm_flags;		/* VM_* */
	struct mm_struct *vm_mm;
	struct rb_node vm_rb;		/* in mm->mm_rb, ordered by vm_start */
	struct anon_vma *anon_vma;	/* where new anonymous folios of this VMA point */
	struct list_head anon_vma_chain;/* anon_vma_chain.same_vma: every anon_vma this VMA belongs to */
};

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* The page offset an anonymous folio at address gets: linear_page_index(). */
static inline unsigned long linear_page_index(const struct vm_area_struct *vma,
					      unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* ---- anon_vma ---------------------------------------------------------------- */
/*
 * An anon_vma collects the VMAs where the folios of one "origin" may be
 * mapped; each fork adds a child anon_vma under the parent's (mm/rmap.c).
 */
struct anon_vma {
	struct anon_vma *root;		/* root of this anon_vma hierarchy */
	struct anon_vma *parent;	/* anon_vma we were forked from; root: itself */
	int refcount;			/* self + children (they pin the root) + KSM rmap_items */
	unsigned long num_children;	/* anon_vmas that have us as parent, plus our own VMAs' link (see rmap.c) */
	unsigned long num_active_vmas;	/* VMAs whose vma->anon_vma is this one */
	struct rb_root_cached rb_root;	/* interval tree of anon_vma_chains by page offset */
	unsigned long serial;		/* creation number, for stable output */
};

/* Links one VMA to one anon_vma: in vma->anon_vma_chain and anon_vma->rb_root. */
struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* in vma->anon_vma_chain */
	struct interval_tree_node rb;	/* [vm_pgoff, vm_pgoff + pages - 1] in anon_vma->rb_root */
};

/* ---- mm_struct ------------------------------------------------------------- */
enum {
	MM_ANONPAGES,
	MM_SWAPENTS,			/* swap entries in this mm's page tables */
	NR_MM_COUNTERS,
};

/* mm->flags (MMF_*). */
enum {
	MMF_VM_MERGEABLE	= 1 << 0,	/* registered with KSM */
	MMF_VM_MERGE_ANY	= 1 << 1,	/* PR_SET_MEMORY_MERGE */
	MMF_DISABLE_THP		= 1 << 2,	/* PR_SET_THP_DISABLE (MMF_DISABLE_THP_COMPLETELY) */
	MMF_DISABLE_THP_EXCEPT_ADVISED = 1 << 3, /* ... with PR_THP_DISABLE_EXCEPT_ADVISED (6.18+) */
	MMF_VM_HUGEPAGE		= 1 << 4,	/* registered with khugepaged */
	MMF_HAS_PINNED		= 1 << 5,	/* a page was FOLL_PIN-ned: fork copies maybe-pinned pages */
};

struct gup_pin;
struct pipe_inode_info;

/* One process and its address space. */
struct mm_struct {
	struct mmsim *sim;
	int pid;			/* the process that owns this mm */
	unsigned int mm_id;		/* id for MM-owner tracking of large folios (1..) */
	unsigned long pgd;		/* pfn of the top-level page table */
	struct rb_root mm_rb;		/* VMAs, ordered by address */
	int map_count;			/* number of VMAs */
	long rss[NR_MM_COUNTERS];	/* RSS counters (anonymous pages) */
	unsigned long flags;		/* MMF_* */
	unsigned long def_flags;	/* VM_LOCKED(, VM_LOCKONFAULT) of mlockall(MCL_FUTURE) */
	unsigned long nr_page_tables;	/* page-table pages below pgd, pgd included */
	int mm_count;			/* mmgrab() references: the process, KSM's mm_slot */
	bool exited;			/* the process is gone (mm_users == 0): ksm_test_exit() */
	long ksm_merging_pages;		/* this mm's rmap_items in the stable tree */
	long ksm_rmap_items;		/* this mm's rmap_items */
	long ksm_zero_pages;		/* KSM-placed zero-page PTEs of this mm */
	/* What ksm_stat adds on a kernel whose fork copied the parent's counters. */
	long ksm_rmap_items_inherited, ksm_merging_pages_inherited;
	/*
	 * follow_page_pmd()'s memory of its last walk: the entries of the PMD
	 * table covering [pmd_cache_base, + PUD_SIZE), NULL for none. Valid
	 * while that table exists: pte_free() forgets it.
	 */
	uint64_t *pmd_cache_table;
	unsigned long pmd_cache_base;
	/*
	 * What the process's files hold of memory, which outlives the mappings:
	 * a longterm pin (an io_uring fixed buffer, gup_test) and a pipe that
	 * vmsplice() filled with page references (lib/gup.c, lib/splice.c).
	 */
	struct gup_pin *pin;
	struct pipe_inode_info *pipe;
	UT_hash_handle hh;		/* in sim->mms, by pid (not once exited) */
};

/*
 * What an rmap walk searched (rmap_walk_ksm() or rmap_walk_anon()), added
 * up over walks: the cost the 2026 KSM series set out to cut (seed 003). A "node" is one interval-tree node the
 * search examined, a "vma" one that it returned (an iteration of the
 * kernel's anon_vma_interval_tree_foreach()).
 */
struct rmap_walk_cost {
	unsigned long walks;		/* rmap_walk_ksm() calls */
	unsigned long nodes;		/* interval-tree nodes examined */
	unsigned long vmas;		/* VMAs the searches returned */
};

/*
 * A FOLL_PIN adds GUP_PIN_COUNTING_BIAS to a small folio's _refcount, and
 * one to a large folio's _refcount and _pincount (mm/gup.c, try_grab_folio()).
 */
#define GUP_PIN_COUNTING_BIAS 1024

/* folio_maybe_dma_pinned(): false positives for a small folio's 1024+ references, as in Linux. */
static inline bool folio_maybe_dma_pinned(const struct folio *folio)
{
	if (folio_test_large(folio))
		return folio->_pincount > 0;
	return folio->_refcount >= GUP_PIN_COUNTING_BIAS;
}

/* is_cow_mapping(): private and writable once, as every anonymous VMA here is. */
static inline bool is_cow_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/*
 * folio_needs_cow_for_dma(): fork must not share a page the parent may have
 * pinned, or the parent's next write would copy it away from the pin.
 */
static inline bool folio_needs_cow_for_dma(const struct vm_area_struct *vma,
					   const struct folio *folio)
{
	return is_cow_mapping(vma->vm_flags) && (vma->vm_mm->flags & MMF_HAS_PINNED) &&
	       folio_maybe_dma_pinned(folio);
}

#endif /* MMSIM_MM_TYPES_H */
