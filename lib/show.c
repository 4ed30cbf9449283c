// SPDX-License-Identifier: MIT
/*
 * The model's state in words and numbers for front ends: the scenario
 * language's show (what mm/debug.c's dump_vma(), dump_page() and dump_mm()
 * print for a kernel hacker) and the read-only folio and VMA questions its
 * queries ask, so that no front end needs the model's structures.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "debug.h"
#include "huge_memory.h"
#include "internal.h"
#include "ksm.h"
#include "rmap.h"
#include "sim.h"
#include "vma.h"

struct show_out {
	void (*line)(void *arg, const char *text);
	void *arg;
};

static void show_line(const struct show_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void show_line(const struct show_out *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->line(o->arg, buf);
}

static void show_vmas(const struct show_out *o, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	show_line(o, "vmas of pid %d (mm id %u), anon RSS %ld pages", mm->pid, mm->mm_id,
		  mm->rss[MM_ANONPAGES]);
	for_each_vma(mm, vma)
		show_line(o, "  %#lx-%#lx pgoff %#lx %c%c%s%s%s anon_vma %lu", vma->vm_start,
			  vma->vm_end, vma->vm_pgoff, vma->vm_flags & VM_READ ? 'r' : '-',
			  vma->vm_flags & VM_WRITE ? 'w' : '-',
			  vma->vm_flags & VM_HUGEPAGE ? " hugepage" : "",
			  vma->vm_flags & VM_NOHUGEPAGE ? " nohugepage" : "",
			  vma->vm_flags & VM_MERGEABLE ? " mergeable" : "",
			  vma->anon_vma ? vma->anon_vma->serial : 0);
}

/*
 * The 6.18 fields as stored, each with what it means: the kernel keeps
 * _large_mapcount, _entire_mapcount and each MM slot's count one below the
 * number they count (-1 for none), and _nr_pages_mapped adds ENTIRELY_MAPPED
 * while a PMD maps the folio.
 */
static void show_linux_counts(const struct show_out *o, const struct folio *folio)
{
	int pte_pages = folio->_nr_pages_mapped & (ENTIRELY_MAPPED - 1);
	char slots[2][48];

	show_line(o, "  _large_mapcount %d (%d mappings), _entire_mapcount %d (%d by PMD), "
		  "_nr_pages_mapped %#x (%d pages by PTE%s)", folio->_large_mapcount,
		  folio->_large_mapcount + 1, folio->_entire_mapcount, folio->_entire_mapcount + 1,
		  folio->_nr_pages_mapped, pte_pages,
		  folio->_nr_pages_mapped & ENTIRELY_MAPPED ? ", + ENTIRELY_MAPPED" : "");
	for (int i = 0; i < 2; i++) {
		if (folio->_mm_id[i])
			snprintf(slots[i], sizeof(slots[i]), "mm id %u maps it %d times",
				 folio->_mm_id[i], folio->_mm_id_mapcount[i] + 1);
		else
			snprintf(slots[i], sizeof(slots[i]), "empty");
	}
	show_line(o, "  MM slots (_mm_id, _mm_id_mapcount + 1): %s; %s", slots[0], slots[1]);
}

static void show_folio(const struct show_out *o, struct mmsim *sim, struct mm_struct *mm,
		       unsigned long addr)
{
	bool pmd_mapped;
	struct page *page = follow_page(sim, mm, addr, &pmd_mapped);
	struct folio *folio;
	struct folio_pgtable_truth t;

	if (!page) {
		show_line(o, "folio at %#lx: nothing mapped", addr);
		return;
	}
	folio = page_folio(page);
	if (folio_is_zero(folio)) {
		show_line(o, "folio at %#lx: the %szero page", addr, folio->order ? "huge " : "");
		return;
	}
	show_line(o, "folio %#lx order %u (%s, by %s): refcount %d, mapcount %d (scheme %s), "
		  "index %#lx, anon_vma %lu%s%s", folio_pfn(folio), folio->order,
		  folio_test_ksm(folio) ? "KSM" : "anon", pmd_mapped ? "PMD" : "PTE",
		  folio->_refcount, folio_mapcount(sim, folio), sim->mapcount->name,
		  folio->index, folio_anon_vma(folio) ? folio_anon_vma(folio)->serial : 0,
		  folio_maybe_mapped_shared(sim, folio) ? ", maybe shared" : "",
		  folio->flags & FOLIO_partially_mapped ? ", partially mapped" : "");
	/* These fields are scheme linux's; the others keep their own state. */
	if (folio_test_large(folio) && sim->mapcount == &mapcount_linux_ops)
		show_linux_counts(o, folio);
	if (!mm_folio_truth(sim, folio, &t))
		show_line(o, "  truth: %d mappings (%d by PMD) from %d mm%s", t.total, t.pmd_maps,
			  t.nr_mms, t.nr_mms == 1 ? "" : "s");
}

static void show_ptes(const struct show_out *o, struct mmsim *sim, struct mm_struct *mm,
		      unsigned long addr, unsigned long len)
{
	unsigned long end = addr + len;

	for (unsigned long a = pmd_table_next(sim, mm, addr, end); a < end;
	     a = page_walk_next(sim, mm, a, end)) {
		pmd_t *pmd = pmd_lookup(sim, mm, a);
		uint64_t e;

		if (pmd && pmd_leaf(*pmd)) {
			show_line(o, "%#lx: PMD pfn %#lx%s%s", a & PMD_MASK, (unsigned long)pte_pfn(*pmd),
				  pte_write(*pmd) ? " write" : "", pte_dirty(*pmd) ? " dirty" : "");
			a = (a & PMD_MASK) + PMD_SIZE - PAGE_SIZE;
			continue;
		}
		e = pmd && pmd_table(*pmd) ? *pte_offset(sim, pmd, a) : 0;
		if (pte_none(e))
			continue;
		show_line(o, "%#lx: PTE pfn %#lx%s%s%s%s%s", a, (unsigned long)pte_pfn(e),
			  pte_write(e) ? " write" : "", pte_dirty(e) ? " dirty" : "",
			  pte_special(e) ? " zero" : "", pte_protnone(e) ? " protnone" : "",
			  !pte_special(e) && PageAnonExclusive(pfn_to_page(sim, pte_pfn(e))) ?
				  " exclusive" : "");
	}
}

/* What a skip policy stepped over (seed 000); nothing for the kernel's walk. */
static void show_skip(const struct show_out *o, struct mmsim *sim)
{
	static const char *const policies[] = { "none", "compound", "batch" };
	const struct ksm_state *ksm = sim->ksm;

	if (ksm->skip_policy == KSM_SKIP_NONE)
		return;
	show_line(o, "  skip=%s: %lu pages jumped (%lu of other folios), %lu tail pages found",
		  policies[ksm->skip_policy], ksm->pages_jumped, ksm->pages_jumped_other,
		  ksm->tail_pages_found);
}

/* The counters of /sys/kernel/mm/ksm, four to a line, then each registered mm. */
static void show_ksm(const struct show_out *o, struct mmsim *sim)
{
	static const char *const names[] = { "pages_shared", "pages_sharing", "pages_unshared",
		"pages_volatile", "pages_scanned", "pages_skipped", "full_scans",
		"stable_node_chains", "stable_node_dups", "ksm_zero_pages", "general_profit" };
	const size_t nr = sizeof(names) / sizeof(names[0]);
	struct ksm_mm_slot *slot;
	char line[256];
	size_t n = 0;

	for (size_t i = 0; i < nr; i++) {
		long v = 0;

		mmsim_ksm_counter(sim, names[i], &v);
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s %ld",
				      i % 4 ? ", " : i ? "  " : "ksm: ", names[i], v);
		if (n >= sizeof(line) || i % 4 == 3 || i + 1 == nr) {
			show_line(o, "%s", line);
			n = 0;
			line[0] = 0;
		}
	}
	show_skip(o, sim);
	list_for_each_entry(slot, &sim->ksm->mm_head, mm_node)
		show_line(o, "  mm of pid %d%s: %ld rmap_items, %ld merging, %ld zero pages",
			  slot->mm->pid, slot->mm->exited ? " (exited)" : "", slot->mm->ksm_rmap_items,
			  slot->mm->ksm_merging_pages, slot->mm->ksm_zero_pages);
}

int mmsim_show(struct mmsim *sim, enum mmsim_show_what what, int pid, unsigned long addr,
	       unsigned long len, void (*line)(void *arg, const char *text), void *arg)
{
	const struct show_out o = { line, arg };
	struct mm_struct *mm = NULL;

	API_ENTER(sim);
	if (!line || what > MMSIM_SHOW_KSM)
		return sim_error(sim, -EINVAL, "mmsim_show: %s", line ? "no such view" :
				 "no line callback");
	if (what == MMSIM_SHOW_KSM) {
		show_ksm(&o, sim);
		return 0;
	}
	GET_MM(sim, pid, mm);
	if (what == MMSIM_SHOW_VMAS)
		show_vmas(&o, mm);
	else if (what == MMSIM_SHOW_FOLIO)
		show_folio(&o, sim, mm, addr);
	else
		show_ptes(&o, sim, mm, addr, len);
	return 0;
}

int mmsim_folio_info(struct mmsim *sim, int pid, unsigned long addr, struct mmsim_folio_info *out)
{
	struct mm_struct *mm;
	struct page *page;
	struct folio *folio;
	struct folio_pgtable_truth t;
	bool pmd_mapped = false;
	int err;

	memset(out, 0, sizeof(*out));
	GET_MM(sim, pid, mm);
	page = follow_page(sim, mm, addr & PAGE_MASK, &pmd_mapped);
	if (!page || folio_is_zero(page_folio(page)))
		return sim_error(sim, -ENOENT, "no folio mapped at %#lx of process %d%s", addr, pid,
				 page ? " (the zero page)" : "");
	folio = page_folio(page);
	err = mm_folio_truth(sim, folio, &t);
	if (err)
		return sim_error(sim, err, "the folio at %#lx: counting its mappings failed", addr);
	out->pfn = folio_pfn(folio);
	out->order = (int)folio->order;
	out->index = folio->index;
	out->refcount = folio->_refcount;
	out->mapcount = folio_mapcount(sim, folio);
	out->ksm = folio_test_ksm(folio);
	out->pmd_mapped = pmd_mapped;
	out->maybe_shared = folio_maybe_mapped_shared(sim, folio);
	out->partially_mapped = folio->flags & FOLIO_partially_mapped;
	out->truth_mappings = t.total;
	out->truth_pmd_mappings = t.pmd_maps;
	out->truth_mms = t.nr_mms;
	return 0;
}

int mmsim_vma_info(struct mmsim *sim, int pid, unsigned long addr, struct mmsim_vma_info *out)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;

	memset(out, 0, sizeof(*out));
	GET_MM(sim, pid, mm);
	vma = vma_lookup(mm, addr);
	if (!vma)
		return sim_error(sim, -ENOENT, "no VMA at %#lx of process %d", addr, pid);
	out->start = vma->vm_start;
	out->end = vma->vm_end;
	out->pgoff = vma->vm_pgoff;
	out->prot = (vma->vm_flags & VM_READ ? MMSIM_PROT_READ : 0) |
		     (vma->vm_flags & VM_WRITE ? MMSIM_PROT_WRITE : 0);
	return 0;
}

int mmsim_next_process(struct mmsim *sim, int pid, int *next)
{
	struct mm_struct *mm = sim->mms;

	API_ENTER(sim);
	if (pid) {
		GET_MM(sim, pid, mm);
		mm = mm->hh.next;
	}
	if (!mm)
		return sim_error(sim, -ENOENT, "no process after %d", pid);
	*next = mm->pid;
	return 0;
}

int mmsim_next_vma(struct mmsim *sim, int pid, unsigned long addr, struct mmsim_vma_info *out)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;

	GET_MM(sim, pid, mm);
	vma = find_vma(mm, addr);
	if (!vma)
		return sim_error(sim, -ENOENT, "no VMA of process %d ends above %#lx", pid, addr);
	return mmsim_vma_info(sim, pid, vma->vm_start, out);
}

void mmsim_get_layout(struct mmsim_layout *out)
{
	out->page = sizeof(struct page);
	out->folio_slot = FOLIO_SLOT_SIZE;
	out->ksm_rmap_item = sizeof(struct ksm_rmap_item);
}
