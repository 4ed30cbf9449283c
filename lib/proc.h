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

/* /proc/PID/clear_refs's types (fs/proc/task_mmu.c). */
enum clear_refs_types {
	CLEAR_REFS_ALL = 1,		/* accessed bits of every mapping */
	CLEAR_REFS_ANON,		/* ... of anonymous mappings */
	CLEAR_REFS_MAPPED,		/* ... of file mappings: none here */
	CLEAR_REFS_SOFT_DIRTY,		/* soft-dirty bits, and VM_SOFTDIRTY */
	CLEAR_REFS_MM_HIWATER_RSS,	/* the peak RSS: not modelled */
};
/*
 * clear_refs_write(): what writing type to /proc/PID/clear_refs does. With
 * CLEAR_REFS_SOFT_DIRTY on a profile with mem_soft_dirty, every VMA loses
 * VM_SOFTDIRTY and every entry its soft-dirty bit and write access (but a
 * page that may be pinned, which must stay writable); elsewhere it changes
 * nothing observable. -EINVAL for a type Linux lacks, or the peak RSS's.
 */
int clear_refs_write(struct mmsim *sim, struct mm_struct *mm, int type);
int proc_smaps(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
	       unsigned long end, struct mmsim_smaps *out);
int proc_folio_order(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, int *order);

#endif /* MMSIM_PROC_H */
