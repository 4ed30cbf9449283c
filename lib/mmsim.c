// SPDX-License-Identifier: MIT
/*
 * The simulator instance and the public API (include/mmsim/mmsim.h): each
 * call finds the process, runs the kernel-named operation, and, when asked,
 * verifies the whole model afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "debug.h"
#include "gup.h"
#include "huge_memory.h"
#include "khugepaged.h"
#include "migrate.h"
#include "ksm.h"
#include "mm.h"
#include "page_alloc.h"
#include "pgtable.h"
#include "proc.h"
#include "swap.h"
#include "vma.h"

#define DEFAULT_NR_FRAMES 65536UL

const char *mmsim_last_error(const struct mmsim *sim)
{
	return sim->error;
}

void mmsim_fail_nth_alloc(struct mmsim *sim, unsigned long n)
{
	sim->fail_countdown = n;
}

/* The kernel's boot defaults (this machine's): 2M inherits "madvise". */
static void thp_defaults(struct thp_policy *thp)
{
	thp->top = MMSIM_THP_MADVISE;
	for (unsigned int order = 0; order <= HPAGE_PMD_ORDER; order++)
		thp->order[order] = MMSIM_THP_NEVER;
	thp->order[HPAGE_PMD_ORDER] = MMSIM_THP_INHERIT;
	thp->use_zero_page = true;
}

/* Why mmsim_create() would refuse cfg (-EINVAL with the reason in why), or 0. */
/*
 * A caller's config of another size, by copy_struct_from_user()'s rule: a
 * shorter one (a program built against an older header) gets the defaults
 * (zero) for the fields it does not know; a longer one (built against a
 * newer header) is taken when every byte this library does not know is zero.
 */
static int copy_config(struct mmsim_config *dst, const struct mmsim_config *src, size_t size)
{
	const unsigned char *bytes = (const unsigned char *)src;

	memset(dst, 0, sizeof(*dst));
	if (!src)
		return 0;
	for (size_t i = sizeof(*dst); i < size; i++)
		if (bytes[i])
			return -E2BIG;
	memcpy(dst, src, MIN(size, sizeof(*dst)));
	return 0;
}

int mmsim_config_check_sized(size_t size, const struct mmsim_config *user, char *why, size_t len)
{
	struct mmsim_config copy;
	const struct mmsim_config *cfg = &copy;
	const struct kernel_profile *profile;

	if (copy_config(&copy, user, size))
		return snprintf(why, len, "a config of %zu bytes sets fields this library (%zu bytes) "
				"does not know: built against a newer mmsim.h", size, sizeof(copy)),
		       -E2BIG;
	if (cfg->nr_frames && (cfg->nr_frames < 2 || cfg->nr_frames > (1UL << 32)))
		return snprintf(why, len, "nr_frames %lu: 2 to 2^32 frames (0 for %lu)",
				cfg->nr_frames, (unsigned long)DEFAULT_NR_FRAMES), -EINVAL;
	profile = kernel_profile_lookup(cfg->kernel);
	if (!profile)
		return snprintf(why, len, "kernel \"%s\": one of 6.18, 7.3, 6.12, 6.1 (NULL for 6.18)",
				cfg->kernel), -EINVAL;
	if (!mapcount_ops_by_name(cfg->scheme ? cfg->scheme : profile->scheme))
		return snprintf(why, len, "scheme \"%s\": one of linux, legacy, large, "
				"nopagemapcount, tuples, fullpartial, tuples-exact, mappedpages "
				"(NULL for the kernel's)",
				cfg->scheme), -EINVAL;
	if ((unsigned int)cfg->anon_pgoff > MMSIM_ANON_PGOFF_ZERO)
		return snprintf(why, len, "anon_pgoff %d: MMSIM_ANON_PGOFF_KERNEL or _ZERO",
				(int)cfg->anon_pgoff), -EINVAL;
	if (cfg->nr_swap_slots > (1UL << 32))
		return snprintf(why, len, "nr_swap_slots %lu: at most 2^32", cfg->nr_swap_slots),
		       -EINVAL;
	if ((unsigned int)cfg->verify > MMSIM_VERIFY_OFF)
		return snprintf(why, len, "verify %d: an enum mmsim_verify_level", (int)cfg->verify),
		       -EINVAL;
	if (cfg->verify == MMSIM_VERIFY_EVERY_N && !cfg->verify_every)
		return snprintf(why, len, "verify MMSIM_VERIFY_EVERY_N with verify_every 0"), -EINVAL;
	if (cfg->nr_nodes > MMSIM_MAX_NODES)
		return snprintf(why, len, "nr_nodes %u: at most %d", cfg->nr_nodes, MMSIM_MAX_NODES),
		       -EINVAL;
	if (cfg->nr_nodes > 1 &&
	    (cfg->nr_frames ? cfg->nr_frames : DEFAULT_NR_FRAMES) / cfg->nr_nodes < MAX_ORDER_NR_PAGES)
		return snprintf(why, len, "nr_nodes %u: each node needs 2 MiB of frames at least",
				cfg->nr_nodes), -EINVAL;
	if (len)
		why[0] = '\0';
	return 0;
}

int (mmsim_config_check)(const struct mmsim_config *cfg, char *why, size_t len)
{
	return mmsim_config_check_sized(MMSIM_CONFIG_SIZE_VER0, cfg, why, len);
}

int mmsim_create_sized(size_t size, const struct mmsim_config *user, struct mmsim **out)
{
	struct mmsim_config copy;
	const struct mmsim_config *cfg = &copy;
	struct mmsim *sim;
	unsigned long nr_frames;
	char why[1];
	int err;

	*out = NULL;
	err = mmsim_config_check_sized(size, user, why, sizeof(why));
	if (err)
		return err;
	copy_config(&copy, user, size);
	nr_frames = cfg->nr_frames ? cfg->nr_frames : DEFAULT_NR_FRAMES;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	sim->profile = kernel_profile_lookup(cfg->kernel);
	sim->mapcount = mapcount_ops_by_name(cfg->scheme ? cfg->scheme : sim->profile->scheme);
	sim->cfg = *cfg;
	/* Callers from before the levels set verify_every_step alone. */
	if (sim->cfg.verify == MMSIM_VERIFY_DEFAULT)
		sim->cfg.verify = sim->cfg.verify_every_step ? MMSIM_VERIFY_CALL : MMSIM_VERIFY_OFF;
	sim->cfg.verify_every_step = sim->cfg.verify == MMSIM_VERIFY_CALL;
	sim->cfg.nr_frames = nr_frames;
	if (!sim->cfg.nr_nodes)
		sim->cfg.nr_nodes = 1;
	sim->node_span = MAX(MAX_ORDER_NR_PAGES,
			     ALIGN_DOWN(nr_frames / sim->cfg.nr_nodes, MAX_ORDER_NR_PAGES));
	/* The caller's string need not outlive the call. */
	sim->cfg.scheme = sim->mapcount->name;
	sim->cfg.kernel = sim->profile->version;
	INIT_LIST_HEAD(&sim->deferred_split_queue);
	thp_defaults(&sim->thp);
	content_store_init(sim);
	err = ksm_init(sim);
	if (err) {
		free(sim);
		return err;
	}
	khugepaged_init(sim);
	sim->next_pid = 1;
	if (!sim->cfg.nr_swap_slots)
		sim->cfg.nr_swap_slots = nr_frames;
	err = swap_init(sim, sim->cfg.nr_swap_slots);
	if (err) {
		ksm_destroy(sim);
		free(sim);
		return err;
	}
	err = page_alloc_init(sim, nr_frames);
	if (err) {
		swap_exit(sim);
		ksm_destroy(sim);
		free(sim);
		return err;
	}
	*out = sim;
	return 0;
}

void mmsim_destroy(struct mmsim *sim)
{
	struct mm_struct *mm, *tmp;

	if (!sim)
		return;
	HASH_ITER(hh, sim->mms, mm, tmp)
		mm_destroy(sim, mm);
	ksm_destroy(sim);
	khugepaged_destroy(sim);
	swap_exit(sim);
	if (sim->huge_zero_folio)
		folio_put(sim, sim->huge_zero_folio);
	page_alloc_exit(sim);
	content_store_exit(sim);
	mm_verify_exit(sim);
	free(sim->mm_ids);
	free(sim);
}

int (mmsim_create)(const struct mmsim_config *cfg, struct mmsim **out)
{
	return mmsim_create_sized(MMSIM_CONFIG_SIZE_VER0, cfg, out);
}

/* Out to a caller's struct of another size: what it knows, zeroes beyond. */
static void copy_out(void *dst, size_t size, const void *src, size_t src_size)
{
	memcpy(dst, src, MIN(size, src_size));
	if (size > src_size)
		memset((char *)dst + src_size, 0, size - src_size);
}

void mmsim_get_config_sized(size_t size, const struct mmsim *sim, struct mmsim_config *out)
{
	copy_out(out, size, &sim->cfg, sizeof(sim->cfg));
}

/* Through the sysfs names, so that this never lags behind ksm.h. */
static int carry_ksm_tunables(struct mmsim *like, struct mmsim *sim)
{
	static const char *const tunables[] = {
		"pages_to_scan", "sleep_millisecs", "max_page_sharing",
		"stable_node_chains_prune_millisecs", "use_zero_pages", "smart_scan",
		"merge_across_nodes", "run", "rmap_walk", "skip",
	};
	struct mmsim_config small = like->cfg;
	struct mmsim *fresh;
	int err;

	/* The defaults depend on the kernel version only: a machine of 64 frames tells. */
	small.nr_frames = 64;
	small.nr_swap_slots = 0;
	err = mmsim_create(&small, &fresh);

	for (size_t i = 0; i < sizeof(tunables) / sizeof(tunables[0]) && !err; i++) {
		long v, def;

		err = mmsim_ksm_counter(like, tunables[i], &v) ?:
		      mmsim_ksm_counter(fresh, tunables[i], &def);
		if (!err && v != def)
			err = mmsim_ksm_set(sim, tunables[i], (unsigned long)v);
		if (err == -EOPNOTSUPP)
			err = 0;
	}
	if (fresh)
		mmsim_destroy(fresh);
	if (err)
		sim_error(like, err, "carrying the KSM tunables over: %.400s",
			  sim->error[0] ? sim->error : sim_errno_name(err));
	return err;
}

int mmsim_create_like(const struct mmsim_config *cfg, struct mmsim *like, struct mmsim **out)
{
	struct mmsim *sim;
	int err;

	like->error[0] = '\0';
	err = mmsim_create(cfg, &sim);
	if (err) {
		char why[200] = "";

		mmsim_config_check(cfg, why, sizeof(why));
		return sim_error(like, err, "mmsim_create_like: %s", why[0] ? why :
				 sim_errno_name(err));
	}
	err = carry_ksm_tunables(like, sim);
	if (err) {
		mmsim_destroy(sim);
		return err;
	}
	sim->thp = like->thp;
	khugepaged_copy_tunables(sim, like);
	*out = sim;
	return 0;
}

struct mm_struct *find_mm(struct mmsim *sim, int pid)
{
	struct mm_struct *mm;

	HASH_FIND_INT(sim->mms, &pid, mm);
	return mm;
}

/* Does the level ask for a check after this call? */
static bool verify_due(struct mmsim *sim)
{
	switch (sim->cfg.verify) {
	case MMSIM_VERIFY_CALL:
		return true;
	case MMSIM_VERIFY_EVERY_N:
		return ++sim->verify_calls % sim->cfg.verify_every == 0;
	default:
		return false;
	}
}

/*
 * The error contract (include/mmsim/mmsim.h): every call clears the reason
 * at entry, and every failure leaves one. A failure deep inside that did not
 * say why gets at least the call and the errno's name.
 */
static int api_done(struct mmsim *sim, int err, const char *call)
{
	if (err < 0 && !sim->error[0])
		snprintf(sim->error, sizeof(sim->error), "%s: %s", call, sim_errno_name(err));
	return err;
}

/* Every public operation ends here: verify when asked, and say why on error. */
static int finish_call(struct mmsim *sim, int err, const char *call)
{
	if (!err && verify_due(sim)) {
		int verr = mm_verify(sim);

		if (verr)
			return verr;
	}
	return api_done(sim, err, call);
}
#define finish(sim, err)	finish_call((sim), (err), __func__)
#define fail(sim, err)		api_done((sim), (err), __func__)
int mmsim_verify_point(struct mmsim *sim, enum mmsim_verify_point at)
{
	switch (sim->cfg.verify) {
	case MMSIM_VERIFY_COMMAND:
		return mm_verify(sim);
	case MMSIM_VERIFY_END:
	case MMSIM_VERIFY_EVERY_N:
		return at == MMSIM_VERIFY_AT_END ? mm_verify(sim) : 0;
	default:
		/* CALL checked after the last call already; OFF never checks. */
		return 0;
	}
}

const char *mmsim_kernel(const struct mmsim *sim)
{
	return sim->profile->version;
}

int mmsim_set_thp(struct mmsim *sim, unsigned long size, enum mmsim_thp_mode mode)
{
	bool was_enabled = hugepage_enabled(sim);
	unsigned int order;

	API_ENTER(sim);

	if (mode > MMSIM_THP_INHERIT)
		return fail(sim, -EINVAL);
	if (size == 0) {
		if (mode == MMSIM_THP_INHERIT)
			return fail(sim, -EINVAL);
		sim->thp.top = mode;
		start_stop_khugepaged(sim, was_enabled);
		return finish(sim, 0);
	}
	for (order = 2; order <= HPAGE_PMD_ORDER; order++)
		if (size == PAGE_SIZE << order)
			break;
	if (order > HPAGE_PMD_ORDER)
		return sim_error(sim, -EINVAL, "no THP size %lu: 16K to 2M, powers of two", size);
	/* Before 6.8 the top-level switch is 2M's; our 2M entry then just inherits it. */
	if (order != HPAGE_PMD_ORDER && !sim->profile->mthp)
		return sim_error(sim, -EOPNOTSUPP,
				 "Linux %s has no per-size THP controls (Linux 6.8+)",
				 sim->profile->version);
	sim->thp.order[order] = mode;
	start_stop_khugepaged(sim, was_enabled);
	return finish(sim, 0);
}

int mmsim_set_thp_use_zero_page(struct mmsim *sim, bool on)
{
	API_ENTER(sim);
	sim->thp.use_zero_page = on;
	return 0;
}

int mmsim_proc_create(struct mmsim *sim, int *pid)
{
	struct mm_struct *mm;
	int err;

	API_ENTER(sim);
	err = mm_alloc(sim, &mm);

	if (!err)
		*pid = mm->pid;
	return finish(sim, err);
}

int mmsim_fork(struct mmsim *sim, int parent, int *child)
{
	struct mm_struct *oldmm, *mm;
	int err;

	GET_MM(sim, parent, oldmm);
	err = mm_alloc(sim, &mm);
	if (err)
		return err;
	err = dup_mmap(sim, mm, oldmm);
	if (err) {
		/* As dup_mmap's failure path: the half-built child is torn down. */
		mm_destroy(sim, mm);
		sim->next_pid--;
		return finish(sim, err);
	}
	*child = mm->pid;
	return finish(sim, 0);
}

int mmsim_exit(struct mmsim *sim, int pid)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	mm_destroy(sim, mm);
	return finish(sim, 0);
}

int mmsim_mmap(struct mmsim *sim, int pid, unsigned long addr, unsigned long len, int prot)
{
	return mmsim_mmap_flags(sim, pid, addr, len, prot, 0);
}

int mmsim_mmap_flags(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		     int prot, unsigned int flags)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_mmap(sim, mm, addr, len, prot, flags));
}

int mmsim_munmap(struct mmsim *sim, int pid, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_munmap(sim, mm, addr, len));
}

int mmsim_mprotect(struct mmsim *sim, int pid, unsigned long addr, unsigned long len, int prot)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_mprotect(sim, mm, addr, len, prot));
}

int mmsim_mremap(struct mmsim *sim, int pid, unsigned long old_addr, unsigned long len,
		 unsigned long new_addr)
{
	return mmsim_mremap_flags(sim, pid, old_addr, len, new_addr, 0);
}

int mmsim_mremap_flags(struct mmsim *sim, int pid, unsigned long old_addr, unsigned long len,
		       unsigned long new_addr, unsigned int flags)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_mremap(sim, mm, old_addr, len, new_addr, flags));
}

int mmsim_mlock(struct mmsim *sim, int pid, unsigned long addr, unsigned long len, bool onfault)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_mlock(sim, mm, addr, len, onfault));
}

int mmsim_munlock(struct mmsim *sim, int pid, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_munlock(sim, mm, addr, len));
}

int mmsim_move_pages(struct mmsim *sim, int pid, unsigned long addr, int node, bool move_all,
		     int *status)
{
	struct mm_struct *mm;
	int ret;

	GET_MM(sim, pid, mm);
	if (node < 0 || node >= (int)sim->cfg.nr_nodes)
		return fail(sim, sim_error(sim, -ENODEV, "move_pages: node %d: the instance has "
					   "node%s 0%s", node, sim->cfg.nr_nodes > 1 ? "s" : "",
					   sim->cfg.nr_nodes > 1 ? " and up" : ""));
	ret = move_page_to_node(sim, mm, addr & PAGE_MASK, node, move_all);
	*status = ret == -EAGAIN ? -EBUSY : ret;
	return finish(sim, 0);
}

int mmsim_page_node(struct mmsim *sim, int pid, unsigned long addr, int *status)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	struct page *page;
	bool pmd_mapped;

	GET_MM(sim, pid, mm);
	vma = vma_lookup(mm, addr);
	page = vma ? follow_page(sim, mm, addr, &pmd_mapped) : NULL;
	*status = !vma ? -EFAULT : !page ? -ENOENT :
		  folio_is_zero(page_folio(page)) ? -EFAULT : pfn_to_nid(sim, page_to_pfn(sim, page));
	return fail(sim, 0);
}

int mmsim_soft_dirty(struct mmsim *sim, int pid, unsigned long addr, bool *dirty)
{
	struct mm_struct *mm;
	uint64_t pm;
	int err;

	GET_MM(sim, pid, mm);
	*dirty = false;
	if (!sim->profile->mem_soft_dirty)
		return fail(sim, sim_error(sim, -EOPNOTSUPP, "Linux %s (this profile) is built "
					   "without CONFIG_MEM_SOFT_DIRTY", sim->profile->version));
	err = proc_pagemap(sim, mm, addr, &pm);
	*dirty = !err && (pm & MMSIM_PM_SOFT_DIRTY);
	return fail(sim, err);
}

int mmsim_clear_refs(struct mmsim *sim, int pid, int type)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, clear_refs_write(sim, mm, type));
}

int mmsim_vmsplice(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		   size_t *transferred)
{
	struct mm_struct *mm;
	size_t done;

	GET_MM(sim, pid, mm);
	if (addr + len < addr)
		return fail(sim, sim_error(sim, -EINVAL, "vmsplice: [%#lx, +%#lx) wraps", addr, len));
	return finish(sim, vmsplice_to_pipe(sim, mm, addr, len, transferred ? transferred : &done));
}

int mmsim_pipe_read(struct mmsim *sim, int pid, void *buf, size_t len, size_t *nread)
{
	struct mm_struct *mm;
	size_t done;

	GET_MM(sim, pid, mm);
	return finish(sim, pipe_read(sim, mm, buf, len, nread ? nread : &done));
}

int mmsim_pin_user_pages(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			 unsigned int flags)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	if (flags & ~(unsigned int)(MMSIM_PIN_WRITE | MMSIM_PIN_FAST))
		return fail(sim, sim_error(sim, -EINVAL, "pin: unknown flags %#x", flags));
	if (addr + len < addr)
		return fail(sim, sim_error(sim, -EINVAL, "pin: [%#lx, +%#lx) wraps", addr, len));
	return finish(sim, pin_user_pages_range(sim, mm, addr, len,
						((flags & MMSIM_PIN_WRITE) ? FOLL_WRITE : 0) |
						((flags & MMSIM_PIN_FAST) ? FOLL_FAST : 0)));
}

int mmsim_unpin_user_pages(struct mmsim *sim, int pid)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	unpin_user_pages_range(sim, mm);
	return finish(sim, 0);
}

int mmsim_pin_read(struct mmsim *sim, int pid, unsigned long off, void *buf, size_t len)
{
	struct mm_struct *mm;
	uint8_t *out = buf;

	GET_MM(sim, pid, mm);
	if (!mm->pin)
		return fail(sim, sim_error(sim, -ENOENT, "pid %d pins no range", pid));
	if (off > mm->pin->nr << PAGE_SHIFT || len > (mm->pin->nr << PAGE_SHIFT) - off)
		return fail(sim, sim_error(sim, -EINVAL, "pin read: [%#lx, +%#zx) is outside the %lu pinned pages",
					   off, len, mm->pin->nr));
	while (len) {
		size_t o = off & ~PAGE_MASK, n = MIN(len, PAGE_SIZE - o);

		content_read(pfn_to_page(sim, mm->pin->pfns[off >> PAGE_SHIFT])->content, o, out, n);
		out += n;
		off += n;
		len -= n;
	}
	return fail(sim, 0);
}

int mmsim_mlockall(struct mmsim *sim, int pid, unsigned int flags)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_mlockall(sim, mm, flags));
}

int mmsim_munlockall(struct mmsim *sim, int pid)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_munlockall(sim, mm));
}

int mmsim_madvise(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		  enum mmsim_advice advice)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return finish(sim, do_madvise(sim, mm, addr, len, advice));
}

int mmsim_reclaim(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		  unsigned long *nr_reclaimed)
{
	unsigned long written = 0;
	struct mm_struct *mm;
	int err;

	GET_MM(sim, pid, mm);
	if (!range_valid(addr, len))
		return sim_error(sim, -EINVAL, "reclaim: bad range %#lx+%#lx", addr, len);
	err = reclaim_range(sim, mm, addr, addr + len, true, &written);
	if (nr_reclaimed)
		*nr_reclaimed = written;
	/* Like reclaim, running out of swap is an error only when nothing could go. */
	if (err == -ENOMEM && written)
		err = 0;
	if (err)
		sim_error(sim, err, "reclaim: %s", err == -ENOMEM ? "swap device full" : "failed");
	return finish(sim, err);
}

/*
 * One page of an access: fault it in as the kernel would, then hand back the
 * frame. A write gets a buffer allocated before the fault, so that a failed
 * allocation changes nothing.
 */
/*
 * The page an access finds at addr, if the entry there already permits it:
 * one walk of the page tables, as the hardware would do before faulting.
 */
static struct page *access_ok(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
			      bool write)
{
	pmd_t *pmd = pmd_lookup(sim, mm, addr);
	pte_t entry;

	if (!pmd || pmd_none(*pmd))
		return NULL;
	if (pmd_leaf(*pmd)) {
		entry = *pmd;
		if (pte_protnone(entry) || (write && !pte_write(entry)))
			return NULL;
		return pfn_to_page(sim, pte_pfn(entry) + pte_index(addr));
	}
	entry = *pte_offset(sim, pmd, addr);
	if (!pte_present(entry) || pte_protnone(entry) || (write && !pte_write(entry)))
		return NULL;
	return pfn_to_page(sim, pte_pfn(entry));
}

/*
 * One page of an access: fault it in as the kernel would when the entry does
 * not permit it, then hand back the frame.
 */
static int access_page(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
		       bool write, struct page **pagep)
{
	struct vm_area_struct *vma;
	struct page *page = access_ok(sim, mm, addr, write);
	int err;

	if (page) {
		*pagep = page;
		return 0;
	}
	vma = vma_lookup(mm, addr);
	if (!vma)
		return sim_error(sim, -EFAULT, "pid %d: %#lx is not mapped", mm->pid, addr);
	if (!access_permitted(vma, write))
		return sim_error(sim, -EFAULT, "pid %d: %#lx does not permit %s", mm->pid, addr,
				 write ? "writing" : "reading");
	err = handle_mm_fault(sim, mm, addr, write);
	if (err)
		return sim_error(sim, err, "pid %d: fault at %#lx failed", mm->pid, addr);
	*pagep = access_ok(sim, mm, addr, write);
	return 0;
}

/*
 * New contents for one page: buf's n bytes at off (the rest as the page
 * holds them) or, with no buf, the byte fill. content_prepare() made this
 * unable to fail.
 */
/*
 * Whether writing these bytes leaves the page as it was: a fault's one byte
 * of 0 on a fresh page is the common case, and then building and hashing a
 * 4 KiB buffer would be most of the fault's cost. Byte by byte only for
 * short writes, where that is cheaper than the buffer.
 */
static bool write_changes_nothing(const struct page_content *c, size_t off, const uint8_t *buf,
				  int fill, size_t n)
{
	size_t i;

	if (!buf && (!c || c->kind == CONTENT_PATTERN))
		return (c ? c->value : 0) == 0x0101010101010101ULL * (uint8_t)fill;
	if (n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (content_byte(c, off + i) != (buf ? buf[i] : (uint8_t)fill))
			return false;
	return true;
}

static struct page_content *written_content(struct mmsim *sim, const struct page *page,
					    size_t off, const uint8_t *buf, int fill, size_t n)
{
	uint8_t bytes[PAGE_SIZE];

	if (write_changes_nothing(page->content, off, buf, fill, n))
		return content_dup(page->content);
	if (!buf && n == PAGE_SIZE)
		return content_get_fill(sim, CONTENT_PATTERN, 0x0101010101010101ULL * (uint8_t)fill);
	if (n == PAGE_SIZE)
		return content_get_bytes(sim, buf);
	content_read(page->content, 0, bytes, PAGE_SIZE);
	if (buf)
		memcpy(bytes + off, buf, n);
	else
		memset(bytes + off, fill, n);
	return content_get_bytes(sim, bytes);
}

static int write_bytes(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
		       const uint8_t *buf, int fill, size_t len)
{
	while (len) {
		size_t off = addr & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		struct page *page = NULL;
		int err;

		/* Before the fault, so that running out changes nothing. */
		err = content_prepare(sim, buf || n != PAGE_SIZE);
		if (err)
			return err;
		err = access_page(sim, mm, addr, true, &page);
		if (err)
			return err;
		set_page_content(sim, page, written_content(sim, page, off, buf, fill, n));
		if (buf)
			buf += n;
		addr += n;
		len -= n;
	}
	return 0;
}

int mmsim_write(struct mmsim *sim, int pid, unsigned long addr, const void *buf, size_t len)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	if (!buf && len)
		return fail(sim, -EINVAL);
	return finish(sim, write_bytes(sim, mm, addr, buf, 0, len));
}

int mmsim_fill(struct mmsim *sim, int pid, unsigned long addr, unsigned long len, int c)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	if (c < 0 || c > 255)
		return fail(sim, -EINVAL);
	return finish(sim, write_bytes(sim, mm, addr, NULL, c, len));
}

/* The stored form of the n-th page of a fill. */
static void fill_content(const struct mmsim_fill *fill, unsigned long n, enum content_kind *kind,
			 uint64_t *value)
{
	*kind = fill->kind == MMSIM_FILL_UNIQUE ? CONTENT_UNIQUE : CONTENT_PATTERN;
	*value = fill->kind == MMSIM_FILL_UNIQUE ? fill->value + n * (PAGE_SIZE / 8) :
		 fill->kind == MMSIM_FILL_PATTERN ? fill->value : 0;
}

void mmsim_fill_page(const struct mmsim_fill *fill, unsigned long n, uint8_t page[4096])
{
	enum content_kind kind;
	uint64_t value;
	struct page_content c;

	fill_content(fill, n, &kind, &value);
	c = (struct page_content){ .kind = (uint8_t)kind, .value = value };
	content_read(kind == CONTENT_PATTERN && !value ? NULL : &c, 0, page, PAGE_SIZE);
}

void mmsim_set_progress(struct mmsim *sim, mmsim_progress_fn fn, void *arg)
{
	sim->progress = fn;
	sim->progress_arg = arg;
}

static void write_progress(struct mmsim *sim, unsigned long n, unsigned long total)
{
	char line[96];

	snprintf(line, sizeof(line), "write: %lu of %lu pages (%lu%%)", n, total, 100 * n / total);
	sim->progress(sim->progress_arg, line);
}

int mmsim_write_fill(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		     const struct mmsim_fill *fill, unsigned long *done)
{
	struct mm_struct *mm;
	unsigned long n;
	int err = 0;

	GET_MM(sim, pid, mm);
	if (!fill || (unsigned int)fill->kind > MMSIM_FILL_UNIQUE || !IS_ALIGNED(addr | len, PAGE_SIZE))
		return sim_error(sim, -EINVAL, "write_fill: bad fill or range %#lx+%#lx", addr, len);
	for (n = 0; n < len / PAGE_SIZE; n++) {
		enum content_kind kind;
		uint64_t value;
		struct page *page = NULL;

		fill_content(fill, n, &kind, &value);
		err = content_prepare(sim, false);
		if (!err)
			err = access_page(sim, mm, addr + n * PAGE_SIZE, true, &page);
		if (err)
			break;
		set_page_content(sim, page, content_get_fill(sim, kind, value));
		if (sim->progress && !((n + 1) % PROGRESS_PAGES))
			write_progress(sim, n + 1, len / PAGE_SIZE);
	}
	if (done)
		*done = n;
	return finish(sim, err);
}

int mmsim_read(struct mmsim *sim, int pid, unsigned long addr, void *buf, size_t len)
{
	struct mm_struct *mm;
	uint8_t *out = buf;

	GET_MM(sim, pid, mm);
	while (len) {
		size_t off = addr & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		struct page *page = NULL;
		int err = access_page(sim, mm, addr, false, &page);

		if (err)
			return finish(sim, err);
		content_read(page->content, off, out, n);
		out += n;
		addr += n;
		len -= n;
	}
	return finish(sim, 0);
}

int mmsim_pagemap(struct mmsim *sim, int pid, unsigned long addr, uint64_t *entry)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return fail(sim, proc_pagemap(sim, mm, addr & PAGE_MASK, entry));
}

int mmsim_vmflag(struct mmsim *sim, int pid, unsigned long addr, const char *name, bool *set)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return fail(sim, proc_vmflag(sim, mm, addr, name, set));
}

int mmsim_kpagecount(struct mmsim *sim, unsigned long pfn, uint64_t *count)
{
	API_ENTER(sim);
	return fail(sim, proc_kpagecount(sim, pfn, count));
}

int mmsim_kpageflags(struct mmsim *sim, unsigned long pfn, uint64_t *flags)
{
	API_ENTER(sim);
	return fail(sim, proc_kpageflags(sim, pfn, flags));
}

int mmsim_folio_order(struct mmsim *sim, int pid, unsigned long addr, int *order)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	return fail(sim, proc_folio_order(sim, mm, addr, order));
}

int mmsim_smaps(struct mmsim *sim, int pid, unsigned long start, unsigned long end,
		struct mmsim_smaps *out)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	if (start > end)
		return fail(sim, -EINVAL);
	return fail(sim, proc_smaps(sim, mm, start, end, out));
}

int mmsim_smaps_field(struct mmsim *sim, const struct mmsim_smaps *sm, const char *name,
		      long long *value)
{
	static const struct { const char *name; size_t off; } fields[] = {
		{ "Rss", offsetof(struct mmsim_smaps, rss) },
		{ "Pss", offsetof(struct mmsim_smaps, pss) },
		{ "Anonymous", offsetof(struct mmsim_smaps, anonymous) },
		{ "AnonHugePages", offsetof(struct mmsim_smaps, anon_huge_pages) },
		{ "Shared_Clean", offsetof(struct mmsim_smaps, shared_clean) },
		{ "Shared_Dirty", offsetof(struct mmsim_smaps, shared_dirty) },
		{ "Private_Clean", offsetof(struct mmsim_smaps, private_clean) },
		{ "Private_Dirty", offsetof(struct mmsim_smaps, private_dirty) },
		{ "KSM", offsetof(struct mmsim_smaps, ksm) },
		{ "Swap", offsetof(struct mmsim_smaps, swap) },
		{ "Locked", offsetof(struct mmsim_smaps, locked) },
	};

	API_ENTER(sim);
	if (!strcmp(name, "KSM") && !sim->profile->ksm_profit)
		return sim_error(sim, -EOPNOTSUPP, "Linux %s's smaps has no KSM field",
				 sim->profile->version);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!strcmp(fields[i].name, name)) {
			*value = (long long)*(const unsigned long *)((const char *)sm + fields[i].off);
			return 0;
		}
	}
	return sim_error(sim, -ENOENT, "no smaps field %s", name);
}

void mmsim_get_stats_sized(size_t size, const struct mmsim *sim, struct mmsim_stats *user)
{
	struct mmsim_stats st, *out = &st;
	const struct mm_struct *mm;
	unsigned long mms = 0;

	for (mm = sim->mms; mm; mm = mm->hh.next)
		mms++;
	*out = (struct mmsim_stats){
		.nr_frames = sim->nr_frames,
		.nr_free_frames = sim->nr_free,
		.nr_folios = sim->nr_folios,
		.nr_large_folios = sim->nr_large_folios,
		.nr_page_tables = sim->nr_page_tables,
		.nr_deferred_split = sim->split_queue_len,
		.nr_anon_vmas = sim->nr_anon_vmas,
		.nr_vmas = sim->nr_vmas,
		.nr_mms = mms,
		.faults = sim->faults,
		.cow_copies = sim->cow_copies,
		.cow_reuses = sim->cow_reuses,
		.pmd_splits = sim->pmd_splits,
		.folio_splits = sim->folio_splits,
		.nr_swap_slots = sim->swap->max - 1,
		.nr_swap_used = sim->swap->inuse_pages,
		.nr_swapcache = sim->nr_swapcache,
		.pswpout = sim->pswpout,
		.pswpin = sim->pswpin,
		.ksm_swpin_copy = sim->ksm_swpin_copy,
		.verify_runs = sim->verify_runs,
		.verify_visited = sim->verify_visited,
		.thp_collapse_alloc = sim->thp_collapse_alloc,
		.thp_collapse_alloc_failed = sim->thp_collapse_alloc_failed,
	};
	copy_out(user, size, &st, sizeof(st));
}

void (mmsim_get_stats)(const struct mmsim *sim, struct mmsim_stats *out)
{
	mmsim_get_stats_sized(MMSIM_STATS_SIZE_VER0, sim, out);
}

int mmsim_verify(struct mmsim *sim)
{
	API_ENTER(sim);
	return fail(sim, mm_verify(sim));
}

int mmsim_deferred_split_scan(struct mmsim *sim, unsigned long *nr_split)
{
	unsigned long n = deferred_split_scan(sim);

	if (nr_split)
		*nr_split = n;
	return finish(sim, 0);
}

/* ---- KSM ------------------------------------------------------------------- */

int mmsim_ksm_set(struct mmsim *sim, const char *key, unsigned long value)
{
	API_ENTER(sim);
	if (!key)
		return fail(sim, -EINVAL);
	return finish(sim, ksm_set_tunable(sim, key, value));
}

int mmsim_ksm_run(struct mmsim *sim, int run)
{
	API_ENTER(sim);
	if (run < 0)
		return fail(sim, -EINVAL);
	return finish(sim, ksm_set_run(sim, (unsigned long)run));
}

int mmsim_ksm_scan(struct mmsim *sim, unsigned long full_scans)
{
	API_ENTER(sim);
	return finish(sim, ksm_do_full_scans(sim, full_scans));
}

int mmsim_ksm_counter(struct mmsim *sim, const char *name, long *value)
{
	API_ENTER(sim);
	if (!name || !value)
		return fail(sim, -EINVAL);
	return fail(sim, ksm_read_counter(sim, name, value));
}

/* ---- khugepaged ----------------------------------------------------------- */

int mmsim_khugepaged_set(struct mmsim *sim, const char *key, unsigned long value)
{
	API_ENTER(sim);
	if (!key)
		return fail(sim, -EINVAL);
	return fail(sim, khugepaged_set_tunable(sim, key, value));
}

int mmsim_khugepaged_scan(struct mmsim *sim, unsigned long full_scans)
{
	API_ENTER(sim);
	return finish(sim, khugepaged_do_full_scans(sim, full_scans));
}

int mmsim_khugepaged_counter(struct mmsim *sim, const char *name, long *value)
{
	API_ENTER(sim);
	if (!name || !value)
		return fail(sim, -EINVAL);
	return fail(sim, khugepaged_read_counter(sim, name, value));
}

int mmsim_ksm_stat(struct mmsim *sim, int pid, const char *name, long *value)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	if (!name || !value)
		return fail(sim, -EINVAL);
	return fail(sim, ksm_read_stat(sim, mm, name, value));
}

int mmsim_prctl_set_memory_merge(struct mmsim *sim, int pid, bool on)
{
	struct mm_struct *mm;
	int err;

	GET_MM(sim, pid, mm);
	if (!sim->profile->prctl_memory_merge)
		return sim_error(sim, -EOPNOTSUPP, "Linux %s has no PR_SET_MEMORY_MERGE (Linux 6.4+)",
				 sim->profile->version);
	err = on ? ksm_enable_merge_any(sim, mm) : ksm_disable_merge_any(sim, mm);
	return finish(sim, err);
}

int mmsim_prctl_set_thp_disable(struct mmsim *sim, int pid, bool disable, bool except_advised)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	if (except_advised && !sim->profile->thp_disable_except_advised)
		return sim_error(sim, -EOPNOTSUPP,
				 "Linux %s has no PR_THP_DISABLE_EXCEPT_ADVISED (Linux 6.18+)",
				 sim->profile->version);
	/* PR_SET_THP_DISABLE 0 takes no flags. */
	if (!disable && except_advised)
		return sim_error(sim, -EINVAL, "PR_SET_THP_DISABLE 0 takes no flags");
	mm->flags &= ~(MMF_DISABLE_THP | MMF_DISABLE_THP_EXCEPT_ADVISED);
	if (disable)
		mm->flags |= except_advised ? MMF_DISABLE_THP_EXCEPT_ADVISED : MMF_DISABLE_THP;
	return finish(sim, 0);
}

int mmsim_prctl_get_thp_disable(struct mmsim *sim, int pid, int *value)
{
	struct mm_struct *mm;

	GET_MM(sim, pid, mm);
	if (!value)
		return fail(sim, -EINVAL);
	/* prctl_get_thp_disable(): 1, 1 | PR_THP_DISABLE_EXCEPT_ADVISED, or 0. */
	*value = mm->flags & MMF_DISABLE_THP ? 1 :
		 mm->flags & MMF_DISABLE_THP_EXCEPT_ADVISED ? 3 : 0;
	return 0;
}

/* The entry of one mapping: its PTE, or its PMD for a PMD mapping. */
static const void *hit_entry(const struct rmap_hit *hit)
{
	return hit->pte ? (const void *)hit->pte : (const void *)hit->pmd;
}

static int cmp_hit_entry(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)hit_entry(a), y = (uintptr_t)hit_entry(b);

	return (x > y) - (x < y);
}

/* Is this hit the mapping of addr in mm? */
static bool hit_maps(const struct rmap_hit *hit, const struct mm_struct *mm, unsigned long addr)
{
	unsigned long start = hit->pte ? addr & PAGE_MASK : addr & PMD_MASK;

	return hit->vma->vm_mm == mm && hit->address == start;
}

/*
 * A KSM walk may reach one PTE twice (through a child's own item and again
 * through its parent's, in the "new forks" pass): each mapping counts once.
 */
int mmsim_rmap_walk(struct mmsim *sim, int pid, unsigned long addr, struct mmsim_rmap_walk *out)
{
	struct rmap_walk_cost before = sim->ksm->rmap_walk_cost;
	struct rmap_walk_cost before_anon = sim->anon_rmap_walk_cost;
	struct mm_struct *mm;
	struct rmap_hits h;
	struct page *page;
	bool pmd_mapped;
	int err;

	GET_MM(sim, pid, mm);
	if (!out)
		return fail(sim, -EINVAL);
	*out = (struct mmsim_rmap_walk){ 0 };
	page = follow_page(sim, mm, addr & PAGE_MASK, &pmd_mapped);
	if (!page || folio_is_zero(page_folio(page)))
		return 0;
	err = rmap_collect(sim, page_folio(page), &h);
	if (err)
		return sim_error(sim, err, "rmap_walk: no memory for the mappings found");
	if (h.nr)
		qsort(h.hits, h.nr, sizeof(*h.hits), cmp_hit_entry);
	for (size_t i = 0; i < h.nr; i++) {
		out->mappings += !i || hit_entry(&h.hits[i]) != hit_entry(&h.hits[i - 1]);
		out->reaches |= hit_maps(&h.hits[i], mm, addr);
	}
	sim_free(h.hits);
	out->vmas = sim->ksm->rmap_walk_cost.vmas - before.vmas +
		    sim->anon_rmap_walk_cost.vmas - before_anon.vmas;
	out->nodes = sim->ksm->rmap_walk_cost.nodes - before.nodes +
		     sim->anon_rmap_walk_cost.nodes - before_anon.nodes;
	return 0;
}

const char *mmsim_version(void)
{
	return MMSIM_VERSION_STRING;
}
