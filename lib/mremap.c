// SPDX-License-Identifier: MIT
/*
 * mremap(2) with MREMAP_MAYMOVE | MREMAP_FIXED and an unchanged size, after
 * mm/mremap.c (move_vma, copy_vma, move_page_tables): the pages move, their
 * folios keep folio->index, so the new VMA keeps the old vm_pgoff.
 * MREMAP_DONTUNMAP leaves the old VMA in place, empty.
 */
#include "mm.h"

#include "ksm.h"
#include "rmap.h"
#include "vma.h"

/* copy_vma(): the VMA that will receive [addr, addr + len) of vma. */
static struct vm_area_struct *copy_vma(struct mmsim *sim, struct vm_area_struct *vma,
				       unsigned long addr, unsigned long len,
				       unsigned long pgoff)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new_vma;

	new_vma = vma_merge_new_range(sim, mm, addr, addr + len, vma->vm_flags, pgoff, vma);
	if (new_vma)
		return new_vma;
	new_vma = vm_area_alloc(sim, mm);
	if (!new_vma)
		return NULL;
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
	new_vma->vm_flags = vma->vm_flags;
	new_vma->anon_vma = vma->anon_vma;
	if (anon_vma_clone(sim, new_vma, vma)) {
		vm_area_free(sim, new_vma);
		return NULL;
	}
	vma_link(mm, new_vma);
	return new_vma;
}

/*
 * dontunmap_complete(): the old VMA keeps its flags (VM_ACCOUNT too, since
 * the 2025 stable fix of its accounting) but VM_LOCKED and VM_LOCKONFAULT,
 * and, when all of it moved, loses its anon_vma links: its pages are gone,
 * and it may merge as an unfaulted VMA again. (Pages of the old VMA outside
 * the moved range keep PG_mlocked on Linux until reclaim looks at them; the
 * simulator reads PG_mlocked from the VMAs, so for it they are not mlocked.)
 */
static void dontunmap_complete(struct mmsim *sim, struct vm_area_struct *vma,
			       struct vm_area_struct *new_vma, unsigned long start,
			       unsigned long end)
{
	vma->vm_flags &= ~VM_LOCKED_MASK;
	if (new_vma != vma && start == vma->vm_start && end == vma->vm_end)
		unlink_anon_vmas(sim, vma);
}

/* move_vma() of [old_addr, old_addr + len), inside one VMA, to new_addr. */
static int move_vma(struct mmsim *sim, struct mm_struct *mm, unsigned long old_addr,
		    unsigned long len, unsigned long new_addr, unsigned int flags)
{
	struct vm_area_struct *vma, *new_vma;
	unsigned long pgoff, moved, dummy;
	int err;

	err = do_munmap(sim, mm, new_addr, len);	/* MREMAP_FIXED replaces what is there */
	if (err)
		return err;
	/*
	 * Only the unmap of the old range splits it: with MREMAP_DONTUNMAP it
	 * stays whole, unless it is locked on a kernel that splits it ahead so
	 * that only the moved part loses the lock (7.3's needs_pre_split()).
	 */
	vma = vma_lookup(mm, old_addr);
	if (!(flags & MMSIM_MREMAP_DONTUNMAP) ||
	    ((vma->vm_flags & VM_LOCKED) && sim->profile->mremap_dontunmap_splits_locked)) {
		err = split_range(sim, mm, old_addr, old_addr + len);
		if (err)
			return err;
		vma = vma_lookup(mm, old_addr);
	}
	/*
	 * prep_move_vma(): KSM pages are broken before the move, or they would
	 * turn up at the new place beside unrelated KSM pages; the flags stay,
	 * so ksmd merges both places again later.
	 */
	dummy = vma->vm_flags;
	err = ksm_madvise(sim, vma, old_addr, old_addr + len, MMSIM_MADV_UNMERGEABLE, &dummy);
	if (err)
		return err;
	/* A VMA that never faulted has nothing to keep in step with: it starts afresh. */
	pgoff = vma->anon_vma ? vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT) :
				new_addr >> PAGE_SHIFT;
	new_vma = copy_vma(sim, vma, new_addr, len, pgoff);
	if (!new_vma)
		return -ENOMEM;
	/* copy_vma() may have merged the source into the destination: look it up again. */
	vma = vma_lookup(mm, old_addr);
	moved = move_page_tables(sim, vma, old_addr, new_vma, new_addr, len);
	if (moved < len) {
		/*
		 * As move_vma() does: move the entries back (the old page tables
		 * are all still there, so this cannot fail) and unmap the new
		 * area instead of the old.
		 */
		move_page_tables(sim, new_vma, new_addr, vma, old_addr, moved);
		do_munmap(sim, mm, new_addr, len);
		return -ENOMEM;
	}
	if (flags & MMSIM_MREMAP_DONTUNMAP) {
		dontunmap_complete(sim, vma, new_vma, old_addr, old_addr + len);
		return 0;
	}
	return do_munmap(sim, mm, old_addr, len);
}

/*
 * Before 6.17 mremap() moved one VMA: old_addr must be inside one (-EFAULT),
 * and mremap_to() unmaps the destination before vma_to_resize() finds that
 * the range runs past that VMA's end (-EFAULT, the destination gone).
 */
static int mremap_one_vma(struct mmsim *sim, struct mm_struct *mm, unsigned long old_addr,
			  unsigned long len, unsigned long new_addr, unsigned int flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, old_addr);
	int err;

	if (!vma)
		return -EFAULT;
	if (len > vma->vm_end - old_addr) {
		err = do_munmap(sim, mm, new_addr, len);
		return err ? err : -EFAULT;
	}
	return move_vma(sim, mm, old_addr, len, new_addr, flags);
}

/*
 * do_mremap() with MREMAP_MAYMOVE | MREMAP_FIXED and old_len == new_len is a
 * "move only" (remap_move(), 6.17+): the range may span several VMAs, each
 * piece moves on its own and the gaps between them keep their size (and the
 * destination's mappings that face a gap stay). The range must start inside
 * a VMA: -EFAULT.
 */
int do_mremap(struct mmsim *sim, struct mm_struct *mm, unsigned long old_addr,
	      unsigned long len, unsigned long new_addr, unsigned int flags)
{
	unsigned long end, pos;
	bool seen = false;

	/* check_mremap_params() */
	if (!IS_ALIGNED(old_addr, PAGE_SIZE) || !IS_ALIGNED(new_addr, PAGE_SIZE) ||
	    (flags & ~MMSIM_MREMAP_DONTUNMAP))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || len > TASK_SIZE || new_addr > TASK_SIZE - len ||
	    old_addr > TASK_SIZE - len)
		return -EINVAL;
	if (old_addr < new_addr + len && new_addr < old_addr + len)
		return -EINVAL;
	end = old_addr + len;
	if (!sim->profile->mremap_move_multiple_vmas)
		return mremap_one_vma(sim, mm, old_addr, len, new_addr, flags);
	for (pos = old_addr; pos < end;) {
		struct vm_area_struct *vma = find_vma(mm, pos);
		unsigned long addr, piece;
		int err;

		if (!vma || vma->vm_start >= end)
			break;
		/* No gap permitted at the start of the range. */
		if (!seen && vma->vm_start > old_addr)
			return -EFAULT;
		addr = MAX(vma->vm_start, old_addr);
		piece = MIN(end, vma->vm_end) - addr;
		err = move_vma(sim, mm, addr, piece, new_addr + (addr - old_addr), flags);
		if (err)
			return err;
		seen = true;
		pos = addr + piece;
	}
	return seen ? 0 : -EFAULT;
}
