// SPDX-License-Identifier: MIT
/*
 * The four Linux versions mmsim answers for: 6.18 (this machine, the
 * default), 7.3, 6.12 and 6.1 as Debian ships them (7.3.4, 6.12.117,
 * 6.1.192, with their stable backports), checked under qemu with `mmsim
 * diff --kernel-image`. Only what a diff showed to differ is a switch.
 */
#include "profile.h"

#include "mmsim/mmsim.h"

#include <string.h>

static const struct kernel_profile profiles[] = {
	{
		.version = "6.18",
		.scheme = "linux",
		.mthp = true,
		.huge_zero_wp_thp = true,
		.anon_merge_unfaulted_target = true,
		.ksm_flags_before_merge = true,
		.mremap_move_multiple_vmas = true,
		.thp_disable_except_advised = true,
		.large_folio_reuse = true,
		.split_remaps_zero = true,
		.prctl_memory_merge = true,
		.ksm_checksum_first = true,
		.ksm_smart_scan = true,
		.ksm_advisor = true,
		.ksm_zero_pages = true,
		.ksm_profit = true,
		.ksm_stat_merge_flags = true,
		.unshare_copy_dirty = true,
	},
	{
		/* 6.18's row and what 7.3 changed; the 7.3 lines stand apart. */
		.version = "7.3",
		.scheme = "linux",
		.mthp = true,
		.huge_zero_wp_thp = true,
		.anon_merge_unfaulted_target = true,
		.ksm_flags_before_merge = true,
		.mremap_move_multiple_vmas = true,
		.thp_disable_except_advised = true,
		.large_folio_reuse = true,
		.split_remaps_zero = true,
		.prctl_memory_merge = true,
		.ksm_checksum_first = true,
		.ksm_smart_scan = true,
		.ksm_advisor = true,
		.ksm_zero_pages = true,
		.ksm_profit = true,
		.ksm_stat_merge_flags = true,

		.ksm_rmap_item_pgoff = true,
		.mremap_dontunmap_splits_locked = true,
		.collapse_no_block_ok = true,
		.collapse_passes_empty_pmd = true,
		.khugepaged_mthp = true,
		.mem_soft_dirty = true,
		.vma_softdirty_sticky = true,
	},
	{
		.version = "6.12",
		.scheme = "large",
		.mremap_dontunmap_splits_locked = true,
		.mthp = true,
		.split_remaps_zero = true,
		.pagemap_pmd_per_page = true,
		.kpf_ksm_on_anon = true,
		.prctl_memory_merge = true,
		.ksm_checksum_first = true,
		.ksm_smart_scan = true,
		.ksm_advisor = true,
		.ksm_zero_pages = true,
		.ksm_profit = true,
		.collapse_needs_writable = true,
		.mem_soft_dirty = true,
	},
	{
		.version = "6.1",
		.scheme = "legacy",
		.kpf_tail_own_flags = true,
		.smaps_no_lf = true,
		.mremap_dontunmap_splits_locked = true,
		.gup_protnone_fails = true,
		.fork_copies_ksm_counters = true,
		.break_ksm_write_fault = true,
		.collapse_needs_writable = true,
		.rmap_per_pte = true,
		.populate_walks_vmas = true,
		.mem_soft_dirty = true,
		.mprotect_keeps_account = true,
	},
};

const char *mmsim_kernel_version(int i)
{
	if (i < 0 || (size_t)i >= sizeof(profiles) / sizeof(profiles[0]))
		return NULL;
	return profiles[i].version;
}

const struct kernel_profile *kernel_profile_lookup(const char *version)
{
	if (!version)
		return &profiles[0];
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].version, version))
			return &profiles[i];
	return NULL;
}
