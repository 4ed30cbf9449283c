/* SPDX-License-Identifier: MIT */
/*
 * Kernel samepage merging, after mm/ksm.c and include/linux/ksm.h (6.18):
 * the structures ksmd keeps (mm slots, rmap_items, stable nodes), its state
 * inside struct mmsim, and the hooks the rest of mm calls (madvise, prctl,
 * fork, exit, mremap, zap, COW). See lib/ksm.c for how they fit together.
 */
#ifndef MMSIM_KSM_H
#define MMSIM_KSM_H

#include <stdbool.h>
#include <stdint.h>
#include <uthash.h>

#include <mmsim/mmsim.h>

#include "list.h"
#include "rbtree.h"

struct mmsim;
struct mm_struct;
struct vm_area_struct;
struct anon_vma;
struct folio;
struct page;

/* Low bits of ksm_rmap_item::address (pages are 4 KiB aligned, so they are free). */
#define SEQNR_MASK	0x0ffUL	/* low 8 bits of the scan number at unstable insertion */
#define UNSTABLE_FLAG	0x100UL	/* the item is (or was, this pass) a node of the unstable tree */
#define STABLE_FLAG	0x200UL	/* the item hangs off a stable node */
/*
 * Not in Linux: seed 003's "remapped" bit (Lorenzo Stoakes' idea, crammed
 * into a free low bit as he asked). Set when the item becomes stable, under
 * `ksm rmap_walk=remapped`, if its VMA's vm_pgoff is not vm_start >>
 * PAGE_SHIFT; cleared with the other flags when it leaves the stable tree.
 */
#define REMAPPED_FLAG	0x400UL

/* rmap_hlist_len of a chain: any negative value would do; -1 would hide underflows. */
#define STABLE_NODE_CHAIN (-1024)

/*
 * A node of the stable tree: one KSM page (a "dup" when it hangs off a
 * chain), or a chain of dups that all hold the same contents when one page
 * could not take more than max_page_sharing mappings.
 */
struct ksm_stable_node {
	struct rb_node node;		/* in the stable tree (plain nodes and chains only) */
	struct ksm_stable_node *chain;	/* the chain this dup hangs off; NULL when in the tree */
	struct list_head hlist_dup;	/* in chain->hlist, newest first (dups only) */
	struct list_head hlist;		/* rmap_items mapping this page, or a chain's dups; newest first */
	union {
		unsigned long kpfn;		/* the KSM page's frame (plain nodes and dups) */
		unsigned long chain_prune_time;	/* virtual ms of the chain's last full dup walk */
	};
	int rmap_hlist_len;		/* items on hlist, or STABLE_NODE_CHAIN */
	unsigned int verify_gen;	/* mark of the invariant checker's last visit */
	/*
	 * Not in Linux: what stable_node_dup() needs to know that a walk of a
	 * chain's dups would change nothing and find the first one (see there).
	 */
	bool stale;			/* plain node or dup: its folio was freed */
	unsigned int nr_candidates;	/* chain: dups that can take one more mapping */
	unsigned int nr_stale;		/* chain: dups whose folio was freed */
};

/*
 * One scanned virtual page of one mm: 64 bytes, as in the kernel, because
 * the profit counters charge exactly sizeof(struct ksm_rmap_item) per item.
 */
struct ksm_rmap_item {
	struct ksm_rmap_item *rmap_list;	/* next item of the mm_slot, by address */
	union {
		struct anon_vma *anon_vma;	/* when stable: where rmap_walk_ksm() looks */
		int nid;			/* when unstable: tree it went into (always 0 here) */
	};
	struct mm_struct *mm;			/* the address space this item scans */
	unsigned long address;			/* the page's address | SEQNR | UNSTABLE/STABLE/REMAPPED_FLAG */
	union {
		struct {
			unsigned int oldchecksum;	/* calc_checksum() at the last visit */
			uint8_t age;			/* visits since creation, saturating (smart scan) */
			uint8_t remaining_skips;	/* visits still to skip (smart scan) */
		};
		/*
		 * Not in Linux 6.18: the 2026 series' pgoff (v4 on; Linux 7.3's
		 * linear_page_index), only under `ksm rmap_walk=pgoff` (profile
		 * 7.3's default) and only while stable. It shares
		 * room with the fields above, as the series does to stay at 64
		 * bytes: they restart from 0 when the item leaves the tree.
		 */
		unsigned long pgoff;		/* linear_page_index() of the page it replaced */
	};
	union {
		struct rb_node node;		/* when unstable: in the unstable tree */
		struct {			/* when stable: */
			struct ksm_stable_node *head;	/* the stable node it hangs off */
			struct list_head hlist;		/* in head->hlist */
		};
	};
};
_Static_assert(sizeof(struct ksm_rmap_item) == 64, "ksm_rmap_item must be 64 bytes as in Linux");

/* One registered mm: on the scan list and in the hash by mm. */
struct ksm_mm_slot {
	struct mm_struct *mm;			/* the mm (KSM holds a reference: mmgrab) */
	struct list_head mm_node;		/* in ksm_state::mm_head, the scan order */
	struct ksm_rmap_item *rmap_list;	/* this mm's items, sorted by address */
	UT_hash_handle hh;			/* in ksm_state::mm_slots, keyed by the mm pointer */
};

/* How the scan steps from one page to the next (seed 000's `ksm skip=`). */
enum ksm_skip_policy {
	KSM_SKIP_NONE,		/* the kernel's walk: every page, one after the other */
	KSM_SKIP_COMPOUND,	/* the rejected patch: compound_nr() pages from any page found */
	KSM_SKIP_BATCH,		/* over the PTEs folio_pte_batch() shows map the same folio */
};

/*
 * What rmap_walk_ksm() searched, added up over walks: the cost the 2026
 * series set out to cut (seed 003). A "node" is one interval-tree node the
 * search examined, a "vma" one that it returned (an iteration of the
 * kernel's anon_vma_interval_tree_foreach()).
 */
struct ksm_rmap_walk_cost {
	unsigned long walks;		/* rmap_walk_ksm() calls */
	unsigned long nodes;		/* interval-tree nodes examined */
	unsigned long vmas;		/* VMAs the searches returned */
};

/* The scan cursor (struct ksm_scan). */
struct ksm_scan {
	struct ksm_mm_slot *mm_slot;		/* slot being scanned; NULL at the list head */
	unsigned long address;			/* next address to look at in that mm */
	struct ksm_rmap_item **rmap_list;	/* link where the next item is, or goes */
	unsigned long seqnr;			/* completed full scans: full_scans */
};

/* advisor_mode: who sets pages_to_scan (enum ksm_advisor_type, 6.7+). */
enum ksm_advisor_type {
	KSM_ADVISOR_NONE,	/* the administrator, through pages_to_scan */
	KSM_ADVISOR_SCAN_TIME,	/* the advisor, after every full scan */
};

/*
 * What the scan-time advisor remembers between full scans (struct
 * advisor_ctx). Times are the model's: ksm_ktime_ns() and ksmd_cpu_ns.
 */
struct advisor_ctx {
	unsigned long long start_scan;	/* ksm_ktime_ns() when the current scan began */
	unsigned long scan_time;	/* the previous scan's length, whole seconds */
	unsigned long change;		/* smoothed change of scan time, percent */
	unsigned long long cpu_time;	/* ksmd's CPU time at the previous advisor run, ns */
};

/* Everything ksmd and its sysfs directory hold; one per simulator instance. */
struct ksm_state {
	/* Tunables of /sys/kernel/mm/ksm. */
	unsigned int pages_to_scan;		/* pages per ksmd batch (100) */
	unsigned int sleep_millisecs;		/* virtual sleep between batches (20) */
	int max_page_sharing;			/* mappings per KSM page before a chain (256) */
	unsigned int stable_node_chains_prune_millisecs;	/* full dup walks at most this often (2000) */
	bool use_zero_pages;			/* merge empty pages with the zero page (0) */
	bool smart_scan;			/* skip pages that keep failing to merge (1) */
	bool merge_across_nodes;		/* one node only here: no effect but EBUSY (1) */
	unsigned long run;			/* KSM_RUN_STOP, _MERGE or _UNMERGE */
	enum ksm_skip_policy skip_policy;	/* stepping policy, the kernel's by default */
	enum mmsim_ksm_rmap_walk rmap_walk;	/* rmap_walk_ksm()'s range, the kernel's by default */

	/* The advisor's sysfs knobs (6.7+) and its memory. */
	enum ksm_advisor_type advisor;		/* advisor_mode (none) */
	unsigned int advisor_max_cpu;		/* percent of a CPU a scan may cost (70) */
	unsigned long advisor_min_pages_to_scan;	/* pages_to_scan when switched on (500) */
	unsigned long advisor_max_pages_to_scan;	/* the advisor's ceiling (30000) */
	unsigned long advisor_target_scan_time;	/* seconds a full scan should take (200) */
	struct advisor_ctx advisor_ctx;

	/*
	 * Not in Linux: ksmd's CPU time, which the kernel measures and the model
	 * can only estimate, from a cost per page by what ksmd did with it (all 0
	 * unless set: then ksmd costs no time). ksmd_cpu_ns plays
	 * task_sched_runtime(ksmd) and may be given a starting value (the CPU a
	 * real ksmd used before); ksmd_busy_ns is what this instance charged,
	 * which moves the clock as well (ksm_ktime_ns()).
	 */
	unsigned long cpu_ns_new;		/* a page seen for the first time */
	unsigned long cpu_ns_compared;		/* a page checksummed and searched */
	unsigned long cpu_ns_skipped;		/* a page smart_scan skipped */
	unsigned long long ksmd_cpu_ns;
	unsigned long long ksmd_busy_ns;
	/*
	 * Not in Linux: the kernel's CONFIG_HZ, to time ksmd's sleeps as its
	 * timer does (ksmd_sleep_ns()); 0: exactly sleep_millisecs.
	 */
	unsigned int hz;
	struct ksm_rmap_walk_cost rmap_walk_cost;	/* what rmap_walk() of KSM folios searched */

	/* The trees and the scan. */
	struct rb_root root_stable_tree;	/* plain nodes and chains by page contents */
	struct rb_root root_unstable_tree;	/* rmap_items by page contents; reset every pass */
	struct list_head mm_head;		/* the scan list of ksm_mm_slots */
	struct ksm_mm_slot *mm_slots;		/* uthash: mm -> slot */
	struct ksm_scan scan;			/* the cursor */
	unsigned long long clock_ns;		/* virtual time of ksmd's sleeps (ksmd_sleep_ns()) */
	unsigned int zero_checksum;		/* calc_checksum() of an empty page */
	bool alloc_failed;			/* the last batch stopped for want of memory */
	unsigned int verify_gen;		/* bumped by each ksm_verify() */

	/* Counters of /sys/kernel/mm/ksm. */
	unsigned long pages_scanned, pages_shared, pages_sharing, pages_unshared;
	unsigned long rmap_items, stable_node_chains, stable_node_dups, pages_skipped;
	long zero_pages;			/* ksm_zero_pages: KSM-placed zero PTEs */

	/*
	 * Not in Linux: what a skip policy leaves out and what the scan costs
	 * (seed 000). Events since the instance was made; run=2 keeps them.
	 */
	unsigned long pages_jumped;		/* pages the walk would return that a skip stepped over */
	unsigned long pages_jumped_other;	/* of those, pages of another folio than the page found */
	unsigned long tail_pages_found;		/* skip=compound met a tail page: the patch's VM_WARN_ON */
	unsigned long checksums;		/* calc_checksum() of a scanned page */
	unsigned long rmap_items_created;	/* get_next_rmap_item() allocations */
};

/* pages_to_scan at boot and whenever advisor_mode goes back to none. */
#define DEFAULT_PAGES_TO_SCAN	100

#define KSM_RUN_STOP	0
#define KSM_RUN_MERGE	1
#define KSM_RUN_UNMERGE	2

void ksm_init(struct mmsim *sim);
/* Frees every slot, item and node; zombie mms held by slots are dropped. */
void ksm_destroy(struct mmsim *sim);

/* sysfs: a tunable by name (also "run" and "sleep_millisecs"); -EINVAL, -EBUSY, -ERANGE. */
int ksm_set_tunable(struct mmsim *sim, const char *key, unsigned long value);
/* run_store(): 0 stops, 1 merges, 2 unmerges everything and stops. */
int ksm_set_run(struct mmsim *sim, unsigned long run);
/* The model's ktime_get(): ksmd's sleeps and its estimated CPU, in ns. */
unsigned long long ksm_ktime_ns(const struct mmsim *sim);
/* advisor_mode_store(): the mode, then set_advisor_defaults() if it changed. */
int ksm_set_advisor_mode(struct mmsim *sim, unsigned long mode);
/* Exactly full_scans full passes of ksmd, batch by batch. */
int ksm_do_full_scans(struct mmsim *sim, unsigned long full_scans);
/* A counter or tunable of /sys/kernel/mm/ksm by name; -EINVAL if unknown. */
int ksm_read_counter(struct mmsim *sim, const char *name, long *value);
/* A field of /proc/PID/ksm_stat by name (yes/no fields as 1/0). */
int ksm_read_stat(struct mmsim *sim, struct mm_struct *mm, const char *name, long *value);

/* Hooks of the rest of mm. */
int ksm_madvise(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		unsigned long end, int advice, unsigned long *vm_flags);
int ksm_enable_merge_any(struct mmsim *sim, struct mm_struct *mm);
int ksm_disable_merge_any(struct mmsim *sim, struct mm_struct *mm);
/* ksm_vma_flags(): VM_MERGEABLE for a new VMA of a PR_SET_MEMORY_MERGE mm. */
unsigned long ksm_vma_flags(struct mmsim *sim, struct mm_struct *mm, unsigned long vm_flags);
/* ksm_fork(): a child of a registered mm is registered too. */
int ksm_fork(struct mmsim *sim, struct mm_struct *mm, struct mm_struct *oldmm);
/* ksm_exit(): before exit_mmap; KSM may keep the mm (mmgrab) until ksmd passes. */
void ksm_exit(struct mmsim *sim, struct mm_struct *mm);

/* rmap_walk_ksm() is declared in rmap.h, beside rmap_walk_anon(). */

/* free_folio() of a KSM folio: its stable node is stale from now on. */
void ksm_folio_freed(struct folio *folio);

/* The checker's part for KSM: trees, counters, stable nodes. 0 or -EUCLEAN. */
int ksm_verify(struct mmsim *sim);

/* is_ksm_zero_pte(): KSM marks the zero page it maps with the dirty bit. */
bool is_ksm_zero_pte(uint64_t pte);
/* ksm_map_zero_page() / ksm_might_unmap_zero_page(): the zero-page counters. */
void ksm_map_zero_page(struct mmsim *sim, struct mm_struct *mm);
void ksm_might_unmap_zero_page(struct mmsim *sim, struct mm_struct *mm, uint64_t pte);

/*
 * ksm_might_need_to_copy(): may do_swap_page() map this swap-cache folio at
 * addr of vma? A KSM folio still in the stable tree, a folio of no anon_vma
 * (just read from swap) or one whose index and anon_vma root match the
 * place: yes, the folio itself. Otherwise an exclusive copy (the rmap could
 * not find the folio there), or NULL when out of memory.
 */
struct folio *ksm_might_need_to_copy(struct mmsim *sim, struct folio *folio,
				     struct vm_area_struct *vma, unsigned long addr);

#endif /* MMSIM_KSM_H */
