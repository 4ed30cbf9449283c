// SPDX-License-Identifier: MIT
/*
 * Page-table allocation, walks and freeing, after mm/memory.c (__pte_alloc,
 * __pmd_alloc, free_pgd_range) and mm/pgtable-generic.c (deposit/withdraw).
 * Tables are order-0 frames with PG_table whose contents are the entries.
 */
#include "pgtable.h"

#include <stdlib.h>

#include "page_alloc.h"

#define TABLE_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

uint64_t vm_page_prot(unsigned long vm_flags)
{
	if (!(vm_flags & VM_ACCESS_FLAGS))
		return _PAGE_PROTNONE | _PAGE_USER;
	/* Private mappings never get _PAGE_RW here: writes go through COW. */
	return _PAGE_PRESENT | _PAGE_USER;
}

unsigned long pte_alloc_one(struct mmsim *sim, struct mm_struct *mm)
{
	struct page *page = alloc_pages(sim, 0);

	if (!page)
		return 0;
	page->data = page_buf_alloc(sim, true);
	if (!page->data) {
		free_pages(sim, page, 0);
		return 0;
	}
	page->flags |= PG_table;
	mm->nr_page_tables++;
	sim->nr_page_tables++;
	return page_to_pfn(sim, page);
}

void pte_free(struct mmsim *sim, struct mm_struct *mm, unsigned long pfn)
{
	/* Any table of the mm going may be the one follow_page_pmd() kept. */
	mm->pmd_cache_table = NULL;
	mm->nr_page_tables--;
	sim->nr_page_tables--;
	free_pages(sim, pfn_to_page(sim, pfn), 0);
}

/* The table entry `index` of table `pfn` points to: 0 if none and not allocated. */
static unsigned long lower_table(struct mmsim *sim, struct mm_struct *mm, unsigned long pfn,
				 unsigned int index, bool alloc)
{
	uint64_t *entry = &table_entries(sim, pfn)[index];
	unsigned long table;

	if (!pmd_none(*entry))
		return pte_pfn(*entry);
	if (!alloc || !(table = pte_alloc_one(sim, mm)))
		return 0;
	*entry = pfn_pte(table, TABLE_PROT);
	return table;
}

static unsigned long pmd_table_walk(struct mmsim *sim, struct mm_struct *mm,
				    unsigned long addr, bool alloc)
{
	unsigned long pud = lower_table(sim, mm, mm->pgd, pgd_index(addr), alloc);

	return pud ? lower_table(sim, mm, pud, pud_index(addr), alloc) : 0;
}

unsigned long pmd_table_pfn(struct mmsim *sim, struct mm_struct *mm, unsigned long addr)
{
	return pmd_table_walk(sim, mm, addr, false);
}

pmd_t *pmd_lookup(struct mmsim *sim, struct mm_struct *mm, unsigned long addr)
{
	unsigned long table = pmd_table_walk(sim, mm, addr, false);

	return table ? &table_entries(sim, table)[pmd_index(addr)] : NULL;
}

unsigned long pmd_table_next(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
			     unsigned long end)
{
	while (addr < end) {
		unsigned long pud = lower_table(sim, mm, mm->pgd, pgd_index(addr), false);
		unsigned long span = 1UL << PGDIR_SHIFT, next;

		if (pud) {
			if (lower_table(sim, mm, pud, pud_index(addr), false))
				return addr;
			span = PUD_SIZE;
		}
		next = (addr & ~(span - 1)) + span;
		if (next <= addr)	/* the top of the address space */
			break;
		addr = next;
	}
	return end;
}

pmd_t *pmd_alloc(struct mmsim *sim, struct mm_struct *mm, unsigned long addr)
{
	unsigned long table = pmd_table_walk(sim, mm, addr, true);

	return table ? &table_entries(sim, table)[pmd_index(addr)] : NULL;
}

pte_t *pte_lookup(struct mmsim *sim, struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = pmd_lookup(sim, mm, addr);

	if (!pmd || !pmd_table(*pmd))
		return NULL;
	return pte_offset(sim, pmd, addr);
}

int pte_alloc(struct mmsim *sim, struct mm_struct *mm, pmd_t *pmd)
{
	unsigned long table;

	if (!pmd_none(*pmd))
		return 0;
	table = pte_alloc_one(sim, mm);
	if (!table)
		return -ENOMEM;
	*pmd = pfn_pte(table, TABLE_PROT);
	return 0;
}

/* The deposit stack hangs off the PMD table's frame, as pmd_huge_pte does. */
void pgtable_trans_huge_deposit(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
				unsigned long pt_pfn)
{
	struct page *pmd_page = pfn_to_page(sim, pmd_table_pfn(sim, mm, addr));

	pfn_to_page(sim, pt_pfn)->pt.deposit_next = pmd_page->pt.pmd_huge_pte;
	pmd_page->pt.pmd_huge_pte = pt_pfn;
}

unsigned long pgtable_trans_huge_withdraw(struct mmsim *sim, struct mm_struct *mm,
					  unsigned long addr)
{
	struct page *pmd_page = pfn_to_page(sim, pmd_table_pfn(sim, mm, addr));
	unsigned long pt_pfn = pmd_page->pt.pmd_huge_pte;
	struct page *pt = pfn_to_page(sim, pt_pfn);

	pmd_page->pt.pmd_huge_pte = pt->pt.deposit_next;
	pt->pt.deposit_next = 0;
	return pt_pfn;
}

static const unsigned int level_shift[] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT };

/*
 * Frees the tables below `table` (a level-`level` table covering from `base`)
 * that intersect [addr, end) and whose whole span lies inside [floor, ceiling):
 * no VMA can need them. A ceiling of 0 means the top of the address space.
 */
static void free_table_range(struct mmsim *sim, struct mm_struct *mm, unsigned long table,
			     int level, unsigned long base, unsigned long addr,
			     unsigned long end, unsigned long floor, unsigned long ceiling)
{
	unsigned long span = 1UL << level_shift[level];
	uint64_t *entries = table_entries(sim, table);

	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		unsigned long lo = base + i * span, hi = lo + span;

		if (hi <= addr || lo >= end || pmd_none(entries[i]))
			continue;
		if (level == 3 || (level == 2 && pmd_leaf(entries[i])))
			continue;	/* mappings are zapped before tables are freed */
		if (level < 2)
			free_table_range(sim, mm, pte_pfn(entries[i]), level + 1, lo,
					 MAX(addr, lo), MIN(end, hi), floor, ceiling);
		if (lo >= floor && (ceiling == 0 || hi <= ceiling)) {
			pte_free(sim, mm, pte_pfn(entries[i]));
			entries[i] = 0;
		}
	}
}

void free_pgd_range(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
		    unsigned long end, unsigned long floor, unsigned long ceiling)
{
	free_table_range(sim, mm, mm->pgd, 0, 0, addr, end, floor, ceiling);
}

int pgd_alloc(struct mmsim *sim, struct mm_struct *mm)
{
	mm->pgd = pte_alloc_one(sim, mm);
	return mm->pgd ? 0 : -ENOMEM;
}

void pgd_free(struct mmsim *sim, struct mm_struct *mm)
{
	free_pgd_range(sim, mm, 0, TASK_SIZE, 0, 0);
	pte_free(sim, mm, mm->pgd);
	mm->pgd = 0;
}
