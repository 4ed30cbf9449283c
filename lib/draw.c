// SPDX-License-Identifier: MIT
/*
 * Pictures of the model as Graphviz DOT: a process's page tables down to its
 * folios, one folio and every mapping of it, the anon_vma hierarchy, KSM's
 * trees. Not a kernel concept: a reader of the model that never changes it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "ksm.h"
#include "page_alloc.h"
#include "proc.h"
#include "rmap.h"
#include "vma.h"

#define DRAW_MAX_ITEMS 8
/* This many small folios or more in a row, alike, are drawn as one group. */
#define GROUP_MIN 4

static const char *const FONT = "DejaVu Sans";

/* The DOT text being written, and what the view has drawn so far. */
struct dot {
	struct mmsim *sim;
	const struct mmsim_draw *o;
	unsigned long max;		/* opts->max_items or the default */
	struct buf {
		char *s;
		size_t len, cap;
	} main, late, *cur;		/* late: what must come after every cluster */
	struct buf ranks[5];		/* node ids per row: mms, then each page-table level */
	bool oom;
	unsigned char *drawn;		/* by pfn: that folio's node is written */
	unsigned long *folios;		/* folios to write, in the order met */
	size_t nr_folios, cap_folios;
};

static void out(struct dot *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(struct dot *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (d->oom)
		return;
	for (struct buf *b = d->cur;;) {
		va_start(ap, fmt);
		n = b->cap ? vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap) :
			     vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			d->oom = true;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			d->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

/*
 * A node first named inside a cluster belongs to it: edges to folios and
 * anon_vmas, which several processes share, go after every cluster.
 */
static void late(struct dot *d, bool on)
{
	d->cur = on ? &d->late : &d->main;
}

/* Text for an HTML-like label: names come from scenario files. */
static void out_escaped(struct dot *d, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			out(d, "&lt;");
		else if (*s == '>')
			out(d, "&gt;");
		else if (*s == '&')
			out(d, "&amp;");
		else if (*s == '"')
			out(d, "&quot;");
		else
			out(d, "%c", *s);
	}
}

/* "P (pid 1)" or "pid 1". */
static void out_proc(struct dot *d, const struct mm_struct *mm)
{
	const struct mmsim_draw *o = d->o;

	if (o->names && mm->pid >= 0 && mm->pid < o->nr_names && o->names[mm->pid]) {
		out_escaped(d, o->names[mm->pid]);
		out(d, " (pid %d)", mm->pid);
	} else {
		out(d, "pid %d", mm->pid);
	}
}

/*
 * The caption under the picture: the title, and what colours and edges mean
 * (legend: one line of table cells), so the graph itself stays compact.
 */
static void out_header(struct dot *d, const char *rankdir, const char *legend)
{
	out(d, "digraph mmsim {\n");
	out(d, "  graph [rankdir=%s, fontname=\"%s\", fontsize=14, nodesep=0.25, ranksep=0.45, "
	    "newrank=true, labelloc=b, labeljust=l", rankdir, FONT);
	if (d->o->title || legend) {
		out(d, ", label=<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\">");
		if (d->o->title) {
			out(d, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"9\"><B>");
			out_escaped(d, d->o->title);
			out(d, "</B></TD></TR>");
		}
		if (legend)
			out(d, "<TR>%s</TR>", legend);
		out(d, "</TABLE>>");
	}
	out(d, "];\n");
	out(d, "  node [shape=plaintext, fontname=\"%s\", fontsize=13];\n", FONT);
	out(d, "  edge [fontname=\"%s\", fontsize=11, color=\"#333333\"];\n", FONT);
}

static void out_size(struct dot *d, unsigned long bytes)
{
	if (bytes >= (1UL << 20) && !(bytes & ((1UL << 20) - 1)))
		out(d, "%lu MiB", bytes >> 20);
	else
		out(d, "%lu KiB", bytes >> 10);
}

static void out_late(struct dot *d)
{
	if (d->late.len)
		out(d, "%s", d->late.s);
}

/* Puts node id on row r: every process's tables of one level side by side. */
static void rank(struct dot *d, int r, const char *id)
{
	struct buf *was = d->cur;

	d->cur = &d->ranks[r];
	out(d, " %s;", id);
	d->cur = was;
}

static void out_ranks(struct dot *d)
{
	for (int r = 0; r < 5; r++)
		if (d->ranks[r].len)
			out(d, "  { rank=same;%s }\n", d->ranks[r].s);
}

/* ---- Folios ----------------------------------------------------------------- */

/* What one page of a folio shows; pages alike in a row are drawn as one. */
struct page_look {
	uint64_t mapcount;		/* /proc/kpagecount's */
	bool exclusive;			/* PageAnonExclusive */
};

static struct page_look page_look(struct dot *d, const struct folio *folio, long i)
{
	struct page_look l = { 0 };

	proc_kpagecount(d->sim, folio_pfn(folio) + (unsigned long)i, &l.mapcount);
	l.exclusive = PageAnonExclusive(folio_page(d->sim, folio, i));
	return l;
}

static bool same_look(struct page_look a, struct page_look b)
{
	return a.mapcount == b.mapcount && a.exclusive == b.exclusive;
}

/* The row of the folio's node that shows page i, named by its first page. */
static long folio_row_of(struct dot *d, const struct folio *folio, long i)
{
	long start = 0;
	unsigned long rows = 0;

	for (long p = 1; p <= folio_nr_pages(folio); p++) {
		if (p < folio_nr_pages(folio) &&
		    same_look(page_look(d, folio, p), page_look(d, folio, start)))
			continue;
		/* Past the last row drawn: the "and more" row, which starts here. */
		if (++rows >= d->max && p < folio_nr_pages(folio))
			return start;
		if (i < p)
			return start;
		start = p;
	}
	return start;
}

static const char *folio_color(struct dot *d, const struct folio *folio)
{
	if (folio_test_ksm(folio))
		return "#e4d4f4";
	if (folio_maybe_mapped_shared(d->sim, folio))
		return "#fde2c0";
	return "#d6efd6";
}

static void out_page_rows(struct dot *d, const struct folio *folio)
{
	long start = 0, n = folio_nr_pages(folio);
	unsigned long rows = 0;

	for (long p = 1; p <= n; p++) {
		struct page_look l = page_look(d, folio, start);

		if (p < n && same_look(page_look(d, folio, p), l))
			continue;
		if (++rows >= d->max && p < n) {
			out(d, "<TR><TD PORT=\"p%ld\" ALIGN=\"LEFT\">pages %ld-%ld: and %ld more pages, "
			    "not alike</TD></TR>", start, start, n - 1, n - start);
			return;
		}
		out(d, "<TR><TD PORT=\"p%ld\" ALIGN=\"LEFT\" BGCOLOR=\"%s\">", start,
		    l.mapcount == 0 ? "#eeeeee" : l.exclusive ? "#b8e0b8" :
		    l.mapcount > 1 ? "#f9c98a" : "#ffffff");
		if (n == 1)
			out(d, "mapcount %llu", (unsigned long long)l.mapcount);
		else if (p - start == 1)
			out(d, "page %ld: mapcount %llu", start, (unsigned long long)l.mapcount);
		else
			out(d, "pages %ld-%ld: mapcount %llu", start, p - 1,
			    (unsigned long long)l.mapcount);
		out(d, "%s</TD></TR>", l.exclusive ? ", exclusive" : "");
		start = p;
	}
}

static void out_folio_node(struct dot *d, const struct folio *folio, bool detail)
{
	struct mmsim *sim = d->sim;
	struct anon_vma *av = folio_test_ksm(folio) ? NULL : folio_anon_vma(folio);
	unsigned long pfn = folio_pfn(folio);

	out(d, "  folio%#lx [label=<<TABLE BORDER=\"1\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
	    "CELLPADDING=\"4\" BGCOLOR=\"%s\"><TR><TD><B>%s folio %#lx</B>", pfn,
	    folio_color(d, folio), folio_test_ksm(folio) ? "KSM" : "anon", pfn);
	if (folio->order) {
		out(d, "<BR/>order %u, ", folio->order);
		out_size(d, PAGE_SIZE << folio->order);
	}
	out(d, "</TD></TR><TR><TD ALIGN=\"LEFT\">refcount %d, folio_mapcount %d", folio->_refcount,
	    folio_mapcount(sim, folio));
	if (folio_maybe_mapped_shared(sim, folio))
		out(d, "<BR/>maybe mapped shared");
	if (folio->flags & FOLIO_partially_mapped)
		out(d, "<BR/>partially mapped (deferred split)");
	if (folio_test_swapcache(folio))
		out(d, "<BR/>in the swap cache");
	if (av)
		out(d, "<BR/>anon_vma #%lu, index %#lx", av->serial, folio->index);
	if (detail && folio_test_large(folio) && sim->mapcount == &mapcount_linux_ops)
		out(d, "<BR/>_large_mapcount %d, _entire_mapcount %d<BR/>_nr_pages_mapped %#x"
		    "<BR/>mm slots (%u: %d) (%u: %d)", folio->_large_mapcount + 1,
		    folio->_entire_mapcount + 1, folio->_nr_pages_mapped, folio->_mm_id[0],
		    folio->_mm_id_mapcount[0] + 1, folio->_mm_id[1], folio->_mm_id_mapcount[1] + 1);
	out(d, "</TD></TR>");
	out_page_rows(d, folio);
	out(d, "</TABLE>>];\n");
}

/* Remembers a folio for the end of the graph, once. */
static void want_folio(struct dot *d, const struct folio *folio)
{
	unsigned long pfn = folio_pfn(folio);

	if (d->drawn[pfn / 8] & (1u << (pfn % 8)))
		return;
	if (d->nr_folios == d->cap_folios) {
		size_t cap = d->cap_folios ? 2 * d->cap_folios : 64;
		unsigned long *f = realloc(d->folios, cap * sizeof(*f));

		if (!f) {
			d->oom = true;
			return;
		}
		d->folios = f;
		d->cap_folios = cap;
	}
	d->drawn[pfn / 8] |= (unsigned char)(1u << (pfn % 8));
	d->folios[d->nr_folios++] = pfn;
}

static void out_wanted_folios(struct dot *d, bool detail)
{
	for (size_t i = 0; i < d->nr_folios; i++) {
		struct folio *folio = pfn_folio(d->sim, d->folios[i]);

		if (folio_is_zero(folio))
			out(d, "  folio%#lx [label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" BGCOLOR=\"#dddddd\">"
			    "<TR><TD><B>%s</B> (pfn %#lx)</TD></TR><TR><TD>shared by all, read-only,"
			    "<BR/>counted by no mapcount</TD></TR></TABLE>>];\n", d->folios[i],
			    folio->order ? "huge zero folio" : "zero page", d->folios[i]);
		else
			out_folio_node(d, folio, detail);
	}
}

/* ---- Page tables: runs of entries alike -------------------------------------- */

/* Entries of one table that map consecutive pages of one folio alike, or swap. */
struct pt_run {
	unsigned int first, nr;		/* entries [first, first + nr) */
	unsigned long addr;		/* the first entry's address */
	pte_t entry;			/* the first entry */
	struct folio *folio;		/* NULL: swap entries */
	long page;			/* first page of folio mapped */
	unsigned int nr_folios;		/* > 1: a group of small folios alike */
};

static bool entry_maps(struct mmsim *sim, pte_t e, struct folio **folio, long *page)
{
	struct page *p;

	if (!pte_present(e))
		return false;
	p = pfn_to_page(sim, pte_pfn(e));
	*folio = pte_special(e) ? pfn_folio(sim, pte_pfn(e)) : page_folio(p);
	*page = pte_special(e) ? 0 : folio_page_idx(sim, *folio, p);
	return true;
}

/* Does entry e continue run r (one more page of its folio, or one more small folio alike)? */
static bool run_continues(struct dot *d, const struct pt_run *r, pte_t e)
{
	struct folio *folio;
	long page;

	if (pte_write(e) != pte_write(r->entry))
		return false;
	if (!r->folio)
		return is_swap_pte(e);
	if (!entry_maps(d->sim, e, &folio, &page) || folio_is_zero(folio) != folio_is_zero(r->folio))
		return false;
	if (folio_is_zero(folio))
		return true;
	/* The next page of the folio; or, for a KSM page, the same page again. */
	if (r->nr_folios == 1 && folio == r->folio)
		return page == r->page + (long)r->nr ||
		       (folio_test_ksm(folio) && !folio_test_large(folio));
	/* A group: small folios alike in every way the picture shows. */
	return !folio_test_large(folio) && !folio_test_large(r->folio) && r->page == 0 &&
	       (r->nr_folios > 1 || r->nr == 1) &&
	       folio_test_ksm(folio) == folio_test_ksm(r->folio) &&
	       same_look(page_look(d, folio, 0), page_look(d, r->folio, 0));
}

/* Are all pages of a large folio alike (one row in its box)? */
static bool folio_uniform(struct dot *d, const struct folio *folio)
{
	struct page_look first = page_look(d, folio, 0);

	for (long i = 1; i < folio_nr_pages(folio); i++)
		if (!same_look(page_look(d, folio, i), first))
			return false;
	return true;
}

/* Does PMD leaf e continue run r: one more whole THP alike, every page alike? */
static bool pmd_run_continues(struct dot *d, const struct pt_run *r, pmd_t e)
{
	struct folio *folio;
	long page;

	if (pte_write(e) != pte_write(r->entry) || !r->folio || folio_is_zero(r->folio) ||
	    !entry_maps(d->sim, e, &folio, &page) || folio_is_zero(folio))
		return false;
	if (r->nr == 1 && !folio_uniform(d, r->folio))
		return false;
	return folio_uniform(d, folio) &&
	       same_look(page_look(d, folio, 0), page_look(d, r->folio, 0)) &&
	       folio_maybe_mapped_shared(d->sim, folio) ==
	       folio_maybe_mapped_shared(d->sim, r->folio);
}

/*
 * The leaf entries of a PTE table (level 3) or the PMD leaves of a PMD table
 * (level 2) as runs; returns how many.
 */
static size_t table_runs(struct dot *d, unsigned long table, int level, unsigned long base,
			 struct pt_run *runs)
{
	unsigned int shift = level == 3 ? PAGE_SHIFT : PMD_SHIFT;
	uint64_t *entries = table_entries(d->sim, table);
	size_t n = 0;

	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t e = entries[i];
		struct pt_run *r = n ? &runs[n - 1] : NULL;

		if (pte_none(e) || (level == 2 && !pmd_leaf(e)))
			continue;
		if (r && r->first + r->nr == i &&
		    (level == 3 ? run_continues(d, r, e) : pmd_run_continues(d, r, e))) {
			struct folio *folio;
			long page;

			if (entry_maps(d->sim, e, &folio, &page) && folio != r->folio)
				r->nr_folios++;
			r->nr++;
			continue;
		}
		r = &runs[n++];
		*r = (struct pt_run){ .first = i, .nr = 1, .entry = e, .nr_folios = 1,
				      .addr = base + ((unsigned long)i << shift) };
		if (!entry_maps(d->sim, e, &r->folio, &r->page))
			r->folio = NULL;
	}
	/* A "group" of fewer than GROUP_MIN small folios is drawn folio by folio. */
	return n;
}

/* The node a run's edge goes to: its folio (at the page's row), a group, swap. */
static void out_run_target(struct dot *d, const char *from, const struct pt_run *r, int level)
{
	bool ro = !pte_write(r->entry);

	if (!r->folio) {
		out(d, "  %s -> swap_%s_%u [label=\"[%u-%u]\", style=dotted];\n", from, from, r->first,
		    r->first, r->first + r->nr - 1);
		out(d, "  swap_%s_%u [label=\"%u swap entr%s\", shape=note, fontsize=11];\n", from,
		    r->first, r->nr, r->nr == 1 ? "y" : "ies");
		return;
	}
	late(d, true);
	if (r->nr_folios > 1) {
		struct page_look l = page_look(d, r->folio, 0);

		out(d, "  %s -> group%#lx_%u [label=\"[%u-%u] %s%s\"%s%s];\n", from,
		    folio_pfn(r->folio), r->nr_folios, r->first, r->first + r->nr - 1,
		    level == 2 ? "PMD " : "", ro ? "ro" : "rw", ro ? ", style=dashed" : "",
		    level == 2 ? ", penwidth=2.5" : "");
		out(d, "  group%#lx_%u [label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" BGCOLOR=\"%s\">"
		    "<TR><TD><B>%u %s%s</B></TD></TR><TR><TD>from pfn %#lx</TD></TR>"
		    "<TR><TD>%s: mapcount %llu%s</TD></TR></TABLE>>];\n", folio_pfn(r->folio),
		    r->nr_folios, folio_color(d, r->folio), r->nr_folios,
		    folio_test_ksm(r->folio) ? "KSM " : "",
		    level == 2 ? "folios of 2 MiB (THPs)" : "small folios", folio_pfn(r->folio),
		    level == 2 ? "each page" : "each", (unsigned long long)l.mapcount,
		    l.exclusive ? ", exclusive" : "");
		late(d, false);
		return;
	}
	want_folio(d, r->folio);
	out(d, "  %s -> folio%#lx", from, folio_pfn(r->folio));
	if (!folio_is_zero(r->folio)) {
		out(d, ":p%ld", folio_row_of(d, r->folio, r->page));
	}
	if (level == 2)
		out(d, " [label=\"[%u] PMD %s\", penwidth=2.5", r->first, ro ? "ro" : "rw");
	else if (r->nr == 1)
		out(d, " [label=\"[%u] %s", r->first, ro ? "ro" : "rw");
	else
		out(d, " [label=\"[%u-%u] %s", r->first, r->first + r->nr - 1, ro ? "ro" : "rw");
	/* Which pages of a large folio: the row the edge ends at may hold more. */
	if (level == 3 && folio_test_large(r->folio) && r->nr == 1)
		out(d, "\\npage %ld\"", r->page);
	else if (level == 3 && folio_test_large(r->folio))
		out(d, "\\npages %ld-%ld\"", r->page, r->page + (long)r->nr - 1);
	else if (level == 3)
		out(d, "\"");
	out(d, "%s];\n", ro ? ", style=dashed" : "");
	late(d, false);
}

/* ---- The process view --------------------------------------------------------- */

static const char *const level_name[] = { "PGD", "PUD", "PMD", "PTE" };
static const unsigned int level_shift[] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT };


static void out_leaf_runs(struct dot *d, unsigned long table, int level, unsigned long base,
			  const char *id)
{
	struct pt_run *runs = malloc(PTRS_PER_TABLE * sizeof(*runs));
	size_t n;

	if (!runs) {
		d->oom = true;
		return;
	}
	n = table_runs(d, table, level, base, runs);
	for (size_t i = 0; i < n; i++) {
		struct pt_run *r = &runs[i];

		if (r->nr_folios > 1 && r->nr_folios < GROUP_MIN) {
			/* Too few to summarise: each folio on its own. */
			struct pt_run one = *r;

			for (unsigned int k = 0; k < r->nr; k++) {
				one.first = r->first + k;
				one.nr = 1;
				one.nr_folios = 1;
				one.entry = table_entries(d->sim, table)[one.first];
				entry_maps(d->sim, one.entry, &one.folio, &one.page);
				out_run_target(d, id, &one, level);
			}
			continue;
		}
		if (i >= d->max && n > d->max + 1) {
			unsigned long entries = 0;

			for (size_t k = i; k < n; k++)
				entries += runs[k].nr;
			out(d, "  %s -> %s_more [style=dotted];\n  %s_more [label=\"and %zu more "
			    "runs\\n(%lu entries)\", shape=box, style=dashed];\n", id, id, id, n - i,
			    entries);
			break;
		}
		out_run_target(d, id, r, level);
	}
	free(runs);
}

static void out_table(struct dot *d, unsigned long table, int level, unsigned long base)
{
	uint64_t *entries = table_entries(d->sim, table);
	unsigned long span = 1UL << (level_shift[level] + 9);
	unsigned int present = 0, swap = 0, tables = 0, drawn = 0;
	char id[48];

	snprintf(id, sizeof(id), "pt%#lx", table);
	rank(d, level + 1, id);
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		if (pte_none(entries[i]))
			continue;
		if (level < 2 || (level == 2 && !pmd_leaf(entries[i])))
			tables++;
		else if (pte_present(entries[i]))
			present++;
		else
			swap++;
	}
	out(d, "  %s [shape=box, style=\"rounded,filled\", fillcolor=\"#dde8f6\", label=\"%s table "
	    "(pfn %#lx)", id, level_name[level], table);
	if (level)
		out(d, "\\n%#lx+", base);
	if (level == 0)
		out(d, "\\nthe whole 256 TiB");
	else if (span >= (1UL << 30))
		out(d, "%luG", span >> 30);
	else
		out(d, "%luM", span >> 20);
	if (tables)
		out(d, "\\n%u table%s below", tables, tables == 1 ? "" : "s");
	if (present && level == 3)
		out(d, "\\n%u page%s mapped", present, present == 1 ? "" : "s");
	else if (present)
		out(d, "\\n%u PMD lea%s", present, present == 1 ? "f" : "ves");
	if (swap)
		out(d, "\\n%u swap entr%s", swap, swap == 1 ? "y" : "ies");
	out(d, "\"];\n");
	if (level == 3 || level == 2)
		out_leaf_runs(d, table, level, base, id);
	if (level == 3)
		return;
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		unsigned long addr = base + ((unsigned long)i << level_shift[level]);

		if (pte_none(entries[i]) || (level == 2 && pmd_leaf(entries[i])))
			continue;
		if (drawn++ >= d->max && tables > d->max + 1) {
			out(d, "  %s -> %s_more [style=dotted];\n  %s_more [label=\"and %u more %s "
			    "tables\", shape=box, style=dashed];\n", id, id, id, tables - drawn + 1,
			    level_name[level + 1]);
			break;
		}
		out(d, "  %s -> pt%#lx [label=\"[%u]\"];\n", id, (unsigned long)pte_pfn(entries[i]), i);
		out_table(d, pte_pfn(entries[i]), level + 1, addr);
	}
}

static void out_vma_flags(struct dot *d, const struct vm_area_struct *vma)
{
	out(d, "%c%c%s%s%s", vma->vm_flags & VM_READ ? 'r' : '-', vma->vm_flags & VM_WRITE ? 'w' : '-',
	    vma->vm_flags & VM_HUGEPAGE ? " hugepage" : "",
	    vma->vm_flags & VM_NOHUGEPAGE ? " nohugepage" : "",
	    vma->vm_flags & VM_MERGEABLE ? " mergeable" : "");
}

/* The mm node: the process and its VMAs, one row each. */
static void out_mm_node(struct dot *d, struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long n = 0;

	out(d, "  mm%d [label=<<TABLE BORDER=\"1\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\" "
	    "BGCOLOR=\"#fff8dc\"><TR><TD><B>", mm->pid);
	out_proc(d, mm);
	out(d, "</B><BR/>mm id %u, anon RSS %ld pages%s</TD></TR>", mm->mm_id,
	    mm->rss[MM_ANONPAGES], mm->rss[MM_SWAPENTS] ? ", swap entries" : "");
	for_each_vma(mm, vma) {
		if (n++ == d->max && mm->map_count > (int)d->max + 1) {
			out(d, "<TR><TD>and %lu more VMAs</TD></TR>", (unsigned long)mm->map_count - n + 1);
			break;
		}
		out(d, "<TR><TD ALIGN=\"LEFT\">VMA %#lx-%#lx ", vma->vm_start, vma->vm_end);
		out_vma_flags(d, vma);
		out(d, "<BR/>");
		out_size(d, vma->vm_end - vma->vm_start);
		if (vma->anon_vma)
			out(d, ", anon_vma #%lu", vma->anon_vma->serial);
		out(d, "</TD></TR>");
	}
	out(d, "</TABLE>>];\n");
}

static void draw_process(struct dot *d, struct mm_struct *mm)
{
	char id[32];

	snprintf(id, sizeof(id), "mm%d", mm->pid);
	rank(d, 0, id);
	out(d, "  subgraph cluster_mm%d {\n  style=\"rounded\"; color=\"#999999\"; label=\"\";\n", mm->pid);
	out_mm_node(d, mm);
	out(d, "  mm%d -> pt%#lx [label=\"pgd\"];\n", mm->pid, mm->pgd);
	out_table(d, mm->pgd, 0, 0);
	out(d, "  }\n");
}

static const char PROCESS_LEGEND[] =
	"<TD>[i-j] rw: entries i..j, writable</TD><TD>- - ro: read-only</TD>"
	"<TD>thick: PMD</TD><TD>mapcount: kpagecount</TD>"
	"<TD BGCOLOR=\"#b8e0b8\">PageAnonExclusive</TD>"
	"<TD BGCOLOR=\"#fde2c0\">maybe shared</TD><TD BGCOLOR=\"#e4d4f4\">KSM</TD>";

static int view_process(struct dot *d)
{
	struct mm_struct *mm;

	out_header(d, "TB", PROCESS_LEGEND);
	for (mm = d->sim->mms; mm; mm = mm->hh.next)
		if (!d->o->pid || mm->pid == d->o->pid)
			draw_process(d, mm);
	out_late(d);
	out_ranks(d);
	out_wanted_folios(d, false);
	out(d, "}\n");
	return 0;
}

/* ---- The folio view ------------------------------------------------------------ */

static void out_truth(struct dot *d, const struct folio *folio)
{
	struct folio_pgtable_truth t;

	if (mm_folio_truth(d->sim, folio, &t)) {
		d->oom = true;
		return;
	}
	out(d, "  truth [shape=box, style=filled, fillcolor=\"#f4f4f4\", label=\"truth (a walk of "
	    "every page table)\\n%d mappings, %d by PMD, from %d mm%s\\nscheme %s says "
	    "folio_mapcount %d%s\"];\n", t.total, t.pmd_maps, t.nr_mms, t.nr_mms == 1 ? "" : "s",
	    d->sim->mapcount->name, folio_mapcount(d->sim, folio),
	    folio_maybe_mapped_shared(d->sim, folio) ? ", maybe shared" : ", exclusive");
	out(d, "  truth -> folio%#lx [style=invis];\n", folio_pfn(folio));
}

/* Every mapping of folio in mm's tables below table, as mm -> VMA -> folio edges. */
static void folio_mappings(struct dot *d, struct mm_struct *mm, unsigned long table, int level,
			   unsigned long base, const struct folio *folio, unsigned long *nr)
{
	uint64_t *entries = table_entries(d->sim, table);
	struct pt_run *runs;
	size_t n;

	if (level < 2 || level == 2) {
		for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
			if (pmd_table(entries[i]) || (level < 2 && !pte_none(entries[i])))
				folio_mappings(d, mm, pte_pfn(entries[i]), level + 1,
					       base + ((unsigned long)i << level_shift[level]), folio, nr);
		if (level < 2)
			return;
	}
	runs = malloc(PTRS_PER_TABLE * sizeof(*runs));
	if (!runs) {
		d->oom = true;
		return;
	}
	n = table_runs(d, table, level, base, runs);
	for (size_t i = 0; i < n; i++) {
		struct pt_run *r = &runs[i];
		struct vm_area_struct *vma = vma_lookup(mm, r->addr);

		if (r->folio != folio || r->nr_folios > 1)
			continue;
		if ((*nr)++ >= d->max)
			continue;
		out(d, "  mm%d -> vma%d_%#lx;\n", mm->pid, mm->pid, vma ? vma->vm_start : 0);
		out(d, "  vma%d_%#lx -> folio%#lx:p%ld:w [label=\"%s %#lx", mm->pid,
		    vma ? vma->vm_start : 0, folio_pfn(folio), folio_row_of(d, folio, r->page),
		    level == 2 ? "PMD" : "PTE", r->addr);
		if (level == 3 && r->nr > 1)
			out(d, " x%u", r->nr);
		if (level == 3 && folio_test_large(folio) && r->nr > 1)
			out(d, "\\npages %ld-%ld", r->page, r->page + r->nr - 1);
		else if (level == 3 && folio_test_large(folio))
			out(d, "\\npage %ld", r->page);
		out(d, " %s\"%s%s];\n", pte_write(r->entry) ? "rw" : "ro",
		    pte_write(r->entry) ? "" : ", style=dashed", level == 2 ? ", penwidth=2.5" : "");
	}
	free(runs);
}

static int view_folio(struct dot *d)
{
	struct mm_struct *mm = find_mm(d->sim, d->o->pid), *m;
	struct vm_area_struct *vma;
	bool pmd_mapped;
	struct page *page;
	struct folio *folio;
	unsigned long nr = 0;

	if (!mm)
		return sim_error(d->sim, -EINVAL, "draw: no process with pid %d", d->o->pid);
	page = follow_page(d->sim, mm, d->o->addr & PAGE_MASK, &pmd_mapped);
	if (!page)
		return sim_error(d->sim, -ENOENT, "draw: nothing is mapped at %#lx in pid %d",
				 d->o->addr, d->o->pid);
	folio = page_folio(page);
	out_header(d, "LR", PROCESS_LEGEND);
	for (m = d->sim->mms; m; m = m->hh.next) {
		unsigned long before = nr;

		if (folio_is_zero(folio))
			break;
		folio_mappings(d, m, m->pgd, 0, 0, folio, &nr);
		if (nr == before)
			continue;
		out(d, "  mm%d [shape=box, style=\"rounded,filled\", fillcolor=\"#fff8dc\", label=\"",
		    m->pid);
		out_proc(d, m);
		out(d, "\\nmm id %u\"];\n", m->mm_id);
		for_each_vma(m, vma)
			out(d, "  vma%d_%#lx [shape=box, label=\"VMA %#lx-%#lx\\npgoff %#lx\"];\n",
			    m->pid, vma->vm_start, vma->vm_start, vma->vm_end, vma->vm_pgoff);
	}
	if (nr > d->max)
		out(d, "  more [shape=box, style=dashed, label=\"and %lu more mappings\"];\n",
		    nr - d->max);
	if (folio_is_zero(folio)) {
		want_folio(d, folio);
		out_wanted_folios(d, true);
	} else {
		out_folio_node(d, folio, true);
		out_truth(d, folio);
	}
	out(d, "}\n");
	return 0;
}

/* ---- The anon_vma view -------------------------------------------------------- */

static void out_anon_vma(struct dot *d, const struct anon_vma *av, const unsigned long *nr_folios)
{
	out(d, "  av%lu [shape=box, style=\"rounded,filled\", fillcolor=\"%s\", label=\"anon_vma #%lu%s"
	    "\\nrefcount %d, degree %lu\\n%lu active VMA%s, %lu folio%s\"];\n", av->serial,
	    av->root == av ? "#f6e3a1" : "#fff3c4", av->serial, av->root == av ? " (root)" : "",
	    av->refcount, av->num_children, av->num_active_vmas, av->num_active_vmas == 1 ? "" : "s",
	    nr_folios[av->serial], nr_folios[av->serial] == 1 ? "" : "s");
	if (av->parent && av->parent != av)
		out(d, "  av%lu -> av%lu [label=\"parent\", color=\"#b08000\", penwidth=2];\n",
		    av->serial, av->parent->serial);
}

/* Marks every anon_vma reachable from the VMAs, parents and roots too. */
static void mark_anon_vma(const struct anon_vma *av, unsigned char *seen,
			  const struct anon_vma **list, size_t *n)
{
	for (; av; av = av->parent == av ? NULL : av->parent) {
		if (seen[av->serial])
			return;
		seen[av->serial] = 1;
		list[(*n)++] = av;
	}
}

static int view_anon_vma(struct dot *d)
{
	struct mmsim *sim = d->sim;
	size_t nr = sim->anon_vma_serial + 1, n = 0;
	unsigned char *seen = calloc(nr, 1);
	const struct anon_vma **list = calloc(nr, sizeof(*list));
	unsigned long *nr_folios = calloc(nr, sizeof(*nr_folios));
	struct mm_struct *mm;

	if (!seen || !list || !nr_folios) {
		free(seen);
		free(list);
		free(nr_folios);
		return sim_error(sim, -ENOMEM, "draw: out of memory");
	}
	/* folio->mapping of every anonymous folio: where its rmap walk starts. */
	for (unsigned long pfn = 0; pfn < sim->nr_frames; pfn++) {
		struct folio *f = sim->pages[pfn].folio;

		if (f && folio_pfn(f) == pfn && folio_test_anon(f) && !folio_test_ksm(f) &&
		    folio_anon_vma(f) && folio_anon_vma(f)->serial < nr)
			nr_folios[folio_anon_vma(f)->serial]++;
	}
	out_header(d, "TB", "<TD>thick: vma-&gt;anon_vma</TD><TD>dashed: an anon_vma_chain</TD>"
		   "<TD>gold: parent, up to the root</TD>");
	for (mm = sim->mms; mm; mm = mm->hh.next) {
		struct vm_area_struct *vma;
		unsigned long k = 0;

		if (d->o->pid && mm->pid != d->o->pid)
			continue;
		out(d, "  subgraph cluster_mm%d {\n  style=rounded; color=\"#999999\"; labelloc=t; "
		    "label=<<B>", mm->pid);
		out_proc(d, mm);
		out(d, "</B>>;\n");
		for_each_vma(mm, vma) {
			struct anon_vma_chain *avc;

			if (k++ >= d->max)
				break;
			char id[64];

			snprintf(id, sizeof(id), "vma%d_%#lx", mm->pid, vma->vm_start);
			rank(d, 0, id);	/* every VMA on the top row, the anon_vmas below */
			out(d, "  %s [shape=box, label=\"VMA %#lx-%#lx\\n", id, vma->vm_start,
			    vma->vm_end);
			out_vma_flags(d, vma);
			out(d, ", pgoff %#lx\"];\n", vma->vm_pgoff);
			list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
				bool own = avc->anon_vma == vma->anon_vma;

				mark_anon_vma(avc->anon_vma, seen, list, &n);
				late(d, true);
				out(d, "  vma%d_%#lx -> av%lu [label=\"%s\"%s];\n", mm->pid,
				    vma->vm_start, avc->anon_vma->serial,
				    own ? "vma->anon_vma" : "avc",
				    own ? ", penwidth=2" : ", style=dashed");
				late(d, false);
			}
		}
		if (k > d->max)
			out(d, "  mm%d_more [shape=box, style=dashed, label=\"and %d more VMAs\"];\n",
			    mm->pid, mm->map_count - (int)d->max);
		out(d, "  }\n");
	}
	out_late(d);
	out_ranks(d);
	/* By serial: the same anon_vma gets the same line whatever reached it first. */
	for (size_t s = 0; s < nr; s++)
		if (seen[s])
			for (size_t i = 0; i < n; i++)
				if (list[i]->serial == s)
					out_anon_vma(d, list[i], nr_folios);
	out(d, "}\n");
	free(seen);
	free(list);
	free(nr_folios);
	return 0;
}

/* ---- The KSM view ------------------------------------------------------------ */

static void out_rmap_items(struct dot *d, const char *from, struct list_head *head)
{
	struct ksm_rmap_item *item;
	unsigned long k = 0, total = 0;

	list_for_each_entry(item, head, hlist)
		total++;
	list_for_each_entry(item, head, hlist) {
		if (k++ >= d->max && total > d->max + 1) {
			out(d, "  %s -> %s_more [style=dotted];\n  %s_more [shape=box, style=dashed, "
			    "label=\"and %lu more rmap_items\"];\n", from, from, from, total - d->max);
			return;
		}
		out(d, "  %s -> %s_i%lu [arrowhead=none];\n  %s_i%lu [shape=box, fontsize=11, "
		    "style=filled, fillcolor=\"#f4f4f4\", label=\"", from, from, k, from, k);
		out_proc(d, item->mm);
		out(d, "\\n%#lx\"];\n", item->address & PAGE_MASK);
	}
}

static void out_ksm_page(struct dot *d, const char *id, struct ksm_stable_node *node, bool dup)
{
	out(d, "  %s [shape=box, style=\"rounded,filled\", fillcolor=\"%s\", label=\"%s%s\\nKSM page "
	    "pfn %#lx\\n%d rmap_item%s\"];\n", id, node->stale ? "#dddddd" : "#e4d4f4",
	    dup ? "dup" : "stable node", node->stale ? " (stale)" : "", node->kpfn,
	    node->rmap_hlist_len, node->rmap_hlist_len == 1 ? "" : "s");
	out_rmap_items(d, id, &node->hlist);
}

static void out_stable_node(struct dot *d, struct rb_node *rb, const char *id);

static void out_stable_child(struct dot *d, struct rb_node *rb, const char *id, char side)
{
	char child[64];

	if (!rb)
		return;
	snprintf(child, sizeof(child), "%s%c", id, side);
	out(d, "  %s -> %s [label=\"%s\", color=\"#7a4fb0\"];\n", id, child,
	    side == 'l' ? "rb_left" : "rb_right");
	out_stable_node(d, rb, child);
}

static void out_stable_node(struct dot *d, struct rb_node *rb, const char *id)
{
	struct ksm_stable_node *node = rb_entry(rb, struct ksm_stable_node, node);

	if (node->rmap_hlist_len == STABLE_NODE_CHAIN) {
		struct ksm_stable_node *dup;
		unsigned long k = 0, total = 0;

		list_for_each_entry(dup, &node->hlist, hlist_dup)
			total++;
		out(d, "  %s [shape=box, style=\"rounded,filled,bold\", fillcolor=\"#cdb4ea\", "
		    "label=\"stable node chain\\n%lu dup%s\"];\n", id, total, total == 1 ? "" : "s");
		list_for_each_entry(dup, &node->hlist, hlist_dup) {
			char did[64];

			if (k++ >= d->max && total > d->max + 1) {
				out(d, "  %s -> %s_more;\n  %s_more [shape=box, style=dashed, label=\"and "
				    "%lu more dups\"];\n", id, id, id, total - d->max);
				break;
			}
			snprintf(did, sizeof(did), "%s_d%lu", id, k);
			out(d, "  %s -> %s [label=\"dup\"];\n", id, did);
			out_ksm_page(d, did, dup, true);
		}
	} else {
		out_ksm_page(d, id, node, false);
	}
	out_stable_child(d, rb->rb_left, id, 'l');
	out_stable_child(d, rb->rb_right, id, 'r');
}

static void out_unstable(struct dot *d, struct rb_node *rb, const char *id, unsigned long *k)
{
	struct ksm_rmap_item *item = rb_entry(rb, struct ksm_rmap_item, node);
	char child[64];

	if ((*k)++ == d->max) {
		out(d, "  %s [shape=box, style=dashed, label=\"and more\"];\n", id);
		return;
	}
	if (*k > d->max)
		return;
	out(d, "  %s [shape=box, style=filled, fillcolor=\"#f4f4f4\", label=\"rmap_item ", id);
	out_proc(d, item->mm);
	out(d, "\\n%#lx\"];\n", item->address & PAGE_MASK);
	for (int side = 0; side < 2; side++) {
		struct rb_node *c = side ? rb->rb_right : rb->rb_left;

		if (!c || *k > d->max)
			continue;
		snprintf(child, sizeof(child), "%s%c", id, side ? 'r' : 'l');
		out(d, "  %s -> %s [label=\"%s\"];\n", id, child, side ? "rb_right" : "rb_left");
		out_unstable(d, c, child, k);
	}
}

static int view_ksm(struct dot *d)
{
	static const char *const names[] = { "pages_shared", "pages_sharing", "pages_unshared",
		"pages_volatile", "stable_node_chains", "stable_node_dups", "full_scans",
		"ksm_zero_pages", "max_page_sharing", "general_profit" };
	struct ksm_state *ksm = d->sim->ksm;
	unsigned long k = 0;

	out_header(d, "TB", "<TD>purple: stable tree (rb_left, rb_right)</TD><TD>grey boxes: "
		   "rmap_items (process, address)</TD>");
	out(d, "  counters [shape=box, style=filled, fillcolor=\"#f4f4f4\", label=\"/sys/kernel/mm/ksm");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		long v = 0;

		ksm_read_counter(d->sim, names[i], &v);
		out(d, "\\l%s %ld", names[i], v);
	}
	out(d, "\\l\"];\n");
	out(d, "  stable [shape=box, style=\"rounded,bold\", label=\"stable tree\"];\n");
	if (ksm->root_stable_tree.rb_node) {
		out(d, "  stable -> s;\n");
		out_stable_node(d, ksm->root_stable_tree.rb_node, "s");
	}
	out(d, "  unstable [shape=box, style=\"rounded,bold\", label=\"unstable tree\"];\n");
	if (ksm->root_unstable_tree.rb_node) {
		out(d, "  unstable -> u;\n");
		out_unstable(d, ksm->root_unstable_tree.rb_node, "u", &k);
	}
	out(d, "}\n");
	return 0;
}

int mmsim_draw_dot(struct mmsim *sim, const struct mmsim_draw *opts, char **dot, size_t *len)
{
	struct dot d = { .sim = sim, .o = opts };
	int ret;

	*dot = NULL;
	if (len)
		*len = 0;
	if (opts->view > MMSIM_DRAW_KSM)
		return sim_error(sim, -EINVAL, "draw: no view %d", (int)opts->view);
	if (opts->pid && !find_mm(sim, opts->pid))
		return sim_error(sim, -EINVAL, "draw: no process with pid %d", opts->pid);
	if (opts->view == MMSIM_DRAW_FOLIO && !opts->pid)
		return sim_error(sim, -EINVAL, "draw: the folio view needs a pid and an address");
	d.max = opts->max_items ? opts->max_items : DRAW_MAX_ITEMS;
	d.drawn = calloc(sim->nr_frames / 8 + 1, 1);
	if (!d.drawn)
		return sim_error(sim, -ENOMEM, "draw: out of memory");
	d.cur = &d.main;
	switch (opts->view) {
	case MMSIM_DRAW_PROCESS:
		ret = view_process(&d);
		break;
	case MMSIM_DRAW_FOLIO:
		ret = view_folio(&d);
		break;
	case MMSIM_DRAW_ANON_VMA:
		ret = view_anon_vma(&d);
		break;
	default:
		ret = view_ksm(&d);
		break;
	}
	free(d.drawn);
	free(d.folios);
	free(d.late.s);
	for (int r = 0; r < 5; r++)
		free(d.ranks[r].s);
	if (!ret && d.oom)
		ret = sim_error(sim, -ENOMEM, "draw: out of memory");
	if (ret) {
		free(d.main.s);
		return ret;
	}
	*dot = d.main.s;
	if (len)
		*len = d.main.len;
	return 0;
}
