// SPDX-License-Identifier: MIT
/*
 * VMA tree, split and merge, after mm/vma.c (6.18): __split_vma(),
 * vma_merge_new_range(), vma_merge_existing_range() and the anon_vma rules
 * of is_mergeable_anon_vma() and dup_anon_vma().
 */
#include "vma.h"

#include "huge_memory.h"
#include "rmap.h"

struct vm_area_struct *vm_area_alloc(struct mmsim *sim, struct mm_struct *mm)
{
	struct vm_area_struct *vma = sim_malloc(sim, sizeof(*vma));

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	RB_CLEAR_NODE(&vma->vm_rb);
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	sim->nr_vmas++;
	return vma;
}

void vm_area_free(struct mmsim *sim, struct vm_area_struct *vma)
{
	sim->nr_vmas--;
	sim_free(vma);
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;

	while (*link) {
		struct vm_area_struct *v = rb_entry(*link, struct vm_area_struct, vm_rb);

		parent = *link;
		link = vma->vm_start < v->vm_start ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
	mm->map_count++;
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	rb_erase(&vma->vm_rb, &mm->mm_rb);
	RB_CLEAR_NODE(&vma->vm_rb);
	mm->map_count--;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *n = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;

	while (n) {
		struct vm_area_struct *v = rb_entry(n, struct vm_area_struct, vm_rb);

		if (v->vm_end > addr) {
			found = v;
			if (v->vm_start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	struct rb_node *n = rb_next(&vma->vm_rb);

	return n ? rb_entry(n, struct vm_area_struct, vm_rb) : NULL;
}

struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	struct rb_node *n = rb_prev(&vma->vm_rb);

	return n ? rb_entry(n, struct vm_area_struct, vm_rb) : NULL;
}

struct vm_area_struct *vma_first(struct mm_struct *mm)
{
	struct rb_node *n = rb_first(&mm->mm_rb);

	return n ? rb_entry(n, struct vm_area_struct, vm_rb) : NULL;
}

bool range_fully_mapped(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	while (start < end) {
		if (!vma || vma->vm_start > start)
			return false;
		start = vma->vm_end;
		vma = vma_next(vma);
	}
	return true;
}

/* Changes vm_start/vm_end/vm_pgoff, keeping the anon_vma interval trees right. */
static void vma_set_range(struct vm_area_struct *vma, unsigned long start,
			  unsigned long end, unsigned long pgoff)
{
	anon_vma_interval_tree_pre_update_vma(vma);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	anon_vma_interval_tree_post_update_vma(vma);
}

int split_vma(struct mmsim *sim, struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new;
	int err;

	if (addr <= vma->vm_start || addr >= vma->vm_end)
		return -EINVAL;
	new = vm_area_alloc(sim, mm);
	if (!new)
		return -ENOMEM;
	new->vm_start = addr;
	new->vm_end = vma->vm_end;
	new->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	new->vm_flags = vma->vm_flags;
	/* vm_area_dup() copies the anon_vma; the clone then links every chain. */
	new->anon_vma = vma->anon_vma;
	err = anon_vma_clone(sim, new, vma);
	if (err) {
		vm_area_free(sim, new);
		return err;
	}
	/* vma_adjust_trans_huge(): no PMD leaf may straddle the new boundary. */
	split_huge_pmd_address(sim, vma, addr);
	vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
	vma_link(mm, new);
	return 0;
}

int split_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		unsigned long end)
{
	struct vm_area_struct *vma = vma_lookup(mm, start);
	int err;

	if (vma && vma->vm_start < start) {
		err = split_vma(sim, vma, start);
		if (err)
			return err;
	}
	vma = vma_lookup(mm, end - 1);
	if (vma && vma->vm_end > end)
		return split_vma(sim, vma, end);
	return 0;
}

static bool flags_mergeable(unsigned long a, unsigned long b)
{
	return !((a ^ b) & ~VM_IGNORE_MERGE);
}

/* vma_had_uncowed_parents(): it belongs to anon_vmas of a fork ancestor too. */
static bool had_uncowed_parents(const struct vm_area_struct *vma)
{
	return vma && vma->anon_vma && !list_is_singular(&vma->anon_vma_chain);
}

/*
 * is_mergeable_anon_vma(): may the range src brings (NULL: one mapped anew,
 * with no anon_vma) join tgt? The same anon_vma, or only one side has one
 * and that side was never forked into (its single chain can be shared as
 * is). Before 6.16 an unfaulted tgt never took a faulted src in: the test of
 * tgt's chain being singular, meant for forks, also refused an empty chain
 * (profile anon_merge_unfaulted_target).
 */
static bool anon_vmas_mergeable(const struct mmsim *sim, const struct vm_area_struct *tgt,
				const struct vm_area_struct *src)
{
	const struct anon_vma *ta = tgt->anon_vma, *sa = src ? src->anon_vma : NULL;

	if (!ta && sa)
		return sim->profile->anon_merge_unfaulted_target && !had_uncowed_parents(src);
	if (ta && !sa)
		return !had_uncowed_parents(tgt);
	return ta == sa;
}

/* can_vma_merge_right()'s test that prev and next, both merging, agree. */
static bool anon_vmas_compatible(const struct vm_area_struct *prev,
				 const struct vm_area_struct *next)
{
	return !prev->anon_vma || !next->anon_vma || prev->anon_vma == next->anon_vma;
}

/*
 * dup_anon_vma(): when a VMA without anon_vma absorbs (or is absorbed by) one
 * with, the survivor must join that anon_vma. -ENOMEM.
 */
static int dup_anon_vma(struct mmsim *sim, struct vm_area_struct *dst,
			struct vm_area_struct *src)
{
	if (!src->anon_vma || dst->anon_vma)
		return 0;
	dst->anon_vma = src->anon_vma;
	if (anon_vma_clone(sim, dst, src)) {
		dst->anon_vma = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * The merged VMA's sticky flags (VM_SOFTDIRTY): on 7.x it has them when any
 * part had them, as a soft-dirty VMA must stay soft-dirty as a whole; before,
 * the VMA that survives kept its own (profile vma_softdirty_sticky).
 */
static void merge_sticky_flags(const struct mmsim *sim, struct vm_area_struct *target,
			       unsigned long flags)
{
	if (sim->profile->vma_softdirty_sticky)
		target->vm_flags |= flags & VM_STICKY_FLAGS;
}

/* Removes vma (already covered by its neighbour) from the mm. */
static void vma_remove(struct mmsim *sim, struct vm_area_struct *vma)
{
	vma_unlink(vma->vm_mm, vma);
	unlink_anon_vmas(sim, vma);
	vm_area_free(sim, vma);
}

struct vm_area_struct *vma_merge_new_range(struct mmsim *sim, struct mm_struct *mm,
					   unsigned long start, unsigned long end,
					   unsigned long vm_flags, unsigned long pgoff,
					   struct vm_area_struct *src)
{
	struct vm_area_struct *next = find_vma(mm, start);
	struct vm_area_struct *prev = next ? vma_prev(next) : NULL;
	unsigned long pages = (end - start) >> PAGE_SHIFT;
	bool left, right;

	if (!next) {
		struct rb_node *last = rb_last(&mm->mm_rb);

		prev = last ? rb_entry(last, struct vm_area_struct, vm_rb) : NULL;
	}
	if (next && next->vm_start < end)
		return NULL;
	left = prev && prev->vm_end == start && flags_mergeable(prev->vm_flags, vm_flags) &&
	       prev->vm_pgoff + vma_pages(prev) == pgoff && anon_vmas_mergeable(sim, prev, src);
	right = next && next->vm_start == end && flags_mergeable(next->vm_flags, vm_flags) &&
		next->vm_pgoff == pgoff + pages && anon_vmas_mergeable(sim, next, src);
	if (left && right && !anon_vmas_compatible(prev, next))
		right = false;

	if (left && right) {
		if (dup_anon_vma(sim, prev, next) || (src && dup_anon_vma(sim, prev, src)))
			return NULL;
		vma_set_range(prev, prev->vm_start, next->vm_end, prev->vm_pgoff);
		merge_sticky_flags(sim, prev, vm_flags | next->vm_flags);
		vma_remove(sim, next);
		return prev;
	}
	if (left) {
		if (src && dup_anon_vma(sim, prev, src))
			return NULL;
		vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
		merge_sticky_flags(sim, prev, vm_flags);
		return prev;
	}
	if (right) {
		if (src && dup_anon_vma(sim, next, src))
			return NULL;
		vma_set_range(next, start, next->vm_end, pgoff);
		merge_sticky_flags(sim, next, vm_flags);
		return next;
	}
	return NULL;
}

/* Could a and b (a right below b, pgoffs contiguous) become one VMA, src (a or b) joining the other? */
static bool can_merge(const struct mmsim *sim, const struct vm_area_struct *a,
		      const struct vm_area_struct *b, const struct vm_area_struct *src)
{
	return a->vm_end == b->vm_start && flags_mergeable(a->vm_flags, b->vm_flags) &&
	       a->vm_pgoff + vma_pages(a) == b->vm_pgoff &&
	       anon_vmas_mergeable(sim, src == a ? b : a, src);
}

/*
 * b merges into a (a right below b): a grows, b goes. The merged VMA has the
 * flags merging ignores (VM_SOFTDIRTY) of the VMA that changed, b when b_changed:
 * mprotect_fixup() and its kind set the new flags on whatever the merge left
 * (6.1.0-57, 6.12.118), unless those flags are sticky (7.x).
 */
static int merge_pair(struct mmsim *sim, struct vm_area_struct *a, struct vm_area_struct *b,
		      bool b_changed)
{
	int err = dup_anon_vma(sim, a, b);

	if (err)
		return err;
	vma_set_range(a, a->vm_start, b->vm_end, a->vm_pgoff);
	merge_sticky_flags(sim, a, b->vm_flags);
	if (b_changed && !sim->profile->vma_softdirty_sticky)
		a->vm_flags = (a->vm_flags & ~VM_IGNORE_MERGE) | (b->vm_flags & VM_IGNORE_MERGE);
	vma_remove(sim, b);
	return 0;
}

/*
 * vma_merge_existing_range(): both sides are judged against vma as it is,
 * before anything moves; prev and next must also agree when both merge.
 */
struct vm_area_struct *vma_merge_neighbours(struct mmsim *sim, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(vma), *next = vma_next(vma);
	bool left = prev && can_merge(sim, prev, vma, vma);
	bool right = next && can_merge(sim, vma, next, vma);

	if (left && right && !anon_vmas_compatible(prev, next))
		right = false;
	if (left && !merge_pair(sim, prev, vma, true))
		vma = prev;
	if (right)
		merge_pair(sim, vma, next, false);
	return vma;
}

struct vm_area_struct *vma_modify_flags(struct mmsim *sim, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long newflags, int *err)
{
	struct mm_struct *mm = vma->vm_mm;

	*err = 0;
	if (newflags == vma->vm_flags)
		return vma;	/* nothing to change: no split, no merge */
	*err = split_range(sim, mm, start, end);
	if (*err)
		return vma;
	vma = vma_lookup(mm, start);
	vma->vm_flags = newflags;
	return vma_merge_neighbours(sim, vma);
}
