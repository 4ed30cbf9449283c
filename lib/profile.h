/* SPDX-License-Identifier: MIT */
/*
 * Kernel profiles: the behaviours that differ between the Linux versions
 * mmsim models (mmsim_config.kernel, the scenario command "kernel VERSION").
 * Every switch was found with `mmsim diff --kernel-image` against that
 * version's real kernel; docs/kernel-versions.md lists each with its scenario.
 */
#ifndef MMSIM_PROFILE_H
#define MMSIM_PROFILE_H

#include <stdbool.h>

struct kernel_profile {
	const char *version;		/* "6.18", "7.3", "6.12", "6.1" */
	const char *scheme;		/* its folio mapcount scheme */

	/* THP */
	bool mthp;			/* per-size hugepages-<size>kB controls (6.8+) */
	bool huge_zero_wp_thp;		/* a write to the huge zero PMD gets a THP (after 6.12) */
	bool large_folio_reuse;		/* do_wp_page() reuses a large folio one mm owns (6.15+) */
	bool split_remaps_zero;		/* an anon THP split maps all-zero subpages to the
					   shared zero page (6.12+, b1f202060afe) */

	/* VMAs */
	bool anon_merge_unfaulted_target; /* a faulted VMA (or the range mremap() brings) merges
					   into an unfaulted neighbour, which takes its anon_vma
					   (6.16+: "mm/vma: fix incorrectly disallowed anonymous
					   VMA merges", Lorenzo Stoakes; before, merge.c's
					   mprotect_* and mremap_faulted_to_unfaulted_* stay apart) */
	bool ksm_flags_before_merge;	/* PR_SET_MEMORY_MERGE's VM_MERGEABLE is in a new mapping's
					   flags before its merge attempt (6.16+: "mm: prevent KSM
					   from completely breaking VMA merging"; before, only
					   ksm_add_vma() after it, so it never merged) */
	bool mremap_move_multiple_vmas;	/* a move-only mremap() may span several VMAs (6.17+,
					   d23cb648e365; before, -EFAULT from vma_to_resize(),
					   after MREMAP_FIXED's unmap of the destination) */
	bool thp_disable_except_advised; /* PR_THP_DISABLE_EXCEPT_ADVISED (6.18+) */
	bool mremap_dontunmap_splits_locked; /* MREMAP_DONTUNMAP of part of a locked VMA splits it
					   first, so only the moved part loses VM_LOCKED
					   (7.3.4: needs_pre_split(); 6.12.118 and 6.1.0-57
					   too, by era diff). 6.18.44 alone unlocks the whole
					   VMA unsplit (after 6.17's rewrite of move_vma()) */

	/* /proc */
	bool pagemap_pmd_per_page;	/* pagemap asks each page of a PMD mapping (6.10-6.14) */
	bool kpf_ksm_on_anon;		/* kpageflags' KSM bit on every anon page (6.10 until
					   81401cebfc15, not in Debian's 6.12.117) */
	bool kpf_tail_own_flags;	/* kpageflags reads a tail page's own flags: no MLOCKED or
					   UNEVICTABLE there (before the 6.10 folio rewrite of
					   stable_page_flags(); 6.1.0-57) */
	bool smaps_no_lf;		/* smaps VmFlags has no "lf" for VM_LOCKONFAULT (6.1.0-57;
					   6.12.118 has it) */
	bool gup_protnone_fails;	/* follow_page() refuses PROT_NONE entries: KSM's
					   get_mergeable_page() and break_ksm(), smaps' PMDs
					   (6.1 only: 474098edac26, fixed in 6.5) */

	/* KSM */
	bool prctl_memory_merge;	/* PR_SET_MEMORY_MERGE (6.4+) */
	bool ksm_checksum_first;	/* cmp_and_merge_page() tests the checksum before the
					   stable-tree search (6.11+, d58a361b0350) */
	bool ksm_smart_scan;		/* smart_scan: skip pages that never merge (6.7+) */
	bool ksm_zero_pages;		/* KSM zero pages counted and unshared (6.6+) */
	bool ksm_advisor;		/* advisor_mode and its knobs: the scan-time advisor sets
					   pages_to_scan after each full scan (6.7+) */
	bool ksm_profit;		/* general_profit, pages_scanned, ksm_stat's ksm_merging_pages
					   and ksm_process_profit, smaps' KSM (all after 6.1) */
	bool ksm_stat_merge_flags;	/* ksm_stat's ksm_merge_any and ksm_mergeable (6.13+) */
	bool unshare_copy_dirty;	/* the private copy an unshare fault maps (break_ksm(),
					   KSM zero pages) has a dirty PTE: smaps Private_Dirty
					   (6.18.y, seen on 6.18.44; not 6.12.118 nor 7.3.4) */
	bool break_ksm_write_fault;	/* break_ksm() faults with FAULT_FLAG_WRITE, so the copy is
					   writable and dirty (until 6cce3314b928, 6.2: UNSHARE) */
	bool fork_copies_ksm_counters;	/* the child starts with the parent's ksm_rmap_items and
					   ksm_merging_pages (until 4d6fc29f3634, which 6.12.117
					   has and 6.1 has not) */
	bool ksm_rmap_item_pgoff;	/* a stable rmap_item keeps linear_page_index() in a union
					   with oldchecksum, age and remaining_skips, reset to 0 when
					   it leaves the stable tree; rmap_walk_ksm() searches that
					   one offset (7.x: "ksm: add linear_page_index into
					   ksm_rmap_item", seed 003's `pgoff`) */
	bool collapse_needs_writable;	/* collapse only a block with a writable PTE, else
					   SCAN_PAGE_RO (until "mm: enable khugepaged to operate
					   on non-writable VMAs", Dev Jain, 6.18) */
	bool collapse_no_block_ok;	/* MADV_COLLAPSE of a range holding no whole 2M block
					   returns 0 (7.3's hstart >= hend test; before, -EINVAL
					   when the range ends before the block boundary after
					   its start) */
	bool collapse_passes_empty_pmd;	/* MADV_COLLAPSE goes on past a block with no PTE
					   table (7.3's SCAN_NO_PTE_TABLE; before, SCAN_PMD_NONE
					   ended the call) */
	bool khugepaged_mthp;		/* khugepaged runs while any anonymous THP size (or the
					   top-level switch) is enabled, registers mms for any
					   size and collapses a 2M block into the mTHP sizes
					   enabled where a PMD THP cannot be (7.3's
					   mthp_collapse(); before, PMD THPs only) */
	bool rmap_per_pte;		/* fork and zap make one rmap call per PTE of a large
					   folio: no folio_pte_batch() there before 6.9 */
	bool mprotect_keeps_account;	/* an unfaulted anonymous VMA made read-only keeps
					   VM_ACCOUNT, so it does not merge with a read-only
					   neighbour (before 6.2's "mm/mprotect: allow unfaulted
					   VMAs to be unaccounted on mprotect()"; 6.1.0-57 by
					   era diff) */
	bool mem_soft_dirty;		/* CONFIG_MEM_SOFT_DIRTY: new VMAs are VM_SOFTDIRTY,
					   pagemap reports bit 55, clear_refs 4 write-protects,
					   and mprotect()/swap-in do not make a clean entry
					   writable (Debian's 6.1, 6.12, 7.3; not this machine's
					   6.18.44 build) */
	bool vma_softdirty_sticky;	/* a merged VMA is VM_SOFTDIRTY when either side was
					   (7.x: VMA_STICKY_FLAGS, "mm: propagate VM_SOFTDIRTY
					   on merge"; before, the VMA that survives keeps its own) */
	bool populate_walks_vmas;	/* MADV_POPULATE_* goes through madvise's VMA walk:
					   every mapped part of the range is populated and a
					   hole answers -ENOMEM at the end (before 6.9; after,
					   the walk stops at the hole) */
};

/* The profile of version ("6.18" when NULL), or NULL for a version we do not model. */
const struct kernel_profile *kernel_profile_lookup(const char *version);

#endif /* MMSIM_PROFILE_H */
