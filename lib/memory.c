// SPDX-License-Identifier: MIT
/*
 * Faults and page-table level operations on anonymous memory, after
 * mm/memory.c (6.18): do_anonymous_page(), alloc_anon_folio(), do_wp_page(),
 * zap_pte_range(), copy_pte_range(), do_swap_page(); mm/mprotect.c's change_pte_range() and
 * mm/mremap.c's move_ptes() live here too because they walk the same tables.
 */
#include "huge_memory.h"
#include "ksm.h"
#include "mmu_gather.h"
#include "page_alloc.h"
#include "swap.h"
#include "vma.h"

static pte_t mk_anon_pte(const struct vm_area_struct *vma, unsigned long pfn)
{
	pte_t entry = pfn_pte(pfn, vm_page_prot(vma->vm_flags)) | _PAGE_ACCESSED;

	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(pte_mkdirty(entry));
	return entry;
}

/*
 * Entry i of the batch must be pte[0] with pfn + i, up to the bits ignored:
 * pte[i] ^ (pte[0] + (i << _PAGE_PFN_SHIFT)) keeps only the differences
 * (the addition leaves the flag bits alone). pte[0] is present, so a none
 * or swap entry differs in the present bits. Eight entries are tested at a
 * time for the long runs of PTE-mapped large folios (written out: gcc's
 * -O2 neither unrolls nor vectorizes the loop form).
 */
#define PTE_BATCH_IGNORE	(_PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFT_DIRTY | _PAGE_RW)
#define PTE_PFN_STEP		((pte_t)1 << _PAGE_PFN_SHIFT)

int __folio_pte_batch(struct mmsim *sim, struct folio *folio, const pte_t *pte, int max_nr)
{
	pte_t want = pte[0] + PTE_PFN_STEP;	/* entry nr as it must be */
	unsigned long pfn = pte_pfn(pte[0]);
	int nr = 1;

	(void)sim;
	max_nr = (int)MIN((long)max_nr, (long)(folio_pfn(folio) - pfn) + folio_nr_pages(folio));
	while (nr + 8 <= max_nr) {
		const pte_t *p = pte + nr;
		pte_t diff = (p[0] ^ want) | (p[1] ^ (want + PTE_PFN_STEP)) |
			     (p[2] ^ (want + 2 * PTE_PFN_STEP)) | (p[3] ^ (want + 3 * PTE_PFN_STEP)) |
			     (p[4] ^ (want + 4 * PTE_PFN_STEP)) | (p[5] ^ (want + 5 * PTE_PFN_STEP)) |
			     (p[6] ^ (want + 6 * PTE_PFN_STEP)) | (p[7] ^ (want + 7 * PTE_PFN_STEP));

		if (diff & ~PTE_BATCH_IGNORE)
			break;
		nr += 8;
		want += 8 * PTE_PFN_STEP;
	}
	while (nr < max_nr && !((pte[nr] ^ want) & ~PTE_BATCH_IGNORE)) {
		nr++;
		want += PTE_PFN_STEP;
	}
	return nr;
}

struct page *follow_page(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
			 bool *pmd_mapped)
{
	pmd_t *pmd = follow_page_pmd(sim, mm, addr);
	pte_t *pte;

	*pmd_mapped = false;
	if (!pmd || pmd_none(*pmd))
		return NULL;
	if (pmd_leaf(*pmd)) {
		*pmd_mapped = true;
		return pfn_to_page(sim, pte_pfn(*pmd) + pte_index(addr));
	}
	pte = pte_offset(sim, pmd, addr);
	return pte_present(*pte) ? pfn_to_page(sim, pte_pfn(*pte)) : NULL;
}

/* pte_range_none(): may a folio of 2^order pages go at this aligned block? */
static bool pte_range_none(const pte_t *pte, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		if (!pte_none(pte[i]))
			return false;
	return true;
}

/*
 * alloc_anon_folio(): the largest enabled order whose aligned block fits in
 * the VMA over PTEs that are all none; if that allocation fails, the next
 * smaller allowed order, down to a single page.
 */
static struct folio *alloc_anon_folio(struct mmsim *sim, struct vm_area_struct *vma,
				      pmd_t *pmd, unsigned long addr)
{
	unsigned long orders = thp_vma_allowable_orders(sim, vma) &
			       ((1UL << HPAGE_PMD_ORDER) - 1);
	const pte_t *ptes = (pte_t *)table_entries(sim, pte_pfn(*pmd));
	int order;

	for (order = HPAGE_PMD_ORDER - 1; order > 1; order--) {
		unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);

		if (!(orders & (1UL << order)))
			continue;
		if (thp_vma_suitable_order(vma, addr, (unsigned int)order) &&
		    pte_range_none(ptes + pte_index(start), 1U << order))
			break;
		orders &= ~(1UL << order);
	}
	for (; order > 1; order--) {
		struct folio *folio;

		if (!(orders & (1UL << order)))
			continue;
		folio = folio_alloc(sim, (unsigned int)order, FOLIO_anon);
		if (folio)
			return folio;
	}
	return folio_alloc(sim, 0, FOLIO_anon);
}

static int do_anonymous_page(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
			     unsigned long addr, bool write)
{
	pte_t *pte = pte_offset(sim, pmd, addr);
	struct folio *folio;
	unsigned long start;
	long nr;
	int err;

	if (!write) {
		/* Reads of untouched memory share the zero page; no anon_vma needed. */
		*pte = pte_mkspecial(pfn_pte(ZERO_PFN, vm_page_prot(vma->vm_flags)));
		return 0;
	}
	err = anon_vma_prepare(sim, vma);
	if (err)
		return err;
	folio = alloc_anon_folio(sim, vma, pmd, addr);
	if (!folio)
		return -ENOMEM;
	nr = folio_nr_pages(folio);
	start = ALIGN_DOWN(addr, PAGE_SIZE << folio->order);
	/* One reference per PTE: the allocation's reference is the first. */
	folio->_refcount += (int)nr - 1;
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, nr);
	folio_add_new_anon_rmap(sim, folio, vma, start, RMAP_EXCLUSIVE, pte_pfn(*pmd));
	pte = pte_offset(sim, pmd, start);
	for (long i = 0; i < nr; i++)
		pte[i] = mk_anon_pte(vma, folio_pfn(folio) + (unsigned long)i);
	return 0;
}

/*
 * A non-KSM folio whose references are one mapping's (or the caller's) and
 * the swap cache's, one per page: nothing else holds it, so its slots may go.
 */
static bool folio_held_by_swapcache_alone(const struct folio *folio)
{
	return !folio_test_ksm(folio) && folio->_refcount == 1 + (int)folio_nr_pages(folio);
}

/*
 * wp_can_reuse_anon_folio(): a small folio only when we hold the sole
 * reference; a large one (6.15+) only when this mm owns every mapping and
 * nothing else holds a reference.
 */
static bool wp_can_reuse_anon_folio(struct mmsim *sim, struct folio *folio,
				    struct vm_area_struct *vma)
{
	if (folio_test_large(folio)) {
		/* Before 6.15 a large folio is never reused: every write copies a page. */
		if (!sim->profile->large_folio_reuse)
			return false;
		/* The last mapped page is copied out so the large folio can go. */
		if (folio_mapcount(sim, folio) <= 1 || folio_maybe_mapped_shared(sim, folio) ||
		    folio_mapcount(sim, folio) != folio->_refcount)
			return false;
		return sim->mapcount->mm_owns_all(sim, folio, vma->vm_mm);
	}
	/* The swap cache's reference goes first if no swap entry needs the folio. */
	if (folio_test_swapcache(folio) && folio_held_by_swapcache_alone(folio))
		folio_free_swap(sim, folio);
	if (folio_test_ksm(folio) || folio->_refcount != 1)
		return false;
	folio_move_anon_rmap(folio, vma);
	return true;
}

/*
 * wp_page_copy(): a new exclusive page replaces the one (or the zero page) at
 * addr. An unshare fault (break_ksm) maps the copy read-only: it only wants
 * the page exclusive, not written. Clean, except on 6.18.y, whose copy has a
 * dirty PTE (docs/kernel-versions.md).
 */
static int wp_page_copy(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
			pte_t *pte, unsigned long addr, struct page *old_page, bool unshare)
{
	struct folio *new, *old = old_page ? page_folio(old_page) : NULL;
	int err;

	err = anon_vma_prepare(sim, vma);
	if (err)
		return err;
	new = folio_alloc(sim, 0, FOLIO_anon);
	if (!new)
		return -ENOMEM;
	if (old_page && copy_page_data(sim, folio_page(sim, new, 0), old_page)) {
		folio_put(sim, new);
		return -ENOMEM;
	}
	folio_add_new_anon_rmap(sim, new, vma, addr, RMAP_EXCLUSIVE, pte_pfn(*pmd));
	if (!old)
		ksm_might_unmap_zero_page(sim, vma->vm_mm, *pte);
	*pte = unshare ? pfn_pte(folio_pfn(new), vm_page_prot(vma->vm_flags))
		       : mk_anon_pte(vma, folio_pfn(new));
	if (unshare && sim->profile->unshare_copy_dirty)
		*pte = pte_mkdirty(*pte);
	if (old) {
		folio_remove_rmap_pte(sim, old, old_page, vma, pte_pfn(*pmd));
		folio_put(sim, old);
	} else {
		add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
	}
	sim->cow_copies++;
	return 0;
}

/* do_wp_page(): a write fault, or an unshare fault (FAULT_FLAG_UNSHARE). */
static int do_wp_page(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd,
		      pte_t *pte, unsigned long addr, bool unshare)
{
	struct page *page;
	struct folio *folio;

	if (pte_special(*pte))
		return wp_page_copy(sim, vma, pmd, pte, addr, NULL, unshare);
	page = pfn_to_page(sim, pte_pfn(*pte));
	folio = page_folio(page);
	if (folio_test_anon(folio) && !folio_test_ksm(folio) &&
	    (PageAnonExclusive(page) || wp_can_reuse_anon_folio(sim, folio, vma))) {
		SetPageAnonExclusive(page);
		if (unshare)
			return 0;	/* exclusive already: nothing to unshare */
		*pte = pte_mkwrite(pte_mkdirty(pte_mkyoung(*pte)));
		sim->cow_reuses++;
		return 0;
	}
	return wp_page_copy(sim, vma, pmd, pte, addr, page, unshare);
}

/* vm_swap_full(): more than half of the swap device is in use. */
static bool vm_swap_full(const struct mmsim *sim)
{
	return sim->swap->inuse_pages * 2 > sim->swap->max - 1;
}

/* should_try_to_free_swap(): a written, exclusive folio needs its slot no more. */
static bool should_try_to_free_swap(struct mmsim *sim, struct folio *folio,
				    const struct vm_area_struct *vma, bool write)
{
	if (!folio_test_swapcache(folio))
		return false;
	if (vm_swap_full(sim) || (vma->vm_flags & VM_LOCKED))
		return true;
	return write && folio_held_by_swapcache_alone(folio);
}

/*
 * swapin_readahead() without the readahead: the folio the swap cache holds
 * for entry, or a new one read from the slot and added to the cache
 * (swapcache_prepare sets SWAP_HAS_CACHE). 6.18 allocates a large folio
 * only on a SWP_SYNCHRONOUS_IO device (zram, pmem) that skips the swap
 * cache; the simulated device is an ordinary one, so swap-in is order-0.
 * Returns the folio with a reference for the caller.
 */
static struct folio *swapin_folio(struct mmsim *sim, swp_entry_t entry, bool *fresh)
{
	struct folio *folio = swap_cache_get_folio(sim, entry);

	*fresh = !folio;
	if (folio) {
		folio_get(folio);
		return folio;
	}
	folio = folio_alloc(sim, 0, FOLIO_swapbacked);
	if (!folio)
		return NULL;
	if (swap_read_folio(sim, entry, folio_page(sim, folio, 0)) ||
	    add_to_swap_cache(sim, folio, entry)) {
		folio_put(sim, folio);
		return NULL;
	}
	*swap_map_entry(sim, entry) |= SWAP_HAS_CACHE;
	sim->pswpin++;
	return folio;
}

int do_swap_page(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *pmd, pte_t *pte,
		 unsigned long addr, bool write)
{
	pte_t orig = *pte, entry_pte;
	swp_entry_t entry = pte_to_swp_entry(orig);
	struct folio *folio, *swapcache;
	struct page *page;
	bool exclusive = false, fresh;
	int rmap_flags = RMAP_NONE, err;

	if (!swap_count(sim, entry))
		return sim_error(sim, -EFAULT, "swap entry %#lx refers to a free slot", entry.val);
	err = anon_vma_prepare(sim, vma);
	if (err)
		return err;
	swapcache = folio = swapin_folio(sim, entry, &fresh);
	if (!folio)
		return -ENOMEM;
	page = folio_page(sim, folio, (long)(entry.val - folio_swap(sim, folio).val));
	/* KSM sometimes has to copy on read faults: the KSM flag is lost on swapout. */
	folio = ksm_might_need_to_copy(sim, folio, vma, addr);
	if (!folio) {
		if (fresh)
			delete_from_swap_cache(sim, swapcache);
		folio_put(sim, swapcache);
		return -ENOMEM;
	}
	if (folio != swapcache) {
		page = folio_page(sim, folio, 0);
		exclusive = true;	/* a fresh copy nobody else can see */
	} else if (!folio_test_ksm(folio)) {
		exclusive = pte_swp_exclusive(orig);
	}
	swap_free(sim, entry);
	add_mm_counter(vma->vm_mm, MM_SWAPENTS, -1);
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
	if (should_try_to_free_swap(sim, folio, vma, write))
		folio_free_swap(sim, folio);

	entry_pte = pfn_pte(page_to_pfn(sim, page), vm_page_prot(vma->vm_flags)) | _PAGE_ACCESSED;
	if (pte_swp_soft_dirty(orig))
		entry_pte = pte_mksoft_dirty(entry_pte);
	if (!folio_test_ksm(folio) && (exclusive || folio->_refcount == 1)) {
		/* A clean entry of a tracked VMA stays read-only: the write must fault. */
		if ((vma->vm_flags & VM_WRITE) && !pte_needs_soft_dirty_wp(sim, vma, entry_pte)) {
			entry_pte = pte_mkwrite(entry_pte);
			if (write)
				entry_pte = pte_mkdirty(entry_pte);
			write = false;
		}
		rmap_flags = RMAP_EXCLUSIVE;
	}
	/* The caller's reference becomes the mapping's. */
	if (folio != swapcache || !folio_test_anon(folio))
		folio_add_new_anon_rmap(sim, folio, vma, addr, folio != swapcache ? RMAP_EXCLUSIVE :
					rmap_flags, pte_pfn(*pmd));
	else
		folio_add_anon_rmap_pte(sim, folio, page, vma, pte_pfn(*pmd), rmap_flags);
	*pte = entry_pte;
	if (folio != swapcache) {
		folio_put(sim, swapcache);
		free_swap_cache(sim, swapcache);
	}
	/* A write the entry could not allow yet: copy-on-write as usual. */
	return write ? do_wp_page(sim, vma, pmd, pte, addr, false) : 0;
}

int handle_mm_fault_remote(struct mmsim *sim, struct vm_area_struct *vma, unsigned long addr,
			   bool unshare)
{
	pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);
	pte_t *pte;
	int ret = 0;

	if (!pmd || pmd_none(*pmd))
		return 0;
	/* wp_huge_pmd(): a shared THP falls back to PTEs, and one page is copied. */
	if (pmd_leaf(*pmd)) {
		if (pte_write(*pmd))
			return 0;
		ret = do_huge_pmd_wp_page(sim, vma, pmd, addr, unshare);
		if (ret != VM_FAULT_FALLBACK)
			goto out;
	}
	if (!pmd_table(*pmd))
		return 0;
	pte = pte_offset(sim, pmd, addr);
	/* handle_pte_fault(): only a read-only entry goes to do_wp_page(). */
	if (!pte_present(*pte) || pte_write(*pte))
		return 0;
	ret = do_wp_page(sim, vma, pmd, pte, addr, unshare);
out:
	if (!ret)
		sim->faults++;
	return ret;
}

/*
 * access_error() of x86: a write needs VM_WRITE; a read only needs the VMA to
 * be accessible at all (vma_is_accessible), since the MMU cannot map a page
 * write-only.
 */
bool access_permitted(const struct vm_area_struct *vma, bool write)
{
	return vma->vm_flags & (write ? VM_WRITE : VM_ACCESS_FLAGS);
}

int handle_mm_fault(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	pmd_t *pmd;
	pte_t *pte;
	int ret;

	if (!vma || !access_permitted(vma, write))
		return -EFAULT;
	pmd = pmd_alloc(sim, mm, addr);
	if (!pmd)
		return -ENOMEM;
	if (pmd_none(*pmd) && (thp_vma_allowable_orders(sim, vma) & (1UL << HPAGE_PMD_ORDER))) {
		ret = do_huge_pmd_anonymous_page(sim, vma, pmd, addr, write);
		if (ret != VM_FAULT_FALLBACK)
			goto out;
	} else if (pmd_leaf(*pmd)) {
		if (!write || pte_write(*pmd)) {
			*pmd = pte_mkyoung(write ? pte_mkdirty(*pmd) : *pmd);
			return 0;
		}
		ret = do_huge_pmd_wp_page(sim, vma, pmd, addr, false);
		if (ret != VM_FAULT_FALLBACK)
			goto out;
	}
	ret = pte_alloc(sim, mm, pmd);
	if (ret)
		return ret;
	pte = pte_offset(sim, pmd, addr);
	if (pte_none(*pte))
		ret = do_anonymous_page(sim, vma, pmd, addr, write);
	else if (is_swap_pte(*pte))
		ret = do_swap_page(sim, vma, pmd, pte, addr, write);
	else if (write && !pte_write(*pte))
		ret = do_wp_page(sim, vma, pmd, pte, addr, false);
	else
		*pte = pte_mkyoung(write ? pte_mkdirty(*pte) : *pte);
out:
	if (!ret)
		sim->faults++;
	return ret;
}

/*
 * zap_present_folio_ptes(): nr PTEs from pte map consecutive pages of folio.
 * The references go to the gather, as the kernel's do: they are put once
 * the TLB would no longer hold the entries.
 */
static inline __attribute__((always_inline)) void
zap_present_folio_ptes(struct mmu_gather *tlb, const struct rmap_site *site, pte_t *pte,
		       struct folio *folio, struct page *page, int nr)
{
	clear_ptes(pte, nr);
	folio_remove_rmap_ptes(tlb->sim, folio, page, nr, site);
	tlb_remove_folio_pages(tlb, folio, (unsigned int)nr);
}

/*
 * zap_present_ptes(): the batch of PTEs from pte that map one folio goes at
 * once; returns its length. A small folio's one PTE takes a path of its own
 * (the same steps, compiled for nr = 1), as the kernel's does: it is the
 * commonest case of all.
 */
static int zap_present_ptes(struct mmu_gather *tlb, const struct rmap_site *site, pte_t *pte,
			    int max_nr)
{
	struct page *page = pfn_to_page(tlb->sim, pte_pfn(*pte));
	struct folio *folio = page_folio(page);
	int nr;

	if (!folio_test_large(folio)) {
		zap_present_folio_ptes(tlb, site, pte, folio, page, 1);
		return 1;
	}
	nr = tlb->sim->profile->rmap_per_pte ? 1 : __folio_pte_batch(tlb->sim, folio, pte, max_nr);
	zap_present_folio_ptes(tlb, site, pte, folio, page, nr);
	return nr;
}

/*
 * The counters are summed over the table and added once, as the kernel's
 * rss[] is. A swap entry can free a frame at once (free_swap_and_cache()):
 * the gathered ones go first, so that frames return in address order.
 */
static void zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr, unsigned long end)
{
	struct mmsim *sim = tlb->sim;
	const struct rmap_site site = { vma, pte_pfn(*pmd) };
	pte_t *pte = pte_offset(sim, pmd, addr);
	int max_nr = (int)((end - addr) >> PAGE_SHIFT);
	long anon = 0, swap = 0;

	for (int i = 0, nr; i < max_nr; i += nr) {
		nr = 1;
		if (pte_none(pte[i]))
			continue;
		if (is_swap_pte(pte[i])) {
			/* zap_nonpresent_ptes(): the entry's swap reference goes. */
			swp_entry_t entry = pte_to_swp_entry(pte[i]);

			pte[i] = 0;
			swap++;
			tlb_flush_mmu(tlb);
			free_swap_and_cache(sim, entry);
		} else if (pte_special(pte[i])) {
			ksm_might_unmap_zero_page(sim, vma->vm_mm, pte[i]);
			pte[i] = 0;
		} else {
			nr = zap_present_ptes(tlb, &site, pte + i, max_nr - i);
			anon += nr;
		}
	}
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, -anon);
	add_mm_counter(vma->vm_mm, MM_SWAPENTS, -swap);
}

void zap_vma_range(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		   unsigned long end)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, sim);
	for (unsigned long addr = start, next; addr < end; addr = next) {
		pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);

		next = pmd_walk_next(sim, vma->vm_mm, pmd, addr, end);
		if (!pmd || pmd_none(*pmd))
			continue;
		if (pmd_leaf(*pmd)) {
			/* These free or allocate frames now: the gathered ones go first. */
			tlb_flush_mmu(&tlb);
			if (next - addr == PMD_SIZE) {
				zap_huge_pmd(sim, vma, pmd, addr);
				continue;
			}
			split_huge_pmd(sim, vma, pmd, addr);
		}
		zap_pte_range(&tlb, vma, pmd, addr, next);
	}
	tlb_finish_mmu(&tlb);
}

/*
 * Both sides' entries lose write access, the child's its accessed bit too.
 * Two entries a step: gcc's -O2 vectorizes straight-line pairs (SLP) but
 * not the loop, and a PTE-mapped THP's fork spends a fifth of its work here.
 */
static inline __attribute__((always_inline)) void
wrprotect_copy_ptes(pte_t *restrict dst, pte_t *restrict src, int nr)
{
	int i = 0;

	for (; i + 2 <= nr; i += 2) {
		pte_t a = pte_wrprotect(src[i]), b = pte_wrprotect(src[i + 1]);

		src[i] = a;
		src[i + 1] = b;
		dst[i] = pte_mkold(a);
		dst[i + 1] = pte_mkold(b);
	}
	if (i < nr) {
		src[i] = pte_wrprotect(src[i]);
		dst[i] = pte_mkold(src[i]);
	}
}

static inline __attribute__((always_inline)) void
copy_present_folio_ptes(struct mmsim *sim, const struct rmap_site *dst_site,
			pte_t *restrict dst, pte_t *restrict src, struct folio *folio,
			struct page *page, int nr)
{
	folio->_refcount += nr;
	folio_dup_anon_rmap_ptes(sim, folio, page, nr, dst_site);
	wrprotect_copy_ptes(dst, src, nr);
}

/*
 * copy_present_page(): the parent may have pinned this exclusive page, so
 * the child gets its own copy now, writable and dirty, and the parent's PTE
 * stays as it is: a later write of the parent must not copy the page away
 * from the pin. Returns 1 (one PTE done) or -ENOMEM.
 */
static int copy_present_page(struct mmsim *sim, const struct rmap_site *dst_site,
			     pte_t *dst, struct page *page, unsigned long addr)
{
	struct vm_area_struct *dst_vma = dst_site->vma;
	struct folio *new = folio_alloc(sim, 0, FOLIO_anon);

	if (!new)
		return -ENOMEM;
	if (copy_page_data(sim, folio_page(sim, new, 0), page)) {
		folio_put(sim, new);
		return -ENOMEM;
	}
	folio_add_new_anon_rmap(sim, new, dst_vma, addr, RMAP_EXCLUSIVE, dst_site->pt_pfn);
	*dst = mk_anon_pte(dst_vma, folio_pfn(new));
	sim->cow_copies++;
	return 1;
}

/*
 * copy_present_ptes(): the child maps the batch of the folio's pages from
 * src too; both sides lose write access. Returns the batch's length (or
 * -ENOMEM); a small folio's one PTE has its own path, as in
 * zap_present_ptes(). A folio the parent may have pinned goes a PTE at a
 * time: folio_try_dup_anon_rmap_ptes() refuses any batch holding an
 * exclusive page, and Linux then copies that page alone.
 */
static int copy_present_ptes(struct mmsim *sim, struct vm_area_struct *src_vma,
			     const struct rmap_site *dst_site, pte_t *restrict dst,
			     pte_t *restrict src, unsigned long addr, int max_nr)
{
	struct page *page = pfn_to_page(sim, pte_pfn(*src));
	struct folio *folio = page_folio(page);
	int nr;

	if (folio_needs_cow_for_dma(src_vma, folio)) {
		if (PageAnonExclusive(page))
			return copy_present_page(sim, dst_site, dst, page, addr);
		max_nr = 1;
	}
	if (!folio_test_large(folio)) {
		copy_present_folio_ptes(sim, dst_site, dst, src, folio, page, 1);
		return 1;
	}
	nr = sim->profile->rmap_per_pte ? 1 : __folio_pte_batch(sim, folio, src, max_nr);
	copy_present_folio_ptes(sim, dst_site, dst, src, folio, page, nr);
	return nr;
}

/*
 * copy_nonpresent_pte(): both share the swap entry, which is no longer
 * exclusive to either.
 */
static void copy_nonpresent_pte(struct mmsim *sim, pte_t *dst, pte_t *src)
{
	swap_duplicate(sim, pte_to_swp_entry(*src));
	*src &= ~_PAGE_SWP_EXCLUSIVE;
	*dst = *src;
}

static int copy_pte_range(struct mmsim *sim, struct vm_area_struct *dst_vma,
			  struct vm_area_struct *src_vma, pmd_t *dst_pmd, pmd_t *src_pmd,
			  unsigned long addr, unsigned long end)
{
	const struct rmap_site dst_site = { dst_vma, pte_pfn(*dst_pmd) };
	pte_t *src = pte_offset(sim, src_pmd, addr), *dst = pte_offset(sim, dst_pmd, addr);
	int max_nr = (int)((end - addr) >> PAGE_SHIFT);
	long anon = 0, swap = 0;
	int err = 0;

	for (int i = 0, nr; i < max_nr; i += nr) {
		nr = 1;
		if (pte_none(src[i]))
			continue;
		if (is_swap_pte(src[i])) {
			copy_nonpresent_pte(sim, dst + i, src + i);
			swap++;
		} else if (pte_special(src[i])) {
			/*
			 * The child inherits KSM's zero pages (ksm_fork() adds
			 * them to the global count): counted as they are copied,
			 * so that a fork that fails half-way stays exact.
			 */
			if (is_ksm_zero_pte(src[i]))
				ksm_map_zero_page(sim, dst_vma->vm_mm);
			dst[i] = src[i];
		} else {
			nr = copy_present_ptes(sim, src_vma, &dst_site, dst + i, src + i,
					       addr + ((unsigned long)i << PAGE_SHIFT), max_nr - i);
			if (nr < 0) {
				err = nr;
				break;
			}
			anon += nr;
		}
	}
	/* Counted as copied, so that a fork that fails half-way stays exact. */
	add_mm_counter(dst_vma->vm_mm, MM_ANONPAGES, anon);
	add_mm_counter(dst_vma->vm_mm, MM_SWAPENTS, swap);
	return err;
}

int copy_page_range(struct mmsim *sim, struct vm_area_struct *dst,
		    struct vm_area_struct *src)
{
	/* vma_needs_copy(): without an anon_vma there is nothing but zero pages. */
	if (!src->anon_vma)
		return 0;
	for (unsigned long addr = src->vm_start, next; addr < src->vm_end; addr = next) {
		pmd_t *src_pmd = pmd_lookup(sim, src->vm_mm, addr), *dst_pmd;
		int err;

		next = pmd_walk_next(sim, src->vm_mm, src_pmd, addr, src->vm_end);
		if (!src_pmd || pmd_none(*src_pmd))
			continue;
		dst_pmd = pmd_alloc(sim, dst->vm_mm, addr);
		if (!dst_pmd)
			return -ENOMEM;
		if (pmd_leaf(*src_pmd)) {
			err = copy_huge_pmd(sim, dst, src, dst_pmd, src_pmd, addr);
			if (err != -EAGAIN) {
				if (err)
					return err;
				continue;
			}
			/* -EAGAIN: a maybe-pinned THP, split in the parent: copy its PTEs. */
		}
		err = pte_alloc(sim, dst->vm_mm, dst_pmd);
		if (err)
			return err;
		err = copy_pte_range(sim, dst, src, dst_pmd, src_pmd, addr, next);
		if (err)
			return err;
	}
	return 0;
}

/*
 * can_change_pte_writable(): a private page may be written without a fault
 * only while it is exclusively ours, and, where soft-dirty is tracked, once
 * its entry is soft-dirty: the fault of the next write must mark it.
 */
static bool can_change_writable(struct mmsim *sim, const struct vm_area_struct *vma,
				pte_t pte)
{
	struct page *page;

	if (!(vma->vm_flags & VM_WRITE) || pte_special(pte))
		return false;
	if (pte_needs_soft_dirty_wp(sim, vma, pte))
		return false;
	page = pfn_to_page(sim, pte_pfn(pte));
	return folio_test_anon(page_folio(page)) && PageAnonExclusive(page);
}

void change_protection(struct mmsim *sim, struct vm_area_struct *vma, unsigned long start,
		       unsigned long end)
{
	uint64_t prot = vm_page_prot(vma->vm_flags);

	for (unsigned long addr = start, next; addr < end; addr = next) {
		pmd_t *pmd = pmd_lookup(sim, vma->vm_mm, addr);
		pte_t *pte;

		next = pmd_walk_next(sim, vma->vm_mm, pmd, addr, end);
		if (!pmd || pmd_none(*pmd))
			continue;
		if (pmd_leaf(*pmd) && next - addr < PMD_SIZE)
			split_huge_pmd(sim, vma, pmd, addr);
		if (pmd_leaf(*pmd)) {
			pmd_t entry = pte_modify(*pmd, prot);

			if (!is_huge_zero_pmd(sim, *pmd) && can_change_writable(sim, vma, *pmd))
				entry = pte_mkwrite(entry);
			*pmd = entry;
			continue;
		}
		pte = pte_offset(sim, pmd, addr);
		for (unsigned long a = addr; a < next; a += PAGE_SIZE, pte++) {
			pte_t entry;

			/* change_pte_range(): swap entries keep no protection bits. */
			if (pte_none(*pte) || is_swap_pte(*pte))
				continue;
			entry = pte_modify(*pte, prot);
			if (can_change_writable(sim, vma, *pte))
				entry = pte_mkwrite(entry);
			*pte = entry;
		}
	}
}

/* move_huge_pmd(): a PMD leaf moves whole when both ends are PMD-aligned. */
static bool move_huge_pmd(struct mmsim *sim, struct vm_area_struct *vma, pmd_t *old_pmd,
			  unsigned long old_addr, struct vm_area_struct *new_vma,
			  unsigned long new_addr)
{
	pmd_t *new_pmd = pmd_alloc(sim, new_vma->vm_mm, new_addr);
	unsigned long pt;

	if (!new_pmd || !pmd_none(*new_pmd))
		return false;
	pt = pgtable_trans_huge_withdraw(sim, vma->vm_mm, old_addr);
	*new_pmd = move_soft_dirty_pte(sim, *old_pmd);
	*old_pmd = 0;
	pgtable_trans_huge_deposit(sim, new_vma->vm_mm, new_addr, pt);
	return true;
}

unsigned long move_page_tables(struct mmsim *sim, struct vm_area_struct *vma,
			       unsigned long old_addr, struct vm_area_struct *new_vma,
			       unsigned long new_addr, unsigned long len)
{
	unsigned long old_end = old_addr + len, moved = 0;

	while (old_addr < old_end) {
		unsigned long extent = pmd_addr_end(old_addr, old_end) - old_addr;
		pmd_t *old_pmd = pmd_lookup(sim, vma->vm_mm, old_addr), *new_pmd;
		pte_t *old_pte, *new_pte;

		if (!old_pmd) {
			/* Nothing to move up to the next PMD table of the source. */
			extent = pmd_table_next(sim, vma->vm_mm, old_addr, old_end) - old_addr;
			goto next;
		}
		extent = MIN(extent, pmd_addr_end(new_addr, new_addr + extent) - new_addr);
		if (pmd_none(*old_pmd))
			goto next;
		if (pmd_leaf(*old_pmd)) {
			if (extent == PMD_SIZE && IS_ALIGNED(old_addr | new_addr, PMD_SIZE) &&
			    move_huge_pmd(sim, vma, old_pmd, old_addr, new_vma, new_addr))
				goto next;
			split_huge_pmd(sim, vma, old_pmd, old_addr);
		}
		new_pmd = pmd_alloc(sim, new_vma->vm_mm, new_addr);
		if (!new_pmd || pte_alloc(sim, new_vma->vm_mm, new_pmd))
			break;
		old_pte = pte_offset(sim, old_pmd, old_addr);
		new_pte = pte_offset(sim, new_pmd, new_addr);
		/* move_soft_dirty_pte(): a moved entry is new to the tracker. */
		for (unsigned long i = 0; i < extent >> PAGE_SHIFT; i++) {
			new_pte[i] = move_soft_dirty_pte(sim, old_pte[i]);
			old_pte[i] = 0;
		}
next:
		old_addr += extent;
		new_addr += extent;
		moved += extent;
	}
	return moved;
}
