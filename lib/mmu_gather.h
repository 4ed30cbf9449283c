/* SPDX-License-Identifier: MIT */
/*
 * The mmu_gather of an unmap, after include/asm-generic/tlb.h and
 * mm/mmu_gather.c: zapped PTEs hand their folios to the gather, which puts
 * the references in batches once the TLB would have been flushed.
 */
#ifndef MMSIM_MMU_GATHER_H
#define MMSIM_MMU_GATHER_H

#include "swap.h"

/* Linux fits about 500 entries in a page per batch (MAX_GATHER_BATCH). */
#define MMU_GATHER_BATCH 512

struct mmu_gather {
	struct mmsim *sim;
	unsigned int nr;
	struct folio *folios[MMU_GATHER_BATCH];
	unsigned int refs[MMU_GATHER_BATCH];	/* PTEs of folios[i] zapped: its references */
};

static inline void tlb_gather_mmu(struct mmu_gather *tlb, struct mmsim *sim)
{
	tlb->sim = sim;
	tlb->nr = 0;
}

/*
 * tlb_flush_mmu(): the gathered folios leave the swap cache where they may
 * and lose their references; those left with none are freed, in the order
 * they were gathered.
 */
static inline void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (!tlb->nr)
		return;
	free_pages_and_swap_cache(tlb->sim, tlb->folios, tlb->refs, tlb->nr);
	tlb->nr = 0;
}

/*
 * __tlb_remove_folio_pages(): nr zapped PTEs mapped pages of folio. Only a
 * folio's last references, or a swap-cache folio's, have work to wait for
 * (freeing, leaving the cache); the others go now, which spares an exiting
 * child, whose folios its parent still maps, the trip through the batch.
 */
static inline void tlb_remove_folio_pages(struct mmu_gather *tlb, struct folio *folio,
					  unsigned int nr)
{
	if (folio->_refcount > (int)nr && !folio_test_swapcache(folio)) {
		folio->_refcount -= (int)nr;
		return;
	}
	tlb->folios[tlb->nr] = folio;
	tlb->refs[tlb->nr] = nr;
	if (++tlb->nr == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

static inline void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}

#endif
