/* SPDX-License-Identifier: MIT */
/* What /proc shows of the model (fs/proc/page.c, fs/proc/task_mmu.c). */
#ifndef MMSIM_PROC_H
#define MMSIM_PROC_H

#include "internal.h"

int page_mapcount_for_stats(struct mmsim *sim, const struct folio *folio,
			    const struct page *page);
int proc_kpagecount(struct mmsim *sim, unsigned long pfn, uint64_t *count);
/* show_smap_vma_flags(): is name among the VmFlags of the VMA at addr? -EINVAL: no such name. */
int proc_vmflag(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, const char *name,
		bool *set);
int proc_kpageflags(struct mmsim *sim, unsigned long pfn, uint64_t *flags);
int proc_pagemap(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, uint64_t *out);
int proc_smaps(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
	       unsigned long end, struct mmsim_smaps *out);
int proc_folio_order(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, int *order);

#endif /* MMSIM_PROC_H */
