// SPDX-License-Identifier: MIT
/*
 * Collapse after mm/khugepaged.c (6.18, 7.3): MADV_COLLAPSE and khugepaged's
 * scan try each 2M block, swap missing pages in, copy every page into a new
 * THP (holes and zero pages as zeroes), free the old folios and map the THP
 * with a PMD. khugepaged keeps its list of mms and its max_ptes_* limits.
 */
#include "khugepaged.h"

#include <limits.h>
#include <string.h>

#include "huge_memory.h"
#include "ksm.h"
#include "page_alloc.h"
#include "swap.h"
#include "vma.h"

/*
 * enum scan_result, the kernel's names. 7.3 folds SCAN_PMD_NULL (no PMD
 * table) and SCAN_PMD_NONE (no PTE table) into SCAN_NO_PTE_TABLE.
 */
enum scan_result {
	SCAN_FAIL,
	SCAN_SUCCEED,
	SCAN_PMD_NULL,
	SCAN_PMD_NONE,
	SCAN_PMD_MAPPED,
	SCAN_EXCEED_NONE_PTE,
	SCAN_EXCEED_SWAP_PTE,
	SCAN_EXCEED_SHARED_PTE,
	SCAN_PTE_NON_PRESENT,
	SCAN_PAGE_NULL,
	SCAN_PAGE_ANON,
	SCAN_PAGE_COUNT,
	SCAN_PAGE_LOCK,
	SCAN_PAGE_RO,
	SCAN_LACK_REFERENCED_PAGE,
	SCAN_PTE_MAPPED_HUGEPAGE,
	SCAN_ALLOC_HUGE_PAGE_FAIL,
};

/*
 * struct collapse_control: who collapses, and the max_ptes_* limits that
 * apply. MADV_COLLAPSE ignores khugepaged's limits: every one is HPAGE_PMD_NR.
 */
struct collapse_control {
	bool is_khugepaged;
	unsigned int max_ptes_none, max_ptes_swap, max_ptes_shared;
};

/* The shared zero page counts as a hole (pte_none_or_zero()). */
static bool pte_none_or_zero(pte_t pte)
{
	return pte_none(pte) || (pte_present(pte) && pte_pfn(pte) == ZERO_PFN);
}

/*
 * collapse_possible() for TVA_FORCED_COLLAPSE: the sysfs THP switches do not
 * matter, VM_NOHUGEPAGE and PR_SET_THP_DISABLE do; the VMA must hold one
 * aligned 2M block and have an anon_vma (have been written to).
 */
static bool collapse_possible(const struct vm_area_struct *vma)
{
	if ((vma->vm_flags & VM_NOHUGEPAGE) || (vma->vm_mm->flags & MMF_DISABLE_THP))
		return false;
	if (vma->vm_end - vma->vm_start < PMD_SIZE ||
	    !thp_vma_suitable_order(vma, vma->vm_end - PMD_SIZE, HPAGE_PMD_ORDER))
		return false;
	return vma->anon_vma != NULL;
}

/* find_pmd_or_thp_or_none(): a PTE table to collapse, a THP already, or nothing. */
static enum scan_result find_pmd_or_thp_or_none(struct mmsim *sim, struct mm_struct *mm,
						unsigned long addr, pmd_t **pmd)
{
	*pmd = pmd_lookup(sim, mm, addr);
	if (!*pmd)
		return SCAN_PMD_NULL;
	if (pmd_none(**pmd))
		return SCAN_PMD_NONE;
	if (pmd_leaf(**pmd))
		return SCAN_PMD_MAPPED;
	return SCAN_SUCCEED;
}

/* folio_expected_ref_count(): one reference a mapping, one a page in the swap cache. */
static int folio_expected_ref_count(const struct mmsim *sim, const struct folio *folio)
{
	int refs = folio_mapcount(sim, folio);

	if (folio_test_swapcache(folio))
		refs += (int)folio_nr_pages(folio);
	return refs;
}

/* Before 6.18 a block without one writable PTE is not collapsed. */
static enum scan_result check_writable(const struct mmsim *sim, bool writable)
{
	return writable || !sim->profile->collapse_needs_writable ? SCAN_SUCCEED : SCAN_PAGE_RO;
}

/*
 * The checks of collapse_scan_pmd() and __collapse_huge_page_isolate() on
 * one present PTE: an anonymous page (vm_normal_page()), shared within the
 * limit, held by nothing but its mappings and the swap cache.
 */
static enum scan_result check_present_pte(struct mmsim *sim, pte_t pteval,
					  const struct collapse_control *cc, unsigned int *shared)
{
	struct folio *folio;

	if (pte_special(pteval))
		return SCAN_PAGE_NULL;
	folio = page_folio(pfn_to_page(sim, pte_pfn(pteval)));
	if (!folio_test_anon(folio))
		return SCAN_PAGE_ANON;
	/* A page counts as shared when any part of its folio may be. */
	if (folio_maybe_mapped_shared(sim, folio) && ++*shared > cc->max_ptes_shared)
		return SCAN_EXCEED_SHARED_PTE;
	if (folio_expected_ref_count(sim, folio) != folio->_refcount)
		return SCAN_PAGE_COUNT;
	return SCAN_SUCCEED;
}

/*
 * Did an earlier PTE of the block map this small folio? Its folio_trylock()
 * then fails: the first PTE locked it. Only a KSM page can be mapped twice in
 * one block, and only then is its mapcount above 1.
 */
static bool small_folio_seen(struct mmsim *sim, const pte_t *pte, int i, struct folio *folio)
{
	if (folio_test_large(folio) || folio_mapcount(sim, folio) < 2)
		return false;
	while (--i >= 0)
		if (pte_present(pte[i]) && pte_pfn(pte[i]) == folio_pfn(folio))
			return true;
	return false;
}

/*
 * __collapse_huge_page_isolate(): the PTEs once more, after the swap-in: a
 * swap entry left is SCAN_PTE_NON_PRESENT now. Each small folio is locked
 * and taken off the LRU: nothing else runs here, so that succeeds, unless
 * the block maps the folio twice (SCAN_PAGE_LOCK). A large folio is taken
 * once, whatever its PTEs.
 */
static enum scan_result __collapse_huge_page_isolate(struct mmsim *sim, const pte_t *pte,
						     const struct collapse_control *cc)
{
	unsigned int none_or_zero = 0, shared = 0, referenced = 0;
	enum scan_result result;
	bool writable = false;

	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		if (pte_none_or_zero(pte[i])) {
			if (++none_or_zero > cc->max_ptes_none)
				return SCAN_EXCEED_NONE_PTE;
			continue;
		}
		if (!pte_present(pte[i]))
			return SCAN_PTE_NON_PRESENT;
		result = check_present_pte(sim, pte[i], cc, &shared);
		if (result != SCAN_SUCCEED)
			return result;
		if (small_folio_seen(sim, pte, i, page_folio(pfn_to_page(sim, pte_pfn(pte[i])))))
			return SCAN_PAGE_LOCK;
		writable |= pte_write(pte[i]);
		referenced += pte_young(pte[i]);
	}
	result = check_writable(sim, writable);
	if (result == SCAN_SUCCEED && cc->is_khugepaged && !referenced)
		return SCAN_LACK_REFERENCED_PAGE;
	return result;
}

/* __collapse_huge_page_swapin(): every swap entry of the block faults its page back in. */
static enum scan_result __collapse_huge_page_swapin(struct mmsim *sim,
						    struct vm_area_struct *vma, pmd_t *pmd,
						    unsigned long haddr)
{
	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		unsigned long addr = haddr + ((unsigned long)i << PAGE_SHIFT);
		pte_t *pte = pte_offset(sim, pmd, addr);

		if (pte_none(*pte) || pte_present(*pte))
			continue;
		if (do_swap_page(sim, vma, pmd, pte, addr, false))
			return SCAN_FAIL;
	}
	return SCAN_SUCCEED;
}

/*
 * The copy half of __collapse_huge_page_copy(): the new folio's frames start
 * zeroed, so holes and zero pages need nothing. -ENOMEM when the model has
 * no buffer for a page's contents (the kernel's copy cannot fail that way).
 */
static int collapse_copy_pages(struct mmsim *sim, struct folio *folio, const pte_t *pte)
{
	for (long i = 0; i < folio_nr_pages(folio); i++) {
		if (pte_none_or_zero(pte[i]))
			continue;
		if (copy_page_data(sim, folio_page(sim, folio, i), pfn_to_page(sim, pte_pfn(pte[i]))))
			return -ENOMEM;
	}
	return 0;
}

/*
 * __collapse_huge_page_copy_succeeded(): the old mappings go. A hole or a
 * zero page adds a page to the mm's count (the THP maps it now); a present
 * page keeps its count and loses its rmap and reference, a PTE-mapped large
 * folio a batch at a time. A folio left mapped nowhere leaves the swap cache.
 */
static void __collapse_huge_page_copy_succeeded(struct mmsim *sim, struct vm_area_struct *vma,
						pte_t *pte, int nr_pages, unsigned long pt_pfn)
{
	const struct rmap_site site = { vma, pt_pfn };

	for (int i = 0, nr; i < nr_pages; i += nr) {
		pte_t pteval = pte[i];
		struct page *page;
		struct folio *src;

		nr = 1;
		if (pte_none_or_zero(pteval)) {
			add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
			if (pte_none(pteval))
				continue;
			pte[i] = 0;
			ksm_might_unmap_zero_page(sim, vma->vm_mm, pteval);
			continue;
		}
		page = pfn_to_page(sim, pte_pfn(pteval));
		src = page_folio(page);
		nr = folio_pte_batch(sim, src, pte + i, nr_pages - i);
		clear_ptes(pte + i, nr);
		folio_remove_rmap_ptes(sim, src, page, nr, &site);
		free_swap_cache(sim, src);
		folio_put_refs(sim, src, nr);
	}
}

/*
 * collapse_huge_page(): a new THP, the block's swap entries faulted in, the
 * PTEs checked again, the pages copied, the old folios released, the PTE
 * table deposited and the THP mapped by the PMD.
 */
static enum scan_result collapse_huge_page(struct mmsim *sim, struct vm_area_struct *vma,
					   unsigned long haddr, unsigned int unmapped,
					   const struct collapse_control *cc)
{
	enum scan_result result;
	struct folio *folio;
	unsigned long pt;
	pmd_t *pmd;
	pte_t *pte;

	folio = folio_alloc(sim, HPAGE_PMD_ORDER, FOLIO_anon);
	if (!folio) {
		sim->thp_collapse_alloc_failed++;
		return SCAN_ALLOC_HUGE_PAGE_FAIL;
	}
	sim->thp_collapse_alloc++;
	result = find_pmd_or_thp_or_none(sim, vma->vm_mm, haddr, &pmd);
	if (result == SCAN_SUCCEED && unmapped)
		result = __collapse_huge_page_swapin(sim, vma, pmd, haddr);
	if (result != SCAN_SUCCEED)
		goto out;
	pte = pte_offset(sim, pmd, haddr);
	result = __collapse_huge_page_isolate(sim, pte, cc);
	if (result != SCAN_SUCCEED)
		goto out;
	if (collapse_copy_pages(sim, folio, pte)) {
		result = SCAN_ALLOC_HUGE_PAGE_FAIL;
		goto out;
	}
	pt = pte_pfn(*pmd);
	__collapse_huge_page_copy_succeeded(sim, vma, pte, HPAGE_PMD_NR, pt);
	*pmd = 0;
	pgtable_trans_huge_deposit(sim, vma->vm_mm, haddr, pt);
	map_anon_folio_pmd_nopf(sim, folio, vma, pmd, haddr);
	return SCAN_SUCCEED;
out:
	folio_put(sim, folio);
	return result;
}

/* The PTEs of a block that map a page (not a hole, the zero page or a swap entry). */
struct present_ptes {
	uint64_t bits[HPAGE_PMD_NR / 64];
};

static unsigned int present_weight(const struct present_ptes *p, unsigned int from,
				   unsigned int nr)
{
	unsigned int n = 0;

	for (unsigned int i = from; i < from + nr; i++)
		n += (p->bits[i / 64] >> (i % 64)) & 1;
	return n;
}

/*
 * The scan loop of collapse_scan_pmd(): holes and zero pages up to
 * max_ptes_none, swap entries and shared pages within cc's limits, every
 * page anonymous and held by nothing else; for khugepaged, some page used
 * recently. *present gets the pages found, *unmapped the swap entries.
 */
static enum scan_result collapse_scan_ptes(struct mmsim *sim, const pte_t *pte,
					   const struct collapse_control *cc,
					   unsigned int max_ptes_none, struct present_ptes *present,
					   unsigned int *unmapped)
{
	unsigned int none_or_zero = 0, shared = 0, referenced = 0;
	enum scan_result result;
	bool writable = false;

	*unmapped = 0;
	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		if (pte_none_or_zero(pte[i])) {
			if (++none_or_zero > max_ptes_none)
				return SCAN_EXCEED_NONE_PTE;
			continue;
		}
		if (!pte_present(pte[i])) {
			if (++*unmapped > cc->max_ptes_swap)
				return SCAN_EXCEED_SWAP_PTE;
			continue;
		}
		result = check_present_pte(sim, pte[i], cc, &shared);
		if (result != SCAN_SUCCEED)
			return result;
		present->bits[i / 64] |= 1ULL << (i % 64);
		writable |= pte_write(pte[i]);
		/*
		 * folio_pte_referenced(): the model keeps no PG_referenced nor
		 * idle-page bits, so a young PTE is what counts. A fork's
		 * child starts with old PTEs.
		 */
		referenced += pte_young(pte[i]);
	}
	result = check_writable(sim, writable);
	if (result != SCAN_SUCCEED)
		return result;
	/* khugepaged wants some use, and half the block used to swap pages in. */
	if (cc->is_khugepaged && (!referenced || (*unmapped && referenced < HPAGE_PMD_NR / 2)))
		return SCAN_LACK_REFERENCED_PAGE;
	return SCAN_SUCCEED;
}

/*
 * collapse_max_ptes_none() for an mTHP order (7.3): 511 scales to the
 * order's size less one, any other value means none at all.
 */
static unsigned int mthp_max_ptes_none(const struct collapse_control *cc, unsigned int order)
{
	if (order == HPAGE_PMD_ORDER)
		return cc->max_ptes_none;
	return cc->max_ptes_none == HPAGE_PMD_NR - 1 ? (1U << order) - 1 : 0;
}

/*
 * __collapse_huge_page_isolate() for an mTHP order: a swap entry ends it
 * (7.3 swaps nothing in for an mTHP), no page may be shared, and a folio
 * as large as the target already is one (SCAN_PTE_MAPPED_HUGEPAGE).
 */
static enum scan_result mthp_isolate(struct mmsim *sim, const pte_t *pte, unsigned int order,
				     const struct collapse_control *cc)
{
	const struct collapse_control mthp_cc = { .is_khugepaged = cc->is_khugepaged };
	unsigned int none_or_zero = 0, shared = 0, referenced = 0, nr = 1U << order;
	enum scan_result result;

	for (unsigned int i = 0; i < nr; i++) {
		struct folio *folio;

		if (pte_none_or_zero(pte[i])) {
			if (++none_or_zero > mthp_max_ptes_none(cc, order))
				return SCAN_EXCEED_NONE_PTE;
			continue;
		}
		if (!pte_present(pte[i]))
			return SCAN_EXCEED_SWAP_PTE;
		result = check_present_pte(sim, pte[i], &mthp_cc, &shared);
		if (result != SCAN_SUCCEED)
			return result;
		folio = page_folio(pfn_to_page(sim, pte_pfn(pte[i])));
		if (folio->order >= order)
			return SCAN_PTE_MAPPED_HUGEPAGE;
		if (small_folio_seen(sim, pte, (int)i, folio))
			return SCAN_PAGE_LOCK;
		referenced += pte_young(pte[i]);
	}
	return cc->is_khugepaged && !referenced ? SCAN_LACK_REFERENCED_PAGE : SCAN_SUCCEED;
}

/* map_anon_folio_pte_nopf(): the new mTHP mapped by its PTEs, exclusive, young. */
static void map_anon_folio_pte_nopf(struct mmsim *sim, struct folio *folio,
				    struct vm_area_struct *vma, pte_t *pte, unsigned long addr,
				    unsigned long pt_pfn)
{
	long nr = folio_nr_pages(folio);

	folio->_refcount += (int)nr - 1;
	folio_add_new_anon_rmap(sim, folio, vma, addr, RMAP_EXCLUSIVE, pt_pfn);
	for (long i = 0; i < nr; i++) {
		pte_t entry = pfn_pte(folio_pfn(folio) + (unsigned long)i,
				      vm_page_prot(vma->vm_flags)) | _PAGE_ACCESSED;

		pte[i] = vma->vm_flags & VM_WRITE ? pte_mkwrite(pte_mkdirty(entry)) : entry;
	}
}

/*
 * collapse_huge_page() for an mTHP order (7.3): a new folio of that order
 * for [addr, + its size), the range checked again, copied, its old
 * mappings released and the folio mapped by PTEs in the same table.
 */
static enum scan_result collapse_mthp_range(struct mmsim *sim, struct vm_area_struct *vma,
					    unsigned long addr, unsigned int order,
					    const struct collapse_control *cc)
{
	enum scan_result result;
	struct folio *folio;
	pmd_t *pmd;
	pte_t *pte;

	folio = folio_alloc(sim, order, FOLIO_anon);
	if (!folio)
		return SCAN_ALLOC_HUGE_PAGE_FAIL;
	result = find_pmd_or_thp_or_none(sim, vma->vm_mm, addr & PMD_MASK, &pmd);
	if (result != SCAN_SUCCEED)
		goto out;
	pte = pte_offset(sim, pmd, addr);
	result = mthp_isolate(sim, pte, order, cc);
	if (result != SCAN_SUCCEED)
		goto out;
	if (collapse_copy_pages(sim, folio, pte)) {
		result = SCAN_ALLOC_HUGE_PAGE_FAIL;
		goto out;
	}
	__collapse_huge_page_copy_succeeded(sim, vma, pte, (int)folio_nr_pages(folio),
					    pte_pfn(*pmd));
	map_anon_folio_pte_nopf(sim, folio, vma, pte, addr, pte_pfn(*pmd));
	return SCAN_SUCCEED;
out:
	folio_put(sim, folio);
	return result;
}

/* Results after which mthp_collapse() may still succeed at a smaller order. */
static bool mthp_try_smaller(enum scan_result r)
{
	return r == SCAN_ALLOC_HUGE_PAGE_FAIL || r == SCAN_LACK_REFERENCED_PAGE ||
	       r == SCAN_EXCEED_NONE_PTE || r == SCAN_EXCEED_SWAP_PTE ||
	       r == SCAN_EXCEED_SHARED_PTE || r == SCAN_PAGE_LOCK || r == SCAN_PAGE_COUNT ||
	       r == SCAN_PAGE_NULL || r == SCAN_PTE_NON_PRESENT;
}

/* max_order_from_offset(): the largest naturally aligned order at offset. */
static unsigned int max_order_from_offset(unsigned int offset)
{
	return offset ? MIN((unsigned int)__builtin_ctz(offset), HPAGE_PMD_ORDER) :
			HPAGE_PMD_ORDER;
}

/*
 * mthp_collapse() (7.3): from the PMD order down, each enabled order whose
 * range holds enough pages (its max_ptes_none) is collapsed; a range that
 * fails tries the next smaller enabled order, a range done (or smaller than
 * the smallest order) moves the offset on.
 */
static enum scan_result mthp_collapse(struct mmsim *sim, struct vm_area_struct *vma,
				      unsigned long haddr, const struct present_ptes *present,
				      unsigned int unmapped, const struct collapse_control *cc,
				      unsigned long orders)
{
	enum scan_result last = SCAN_FAIL, ret;
	unsigned int offset = 0, order = HPAGE_PMD_ORDER, nr;
	bool collapsed = false, alloc_failed = false;

	while (offset < HPAGE_PMD_NR) {
		nr = 1U << order;
		if (orders & (1UL << order)) {
			unsigned int occupied = present_weight(present, offset, nr);

			if (order == HPAGE_PMD_ORDER)
				occupied += unmapped;
			if (occupied < nr - mthp_max_ptes_none(cc, order))
				goto next_order;
			if (order == HPAGE_PMD_ORDER)
				ret = collapse_huge_page(sim, vma, haddr, unmapped, cc);
			else
				ret = collapse_mthp_range(sim, vma, haddr + ((unsigned long)offset <<
							  PAGE_SHIFT), order, cc);
			if (ret == SCAN_SUCCEED || ret == SCAN_PTE_MAPPED_HUGEPAGE) {
				collapsed |= ret == SCAN_SUCCEED;
				goto next_offset;
			}
			last = ret;
			alloc_failed |= ret == SCAN_ALLOC_HUGE_PAGE_FAIL;
			if (!mthp_try_smaller(ret))
				break;
		}
next_order:
		if (order > 2 && (orders & ((1UL << order) - 1))) {
			order--;
			continue;
		}
next_offset:
		offset += nr;
		order = max_order_from_offset(offset);
	}
	if (collapsed)
		return SCAN_SUCCEED;
	return alloc_failed ? SCAN_ALLOC_HUGE_PAGE_FAIL : last;
}

/*
 * collapse_scan_pmd(): may the block collapse (collapse_scan_ptes())? Then
 * collapse_huge_page(). With mTHP orders enabled for khugepaged (7.3) the
 * scan lets every hole pass and mthp_collapse() picks the sizes.
 */
static enum scan_result collapse_scan_pmd(struct mmsim *sim, struct vm_area_struct *vma,
					  unsigned long haddr, const struct collapse_control *cc,
					  unsigned long orders)
{
	const bool pmd_only = orders == 1UL << HPAGE_PMD_ORDER;
	struct present_ptes present = { { 0 } };
	enum scan_result result;
	unsigned int unmapped;
	pmd_t *pmd;

	result = find_pmd_or_thp_or_none(sim, vma->vm_mm, haddr, &pmd);
	if (result != SCAN_SUCCEED)
		return result;
	result = collapse_scan_ptes(sim, pte_offset(sim, pmd, haddr), cc,
				    pmd_only ? cc->max_ptes_none : HPAGE_PMD_NR - 1, &present,
				    &unmapped);
	if (result != SCAN_SUCCEED)
		return result;
	if (pmd_only)
		return collapse_huge_page(sim, vma, haddr, unmapped, cc);
	return mthp_collapse(sim, vma, haddr, &present, unmapped, cc, orders);
}

/* The tracepoints' names of the results, for the error reason. */
static const char *const scan_result_names[] = {
	[SCAN_FAIL] = "failed", [SCAN_SUCCEED] = "succeeded", [SCAN_PMD_NULL] = "pmd_null",
	[SCAN_PMD_NONE] = "pmd_none", [SCAN_PMD_MAPPED] = "page_pmd_mapped",
	[SCAN_EXCEED_NONE_PTE] = "exceed_none_pte", [SCAN_EXCEED_SWAP_PTE] = "exceed_swap_pte",
	[SCAN_EXCEED_SHARED_PTE] = "exceed_shared_pte", [SCAN_PTE_NON_PRESENT] = "pte_non_present",
	[SCAN_PAGE_NULL] = "page_null", [SCAN_PAGE_ANON] = "page_not_anon",
	[SCAN_PAGE_COUNT] = "page_count", [SCAN_PAGE_LOCK] = "page_locked",
	[SCAN_PAGE_RO] = "no_writable_page", [SCAN_LACK_REFERENCED_PAGE] = "lack_referenced_page",
	[SCAN_PTE_MAPPED_HUGEPAGE] = "pte_mapped_hugepage",
	[SCAN_ALLOC_HUGE_PAGE_FAIL] = "alloc_huge_page_failed",
};

/* madvise_collapse_errno(): what MADV_COLLAPSE tells the caller of the last failure. */
static int madvise_collapse_errno(enum scan_result r)
{
	switch (r) {
	case SCAN_ALLOC_HUGE_PAGE_FAIL:
		return -ENOMEM;
	case SCAN_EXCEED_NONE_PTE:
		return -EBUSY;
	case SCAN_PAGE_COUNT:
	case SCAN_PAGE_LOCK:
		return -EAGAIN;		/* worth trying again */
	default:
		return -EINVAL;
	}
}

/* Results after which madvise_collapse() goes on to the next block. */
static bool collapse_goes_on(const struct mmsim *sim, enum scan_result r)
{
	if (r == SCAN_PMD_NONE)
		return sim->profile->collapse_passes_empty_pmd;
	return r == SCAN_PMD_NULL || r == SCAN_PTE_NON_PRESENT || r == SCAN_PAGE_NULL ||
	       r == SCAN_PAGE_COUNT || r == SCAN_PAGE_LOCK || r == SCAN_PAGE_RO;
}

int madvise_collapse(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
	const struct collapse_control cc = {
		.max_ptes_none = HPAGE_PMD_NR,
		.max_ptes_swap = HPAGE_PMD_NR,
		.max_ptes_shared = HPAGE_PMD_NR,
	};
	unsigned long hstart = ALIGN_UP(start, PMD_SIZE), hend = ALIGN_DOWN(end, PMD_SIZE);
	enum scan_result last_fail = SCAN_FAIL;
	unsigned long thps = 0;

	if (!collapse_possible(vma))
		return sim_error(sim, -EINVAL, "collapse: the VMA at %#lx cannot hold a THP "
				 "(VM_NOHUGEPAGE, smaller than an aligned 2M block, or never written)",
				 vma->vm_start);
	/* Before 7.3 the count below wrapped when the range ended short of hstart. */
	if (hstart > hend && !sim->profile->collapse_no_block_ok)
		return sim_error(sim, -EINVAL, "collapse: no whole 2M block in the range");
	if (hstart >= hend)
		return 0;
	for (unsigned long addr = hstart; addr < hend; addr += PMD_SIZE) {
		unsigned long next = pmd_table_next(sim, vma->vm_mm, addr, hend);
		enum scan_result result;

		/* Every block up to the next PMD table is SCAN_PMD_NULL: answer them at once. */
		if (next > addr) {
			last_fail = SCAN_PMD_NULL;
			if (!collapse_goes_on(sim, SCAN_PMD_NULL))
				break;
			addr = next - PMD_SIZE;
			continue;
		}
		result = collapse_scan_pmd(sim, vma, addr, &cc, 1UL << HPAGE_PMD_ORDER);

		if (result == SCAN_SUCCEED || result == SCAN_PMD_MAPPED) {
			thps++;
			continue;
		}
		last_fail = result;
		if (!collapse_goes_on(sim, result))
			break;
	}
	if (thps == (hend - hstart) >> PMD_SHIFT)
		return 0;
	return sim_error(sim, madvise_collapse_errno(last_fail), "collapse: %lu of %lu blocks, the "
			 "last failure %s", thps, (hend - hstart) >> PMD_SHIFT,
			 scan_result_names[last_fail]);
}

/* ---- khugepaged ------------------------------------------------------------ */

/* The kernel's defaults (KHUGEPAGED_MAX_PTES_LIMIT is HPAGE_PMD_NR - 1). */
#define KHUGEPAGED_MAX_PTES_LIMIT	(HPAGE_PMD_NR - 1)

void khugepaged_init(struct mmsim *sim)
{
	struct khugepaged_state *k = &sim->khugepaged;

	k->pages_to_scan = HPAGE_PMD_NR * 8;
	k->scan_sleep_millisecs = 10000;
	k->max_ptes_none = KHUGEPAGED_MAX_PTES_LIMIT;
	k->max_ptes_swap = HPAGE_PMD_NR / 8;
	k->max_ptes_shared = HPAGE_PMD_NR / 2;
}

void khugepaged_destroy(struct mmsim *sim)
{
	sim_free(sim->khugepaged.mm_slots);
	sim->khugepaged.mm_slots = NULL;
	sim->khugepaged.nr_mm_slots = 0;
}

/* Would this THP switch give 2M THPs to some VMA? */
static bool pmd_mode_enabled(enum mmsim_thp_mode mode, enum mmsim_thp_mode top)
{
	if (mode == MMSIM_THP_INHERIT)
		mode = top;
	return mode == MMSIM_THP_ALWAYS || mode == MMSIM_THP_MADVISE;
}

bool hugepage_enabled(const struct mmsim *sim)
{
	const struct thp_policy *thp = &sim->thp;

	if (!sim->profile->khugepaged_mthp)
		return pmd_mode_enabled(thp->order[HPAGE_PMD_ORDER], thp->top);
	/* 7.3: the top-level switch (file THPs) or any anonymous size. */
	if (thp->top != MMSIM_THP_NEVER)
		return true;
	for (unsigned int order = 2; order <= HPAGE_PMD_ORDER; order++)
		if (pmd_mode_enabled(thp->order[order], thp->top))
			return true;
	return false;
}

/*
 * The orders khugepaged may collapse to in vma (thp_vma_allowable_orders()
 * with TVA_KHUGEPAGED, not in a fault): the sizes the switches and prctl
 * allow, less those from the top down that do not fit in the VMA. Before
 * 7.3 only the PMD order is asked for.
 */
static unsigned long khugepaged_vma_orders(struct mmsim *sim, struct vm_area_struct *vma)
{
	unsigned long orders = thp_vma_allowable_orders(sim, vma);

	if (!sim->profile->khugepaged_mthp)
		orders &= 1UL << HPAGE_PMD_ORDER;
	for (unsigned int order = HPAGE_PMD_ORDER; order >= 2 && orders; order--) {
		unsigned long size = PAGE_SIZE << order;

		if (!(orders & (1UL << order)))
			continue;
		if (vma->vm_end - vma->vm_start >= size &&
		    thp_vma_suitable_order(vma, vma->vm_end - size, order))
			break;
		orders &= ~(1UL << order);
	}
	return orders;
}

/* __khugepaged_enter(): at the end of the list, behind the scan. */
static void __khugepaged_enter(struct mmsim *sim, struct mm_struct *mm)
{
	struct khugepaged_state *k = &sim->khugepaged;
	struct mm_struct **slots;

	if (mm->flags & MMF_VM_HUGEPAGE)
		return;
	slots = sim_array_grow(sim, k->mm_slots, k->nr_mm_slots, &k->mm_slots_cap,
			       sizeof(*slots));
	if (!slots)
		return;
	k->mm_slots = slots;
	k->mm_slots[k->nr_mm_slots++] = mm;
	mm->flags |= MMF_VM_HUGEPAGE;
}

void khugepaged_enter_vma(struct mmsim *sim, struct vm_area_struct *vma)
{
	if (!(vma->vm_mm->flags & MMF_VM_HUGEPAGE) && hugepage_enabled(sim) &&
	    khugepaged_vma_orders(sim, vma))
		__khugepaged_enter(sim, vma->vm_mm);
}

void khugepaged_fork(struct mmsim *sim, struct mm_struct *mm, struct mm_struct *oldmm)
{
	if (oldmm->flags & MMF_VM_HUGEPAGE)
		__khugepaged_enter(sim, mm);
}

void khugepaged_exit(struct mmsim *sim, struct mm_struct *mm)
{
	struct khugepaged_state *k = &sim->khugepaged;

	if (!(mm->flags & MMF_VM_HUGEPAGE))
		return;
	for (size_t i = 0; i < k->nr_mm_slots; i++) {
		if (k->mm_slots[i] != mm)
			continue;
		memmove(&k->mm_slots[i], &k->mm_slots[i + 1],
			(k->nr_mm_slots - i - 1) * sizeof(*k->mm_slots));
		k->nr_mm_slots--;
		break;
	}
	mm->flags &= ~MMF_VM_HUGEPAGE;
}

/*
 * khugepaged_scan_mm_slot() over one whole mm: each VMA khugepaged may
 * collapse in, each aligned 2M block of it in address order, through
 * collapse_scan_pmd() with the tunables' limits. A block already PMD-mapped
 * or without a PTE table is passed over, as any failure.
 */
static void khugepaged_scan_mm(struct mmsim *sim, struct mm_struct *mm,
			       const struct collapse_control *cc)
{
	struct vm_area_struct *vma;

	if (mm->exited || (mm->flags & MMF_DISABLE_THP))
		return;
	for_each_vma(mm, vma) {
		unsigned long hstart = ALIGN_UP(vma->vm_start, PMD_SIZE);
		unsigned long hend = ALIGN_DOWN(vma->vm_end, PMD_SIZE);
		unsigned long orders = khugepaged_vma_orders(sim, vma);

		if (!orders)
			continue;
		for (unsigned long addr = pmd_table_next(sim, mm, hstart, hend); addr < hend;
		     addr = pmd_table_next(sim, mm, addr + PMD_SIZE, hend)) {
			/* hugepage_vma_revalidate(): collapse_huge_page() wants an anon_vma. */
			if (!vma->anon_vma)
				break;
			if (collapse_scan_pmd(sim, vma, addr, cc, orders) == SCAN_SUCCEED)
				sim->khugepaged.pages_collapsed++;
		}
	}
}

/*
 * One full pass: khugepaged_do_scan() with pages_to_scan covering it. The
 * list may not change under the pass (nothing exits during it), so it is
 * walked by index.
 */
static void khugepaged_full_scan(struct mmsim *sim)
{
	struct khugepaged_state *k = &sim->khugepaged;
	const struct collapse_control cc = {
		.is_khugepaged = true,
		.max_ptes_none = k->max_ptes_none,
		.max_ptes_swap = k->max_ptes_swap,
		.max_ptes_shared = k->max_ptes_shared,
	};

	for (size_t i = 0; i < k->nr_mm_slots; i++)
		khugepaged_scan_mm(sim, k->mm_slots[i], &cc);
	k->full_scans++;
}

/* khugepaged_has_work(): the thread runs and an mm is registered. */
static bool khugepaged_has_work(const struct mmsim *sim)
{
	return sim->khugepaged.nr_mm_slots && hugepage_enabled(sim);
}

void start_stop_khugepaged(struct mmsim *sim, bool was_enabled)
{
	if (!was_enabled && khugepaged_has_work(sim))
		khugepaged_full_scan(sim);
}

int khugepaged_do_full_scans(struct mmsim *sim, unsigned long full_scans)
{
	for (unsigned long i = 0; i < full_scans && khugepaged_has_work(sim); i++)
		khugepaged_full_scan(sim);
	return 0;
}

/* The files of transparent_hugepage/khugepaged/ that take a value, for mmsim_khugepaged_tunable(). */
static const struct tunable_doc khugepaged_tunables[] = {
	{ "pages_to_scan", "pages khugepaged scans before it sleeps (default 4096)" },
	{ "scan_sleep_millisecs", "its sleep between such batches, ms (default 10000)" },
	{ "max_ptes_none", "empty PTEs a 2M block may have and still collapse (default 511)" },
	{ "max_ptes_swap", "swapped-out PTEs it may have; they are read in (default 64)" },
	{ "max_ptes_shared", "PTEs mapping pages shared with another mm (default 256)" },
};

const char *mmsim_khugepaged_tunable(int i, const char **description)
{
	return tunable_doc_at(khugepaged_tunables,
			      sizeof(khugepaged_tunables) / sizeof(khugepaged_tunables[0]), i,
			      description);
}

static unsigned int *khugepaged_tunable(struct khugepaged_state *k, const char *name)
{
	if (!strcmp(name, "pages_to_scan"))
		return &k->pages_to_scan;
	if (!strcmp(name, "scan_sleep_millisecs"))
		return &k->scan_sleep_millisecs;
	if (!strcmp(name, "max_ptes_none"))
		return &k->max_ptes_none;
	if (!strcmp(name, "max_ptes_swap"))
		return &k->max_ptes_swap;
	if (!strcmp(name, "max_ptes_shared"))
		return &k->max_ptes_shared;
	return NULL;
}

void khugepaged_copy_tunables(struct mmsim *to, const struct mmsim *from)
{
	const struct khugepaged_state *f = &from->khugepaged;
	struct khugepaged_state *t = &to->khugepaged;

	t->pages_to_scan = f->pages_to_scan;
	t->scan_sleep_millisecs = f->scan_sleep_millisecs;
	t->max_ptes_none = f->max_ptes_none;
	t->max_ptes_swap = f->max_ptes_swap;
	t->max_ptes_shared = f->max_ptes_shared;
}

int khugepaged_set_tunable(struct mmsim *sim, const char *key, unsigned long value)
{
	unsigned int *t = khugepaged_tunable(&sim->khugepaged, key);

	if (!t)
		return sim_error(sim, -ENOENT, "khugepaged: no tunable '%s' (pages_to_scan, "
				 "max_ptes_none, max_ptes_swap, max_ptes_shared, "
				 "scan_sleep_millisecs)", key);
	if (value > UINT_MAX)
		return sim_error(sim, -EINVAL, "khugepaged: %s takes at most %u", key, UINT_MAX);
	if (!strcmp(key, "pages_to_scan") && !value)
		return sim_error(sim, -EINVAL, "khugepaged: pages_to_scan cannot be 0");
	if (!strncmp(key, "max_ptes_", 9) && value > KHUGEPAGED_MAX_PTES_LIMIT)
		return sim_error(sim, -EINVAL, "khugepaged: %s takes 0 to %d", key,
				 KHUGEPAGED_MAX_PTES_LIMIT);
	*t = (unsigned int)value;
	return 0;
}

int khugepaged_read_counter(struct mmsim *sim, const char *name, long *value)
{
	struct khugepaged_state *k = &sim->khugepaged;
	unsigned int *t = khugepaged_tunable(k, name);

	if (!strcmp(name, "full_scans"))
		*value = (long)k->full_scans;
	else if (!strcmp(name, "pages_collapsed"))
		*value = (long)k->pages_collapsed;
	else if (t)
		*value = *t;
	else
		return -ENOENT;
	return 0;
}
