// SPDX-License-Identifier: MIT
/*
 * mmap, munmap and exit of private anonymous memory, after mm/mmap.c and
 * mm/vma.c (do_mmap, __mmap_region, do_vmi_munmap, exit_mmap).
 */
#include "mm.h"

#include "huge_memory.h"
#include "internal.h"
#include "khugepaged.h"
#include "ksm.h"
#include "vma.h"

unsigned long calc_vm_prot_bits(int prot)
{
	return ((prot & MMSIM_PROT_READ) ? VM_READ : 0) |
	       ((prot & MMSIM_PROT_WRITE) ? VM_WRITE : 0);
}

bool range_valid(unsigned long addr, unsigned long len)
{
	return len && IS_ALIGNED(addr, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       addr < TASK_SIZE && len <= TASK_SIZE - addr;
}

int do_mmap(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
	    unsigned long len, int prot, unsigned long flags)
{
	unsigned long vm_flags, pgoff;
	struct vm_area_struct *vma;

	if (!len || !IS_ALIGNED(addr, PAGE_SIZE) ||
	    (prot & ~(MMSIM_PROT_READ | MMSIM_PROT_WRITE)) || (flags & ~MMSIM_MAP_NORESERVE))
		return -EINVAL;
	/* do_mmap() rounds the length up; get_unmapped_area() refuses to pass TASK_SIZE. */
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || len > TASK_SIZE || addr > TASK_SIZE - len)
		return -ENOMEM;
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start < addr + len)
		return -EEXIST;		/* MAP_FIXED_NOREPLACE */
	vm_flags = calc_vm_prot_bits(prot) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	/* accountable_mapping(): MAP_NORESERVE maps without charging the commit. */
	if (flags & MMSIM_MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
	else if (prot & MMSIM_PROT_WRITE)
		vm_flags |= VM_ACCOUNT;
	/*
	 * PR_SET_MEMORY_MERGE: every new VMA is mergeable. Before 6.16 only
	 * ksm_add_vma() marked it, after the merge attempt and only when that
	 * failed: next to a VM_MERGEABLE neighbour a new mapping stayed apart.
	 */
	if (sim->profile->ksm_flags_before_merge)
		vm_flags = ksm_vma_flags(sim, mm, vm_flags);
	/*
	 * "Set pgoff according to addr for anon_vma": an anonymous VMA's offset
	 * is its address. Seed 004's one-liner makes it 0 instead.
	 */
	pgoff = sim->cfg.anon_pgoff == MMSIM_ANON_PGOFF_ZERO ? 0 : addr >> PAGE_SHIFT;
	vma = vma_merge_new_range(sim, mm, addr, addr + len, vm_flags, pgoff, NULL);
	if (!vma) {
		vma = vm_area_alloc(sim, mm);
		if (!vma)
			return -ENOMEM;
		vma->vm_start = addr;
		vma->vm_end = addr + len;
		vma->vm_pgoff = pgoff;
		vma->vm_flags = ksm_vma_flags(sim, mm, vm_flags);
		vma_link(mm, vma);
	}
	/* __mmap_complete(): a new (or grown) VMA is soft-dirty as a whole. */
	if (sim->profile->mem_soft_dirty)
		vma->vm_flags |= VM_SOFTDIRTY;
	khugepaged_enter_vma(sim, vma);
	/* mlockall(MCL_FUTURE): vm_mmap_pgoff()'s mm_populate(), errors ignored. */
	if ((vm_flags & VM_LOCKED_MASK) == VM_LOCKED)
		populate_vma_page_range(sim, vma, addr, addr + len);
	return 0;
}

/* Unmaps and frees every VMA inside [start, end), which must be whole VMAs. */
static void unmap_region(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
			 unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start), *next;
	struct vm_area_struct *prev = vma ? vma_prev(vma) : NULL;
	unsigned long floor = prev ? prev->vm_end : 0, ceiling;

	for (; vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		zap_vma_range(sim, vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		unlink_anon_vmas(sim, vma);
		vm_area_free(sim, vma);
	}
	ceiling = next_vma_start(mm, end);
	free_pgd_range(sim, mm, start, end, floor, ceiling);
}

unsigned long next_vma_start(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma ? vma->vm_start : 0;
}

int do_munmap(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
	      unsigned long len)
{
	unsigned long end;
	struct vm_area_struct *vma;
	int err;

	/* do_vmi_munmap(): an unaligned length is rounded up, not refused. */
	if (!IS_ALIGNED(start, PAGE_SIZE) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	end = start + len;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	err = split_range(sim, mm, start, end);
	if (err)
		return err;
	unmap_region(sim, mm, start, end);
	return 0;
}

void exit_mmap(struct mmsim *sim, struct mm_struct *mm)
{
	struct vm_area_struct *vma, *next;

	for (vma = vma_first(mm); vma; vma = vma_next(vma))
		zap_vma_range(sim, vma, vma->vm_start, vma->vm_end);
	for (vma = vma_first(mm); vma; vma = next) {
		next = vma_next(vma);
		vma_unlink(mm, vma);
		unlink_anon_vmas(sim, vma);
		vm_area_free(sim, vma);
	}
	pgd_free(sim, mm);
}
