/* SPDX-License-Identifier: MIT */
/*
 * The system-call level operations on an mm (mmap, munmap, mprotect,
 * mremap, madvise, fork, exit): what lib/mmsim.c calls for the public API.
 */
#ifndef MMSIM_MM_H
#define MMSIM_MM_H

#include "internal.h"

unsigned long calc_vm_prot_bits(int prot);
/* Page-aligned, non-empty and inside the user address space. */
bool range_valid(unsigned long addr, unsigned long len);
/* vm_start of the first VMA at or above addr, 0 (the top) if none. */
unsigned long next_vma_start(struct mm_struct *mm, unsigned long addr);

int do_mmap(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
	    unsigned long len, int prot, unsigned long flags);
int do_mprotect(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		unsigned long len, int prot);
int do_mremap(struct mmsim *sim, struct mm_struct *mm, unsigned long old_addr,
	      unsigned long len, unsigned long new_addr, unsigned int flags);
int do_madvise(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
	       unsigned long len, enum mmsim_advice advice);
/* dup_mmap(): a copy of oldmm's address space into the new, empty mm. */
int dup_mmap(struct mmsim *sim, struct mm_struct *mm, struct mm_struct *oldmm);
/* mm_alloc(): a new, empty address space with the next pid and the lowest free mm id. */
int mm_alloc(struct mmsim *sim, struct mm_struct **out);
/* mmput() of the last user: KSM lets go, the address space is torn down. */
void mm_destroy(struct mmsim *sim, struct mm_struct *mm);

#endif /* MMSIM_MM_H */
