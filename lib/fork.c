// SPDX-License-Identifier: MIT
/*
 * fork's copy of an address space, after dup_mmap() (mm/mmap.c since 6.16,
 * kernel/fork.c before): every VMA is duplicated, joins its parent's
 * anon_vmas through anon_vma_fork(), and its page tables are copied.
 */
#include "mm.h"

#include "gup.h"
#include "ksm.h"
#include "khugepaged.h"
#include "rmap.h"
#include "vma.h"

static struct vm_area_struct *vm_area_dup(struct mmsim *sim, struct mm_struct *mm,
					  const struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = vm_area_alloc(sim, mm);

	if (!vma)
		return NULL;
	vma->vm_start = orig->vm_start;
	vma->vm_end = orig->vm_end;
	vma->vm_pgoff = orig->vm_pgoff;
	vma->vm_flags = orig->vm_flags;
	return vma;
}

int dup_mmap(struct mmsim *sim, struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	int err;

	/* MMF_VM_MERGE_ANY and THP-disable are inherited; KSM re-registers the child. */
	mm->flags = oldmm->flags & (MMF_VM_MERGE_ANY | MMF_DISABLE_THP |
				    MMF_DISABLE_THP_EXCEPT_ADVISED);
	err = ksm_fork(sim, mm, oldmm);
	if (err)
		return err;
	khugepaged_fork(sim, mm, oldmm);
	for_each_vma(oldmm, mpnt) {
		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		tmp = vm_area_dup(sim, mm, mpnt);
		if (!tmp)
			return -ENOMEM;
		/* mlock is not inherited, nor is mlockall()'s def_flags (mm_init()). */
		tmp->vm_flags &= ~VM_LOCKED_MASK;
		if (mpnt->vm_flags & VM_WIPEONFORK) {
			vma_link(mm, tmp);
			continue;
		}
		err = anon_vma_fork(sim, tmp, mpnt);
		if (err) {
			vm_area_free(sim, tmp);
			return err;
		}
		vma_link(mm, tmp);
		err = copy_page_range(sim, tmp, mpnt);
		if (err)
			return err;
	}
	return 0;
}

/* ---- The mm_struct's life (kernel/fork.c: mm_alloc(), mmput(), __mmdrop()) ---- */

static void mm_id_free(struct mmsim *sim, unsigned int id)
{
	sim->mm_ids[id] = 0;
}

/* mm_alloc_id(): the lowest free id from 1, as the kernel's IDA hands them out. */
static int mm_id_alloc(struct mmsim *sim, unsigned int *id)
{
	unsigned int i;

	for (i = 1; i < sim->mm_ids_len && sim->mm_ids[i]; i++)
		;
	if (i >= sim->mm_ids_len) {
		unsigned int len = sim->mm_ids_len ? 2 * sim->mm_ids_len : 64;
		unsigned char *ids = sim_alloc_fails(sim) ? NULL : realloc(sim->mm_ids, len);

		if (!ids)
			return -ENOMEM;
		memset(ids + sim->mm_ids_len, 0, len - sim->mm_ids_len);
		sim->mm_ids = ids;
		sim->mm_ids_len = len;
	}
	sim->mm_ids[i] = 1;
	*id = i;
	return 0;
}

/* __mmdrop(): the mm id is held until the last reference, as in Linux. */
void mmdrop(struct mmsim *sim, struct mm_struct *mm)
{
	if (--mm->mm_count)
		return;
	mm_id_free(sim, mm->mm_id);
	free(mm);
}

int mm_alloc(struct mmsim *sim, struct mm_struct **out)
{
	struct mm_struct *mm = sim_malloc(sim, sizeof(*mm));
	int err;

	if (!mm)
		return -ENOMEM;
	mm->sim = sim;
	mm->mm_rb = RB_ROOT;
	mm->mm_count = 1;
	err = mm_id_alloc(sim, &mm->mm_id);
	if (err) {
		free(mm);
		return err;
	}
	err = pgd_alloc(sim, mm);
	if (err) {
		mm_id_free(sim, mm->mm_id);
		free(mm);
		return err;
	}
	mm->pid = sim->next_pid;
	HASH_ADD_INT(sim->mms, pid, mm);
	if (!mm->hh.tbl) {
		pte_free(sim, mm, mm->pgd);
		mm_id_free(sim, mm->mm_id);
		free(mm);
		return -ENOMEM;
	}
	sim->next_pid++;
	*out = mm;
	return 0;
}

/*
 * exit_files() after exit_mm(), as do_exit() orders them: the io_uring ring
 * and the pipe close with the files and let go of the pages they hold.
 */
static void exit_files(struct mmsim *sim, struct mm_struct *mm)
{
	unpin_user_pages_range(sim, mm);
	if (mm->pipe) {
		free_pipe_info(sim, mm->pipe);
		mm->pipe = NULL;
	}
}

/*
 * mmput() of the last user: KSM lets go first (it may keep the mm_struct
 * until ksmd passes), then the address space is torn down, then the files.
 */
void mm_destroy(struct mmsim *sim, struct mm_struct *mm)
{
	mm->exited = true;
	ksm_exit(sim, mm);
	khugepaged_exit(sim, mm);
	exit_mmap(sim, mm);
	exit_files(sim, mm);
	HASH_DEL(sim->mms, mm);
	mmdrop(sim, mm);
}
