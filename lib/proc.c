// SPDX-License-Identifier: MIT
/*
 * What /proc shows of the model, after fs/proc/page.c (kpagecount,
 * kpageflags) and fs/proc/task_mmu.c (pagemap, smaps) of 6.18 with
 * CONFIG_PAGE_MAPCOUNT: per-page precise mapcounts where the scheme keeps
 * them; where it does not (CONFIG_NO_PAGE_MAPCOUNT and the proposals), the
 * folio's average for counts and !folio_maybe_mapped_shared() for
 * "exclusive", as 6.15+ does.
 */
#include "proc.h"

#include <string.h>

#include "huge_memory.h"
#include "internal.h"
#include "ksm.h"
#include "page_alloc.h"
#include "vma.h"

#define KPF_BUDDY	10
#define KPF_PGTABLE	26
#define PSS_SHIFT	12

/* folio_precise_page_mapcount(), or folio_average_page_mapcount() without it. */
int page_mapcount_for_stats(struct mmsim *sim, const struct folio *folio,
			    const struct page *page)
{
	int mapcount;

	if (folio_is_zero(folio) || !folio_test_anon(folio))
		return 0;
	mapcount = sim->mapcount->page_mapcount(sim, folio, page);
	if (mapcount != -EOPNOTSUPP)
		return mapcount;
	return sim->mapcount->average_page_mapcount(sim, folio);
}

/*
 * Is this page mapped by one mm only, as pagemap and smaps' USS decide it:
 * its precise mapcount is 1, or, without per-page counts, the folio is not
 * maybe mapped shared.
 */
static bool page_mapped_exclusively(struct mmsim *sim, const struct folio *folio,
				    const struct page *page)
{
	int mapcount = sim->mapcount->page_mapcount(sim, folio, page);

	if (mapcount == -EOPNOTSUPP)
		return !folio_maybe_mapped_shared(sim, folio);
	return mapcount == 1;
}

int proc_kpagecount(struct mmsim *sim, unsigned long pfn, uint64_t *count)
{
	const struct page *page;

	if (pfn >= sim->nr_frames)
		return -EINVAL;
	page = pfn_to_page(sim, pfn);
	*count = page->folio ? (uint64_t)page_mapcount_for_stats(sim, page->folio, page) : 0;
	return 0;
}

/*
 * mlock_vma_folio()'s rule, for one mapping: a VM_LOCKED VMA mlocks a small
 * folio, a PMD-mapped one, and a PTE-mapped large folio only when all of it
 * lies inside the VMA (allow_mlock_munlock()).
 */
static bool mlock_one(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit,
		      void *arg)
{
	const struct vm_area_struct *vma = hit->vma;
	unsigned long start;
	bool *mlocked = arg;

	if (!(vma->vm_flags & VM_LOCKED))
		return true;
	if (folio_test_large(folio) && hit->pte) {
		start = hit->address - (unsigned long)(hit->page - folio_page(sim, folio, 0)) * PAGE_SIZE;
		if (start < vma->vm_start ||
		    start + (unsigned long)folio_nr_pages(folio) * PAGE_SIZE > vma->vm_end)
			return true;
	}
	*mlocked = true;
	return false;
}

/*
 * PG_mlocked: does a VM_LOCKED VMA map the folio? mlock_count follows the
 * locked VMAs that map it, so the flag is read from them. The walk is no
 * rmap walk the cost counters count.
 */
static bool folio_mlocked(struct mmsim *sim, struct folio *folio)
{
	struct rmap_walk_cost ksm_cost = sim->ksm->rmap_walk_cost;
	struct rmap_walk_cost anon_cost = sim->anon_rmap_walk_cost;
	bool mlocked = false;

	if (folio_is_zero(folio) || !folio_test_anon(folio))
		return false;
	rmap_walk(sim, folio, mlock_one, &mlocked);
	sim->ksm->rmap_walk_cost = ksm_cost;
	sim->anon_rmap_walk_cost = anon_cost;
	return mlocked;
}

int proc_kpageflags(struct mmsim *sim, unsigned long pfn, uint64_t *flags)
{
	const struct page *page;
	struct folio *folio;
	uint64_t u = 0;

	if (pfn >= sim->nr_frames)
		return -EINVAL;
	page = pfn_to_page(sim, pfn);
	folio = page->folio;
	if (page->flags & PG_buddy)
		u |= 1ULL << KPF_BUDDY;
	if (page->flags & PG_table)
		u |= 1ULL << KPF_PGTABLE;
	if (folio) {
		if (folio_is_zero(folio))
			u |= 1ULL << MMSIM_KPF_ZERO_PAGE;
		if (folio_test_anon(folio))
			u |= 1ULL << MMSIM_KPF_ANON;
		/* 6.10-6.14 test the KSM mapping bits with "&": any anon page passes. */
		if (folio_test_ksm(folio) ||
		    (sim->profile->kpf_ksm_on_anon && folio_test_anon(folio)))
			u |= 1ULL << MMSIM_KPF_KSM;
		/* page_mapped() is folio_mapped() for every page of a large folio. */
		if (!folio_is_zero(folio) && folio_mapped(sim, folio))
			u |= 1ULL << MMSIM_KPF_MMAP;
		if (folio_test_large(folio)) {
			u |= 1ULL << (pfn == folio_pfn(folio) ? MMSIM_KPF_COMPOUND_HEAD
							: MMSIM_KPF_COMPOUND_TAIL);
			u |= 1ULL << MMSIM_KPF_THP;
		}
		/* An mlocked folio sits on the unevictable LRU. */
		if ((!sim->profile->kpf_tail_own_flags || pfn == folio_pfn(folio)) &&
		    folio_mlocked(sim, folio))
			u |= 1ULL << MMSIM_KPF_MLOCKED | 1ULL << MMSIM_KPF_UNEVICTABLE;
	}
	*flags = u;
	return 0;
}

int proc_vmflag(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, const char *name,
		bool *set)
{
	static const struct { const char *name; unsigned long flag; } mnemonics[] = {
		{ "rd", VM_READ }, { "wr", VM_WRITE }, { "mr", VM_MAYREAD }, { "mw", VM_MAYWRITE },
		{ "me", VM_MAYEXEC }, { "lo", VM_LOCKED }, { "dc", VM_DONTCOPY },
		{ "lf", VM_LOCKONFAULT }, { "ac", VM_ACCOUNT }, { "nr", VM_NORESERVE },
		{ "wf", VM_WIPEONFORK }, { "hg", VM_HUGEPAGE }, { "nh", VM_NOHUGEPAGE },
		{ "mg", VM_MERGEABLE }, { "sd", VM_SOFTDIRTY },
	};
	const struct vm_area_struct *vma = vma_lookup(mm, addr);

	for (size_t i = 0; i < sizeof(mnemonics) / sizeof(mnemonics[0]); i++) {
		if (strcmp(mnemonics[i].name, name))
			continue;
		/* Linux 6.1's VmFlags has no word for VM_LOCKONFAULT. */
		*set = vma && (vma->vm_flags & mnemonics[i].flag) &&
		       !(mnemonics[i].flag == VM_LOCKONFAULT && sim->profile->smaps_no_lf);
		return 0;
	}
	return -EINVAL;
}

int proc_pagemap(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, uint64_t *out)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	const struct folio *folio;
	const struct page *page, *counted;
	pmd_t *pmd;
	pte_t entry;
	uint64_t pm;

	/*
	 * PM_SOFT_DIRTY (bit 55) only with CONFIG_MEM_SOFT_DIRTY, which this
	 * machine's 6.18 build lacks (docs/kernel-facts.md, "/proc"): for every
	 * page of a soft-dirty VMA, empty ones too, and for soft-dirty entries.
	 */
	*out = 0;
	if (!vma)
		return 0;
	if (sim->profile->mem_soft_dirty && (vma->vm_flags & VM_SOFTDIRTY))
		*out = MMSIM_PM_SOFT_DIRTY;
	pmd = pmd_lookup(sim, mm, addr);
	if (!pmd || pmd_none(*pmd))
		return 0;
	if (pmd_leaf(*pmd)) {
		entry = *pmd;
		page = pfn_to_page(sim, pte_pfn(entry) + pte_index(addr));
		/*
		 * The head's count stands for all 512 entries, as 6.18 and 6.1
		 * report it; 6.10-6.14 ask each page.
		 */
		counted = sim->profile->pagemap_pmd_per_page ? page :
			  pfn_to_page(sim, pte_pfn(entry));
	} else {
		entry = *pte_offset(sim, pmd, addr);
		if (is_swap_pte(entry)) {
			/* pte_to_pagemap_entry(): PM_SWAP with the type in bits 0-4, the offset above. */
			swp_entry_t swp = pte_to_swp_entry(entry);

			*out |= MMSIM_PM_SWAP | swp_type(swp) | (swp_offset(swp) << 5);
			if (sim->profile->mem_soft_dirty && pte_swp_soft_dirty(entry))
				*out |= MMSIM_PM_SOFT_DIRTY;
			return 0;
		}
		if (!pte_present(entry))
			return 0;
		page = counted = pfn_to_page(sim, pte_pfn(entry));
	}
	folio = page->folio;
	pm = MMSIM_PM_PRESENT | page_to_pfn(sim, page);
	if (sim->profile->mem_soft_dirty && pte_soft_dirty(entry))
		pm |= MMSIM_PM_SOFT_DIRTY;
	if (!folio_is_zero(folio) && folio_test_anon(folio) &&
	    page_mapped_exclusively(sim, folio, counted))
		pm |= MMSIM_PM_MMAP_EXCLUSIVE;
	*out |= pm;
	return 0;
}

/* pte_is_pinned(): clear_refs leaves a maybe-pinned page's entry alone. */
static bool pte_is_pinned(struct mmsim *sim, const struct vm_area_struct *vma, pte_t pte)
{
	if (!(vma->vm_mm->flags & MMF_HAS_PINNED) || !is_cow_mapping(vma->vm_flags) ||
	    pte_special(pte))
		return false;
	return folio_maybe_dma_pinned(page_folio(pfn_to_page(sim, pte_pfn(pte))));
}

/* clear_soft_dirty(): a present entry is write-protected too, so the next write faults. */
static void clear_soft_dirty(struct mmsim *sim, const struct vm_area_struct *vma, pte_t *pte)
{
	if (pte_present(*pte)) {
		if (!pte_is_pinned(sim, vma, *pte))
			*pte = pte_clear_soft_dirty(pte_wrprotect(*pte));
	} else if (is_swap_pte(*pte)) {
		*pte = pte_swp_clear_soft_dirty(*pte);
	}
}

/* clear_refs_pte_range() over one VMA. */
static void clear_refs_vma(struct mmsim *sim, struct vm_area_struct *vma, int type)
{
	struct mm_struct *mm = vma->vm_mm;

	for (unsigned long addr = vma->vm_start, next; addr < vma->vm_end; addr = next) {
		pmd_t *pmd = pmd_lookup(sim, mm, addr);
		pte_t *pte;

		next = pmd_walk_next(sim, mm, pmd, addr, vma->vm_end);
		if (!pmd || pmd_none(*pmd))
			continue;
		if (pmd_leaf(*pmd)) {
			/* clear_soft_dirty_pmd(): no pinned test for a PMD. */
			*pmd = type == CLEAR_REFS_SOFT_DIRTY ? pte_clear_soft_dirty(pte_wrprotect(*pmd))
							     : pte_mkold(*pmd);
			continue;
		}
		pte = pte_offset(sim, pmd, addr);
		for (unsigned long a = addr; a < next; a += PAGE_SIZE, pte++) {
			if (type == CLEAR_REFS_SOFT_DIRTY)
				clear_soft_dirty(sim, vma, pte);
			else if (pte_present(*pte))
				*pte = pte_mkold(*pte);
		}
	}
}

int clear_refs_write(struct mmsim *sim, struct mm_struct *mm, int type)
{
	struct vm_area_struct *vma;

	if (type < CLEAR_REFS_ALL || type > CLEAR_REFS_MM_HIWATER_RSS)
		return sim_error(sim, -EINVAL, "clear_refs: %d is not a type (1 to 5)", type);
	if (type == CLEAR_REFS_MM_HIWATER_RSS)
		return sim_error(sim, -EINVAL, "clear_refs: 5 resets the peak RSS, which is not modelled");
	/* Without CONFIG_MEM_SOFT_DIRTY, clear_soft_dirty() is empty. */
	if (type == CLEAR_REFS_SOFT_DIRTY && !sim->profile->mem_soft_dirty)
		return 0;
	/* Mapped-file accessed bits only: every VMA here is anonymous. */
	if (type == CLEAR_REFS_MAPPED)
		return 0;
	for_each_vma(mm, vma) {
		if (type == CLEAR_REFS_SOFT_DIRTY)
			vma->vm_flags &= ~VM_SOFTDIRTY;
		clear_refs_vma(sim, vma, type);
	}
	return 0;
}

struct smaps_acc {
	unsigned long rss, anonymous, anon_huge, ksm, swap;
	unsigned long shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t pss;			/* bytes << PSS_SHIFT */
};

/* smaps_account() for one page-table entry mapping nr pages from page. */
static void smaps_account(struct mmsim *sim, struct smaps_acc *acc, struct page *page,
			  long nr, bool dirty)
{
	struct folio *folio = page_folio(page);
	bool exclusive_folio = folio->_refcount == 1;

	for (long i = 0; i < nr; i++) {
		int mapcount = exclusive_folio ? 1 : page_mapcount_for_stats(sim, folio, page + i);
		uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;
		bool shared = mapcount >= 2;

		/* Without per-page counts, USS follows the folio's shared bit. */
		if (!exclusive_folio && sim->mapcount->page_mapcount(sim, folio, page + i) == -EOPNOTSUPP)
			shared = folio_maybe_mapped_shared(sim, folio);

		if (mapcount >= 2)
			pss /= (uint64_t)mapcount;
		acc->rss += PAGE_SIZE;
		acc->pss += pss;
		if (folio_test_anon(folio))
			acc->anonymous += PAGE_SIZE;
		if (folio_test_ksm(folio))
			acc->ksm += PAGE_SIZE;
		dirty = dirty || (folio->flags & FOLIO_dirty);
		if (shared)
			*(dirty ? &acc->shared_dirty : &acc->shared_clean) += PAGE_SIZE;
		else
			*(dirty ? &acc->private_dirty : &acc->private_clean) += PAGE_SIZE;
	}
}

static void smaps_vma(struct mmsim *sim, struct vm_area_struct *vma, struct smaps_acc *acc)
{
	for (unsigned long addr = vma->vm_start; addr < vma->vm_end;) {
		pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);
		unsigned long next = pmd_walk_next(sim, vma->vm_mm, pmd, addr, vma->vm_end);

		/* 6.1 finds a PMD's page with follow_trans_huge_pmd(). */
		if (pmd && pmd_leaf(*pmd)) {
			if (!is_huge_zero_pmd(sim, *pmd) && !follow_page_refuses_protnone(sim, vma)) {
				smaps_account(sim, acc, pfn_to_page(sim, pte_pfn(*pmd)), HPAGE_PMD_NR,
					      pte_dirty(*pmd));
				acc->anon_huge += PMD_SIZE;
			}
		} else if (pmd && pmd_table(*pmd)) {
			pte_t *pte = pte_offset(sim, pmd, addr);

			for (unsigned long a = addr; a < next; a += PAGE_SIZE, pte++)
				if (is_swap_pte(*pte))
					acc->swap += PAGE_SIZE;	/* smaps_pte_entry()'s swap entries */
				else if (pte_present(*pte) && !pte_special(*pte))
					smaps_account(sim, acc, pfn_to_page(sim, pte_pfn(*pte)), 1,
						      pte_dirty(*pte));
		}
		addr = next;
	}
}

int proc_smaps(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
	       unsigned long end, struct mmsim_smaps *out)
{
	struct vm_area_struct *vma;

	*out = (struct mmsim_smaps){ 0 };
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		struct smaps_acc acc = { 0 };

		smaps_vma(sim, vma, &acc);
		/* Each VMA's smaps entry is rounded to kB on its own. */
		out->rss += acc.rss >> 10;
		out->pss += (unsigned long)(acc.pss >> (10 + PSS_SHIFT));
		out->anonymous += acc.anonymous >> 10;
		out->anon_huge_pages += acc.anon_huge >> 10;
		out->shared_clean += acc.shared_clean >> 10;
		out->shared_dirty += acc.shared_dirty >> 10;
		out->private_clean += acc.private_clean >> 10;
		out->private_dirty += acc.private_dirty >> 10;
		out->ksm += acc.ksm >> 10;
		out->swap += acc.swap >> 10;
		/* Locked: the PSS of a VM_LOCKED VMA (mss->pss_locked). */
		if (vma->vm_flags & VM_LOCKED)
			out->locked += (unsigned long)(acc.pss >> (10 + PSS_SHIFT));
	}
	return 0;
}

int proc_folio_order(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, int *order)
{
	bool pmd_mapped;
	struct page *page = follow_page(sim, mm, addr, &pmd_mapped);

	*order = page ? (int)page_folio(page)->order : -1;
	return 0;
}
