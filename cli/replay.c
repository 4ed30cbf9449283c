// SPDX-License-Identifier: MIT
/*
 * mmsim replay: rebuilds a capture in the simulator. Children are forked
 * from their captured parents so that frames fork shared stay shared; large
 * folios are faulted at their captured order (only that size enabled);
 * contents come from fingerprints. What cannot be rebuilt exactly is counted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture_cmd.h"
#include "replay.h"

#define PAGE		4096UL
#define PMD_ORDER	REPLAY_PMD_ORDER

void replay_contents(const struct cap_fp *fp, unsigned char *page)
{
	if (cap_fp_is_zero(fp)) {
		memset(page, 0, PAGE);
		return;
	}
	for (size_t i = 0; i < PAGE; i += sizeof(fp->b))
		memcpy(page + i, fp->b, sizeof(fp->b));
}

void replay_free(struct replay *r)
{
	if (r->sim)
		mmsim_destroy(r->sim);
	free(r->sim_pid);
	free(r->order);
	free(r->faults);
	free(r->page_tables);
	memset(r, 0, sizeof(*r));
}

static int sim_fail(struct replay *r, char *err, size_t len, const char *what, int pid,
		    unsigned long addr, int ret)
{
	snprintf(err, len, "replay of process %d at %#lx: %s: %s (%s)", pid, addr, what,
		 strerror(-ret), mmsim_last_error(r->sim));
	return -1;
}

/* The VMAs the simulator rebuilds: private, in the user address space. */
static bool vma_replayed(const struct cap_vma *v)
{
	static const char *const special[] = { "[vvar]", "[vdso]", "[vsyscall]", "[vvar_vclock]" };

	if (v->perms[3] != 'p' || v->end > (1UL << 47))
		return false;
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (!strcmp(v->name, special[i]))
			return false;
	return true;
}

static bool has_flag(const struct cap_vma *v, const char *flag)
{
	const char *s = v->vm_flags;
	size_t n = strlen(flag);

	while ((s = strstr(s, flag))) {
		if ((s == v->vm_flags || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return true;
		s += n;
	}
	return false;
}

const struct cap_page *replay_find_page(const struct cap_proc *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nr_pages;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->pages[mid].addr == addr)
			return &p->pages[mid];
		if (p->pages[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool same_vma(const struct cap_proc *p, const struct cap_vma *v)
{
	for (size_t i = 0; i < p->nr_vmas; i++)
		if (p->vmas[i].start == v->start && p->vmas[i].end == v->end && vma_replayed(&p->vmas[i]))
			return true;
	return false;
}

const struct cap_vma *replay_vma_of(const struct cap_proc *p, uint64_t addr)
{
	for (size_t i = 0; i < p->nr_vmas; i++)
		if (addr >= p->vmas[i].start && addr < p->vmas[i].end)
			return vma_replayed(&p->vmas[i]) ? &p->vmas[i] : NULL;
	return NULL;
}

/* ---- Pages and folios --------------------------------------------------------------- */

static void thp_only(struct mmsim *sim, int order)
{
	for (int o = 2; o <= PMD_ORDER; o++)
		mmsim_set_thp(sim, PAGE << o, o == order ? MMSIM_THP_ALWAYS : MMSIM_THP_NEVER);
}

static int write_page(struct replay *r, int spid, const struct cap_page *pg, char *err,
		      size_t len, int pid)
{
	unsigned char buf[PAGE];
	int ret;

	if (pg->kpageflags & (1ULL << CAP_KPF_ZERO_PAGE)) {
		r->rep.zero_pages++;
		ret = mmsim_read(r->sim, spid, pg->addr, buf, 1);
		return ret ? sim_fail(r, err, len, "read fault", pid, pg->addr, ret) : 0;
	}
	if (!pg->has_fp) {
		r->rep.no_fingerprint++;
		memset(buf, 0, sizeof(buf));
	} else {
		replay_contents(&pg->fp, buf);
	}
	ret = mmsim_write(r->sim, spid, pg->addr, buf, PAGE);
	return ret ? sim_fail(r, err, len, "write", pid, pg->addr, ret) : 0;
}

/*
 * The pages of one captured folio that this process maps, [first, first+n):
 * with only the folio's size enabled the first write faults it whole (when
 * aligned inside the VMA); pages of it the process did not map go again.
 */
static int build_folio(struct replay *r, int spid, const struct cap_proc *p,
		       const struct cap_page *pg, size_t n, char *err, size_t len)
{
	int order = pg->folio_order, got = -1;
	uint64_t start = pg->addr - (pg->pfn - pg->folio_pfn) * PAGE, size = PAGE << order;
	const struct cap_vma *v = replay_vma_of(p, start);
	bool fits = order >= 2 && order <= PMD_ORDER && !(start & (size - 1)) && v &&
		    start + size <= v->end;
	int ret = 0;

	r->rep.folios++;
	if (order && !fits)
		r->rep.order_missed++;
	thp_only(r->sim, fits ? order : 0);
	for (size_t i = 0; !ret && i < n; i++)
		ret = write_page(r, spid, &pg[i], err, len, p->pid);
	thp_only(r->sim, 0);
	if (ret || !fits)
		return ret;
	mmsim_folio_order(r->sim, spid, pg->addr, &got);
	if (got != order)
		r->rep.order_missed++;
	if (n == (size_t)1 << order)
		return 0;
	r->rep.partial_folios++;
	for (uint64_t a = start; a < start + size; a += PAGE)
		if (!replay_find_page(p, a))
			mmsim_madvise(r->sim, spid, a, PAGE, MMSIM_MADV_DONTNEED);
	return 0;
}

/*
 * Under a THP policy: every page not shared by fork, in address order, by
 * the fault path; a page a large folio of an earlier fault covers is only
 * written.
 */
static int fault_pages(struct replay *r, int spid, const struct cap_proc *p, const bool *skip,
		       char *err, size_t len)
{
	for (size_t i = 0; i < p->nr_pages; i++) {
		const struct cap_page *pg = &p->pages[i];

		if ((skip && skip[i]) || !replay_vma_of(p, pg->addr))
			continue;
		if (pg->swap) {
			r->rep.swapped++;
			continue;
		}
		if (write_page(r, spid, pg, err, len, p->pid))
			return -1;
		r->rep.pages++;
	}
	return 0;
}

/* Pages not already shared by fork (skip[i] set), folio by folio. */
static int build_pages(struct replay *r, int spid, const struct cap_proc *p, const bool *skip,
		       char *err, size_t len)
{
	size_t i = 0;

	while (i < p->nr_pages) {
		const struct cap_page *pg = &p->pages[i];
		size_t n = 1;

		if ((skip && skip[i]) || !replay_vma_of(p, pg->addr)) {
			i++;
			continue;
		}
		if (pg->swap) {
			r->rep.swapped++;
			i++;
			continue;
		}
		if (pg->kpageflags & (1ULL << CAP_KPF_KSM))
			r->rep.ksm_pages++;
		while (pg->folio_order && i + n < p->nr_pages && !(skip && skip[i + n]) &&
		       p->pages[i + n].folio_pfn == pg->folio_pfn && !p->pages[i + n].swap &&
		       p->pages[i + n].addr == pg->addr + n * PAGE)
			n++;
		if (build_folio(r, spid, p, pg, n, err, len))
			return -1;
		r->rep.pages += n;
		i += n;
	}
	return 0;
}

/* ---- Processes ------------------------------------------------------------------------ */

static int map_vmas(struct replay *r, int spid, const struct cap_proc *p,
		    const struct cap_proc *parent, char *err, size_t len)
{
	for (size_t i = 0; i < p->nr_vmas; i++) {
		const struct cap_vma *v = &p->vmas[i];
		int ret;

		if (!vma_replayed(v)) {
			r->rep.skipped_vmas++;
			continue;
		}
		if (parent && same_vma(parent, v))
			continue;
		ret = mmsim_mmap(r->sim, spid, v->start, v->end - v->start,
				 MMSIM_PROT_READ | MMSIM_PROT_WRITE);
		if (ret)
			return sim_fail(r, err, len, "mmap", p->pid, v->start, ret);
		r->rep.vmas++;
	}
	return 0;
}

/* The VMA's captured MADV_HUGEPAGE (hg) or MADV_NOHUGEPAGE (nh). */
static int thp_advise(struct replay *r, int spid, const struct cap_vma *v)
{
	unsigned long l = v->end - v->start;
	int ret = 0;

	if (has_flag(v, "hg"))
		ret = mmsim_madvise(r->sim, spid, v->start, l, MMSIM_MADV_HUGEPAGE);
	if (!ret && has_flag(v, "nh"))
		ret = mmsim_madvise(r->sim, spid, v->start, l, MMSIM_MADV_NOHUGEPAGE);
	return ret;
}

/* Under a THP policy the advice comes before the faults, as it did in the process. */
static int thp_advise_all(struct replay *r, int spid, const struct cap_proc *p, char *err,
			  size_t len)
{
	for (size_t i = 0; i < p->nr_vmas; i++) {
		int ret = vma_replayed(&p->vmas[i]) ? thp_advise(r, spid, &p->vmas[i]) : 0;

		if (ret)
			return sim_fail(r, err, len, "madvise", p->pid, p->vmas[i].start, ret);
	}
	return 0;
}

/* After the pages: madvise flags and protections as captured. */
static int vma_flags(struct replay *r, int spid, const struct cap_proc *p, bool merge_any,
		     char *err, size_t len)
{
	for (size_t i = 0; i < p->nr_vmas; i++) {
		const struct cap_vma *v = &p->vmas[i];
		unsigned long l = v->end - v->start;
		int prot = (v->perms[0] == 'r' ? MMSIM_PROT_READ : 0) |
			   (v->perms[1] == 'w' ? MMSIM_PROT_WRITE : 0);
		int ret = 0;

		if (!vma_replayed(v))
			continue;
		ret = thp_advise(r, spid, v);
		if (!ret && !merge_any && has_flag(v, "mg"))
			ret = mmsim_madvise(r->sim, spid, v->start, l, MMSIM_MADV_MERGEABLE);
		if (!ret && prot != (MMSIM_PROT_READ | MMSIM_PROT_WRITE))
			ret = mmsim_mprotect(r->sim, spid, v->start, l, prot);
		if (ret)
			return sim_fail(r, err, len, "madvise/mprotect", p->pid, v->start, ret);
	}
	return 0;
}

/* Is addr in a VMA the parent and the child both have, unchanged? */
static bool same_vma_at(const struct cap_proc *p, const struct cap_proc *parent, uint64_t addr)
{
	const struct cap_vma *v = replay_vma_of(parent, addr);

	return v && same_vma(p, v);
}

/*
 * A forked child: the parent's VMAs the child lacks go, its own come; the
 * parent's pages stay where the child maps the same frame, others go. Under
 * a THP policy (cow) a page the child has in another frame stays too: the
 * child's write copies it as the COW fault would (one small page, Linux
 * 6.18), where a fault in an emptied range could take a large folio.
 */
static int fork_trim(struct replay *r, int spid, const struct cap_proc *p,
		     const struct cap_proc *parent, bool *skip, bool cow)
{
	for (size_t i = 0; i < parent->nr_vmas; i++) {
		const struct cap_vma *v = &parent->vmas[i];

		if (vma_replayed(v) && !same_vma(p, v))
			mmsim_munmap(r->sim, spid, v->start, v->end - v->start);
	}
	for (size_t i = 0; i < parent->nr_pages; i++) {
		const struct cap_page *pp = &parent->pages[i];
		const struct cap_page *cp;

		if (!same_vma_at(p, parent, pp->addr))
			continue;
		cp = replay_find_page(p, pp->addr);
		if (cp && !cp->swap && !pp->swap && cp->pfn == pp->pfn && pp->pfn) {
			skip[cp - p->pages] = true;
			r->rep.fork_shared++;
		} else if (cow && cp && !cp->swap && !pp->swap) {
			r->rep.cow_copies++;
		} else {
			mmsim_madvise(r->sim, spid, pp->addr, PAGE, MMSIM_MADV_DONTNEED);
		}
	}
	return 0;
}

/*
 * Merge-any marks every compatible VMA, yet some have no "mg" in the
 * capture: the stack exec set up before ksm_execve() turned merge-any on
 * (Linux 6.18). Those stay unmergeable here too.
 */
static int unmergeable_as_captured(struct replay *r, int spid, const struct cap_proc *p,
				   char *err, size_t len)
{
	for (size_t i = 0; i < p->nr_vmas; i++) {
		const struct cap_vma *v = &p->vmas[i];
		int ret;

		if (!vma_replayed(v) || has_flag(v, "mg"))
			continue;
		ret = mmsim_madvise(r->sim, spid, v->start, v->end - v->start,
				    MMSIM_MADV_UNMERGEABLE);
		if (ret)
			return sim_fail(r, err, len, "MADV_UNMERGEABLE", p->pid, v->start, ret);
		r->rep.unmergeable_vmas++;
	}
	return 0;
}

static int build_proc(const struct capture *cap, const struct replay_opts *o, struct replay *r,
		      size_t k, char *err, size_t len)
{
	const struct cap_proc *p = &cap->procs[k], *parent = capture_proc(cap, p->ppid);
	int spid, ret;
	bool *skip = NULL, merge_any = p->merge_any || o->mergeable_all;

	if (parent && parent != p) {
		ret = mmsim_fork(r->sim, r->sim_pid[parent - cap->procs], &spid);
		if (ret)
			return sim_fail(r, err, len, "fork", p->pid, 0, ret);
		r->rep.forked++;
		skip = calloc(p->nr_pages + 1, sizeof(*skip));
		if (!skip)
			return sim_fail(r, err, len, "skip", p->pid, 0, -ENOMEM);
		fork_trim(r, spid, p, parent, skip, o->thp != NULL);
	} else {
		parent = NULL;
		ret = mmsim_proc_create(r->sim, &spid);
		if (ret)
			return sim_fail(r, err, len, "process", p->pid, 0, ret);
	}
	r->sim_pid[k] = spid;
	r->rep.procs++;
	r->rep.faulted = o->thp != NULL;
	ret = map_vmas(r, spid, p, parent, err, len);
	if (!ret && o->thp && !(ret = thp_advise_all(r, spid, p, err, len)))
		ret = fault_pages(r, spid, p, skip, err, len);
	else if (!ret)
		ret = build_pages(r, spid, p, skip, err, len);
	if (!ret)
		ret = vma_flags(r, spid, p, merge_any, err, len);
	/* Registered with KSM now, in the capture's order (pids), as at their start. */
	if (!ret && merge_any && (ret = mmsim_prctl_set_memory_merge(r->sim, spid, true)))
		ret = sim_fail(r, err, len, "PR_SET_MEMORY_MERGE", p->pid, 0, ret);
	if (!ret && p->merge_any && !o->mergeable_all)
		ret = unmergeable_as_captured(r, spid, p, err, len);
	free(skip);
	return ret;
}

/* "always [madvise] never" -> its mode; -1 for none. */
int replay_thp_mode(const char *v)
{
	static const char *const names[] = { "never", "always", "madvise", "inherit" };
	const char *b = v ? strchr(v, '[') : NULL;

	for (int i = 0; b && i < 4; i++)
		if (!strncmp(b + 1, names[i], strlen(names[i])) && b[1 + strlen(names[i])] == ']')
			return i;
	return -1;
}

/* The THP modes of a policy, thp[0] the top-level one; -errno. */
static int set_thp(struct mmsim *sim, const enum mmsim_thp_mode *thp)
{
	int ret = mmsim_set_thp(sim, 0, thp[0]);

	for (int o = 2; !ret && o <= PMD_ORDER; o++)
		ret = mmsim_set_thp(sim, PAGE << o, thp[o]);
	return ret;
}

void replay_captured_thp(const struct capture *cap, enum mmsim_thp_mode thp[REPLAY_PMD_ORDER + 1])
{
	int top = replay_thp_mode(capture_setting(cap, "transparent_hugepage/enabled"));

	thp[0] = top >= 0 ? (enum mmsim_thp_mode)top : MMSIM_THP_NEVER;
	thp[1] = MMSIM_THP_NEVER;
	for (int o = 2; o <= PMD_ORDER; o++) {
		char name[96];
		int m;

		snprintf(name, sizeof(name), "transparent_hugepage/hugepages-%lukB/enabled",
			 (PAGE << o) / 1024);
		m = replay_thp_mode(capture_setting(cap, name));
		/* A capture without the file (before 6.8): 2M follows the top-level switch. */
		thp[o] = m >= 0 ? (enum mmsim_thp_mode)m :
			 o == PMD_ORDER ? MMSIM_THP_INHERIT : MMSIM_THP_NEVER;
	}
}

/* The machine's THP and KSM settings, as far as the simulator has them. */
static void apply_settings(const struct capture *cap, const struct replay_opts *o,
			   struct mmsim *sim)
{
	static const char *const ksm[] = { "pages_to_scan", "sleep_millisecs", "max_page_sharing",
					   "use_zero_pages", "smart_scan", "merge_across_nodes" };
	enum mmsim_thp_mode thp[REPLAY_PMD_ORDER + 1];

	replay_captured_thp(cap, thp);
	set_thp(sim, o->thp ? o->thp : thp);
	for (size_t i = 0; i < sizeof(ksm) / sizeof(ksm[0]); i++) {
		char name[64];
		const char *v;

		snprintf(name, sizeof(name), "ksm/%s", ksm[i]);
		v = capture_setting(cap, name);
		if (v)
			mmsim_ksm_set(sim, ksm[i], strtoul(v, NULL, 10));
	}
}

/* Parents before children; otherwise in pid order (the capture's). */
static int build_order(const struct capture *cap, size_t *order)
{
	bool *done = calloc(cap->nr_procs + 1, sizeof(*done));
	size_t n = 0;

	if (!done)
		return -1;
	while (n < cap->nr_procs) {
		size_t before = n;

		for (size_t k = 0; k < cap->nr_procs; k++) {
			const struct cap_proc *parent = capture_proc(cap, cap->procs[k].ppid);

			if (done[k] || (parent && parent != &cap->procs[k] && !done[parent - cap->procs]))
				continue;
			done[k] = true;
			order[n++] = k;
		}
		if (n == before)	/* a cycle of ppids: a corrupt file */
			break;
	}
	free(done);
	return n == cap->nr_procs ? 0 : -1;
}

/* Frames shared in the capture (not KSM's, not the zero page) that are not in the rebuild. */
static void count_unshared(const struct capture *cap, struct replay *r)
{
	for (size_t k = 0; k < cap->nr_procs; k++) {
		const struct cap_proc *p = &cap->procs[k];

		for (size_t i = 0; i < p->nr_pages; i++) {
			const struct cap_page *pg = &p->pages[i];
			uint64_t pm = 0, count = 0;

			if (pg->swap || pg->kpagecount < 2 ||
			    pg->kpageflags & ((1ULL << CAP_KPF_KSM) | (1ULL << CAP_KPF_ZERO_PAGE)))
				continue;
			if (!mmsim_pagemap(r->sim, r->sim_pid[k], pg->addr, &pm) && (pm & MMSIM_PM_PRESENT))
				mmsim_kpagecount(r->sim, pm & MMSIM_PM_PFN_MASK, &count);
			if (count < pg->kpagecount)
				r->rep.other_shared++;
		}
	}
}

int replay_build(const struct capture *cap, const struct replay_opts *o, struct replay *r,
		 char *err, size_t len)
{
	struct mmsim_config cfg = { .seed = 1, .scheme = o->scheme };
	struct mmsim_stats st;
	const char *zero = capture_setting(cap, "transparent_hugepage/use_zero_page");
	unsigned long pages = 0;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	for (size_t k = 0; k < cap->nr_procs; k++)
		pages += cap->procs[k].nr_pages;
	/* Room for every page, whole large folios around them, and page tables. */
	cfg.nr_frames = o->nr_frames ? o->nr_frames : 2 * pages + 65536;
	cfg.verify_every_step = o->verify;
	r->sim_pid = calloc(cap->nr_procs + 1, sizeof(*r->sim_pid));
	r->order = calloc(cap->nr_procs + 1, sizeof(*r->order));
	r->faults = calloc(cap->nr_procs + 1, sizeof(*r->faults));
	r->page_tables = calloc(cap->nr_procs + 1, sizeof(*r->page_tables));
	if (!r->sim_pid || !r->order || !r->faults || !r->page_tables) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	if (mmsim_config_check(&cfg, err, len))
		return -1;
	ret = mmsim_create(&cfg, &r->sim);
	if (ret) {
		snprintf(err, len, "cannot create a simulator of %lu frames: %s", cfg.nr_frames,
			 strerror(-ret));
		return -1;
	}
	mmsim_get_stats(r->sim, &st);
	r->frames_at_start = st.nr_frames - st.nr_free_frames;
	if (build_order(cap, r->order)) {
		snprintf(err, len, "corrupt capture: the processes' parents form a cycle");
		return -1;
	}
	if (zero)
		mmsim_set_thp_use_zero_page(r->sim, strtoul(zero, NULL, 10) != 0);
	if (o->thp && (ret = set_thp(r->sim, o->thp))) {
		snprintf(err, len, "THP policy: %s", mmsim_last_error(r->sim));
		return -1;
	}
	if (!o->thp) {
		mmsim_set_thp(r->sim, 0, MMSIM_THP_NEVER);
		thp_only(r->sim, 0);
	}
	for (size_t i = 0; !ret && i < cap->nr_procs; i++) {
		struct mmsim_stats before, after;

		mmsim_get_stats(r->sim, &before);
		ret = build_proc(cap, o, r, r->order[i], err, len);
		mmsim_get_stats(r->sim, &after);
		r->faults[r->order[i]] = after.faults - before.faults;
		/* A fork copies the parent's tables: the child's, and what it faulted more. */
		r->page_tables[r->order[i]] = after.nr_page_tables - before.nr_page_tables;
	}
	if (ret)
		return ret;
	apply_settings(cap, o, r->sim);
	count_unshared(cap, r);
	return 0;
}

int replay_apply_write(const struct capture *cap, struct replay *r, const struct cap_write *w)
{
	const struct cap_proc *p = capture_proc(cap, w->pid);
	unsigned char buf[PAGE];
	int spid;

	if (!p || !replay_vma_of(p, w->addr))
		return 0;
	spid = r->sim_pid[p - cap->procs];
	if (!w->present)
		return mmsim_madvise(r->sim, spid, w->addr, PAGE, MMSIM_MADV_DONTNEED);
	replay_contents(&w->fp, buf);
	/* Read-only in the capture: writable for the write, as the process made it so. */
	if (mmsim_write(r->sim, spid, w->addr, buf, PAGE)) {
		mmsim_mprotect(r->sim, spid, w->addr, PAGE, MMSIM_PROT_READ | MMSIM_PROT_WRITE);
		return mmsim_write(r->sim, spid, w->addr, buf, PAGE);
	}
	return 0;
}

void replay_print_report(FILE *out, const struct replay_report *rep)
{
	fprintf(out, "# rebuilt: %lu processes (%lu forked from their captured parent), %lu VMAs, ",
		rep->procs, rep->forked, rep->vmas);
	if (rep->faulted)
		fprintf(out, "%lu pages faulted in under a THP policy\n", rep->pages);
	else
		fprintf(out, "%lu pages in %lu folios\n", rep->pages, rep->folios);
	fprintf(out, "# shared by fork as captured: %lu pages; zero-page mappings: %lu\n",
		rep->fork_shared, rep->zero_pages);
	if (rep->cow_copies)
		fprintf(out, "# copied on write after the fork (the child's page in another frame): "
			"%lu pages\n", rep->cow_copies);
	if (rep->ksm_pages)
		fprintf(out, "# approximated: %lu KSM pages of the capture rebuilt unmerged, with "
			"their contents (ksmd merges them again)\n", rep->ksm_pages);
	if (rep->other_shared)
		fprintf(out, "# approximated: %lu pages whose frame was shared (kpagecount > 1) with "
			"a process that is not their captured parent or child (or not captured): "
			"rebuilt as own copies\n", rep->other_shared);
	if (rep->swapped)
		fprintf(out, "# not rebuilt: %lu pages on swap in the capture\n", rep->swapped);
	if (rep->no_fingerprint)
		fprintf(out, "# approximated: %lu pages without a fingerprint, zero-filled\n",
			rep->no_fingerprint);
	if (rep->order_missed)
		fprintf(out, "# approximated: %lu large folios not rebuilt at their order "
			"(unaligned or outside one VMA)\n", rep->order_missed);
	if (rep->partial_folios)
		fprintf(out, "# %lu large folios mapped in part, as captured\n", rep->partial_folios);
	if (rep->unmergeable_vmas)
		fprintf(out, "# %lu VMAs of merge-any processes were not mergeable in the capture "
			"(no mg flag, e.g. the stack): MADV_UNMERGEABLE\n", rep->unmergeable_vmas);
	if (rep->skipped_vmas)
		fprintf(out, "# not rebuilt: %lu shared or special mappings (no anonymous pages "
			"KSM could merge)\n", rep->skipped_vmas);
}

/* ---- --check ---------------------------------------------------------------------------- */

static unsigned long check_field(FILE *out, int pid, const char *name, long replayed,
				 long captured)
{
	if (replayed == captured)
		return 0;
	fprintf(out, "process %d: %s: replay %ld kB, capture %ld kB\n", pid, name, replayed,
		captured);
	return 1;
}

/*
 * The process's totals against smaps_rollup's: the simulator's VMAs merge
 * where the capture's were separate files, so the comparison is per process.
 * Every page it maps is anonymous: its Rss is the capture's Anonymous.
 */
static unsigned long check_totals(const struct cap_proc *p, struct replay *r, int spid, FILE *out)
{
	struct mmsim_smaps s = { 0 };
	unsigned long bad = 0;

	if (mmsim_smaps(r->sim, spid, 0, 1UL << 47, &s))
		return 1;
	bad += check_field(out, p->pid, "Rss (anonymous)", (long)s.rss, p->anonymous_kb);
	bad += check_field(out, p->pid, "Pss_Anon", (long)s.pss, p->pss_anon_kb);
	bad += check_field(out, p->pid, "AnonHugePages", (long)s.anon_huge_pages, p->anon_huge_kb);
	return bad;
}

static unsigned long check_pages(const struct cap_proc *p, struct replay *r, int spid, FILE *out,
				 unsigned long *ksm)
{
	unsigned long bad = 0;

	for (size_t i = 0; i < p->nr_pages; i++) {
		const struct cap_page *pg = &p->pages[i];
		uint64_t pm = 0, count = 0;
		int order = -1;

		if (pg->swap || !replay_vma_of(p, pg->addr))
			continue;
		if (pg->kpageflags & (1ULL << CAP_KPF_KSM)) {
			(*ksm)++;
			continue;
		}
		mmsim_pagemap(r->sim, spid, pg->addr, &pm);
		if (pm & MMSIM_PM_PRESENT)
			mmsim_kpagecount(r->sim, pm & MMSIM_PM_PFN_MASK, &count);
		mmsim_folio_order(r->sim, spid, pg->addr, &order);
		if (pg->kpageflags & (1ULL << CAP_KPF_ZERO_PAGE))
			order = 0;	/* kpagecount of the zero page is not a mapping count */
		else if (!pg->pfn && (pm & MMSIM_PM_PRESENT))
			continue;	/* captured without root: present is all we know */
		else if (count == pg->kpagecount && order == pg->folio_order)
			continue;
		else if (bad++ < 20)
			fprintf(out, "process %d, page %#llx: kpagecount replay %llu capture %llu, "
				"folio order replay %d capture %d\n", p->pid,
				(unsigned long long)pg->addr, (unsigned long long)count,
				(unsigned long long)pg->kpagecount, order, pg->folio_order);
	}
	return bad;
}

unsigned long replay_check(const struct capture *cap, struct replay *r, FILE *out)
{
	unsigned long bad_vma = 0, bad_page = 0, ksm = 0, pages = 0;

	for (size_t k = 0; k < cap->nr_procs; k++) {
		const struct cap_proc *p = &cap->procs[k];

		bad_vma += check_totals(p, r, r->sim_pid[k], out);
		bad_page += check_pages(p, r, r->sim_pid[k], out, &ksm);
		pages += p->nr_pages;
	}
	fprintf(out, "# check: %lu process totals and %lu of %lu pages differ from the capture", bad_vma,
		bad_page, pages);
	if (ksm)
		fprintf(out, " (%lu KSM pages not compared: rebuilt unmerged)", ksm);
	fprintf(out, "\n");
	return bad_vma + bad_page;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o = { 0 };
	struct capture cap;
	struct replay r;
	const char *file = NULL;
	bool check = false;
	char err[512];
	int status = 0;

	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		printf("usage: mmsim replay FILE [--check] [--mergeable-all]\n\n"
		       "Rebuilds a capture (mmsim capture) in the simulator and says what could not\n"
		       "be rebuilt exactly. --check compares each process's Rss, Pss_Anon and\n"
		       "AnonHugePages and each page's kpagecount and folio order with the capture\n"
		       "(exit 1 when any differs).\n");
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--mergeable-all"))
			o.mergeable_all = true;
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			file = NULL, argc = -1;
	}
	if (!file || argc < 0) {
		fprintf(stderr, "usage: mmsim replay FILE [--check]\n");
		return 2;
	}
	if (capture_load(file, &cap, err, sizeof(err))) {
		fprintf(stderr, "mmsim replay: %s\n", err);
		return 2;
	}
	if (replay_build(&cap, &o, &r, err, sizeof(err))) {
		fprintf(stderr, "mmsim replay: %s\n", err);
		status = 2;
	} else {
		printf("# %s: %zu processes captured on Linux %s at %s\n", file, cap.nr_procs,
		       cap.kernel, cap.captured_at);
		replay_print_report(stdout, &r.rep);
		if (check && replay_check(&cap, &r, stdout))
			status = 1;
	}
	replay_free(&r);
	capture_free(&cap);
	return status;
}
