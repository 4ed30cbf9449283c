// SPDX-License-Identifier: MIT
/*
 * KSM as userspace sees it, after the sysfs half of mm/ksm.c and
 * fs/proc/base.c's ksm_stat (6.18): the tunables with the kernel's errors
 * (the scan-time advisor's among them), the counters, /proc/PID/ksm_stat;
 * and the invariant checker's part for KSM, which recounts every counter
 * from the trees and lists.
 */
#include "ksm_internal.h"

#include <limits.h>
#include <string.h>

#include "page_alloc.h"
#include "vma.h"

/* ---- Tunables ------------------------------------------------------------------------ */

int ksm_set_run(struct mmsim *sim, unsigned long run)
{
	int err;

	if (run > KSM_RUN_UNMERGE)
		return -EINVAL;
	if (sim->ksm->run == run)
		return 0;
	sim->ksm->run = run;
	if (run & KSM_RUN_UNMERGE) {
		err = unmerge_and_remove_all_rmap_items(sim);
		if (err) {
			sim->ksm->run = KSM_RUN_STOP;
			return err;
		}
	}
	return 0;
}

/* Knobs that reshape the stable tree may change only while no KSM page exists. */
static int stable_tree_busy(struct mmsim *sim)
{
	return sim->ksm->pages_shared || remove_all_stable_nodes(sim) ? -EBUSY : 0;
}

static int set_max_page_sharing(struct mmsim *sim, unsigned long value)
{
	int err;

	if (value > INT_MAX)
		return -ERANGE;		/* kstrtoint() */
	/* A new KSM page is shared by two mappings at once. */
	if (value < 2)
		return -EINVAL;
	if ((unsigned long)sim->ksm->max_page_sharing == value)
		return 0;
	err = stable_tree_busy(sim);
	if (!err)
		sim->ksm->max_page_sharing = (int)value;
	return err;
}

static int set_merge_across_nodes(struct mmsim *sim, unsigned long value)
{
	int err;

	if (value > 1)
		return -EINVAL;
	if (sim->ksm->merge_across_nodes == (value == 1))
		return 0;
	err = stable_tree_busy(sim);
	if (!err)
		sim->ksm->merge_across_nodes = value == 1;	/* one node: nothing else changes */
	return err;
}

/*
 * Seed 003's `ksm rmap_walk=`, not a Linux knob: each variant keeps its own
 * bookkeeping in the items it merges, so it changes only while none is.
 */
static int set_rmap_walk(struct mmsim *sim, unsigned long value)
{
	int err;

	if (value > MMSIM_KSM_RMAP_WALK_REMAPPED)
		return -EINVAL;
	if (sim->ksm->rmap_walk == value)
		return 0;
	err = stable_tree_busy(sim);
	if (err)
		return sim_error(sim, err, "ksm: rmap_walk changes only while no KSM page exists");
	sim->ksm->rmap_walk = (enum mmsim_ksm_rmap_walk)value;
	return 0;
}

/* kstrtouint() and kstrtobool() of the plain knobs. */
static int set_uint(unsigned int *knob, unsigned long value)
{
	if (value > UINT_MAX)
		return -EINVAL;
	*knob = (unsigned int)value;
	return 0;
}

static int set_bool(bool *knob, unsigned long value)
{
	if (value > 1)
		return -EINVAL;
	*knob = value == 1;
	return 0;
}

/* Not in Linux: `ksm skip=` (seed 000), the scan's step over large folios. */
_Static_assert(MMSIM_KSM_SKIP_NONE == (int)KSM_SKIP_NONE &&
	       MMSIM_KSM_SKIP_COMPOUND == (int)KSM_SKIP_COMPOUND &&
	       MMSIM_KSM_SKIP_BATCH == (int)KSM_SKIP_BATCH, "public and internal skip policies");
static int set_skip_policy(struct mmsim *sim, unsigned long value)
{
	if (value > KSM_SKIP_BATCH)
		return sim_error(sim, -EINVAL, "ksm: skip takes none (0), compound (1) or batch (2)");
	sim->ksm->skip_policy = (enum ksm_skip_policy)value;
	return 0;
}

_Static_assert(MMSIM_KSM_ADVISOR_NONE == (int)KSM_ADVISOR_NONE &&
	       MMSIM_KSM_ADVISOR_SCAN_TIME == (int)KSM_ADVISOR_SCAN_TIME, "public and internal advisor modes");

/* pages_to_scan_store(): while the advisor is on, pages_to_scan is its own. */
static int set_pages_to_scan(struct mmsim *sim, unsigned long value)
{
	if (sim->ksm->advisor != KSM_ADVISOR_NONE)
		return sim_error(sim, -EINVAL, "ksm: pages_to_scan cannot be written while "
				 "advisor_mode is scan-time (the advisor sets it)");
	return set_uint(&sim->ksm->pages_to_scan, value);
}

/* The advisor's files (6.7+). */
static bool is_advisor_knob(const char *key)
{
	static const char *const knobs[] = { "advisor_mode", "advisor_max_cpu",
		"advisor_min_pages_to_scan", "advisor_max_pages_to_scan", "advisor_target_scan_time" };

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!strcmp(key, knobs[i]))
			return true;
	return false;
}

/*
 * The advisor's limits (advisor_*_store(), 6.7+): kstrtoul() takes any
 * unsigned long; advisor_max_cpu keeps its low 32 bits, as the kernel's
 * unsigned int does, and a target scan time of 0 is refused. None of them
 * changes pages_to_scan now: the advisor reads them after the next scan
 * (advisor_min_pages_to_scan only when the mode is next switched on).
 */
static int set_advisor_knob(struct mmsim *sim, const char *key, unsigned long value)
{
	struct ksm_state *ksm = sim->ksm;

	if (!sim->profile->ksm_advisor)
		return sim_error(sim, -EOPNOTSUPP, "Linux %s has no %s (Linux 6.7+)",
				 sim->profile->version, key);
	if (!strcmp(key, "advisor_mode"))
		return ksm_set_advisor_mode(sim, value);
	if (!strcmp(key, "advisor_max_cpu"))
		ksm->advisor_max_cpu = (unsigned int)value;
	else if (!strcmp(key, "advisor_min_pages_to_scan"))
		ksm->advisor_min_pages_to_scan = value;
	else if (!strcmp(key, "advisor_max_pages_to_scan"))
		ksm->advisor_max_pages_to_scan = value;
	else if (!value)
		return sim_error(sim, -EINVAL, "ksm: advisor_target_scan_time must be at least 1 "
				 "(second)");
	else
		ksm->advisor_target_scan_time = value;
	return 0;
}

/* Not in Linux: ksmd's CPU model (per-page costs, runtime so far) and its timer's HZ. */
static int set_ksmd_cpu(struct mmsim *sim, const char *key, unsigned long value)
{
	struct ksm_state *ksm = sim->ksm;

	if (!strcmp(key, "cpu_ns_new"))
		ksm->cpu_ns_new = value;
	else if (!strcmp(key, "cpu_ns_compared"))
		ksm->cpu_ns_compared = value;
	else if (!strcmp(key, "cpu_ns_skipped"))
		ksm->cpu_ns_skipped = value;
	else if (!strcmp(key, "ksmd_cpu_ns"))
		ksm->ksmd_cpu_ns = value;
	else if (!strcmp(key, "hz") && value > 100000)
		return sim_error(sim, -EINVAL, "ksm: hz is a CONFIG_HZ, up to 100000 (0: none)");
	else if (!strcmp(key, "hz"))
		ksm->hz = (unsigned int)value;
	else
		return sim_error(sim, -EINVAL, "ksm: no tunable %s", key);
	return 0;
}

int ksm_set_tunable(struct mmsim *sim, const char *key, unsigned long value)
{
	struct ksm_state *ksm = sim->ksm;

	if (!strcmp(key, "pages_to_scan"))
		return set_pages_to_scan(sim, value);
	if (is_advisor_knob(key))
		return set_advisor_knob(sim, key, value);
	if (!strncmp(key, "cpu_ns_", 7) || !strcmp(key, "ksmd_cpu_ns") || !strcmp(key, "hz"))
		return set_ksmd_cpu(sim, key, value);
	if (!strcmp(key, "sleep_millisecs"))
		return set_uint(&ksm->sleep_millisecs, value);
	if (!strcmp(key, "stable_node_chains_prune_millisecs"))
		return set_uint(&ksm->stable_node_chains_prune_millisecs, value);
	if (!strcmp(key, "use_zero_pages"))
		return set_bool(&ksm->use_zero_pages, value);
	if (!strcmp(key, "smart_scan")) {
		if (!sim->profile->ksm_smart_scan)
			return sim_error(sim, -EOPNOTSUPP, "Linux %s has no smart_scan (Linux 6.7+)",
					 sim->profile->version);
		return set_bool(&ksm->smart_scan, value);
	}
	if (!strcmp(key, "max_page_sharing"))
		return set_max_page_sharing(sim, value);
	if (!strcmp(key, "merge_across_nodes"))
		return set_merge_across_nodes(sim, value);
	if (!strcmp(key, "run"))
		return ksm_set_run(sim, value);
	if (!strcmp(key, "rmap_walk"))
		return set_rmap_walk(sim, value);
	if (!strcmp(key, "skip"))
		return set_skip_policy(sim, value);
	return sim_error(sim, -EINVAL, "ksm: no tunable %s", key);
}

/*
 * The files of /sys/kernel/mm/ksm/ that take a value, then mmsim's own
 * switches, for mmsim_ksm_tunable(): one list the front ends read instead
 * of repeating it.
 */
static const struct tunable_doc ksm_tunables[] = {
	{ "run", "0 stop, 1 run, 2 stop and unmerge every KSM page" },
	{ "pages_to_scan", "pages ksmd scans in a batch (default 100)" },
	{ "sleep_millisecs", "ksmd's sleep between batches, ms (default 20)" },
	{ "max_page_sharing", "mappings of one KSM page before a chain starts (default 256, at least 2)" },
	{ "merge_across_nodes", "merge pages of different NUMA nodes (default 1; one node here)" },
	{ "use_zero_pages", "merge empty pages with the zero page (default 0)" },
	{ "smart_scan", "skip pages that did not merge in earlier passes (6.7+, default 1)" },
	{ "stable_node_chains_prune_millisecs", "how often chains are pruned, ms (default 2000)" },
	{ "advisor_mode", "0 none, 1 scan-time: pages_to_scan follows the target (6.7+)" },
	{ "advisor_max_cpu", "the scan-time advisor's CPU limit, percent (default 70)" },
	{ "advisor_min_pages_to_scan", "its lower limit of pages_to_scan (default 500)" },
	{ "advisor_max_pages_to_scan", "its upper limit of pages_to_scan (default 30000)" },
	{ "advisor_target_scan_time", "its target for a full pass, seconds (default 200)" },
	{ "skip", "not Linux (seed 000): how the scan steps over large folios" },
	{ "rmap_walk", "not Linux (seed 003): the page offsets rmap_walk_ksm() searches" },
	{ "hz", "not Linux: a CONFIG_HZ that times ksmd's sleeps in whole jiffies (default 0: none)" },
	{ "cpu_ns_new", "not Linux: ksmd's CPU per page seen the first time, ns (default 0)" },
	{ "cpu_ns_compared", "not Linux: ksmd's CPU per page checksummed and searched, ns (default 0)" },
	{ "cpu_ns_skipped", "not Linux: ksmd's CPU per page smart_scan skipped, ns (default 0)" },
	{ "ksmd_cpu_ns", "not Linux: ksmd's runtime so far, ns, which the advisor counts" },
};

const char *mmsim_ksm_tunable(int i, const char **description)
{
	return tunable_doc_at(ksm_tunables, sizeof(ksm_tunables) / sizeof(ksm_tunables[0]), i,
			      description);
}

int mmsim_ksm_mm_slot(struct mmsim *sim, int i, struct mmsim_ksm_slot_info *out)
{
	struct ksm_mm_slot *slot;

	API_ENTER(sim);
	list_for_each_entry(slot, &sim->ksm->mm_head, mm_node) {
		if (i-- > 0)
			continue;
		out->pid = slot->mm->pid;
		out->exited = slot->mm->exited;
		out->rmap_items = slot->mm->ksm_rmap_items;
		return 0;
	}
	return sim_error(sim, -ENOENT, "KSM's scan list has fewer mms");
}

/* ---- Counters and ksm_stat ----------------------------------------------------------------- */

/* pages_volatile: what is neither shared, sharing nor unshared; never shown negative. */
static long pages_volatile(const struct ksm_state *ksm)
{
	long v = (long)ksm->rmap_items - (long)ksm->pages_shared - (long)ksm->pages_sharing -
		 (long)ksm->pages_unshared;

	return v < 0 ? 0 : v;
}

static long general_profit(const struct ksm_state *ksm)
{
	return ((long)ksm->pages_sharing + ksm->zero_pages) * (long)PAGE_SIZE -
	       (long)ksm->rmap_items * (long)sizeof(struct ksm_rmap_item);
}

/* A file of /sys/kernel/mm/ksm or a line of /proc/PID/ksm_stat, and whether the version has it. */
struct ksm_file {
	const char *name;
	long value;
	bool present;
};

static int ksm_file_read(struct mmsim *sim, const struct ksm_file *files, size_t nr,
			 const char *where, const char *name, long *value)
{
	for (size_t i = 0; i < nr; i++) {
		if (strcmp(files[i].name, name))
			continue;
		if (!files[i].present)
			return sim_error(sim, -EOPNOTSUPP, "Linux %s has no %s%s",
					 sim->profile->version, where, name);
		*value = files[i].value;
		return 0;
	}
	return sim_error(sim, -EINVAL, "no %s%s", where, name);
}

int ksm_read_counter(struct mmsim *sim, const char *name, long *value)
{
	const struct ksm_state *ksm = sim->ksm;
	const struct kernel_profile *p = sim->profile;
	const struct ksm_file counters[] = {
		{ "pages_shared", (long)ksm->pages_shared, true },
		{ "pages_sharing", (long)ksm->pages_sharing, true },
		{ "pages_unshared", (long)ksm->pages_unshared, true },
		{ "pages_volatile", pages_volatile(ksm), true },
		{ "pages_scanned", (long)ksm->pages_scanned, p->ksm_profit },
		{ "pages_skipped", (long)ksm->pages_skipped, p->ksm_smart_scan },
		{ "full_scans", (long)ksm->scan.seqnr, true },
		{ "stable_node_chains", (long)ksm->stable_node_chains, true },
		{ "stable_node_dups", (long)ksm->stable_node_dups, true },
		{ "ksm_zero_pages", ksm->zero_pages, p->ksm_zero_pages },
		{ "general_profit", general_profit(ksm), p->ksm_profit },
		{ "pages_to_scan", (long)ksm->pages_to_scan, true },
		{ "sleep_millisecs", (long)ksm->sleep_millisecs, true },
		{ "max_page_sharing", (long)ksm->max_page_sharing, true },
		{ "stable_node_chains_prune_millisecs", (long)ksm->stable_node_chains_prune_millisecs,
		  true },
		{ "use_zero_pages", ksm->use_zero_pages, true },
		{ "smart_scan", ksm->smart_scan, p->ksm_smart_scan },
		{ "merge_across_nodes", ksm->merge_across_nodes, true },
		{ "run", (long)ksm->run, true },
		{ "advisor_mode", (long)ksm->advisor, p->ksm_advisor },
		{ "advisor_max_cpu", (long)ksm->advisor_max_cpu, p->ksm_advisor },
		{ "advisor_min_pages_to_scan", (long)ksm->advisor_min_pages_to_scan, p->ksm_advisor },
		{ "advisor_max_pages_to_scan", (long)ksm->advisor_max_pages_to_scan, p->ksm_advisor },
		{ "advisor_target_scan_time", (long)ksm->advisor_target_scan_time, p->ksm_advisor },
		/* Not in Linux: the seed experiments' switches and counts (struct ksm_state). */
		{ "rmap_walk", (long)ksm->rmap_walk, true },
		{ "skip", (long)ksm->skip_policy, true },
		{ "pages_jumped", (long)ksm->pages_jumped, true },
		{ "pages_jumped_other", (long)ksm->pages_jumped_other, true },
		{ "tail_pages_found", (long)ksm->tail_pages_found, true },
		{ "checksums", (long)ksm->checksums, true },
		{ "rmap_items_created", (long)ksm->rmap_items_created, true },
		{ "cpu_ns_new", (long)ksm->cpu_ns_new, true },
		{ "cpu_ns_compared", (long)ksm->cpu_ns_compared, true },
		{ "cpu_ns_skipped", (long)ksm->cpu_ns_skipped, true },
		{ "ksmd_cpu_ns", (long)ksm->ksmd_cpu_ns, true },
		{ "hz", (long)ksm->hz, true },
		{ "ksmd_clock_ms", (long)(ksm_ktime_ns(sim) / 1000000), true },
	};

	return ksm_file_read(sim, counters, sizeof(counters) / sizeof(counters[0]),
			     "/sys/kernel/mm/ksm/", name, value);
}

/* ksm_process_mergeable(): does any VMA have VM_MERGEABLE now? */
static bool ksm_process_mergeable(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	for_each_vma(mm, vma)
		if (vma->vm_flags & VM_MERGEABLE)
			return true;
	return false;
}

int ksm_read_stat(struct mmsim *sim, struct mm_struct *mm, const char *name, long *value)
{
	long profit = (mm->ksm_merging_pages + mm->ksm_zero_pages) * (long)PAGE_SIZE -
		      mm->ksm_rmap_items * (long)sizeof(struct ksm_rmap_item);
	const struct kernel_profile *p = sim->profile;
	const struct ksm_file fields[] = {
		{ "ksm_rmap_items", mm->ksm_rmap_items + mm->ksm_rmap_items_inherited, true },
		{ "ksm_zero_pages", mm->ksm_zero_pages, p->ksm_zero_pages },
		{ "ksm_merging_pages", mm->ksm_merging_pages + mm->ksm_merging_pages_inherited,
		  p->ksm_profit },
		{ "ksm_process_profit", profit, p->ksm_profit },
		{ "ksm_merge_any", !!(mm->flags & MMF_VM_MERGE_ANY), p->ksm_stat_merge_flags },
		{ "ksm_mergeable", ksm_process_mergeable(mm), p->ksm_stat_merge_flags },
	};

	return ksm_file_read(sim, fields, sizeof(fields) / sizeof(fields[0]),
			     "/proc/PID/ksm_stat's ", name, value);
}

/* ---- The checker's part ----------------------------------------------------------------------- */

/* What the recount found. */
struct ksm_recount {
	unsigned long shared, sharing, unshared, chains, dups, items;
	struct reached *reached;	/* the rmap walks' hits, node by node */
};

#define BAD(sim, ...) sim_error((sim), -EUCLEAN, "ksm: " __VA_ARGS__)

/*
 * What one rmap_walk_ksm() of a node's folio reaches, in its order: first
 * the items' own mappings in the order of the node's items, then forks'.
 * Each item looks for its own mapping at the cursor first; only an item
 * found elsewhere (or not at all) sorts the PTEs once and searches them.
 * The arrays serve every node of one check (no allocation per node).
 */
struct reached_pte {
	pte_t *pte;
	struct vm_area_struct *vma;
	unsigned long address;
};

struct reached {
	struct reached_pte *hits;
	pte_t **sorted;			/* hits' PTEs, sorted, when an item needed them */
	size_t nr, cap, cursor;
	bool is_sorted, failed;
};

static bool collect_pte(struct mmsim *sim, struct folio *folio, const struct rmap_hit *hit,
			void *arg)
{
	struct reached *r = arg;

	(void)sim;
	(void)folio;
	if (r->nr == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct reached_pte *n = realloc(r->hits, cap * sizeof(*n));
		pte_t **sorted = realloc(r->sorted, cap * sizeof(*sorted));

		if (sorted)
			r->sorted = sorted;
		if (n)
			r->hits = n;
		if (!n || !sorted) {
			r->failed = true;
			return false;
		}
		r->cap = cap;
	}
	r->hits[r->nr++] = (struct reached_pte){ hit->pte, hit->vma, hit->address };
	return true;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(pte_t *const *)a, y = (uintptr_t)*(pte_t *const *)b;

	return (x > y) - (x < y);
}

static bool reached(struct reached *r, pte_t *pte)
{
	if (!r->nr)
		return false;	/* bsearch() wants an array */
	if (!r->is_sorted) {
		for (size_t i = 0; i < r->nr; i++)
			r->sorted[i] = r->hits[i].pte;
		qsort(r->sorted, r->nr, sizeof(*r->sorted), cmp_ptr);
		r->is_sorted = true;
	}
	return bsearch(&pte, r->sorted, r->nr, sizeof(*r->sorted), cmp_ptr) != NULL;
}

/*
 * Seed 003's bookkeeping, where the item's address maps the node's folio
 * in vma: the page offset there must be the saved pgoff or, without the
 * remapped bit, address >> PAGE_SHIFT; else that variant's walk would miss
 * the page.
 */
static int check_item_range(struct mmsim *sim, struct ksm_rmap_item *rmap_item,
			    struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long pgoff = linear_page_index(vma, addr);

	if (sim->ksm->rmap_walk == MMSIM_KSM_RMAP_WALK_PGOFF && rmap_item->pgoff != pgoff)
		return BAD(sim, "pid %d at %#lx: page offset %#lx, the item saved %#lx",
			   rmap_item->mm->pid, addr, pgoff, rmap_item->pgoff);
	if (sim->ksm->rmap_walk == MMSIM_KSM_RMAP_WALK_REMAPPED &&
	    !(rmap_item->address & REMAPPED_FLAG) && pgoff != addr >> PAGE_SHIFT)
		return BAD(sim, "pid %d at %#lx: page offset %#lx, the item is not marked remapped",
			   rmap_item->mm->pid, addr, pgoff);
	return 0;
}

/*
 * An item of a live mm whose address maps the node's folio must be reached
 * by rmap_walk_ksm(): by Linux's full-range walk, whatever `ksm rmap_walk=`
 * is in force (a narrowed walk that misses it is what seed 003 is about, not
 * a broken model).
 */
static int check_item_reachable(struct mmsim *sim, struct folio *folio,
				struct ksm_rmap_item *rmap_item, struct reached *r)
{
	unsigned long addr = rmap_item->address & PAGE_MASK;
	const struct reached_pte *next = r->cursor < r->nr ? &r->hits[r->cursor] : NULL;
	pte_t *want;
	pmd_t *pmd;

	if (rmap_item->mm->exited)
		return 0;
	/*
	 * The hit at the cursor is the item's own mapping: the walk found the
	 * PTE at the item's address in the item's mm mapping the folio, which
	 * is what the lookup below would find (the VMA covering the address).
	 */
	if (next && next->vma->vm_mm == rmap_item->mm && next->address == addr) {
		r->cursor++;
		return check_item_range(sim, rmap_item, next->vma, addr);
	}
	pmd = pmd_lookup(sim, rmap_item->mm, addr);
	if (!pmd || !pmd_table(*pmd))
		return 0;
	want = pte_offset(sim, pmd, addr);
	if (!pte_present(*want) || pte_special(*want) || pte_pfn(*want) != folio_pfn(folio))
		return 0;
	if (!reached(r, want))
		return BAD(sim, "pid %d at %#lx maps KSM page %#lx but rmap_walk_ksm misses it",
			   rmap_item->mm->pid, addr, folio_pfn(folio));
	return check_item_range(sim, rmap_item, vma_lookup(rmap_item->mm, addr), addr);
}

/* Every item of a live node is reached by the node's rmap walk. */
static int check_items_reachable(struct mmsim *sim, struct ksm_stable_node *node,
				 struct folio *folio, struct reached *r)
{
	struct ksm_rmap_item *rmap_item;
	int err = 0;

	r->nr = r->cursor = 0;
	r->is_sorted = false;
	rmap_walk_ksm_range(sim, folio, MMSIM_KSM_RMAP_WALK_FULL, NULL, collect_pte, r);
	if (r->failed)
		return -ENOMEM;
	list_for_each_entry(rmap_item, &node->hlist, hlist) {
		err = check_item_reachable(sim, folio, rmap_item, r);
		if (err)
			break;
	}
	return err;
}

/* One plain node or dup: its items, their counts, and the way back from its folio. */
static int check_stable_node(struct mmsim *sim, struct ksm_stable_node *node,
			     struct ksm_recount *rc)
{
	struct folio *folio = page_folio(pfn_to_page(sim, node->kpfn));
	struct ksm_rmap_item *rmap_item;
	int len = 0;

	node->verify_gen = sim->ksm->verify_gen;
	list_for_each_entry(rmap_item, &node->hlist, hlist) {
		if (!(rmap_item->address & STABLE_FLAG) || rmap_item->head != node)
			return BAD(sim, "item %#lx on a stable node is not stable",
				   rmap_item->address);
		len++;
	}
	if (len != node->rmap_hlist_len)
		return BAD(sim, "node of %#lx: %d items, rmap_hlist_len %d", node->kpfn, len,
			   node->rmap_hlist_len);
	if (len) {
		rc->shared++;
		rc->sharing += (unsigned long)len - 1;
	}
	if (node->stale != (!folio || folio_stable_node(folio) != node))
		return BAD(sim, "node of %#lx: stale mark %d, but its folio says otherwise",
			   node->kpfn, node->stale);
	if (node->stale)
		return 0;	/* pruned when next met */
	return check_items_reachable(sim, node, folio, rc->reached);
}

static int check_stable_tree(struct mmsim *sim, struct ksm_recount *rc)
{
	unsigned int candidates, stale;
	struct rb_node *rb;
	int err;

	if (rb_check(&sim->ksm->root_stable_tree, NULL))
		return BAD(sim, "the stable tree is no valid rbtree");
	for (rb = rb_first(&sim->ksm->root_stable_tree); rb; rb = rb_next(rb)) {
		struct ksm_stable_node *node = rb_entry(rb, struct ksm_stable_node, node), *dup;

		if (node->chain)
			return BAD(sim, "a dup sits in the stable tree");
		if (node->rmap_hlist_len != STABLE_NODE_CHAIN) {
			err = check_stable_node(sim, node, rc);
			if (err)
				return err;
			continue;
		}
		rc->chains++;
		candidates = stale = 0;
		list_for_each_entry(dup, &node->hlist, hlist_dup) {
			if (dup->chain != node)
				return BAD(sim, "dup of %#lx points to another chain", dup->kpfn);
			rc->dups++;
			err = check_stable_node(sim, dup, rc);
			if (err)
				return err;
			candidates += dup->rmap_hlist_len &&
				      dup->rmap_hlist_len < sim->ksm->max_page_sharing;
			stale += dup->stale;
		}
		if (candidates != node->nr_candidates || stale != node->nr_stale)
			return BAD(sim, "chain keeps %u candidates and %u stale dups, recount %u and %u",
				   node->nr_candidates, node->nr_stale, candidates, stale);
	}
	return 0;
}

/* One slot: its list sorted, its per-mm counters, its items' flags. */
static int check_mm_slot(struct mmsim *sim, struct ksm_mm_slot *slot, struct ksm_recount *rc)
{
	struct mm_struct *mm = slot->mm;
	long items = 0, merging = 0;
	unsigned long prev = 0;

	for (struct ksm_rmap_item *ri = slot->rmap_list; ri; ri = ri->rmap_list) {
		if (ri->mm != mm || (prev && (ri->address & PAGE_MASK) <= prev))
			return BAD(sim, "pid %d: rmap_list out of order at %#lx", mm->pid, ri->address);
		if ((ri->address & STABLE_FLAG) && (ri->address & UNSTABLE_FLAG))
			return BAD(sim, "item %#lx both stable and unstable", ri->address);
		if ((ri->address & REMAPPED_FLAG) &&
		    (!(ri->address & STABLE_FLAG) || sim->ksm->rmap_walk != MMSIM_KSM_RMAP_WALK_REMAPPED))
			return BAD(sim, "item %#lx marked remapped but not stable under rmap_walk=remapped",
				   ri->address);
		prev = ri->address & PAGE_MASK;
		items++;
		merging += !!(ri->address & STABLE_FLAG);
		rc->unshared += !!(ri->address & UNSTABLE_FLAG);
	}
	rc->items += (unsigned long)items;
	if (items != mm->ksm_rmap_items || merging != mm->ksm_merging_pages)
		return BAD(sim, "pid %d: %ld items (%ld stable), ksm_stat says %ld (%ld)", mm->pid,
			   items, merging, mm->ksm_rmap_items, mm->ksm_merging_pages);
	if (!(mm->flags & MMF_VM_MERGEABLE))
		return BAD(sim, "pid %d has a slot but no MMF_VM_MERGEABLE", mm->pid);
	return 0;
}

static int check_mm_slots(struct mmsim *sim, struct ksm_recount *rc)
{
	struct ksm_mm_slot *slot;
	struct mm_struct *mm;
	long zero = 0;
	int err;

	list_for_each_entry(slot, &sim->ksm->mm_head, mm_node) {
		err = check_mm_slot(sim, slot, rc);
		if (err)
			return err;
		zero += slot->mm->exited ? slot->mm->ksm_zero_pages : 0;
	}
	for (mm = sim->mms; mm; mm = mm->hh.next) {
		struct ksm_mm_slot *s;

		HASH_FIND_PTR(sim->ksm->mm_slots, &mm, s);
		if (!s != !(mm->flags & MMF_VM_MERGEABLE))
			return BAD(sim, "pid %d: MMF_VM_MERGEABLE and the slot disagree", mm->pid);
		if (!s && (mm->ksm_rmap_items || mm->ksm_merging_pages))
			return BAD(sim, "pid %d has items but no slot", mm->pid);
		zero += mm->ksm_zero_pages;
	}
	if (zero != sim->ksm->zero_pages)
		return BAD(sim, "ksm_zero_pages %ld, the mms hold %ld", sim->ksm->zero_pages, zero);
	return 0;
}

struct unstable_count {
	unsigned long n;
	const struct ksm_rmap_item *bad;
};

static int count_unstable(const struct rb_node *rb, void *arg)
{
	const struct ksm_rmap_item *ri = rb_entry(rb, struct ksm_rmap_item, node);
	struct unstable_count *c = arg;

	c->n++;
	if (ri->address & UNSTABLE_FLAG)
		return 0;
	c->bad = ri;
	return 1;
}

static int check_unstable_tree(struct mmsim *sim, const struct ksm_recount *rc)
{
	struct unstable_count c = { 0 };
	int ret = rb_check_each(&sim->ksm->root_unstable_tree, NULL, count_unstable, &c);

	if (ret == 1)
		return BAD(sim, "item %#lx in the unstable tree is not unstable", c.bad->address);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		return BAD(sim, "the unstable tree is no valid rbtree");
	if (c.n > rc->unshared)
		return BAD(sim, "%lu items in the unstable tree, %lu unstable", c.n, rc->unshared);
	return 0;
}

/* Every KSM folio is small, shared, and reachable from the stable tree. */
static int check_ksm_folios(struct mmsim *sim)
{
	for (unsigned long pfn = 1; pfn < sim->nr_frames; pfn++) {
		struct folio *folio = sim->pages[pfn].folio;
		struct ksm_stable_node *node;

		if (!folio || folio_pfn(folio) != pfn || !folio_test_ksm(folio))
			continue;
		node = folio->stable_node;
		/* remove_stable_node() lets go of an unmapped folio the swap cache still holds. */
		if (!node && folio_test_swapcache(folio) && !folio_mapped(sim, folio))
			continue;
		if (folio_test_large(folio) || !node || node->kpfn != pfn)
			return BAD(sim, "KSM folio %#lx has no proper stable node", pfn);
		if (node->verify_gen != sim->ksm->verify_gen)
			return BAD(sim, "the stable node of %#lx is not in the stable tree", pfn);
		if (PageAnonExclusive(folio_page(sim, folio, 0)))
			return BAD(sim, "KSM page %#lx is PageAnonExclusive", pfn);
	}
	return 0;
}

int ksm_verify(struct mmsim *sim)
{
	const struct ksm_state *ksm = sim->ksm;
	struct reached reached = { 0 };
	struct ksm_recount rc = { .reached = &reached };
	int err;

	sim->ksm->verify_gen++;
	err = check_stable_tree(sim, &rc);
	free(reached.hits);
	free(reached.sorted);
	if (!err)
		err = check_mm_slots(sim, &rc);
	if (!err)
		err = check_unstable_tree(sim, &rc);
	if (!err)
		err = check_ksm_folios(sim);
	/* For mmsim_stats.verify_visited: every item and node, every frame. */
	sim->verify_visited += rc.items + rc.shared + rc.chains + rc.dups + sim->nr_frames;
	if (err)
		return err;
	if (rc.shared != ksm->pages_shared || rc.sharing != ksm->pages_sharing ||
	    rc.unshared != ksm->pages_unshared || rc.items != ksm->rmap_items ||
	    rc.chains != ksm->stable_node_chains || rc.dups != ksm->stable_node_dups)
		return BAD(sim, "counters shared %lu sharing %lu unshared %lu items %lu chains %lu "
			   "dups %lu, recount %lu %lu %lu %lu %lu %lu", ksm->pages_shared,
			   ksm->pages_sharing, ksm->pages_unshared, ksm->rmap_items,
			   ksm->stable_node_chains, ksm->stable_node_dups, rc.shared, rc.sharing,
			   rc.unshared, rc.items, rc.chains, rc.dups);
	return 0;
}
