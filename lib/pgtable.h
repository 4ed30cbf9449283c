/* SPDX-License-Identifier: MIT */
/*
 * Four-level page tables with x86-64 entry bits (arch/x86/include/asm/
 * pgtable_types.h): the tables are frames from the buddy allocator and hold
 * 512 64-bit entries each, as in Linux.
 */
#ifndef MMSIM_PGTABLE_H
#define MMSIM_PGTABLE_H

#include <string.h>

#include "sim.h"

typedef uint64_t pte_t;
typedef uint64_t pmd_t;

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)	/* PMD leaf: maps 2 MiB */
#define _PAGE_PROTNONE	(1ULL << 8)	/* present to the kernel, inaccessible to the user */
#define _PAGE_SPECIAL	(1ULL << 9)	/* no struct page behind it to count (zero page) */
/*
 * x86's software bit 11: set with the dirty bit by every fault that makes
 * an entry dirty, cleared by clear_refs 4. The model always keeps it; only a
 * profile with mem_soft_dirty reports it or lets it decide anything.
 */
#define _PAGE_SOFT_DIRTY (1ULL << 11)
#define _PAGE_PFN_SHIFT	12
#define _PAGE_PFN_MASK	(((1ULL << 52) - 1) & ~((1ULL << _PAGE_PFN_SHIFT) - 1))

/* Protection bits a VMA gives new entries (vm_page_prot); no write: COW. */
uint64_t vm_page_prot(unsigned long vm_flags);

static inline pte_t pfn_pte(unsigned long pfn, uint64_t prot)
{
	return ((uint64_t)pfn << _PAGE_PFN_SHIFT) | prot;
}
static inline unsigned long pte_pfn(pte_t pte)
{
	return (unsigned long)((pte & _PAGE_PFN_MASK) >> _PAGE_PFN_SHIFT);
}
static inline bool pte_none(pte_t pte) { return pte == 0; }
static inline bool pte_present(pte_t pte) { return pte & (_PAGE_PRESENT | _PAGE_PROTNONE); }
static inline bool pte_write(pte_t pte) { return pte & _PAGE_RW; }
static inline bool pte_dirty(pte_t pte) { return pte & _PAGE_DIRTY; }
static inline bool pte_young(pte_t pte) { return pte & _PAGE_ACCESSED; }
static inline bool pte_special(pte_t pte) { return pte & _PAGE_SPECIAL; }
static inline bool pte_protnone(pte_t pte) { return (pte & _PAGE_PROTNONE) && !(pte & _PAGE_PRESENT); }
static inline pte_t pte_mkwrite(pte_t pte) { return pte | _PAGE_RW; }
static inline pte_t pte_wrprotect(pte_t pte) { return pte & ~_PAGE_RW; }
static inline pte_t pte_mkdirty(pte_t pte) { return pte | _PAGE_DIRTY | _PAGE_SOFT_DIRTY; }
static inline pte_t pte_mkyoung(pte_t pte) { return pte | _PAGE_ACCESSED; }
static inline pte_t pte_mkold(pte_t pte) { return pte & ~_PAGE_ACCESSED; }
static inline pte_t pte_mkspecial(pte_t pte) { return pte | _PAGE_SPECIAL; }
static inline bool pte_soft_dirty(pte_t pte) { return pte & _PAGE_SOFT_DIRTY; }
static inline pte_t pte_mksoft_dirty(pte_t pte) { return pte | _PAGE_SOFT_DIRTY; }
static inline pte_t pte_clear_soft_dirty(pte_t pte) { return pte & ~_PAGE_SOFT_DIRTY; }
/* Same entry with other protection bits (mprotect's pte_modify). */
static inline pte_t pte_modify(pte_t pte, uint64_t prot)
{
	uint64_t keep = _PAGE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFT_DIRTY |
			_PAGE_SPECIAL | _PAGE_PSE;

	return (pte & keep) | prot;
}

/*
 * Swap entries (include/linux/swapops.h): a PTE that is neither none nor
 * present holds a swp_entry_t, the device (type) and the slot (offset) the
 * page was written to. x86-64 scatters and inverts the fields (L1TF); the
 * model packs them where the pfn would be, which keeps every entry non-zero
 * (slot 0, the swap header, is never handed out) and clear of _PAGE_PRESENT,
 * _PAGE_PROTNONE and _PAGE_SPECIAL. _PAGE_SWP_EXCLUSIVE is x86's bit 3.
 */
typedef struct {
	unsigned long val;
} swp_entry_t;

#define _PAGE_SWP_EXCLUSIVE	(1ULL << 3)
#define _PAGE_SWP_SOFT_DIRTY	_PAGE_RW	/* x86-64's, below the offset */
#define SWP_OFFSET_SHIFT	12
#define SWP_OFFSET_BITS		40
#define SWP_TYPE_SHIFT		SWP_OFFSET_BITS
#define MAX_SWAPFILES		32

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return (swp_entry_t){ ((unsigned long)type << SWP_TYPE_SHIFT) | offset };
}
static inline unsigned int swp_type(swp_entry_t entry)
{
	return (unsigned int)(entry.val >> SWP_TYPE_SHIFT);
}
static inline unsigned long swp_offset(swp_entry_t entry)
{
	return entry.val & ((1UL << SWP_OFFSET_BITS) - 1);
}
static inline bool is_swap_pte(pte_t pte) { return pte && !pte_present(pte); }
static inline pte_t swp_entry_to_pte(swp_entry_t entry)
{
	return (pte_t)entry.val << SWP_OFFSET_SHIFT;
}
static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	return (swp_entry_t){ (unsigned long)((pte & ~(_PAGE_SWP_EXCLUSIVE | _PAGE_SWP_SOFT_DIRTY)) >>
					      SWP_OFFSET_SHIFT) };
}
static inline bool pte_swp_exclusive(pte_t pte) { return pte & _PAGE_SWP_EXCLUSIVE; }
static inline pte_t pte_swp_mkexclusive(pte_t pte) { return pte | _PAGE_SWP_EXCLUSIVE; }
static inline bool pte_swp_soft_dirty(pte_t pte) { return pte & _PAGE_SWP_SOFT_DIRTY; }
static inline pte_t pte_swp_mksoft_dirty(pte_t pte) { return pte | _PAGE_SWP_SOFT_DIRTY; }
static inline pte_t pte_swp_clear_soft_dirty(pte_t pte) { return pte & ~_PAGE_SWP_SOFT_DIRTY; }

/*
 * clear_full_ptes(): nr entries go. One store for the common single entry:
 * the compiler turns a loop into a memset() call, a dozen instructions more.
 */
static inline void clear_ptes(pte_t *pte, int nr)
{
	if (nr == 1)
		*pte = 0;
	else
		memset(pte, 0, (size_t)nr * sizeof(*pte));
}

static inline bool pmd_none(pmd_t pmd) { return pmd == 0; }
static inline bool pmd_leaf(pmd_t pmd) { return (pmd & _PAGE_PSE) && pte_present(pmd); }
static inline bool pmd_table(pmd_t pmd) { return !pmd_none(pmd) && !(pmd & _PAGE_PSE); }

/* The slot an address selects in a table of the given level. */
static inline unsigned int pgd_index(unsigned long a) { return (a >> PGDIR_SHIFT) & 511; }
static inline unsigned int pud_index(unsigned long a) { return (a >> PUD_SHIFT) & 511; }
static inline unsigned int pmd_index(unsigned long a) { return (a >> PMD_SHIFT) & 511; }
static inline unsigned int pte_index(unsigned long a) { return (a >> PAGE_SHIFT) & 511; }

static inline uint64_t *table_entries(struct mmsim *sim, unsigned long pfn)
{
	return sim->pages[pfn].data;
}

/* A zeroed page table, or 0 (the zero pfn never holds a table) on -ENOMEM. */
unsigned long pte_alloc_one(struct mmsim *sim, struct mm_struct *mm);
void pte_free(struct mmsim *sim, struct mm_struct *mm, unsigned long pfn);

/* The PMD entry covering addr, or NULL when no PMD table exists yet. */
pmd_t *pmd_lookup(struct mmsim *sim, struct mm_struct *mm, unsigned long addr);
/*
 * The first address of [addr, end) that a PMD table covers, or end. A walk
 * steps with it over the PGD and PUD entries that are none, as the kernel's
 * walks skip them with pgd_addr_end() and pud_addr_end(): a walk over a
 * terabyte of unpopulated VMA costs nothing per page it does not have.
 */
unsigned long pmd_table_next(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
			     unsigned long end);
/* pmd_addr_end(): the end of addr's PMD span, or end when that comes first. */
static inline unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long boundary = (addr & PMD_MASK) + PMD_SIZE;

	return boundary < end ? boundary : end;
}
/*
 * A PMD-step walk's next address after addr, whose PMD entry (pmd_lookup())
 * is pmd: the end of its span, or where the next PMD table starts when no
 * table covers addr.
 */
static inline unsigned long pmd_walk_next(struct mmsim *sim, struct mm_struct *mm, pmd_t *pmd,
					  unsigned long addr, unsigned long end)
{
	return pmd ? pmd_addr_end(addr, end) : pmd_table_next(sim, mm, addr, end);
}
/*
 * A page-step walk's next address after addr: the next page, but over the
 * PGD and PUD entries that are none; their tables are asked only at a new
 * PMD span, since within one they cannot change.
 */
static inline unsigned long page_walk_next(struct mmsim *sim, struct mm_struct *mm,
					   unsigned long addr, unsigned long end)
{
	addr += PAGE_SIZE;
	return addr & ~PMD_MASK ? addr : pmd_table_next(sim, mm, addr, end);
}
/* The same, allocating the PUD and PMD tables on the way; NULL on -ENOMEM. */
pmd_t *pmd_alloc(struct mmsim *sim, struct mm_struct *mm, unsigned long addr);
/* The PTE covering addr below a PMD that points to a table. */
static inline pte_t *pte_offset(struct mmsim *sim, pmd_t *pmd, unsigned long addr)
{
	return (pte_t *)table_entries(sim, pte_pfn(*pmd)) + pte_index(addr);
}
/* The PTE covering addr, or NULL when no PTE table maps it (or a PMD leaf does). */
pte_t *pte_lookup(struct mmsim *sim, struct mm_struct *mm, unsigned long addr);
/* Makes *pmd point to a new PTE table if it is none; -ENOMEM. */
int pte_alloc(struct mmsim *sim, struct mm_struct *mm, pmd_t *pmd);

/* pgtable_trans_huge_deposit/withdraw: a PTE table kept for splitting a PMD leaf. */
void pgtable_trans_huge_deposit(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
				unsigned long pt_pfn);
unsigned long pgtable_trans_huge_withdraw(struct mmsim *sim, struct mm_struct *mm,
					  unsigned long addr);

/* The pfn of the PMD table that holds this entry. */
unsigned long pmd_table_pfn(struct mmsim *sim, struct mm_struct *mm, unsigned long addr);

/* free_pgd_range(): frees tables that map nothing inside [floor, ceiling). */
void free_pgd_range(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
		    unsigned long end, unsigned long floor, unsigned long ceiling);
int pgd_alloc(struct mmsim *sim, struct mm_struct *mm);
/* Frees every table of mm; everything below must be unmapped already. */
void pgd_free(struct mmsim *sim, struct mm_struct *mm);

#endif /* MMSIM_PGTABLE_H */
