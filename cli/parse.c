// SPDX-License-Identifier: MIT
/*
 * The scenario parser: one command per line, '#' comments, tokens split by
 * blanks (docs/scenario-language.md). Every error names the file,
 * the line, what was wrong and what was expected; no input can crash it.
 */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS	16
#define MAX_FILE	(16UL << 20)

struct line {
	const char *file;
	int lineno;
	char *tok[MAX_TOKENS];
	int nr;
	char *err;
	size_t errlen;
	struct scenario *scn;
};

static int perr(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(l->err, l->errlen, "%s:%d: ", l->file, l->lineno);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < l->errlen)
		vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_number(const char *s, bool allow_suffix, bool allow_negative, long long *out);

uint64_t scn_splitmix64(uint64_t x)
{
	uint64_t z = x + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void scn_mmsim_fill(const struct scn_fill_spec *fill, uint64_t seed, unsigned long n,
		    struct mmsim_fill *out)
{
	switch (fill->kind) {
	case FILL_ZERO:
		*out = (struct mmsim_fill){ MMSIM_FILL_ZERO, 0 };
		break;
	case FILL_BYTE:
		*out = (struct mmsim_fill){ MMSIM_FILL_PATTERN, 0x0101010101010101ULL * (fill->value & 0xff) };
		break;
	case FILL_PATTERN:
		*out = (struct mmsim_fill){ MMSIM_FILL_PATTERN, fill->value };
		break;
	case FILL_UNIQUE:
		*out = (struct mmsim_fill){ MMSIM_FILL_UNIQUE, seed + n * 512 };
		break;
	}
}

/* The library makes the bytes, so both executors write exactly what the simulator describes. */
void scn_fill_page(const struct scn_fill_spec *fill, uint64_t seed, unsigned long n,
		   uint8_t page[4096])
{
	struct mmsim_fill f;

	scn_mmsim_fill(fill, seed, n, &f);
	mmsim_fill_page(&f, 0, page);
}

int scn_parse_size(const char *s, unsigned long *bytes)
{
	long long v;

	if (parse_number(s, true, false, &v) || v <= 0 || (v & 4095))
		return -1;
	*bytes = (unsigned long)v;
	return 0;
}

/*
 * A number: decimal or 0x hexadecimal, with an optional K, M or G suffix.
 * -1 when it is none, -ERANGE when it is one beyond 2^63 - 1.
 */
static int parse_number(const char *s, bool allow_suffix, bool allow_negative,
			long long *out)
{
	bool neg = false;
	unsigned long long v, mult = 1;
	char *end;
	size_t len;

	if (*s == '-' && allow_negative) {
		neg = true;
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	len = strlen(s);
	if (allow_suffix && len > 1 && strchr("KMG", s[len - 1])) {
		mult = s[len - 1] == 'K' ? 1ULL << 10 : s[len - 1] == 'M' ? 1ULL << 20 : 1ULL << 30;
	}
	errno = 0;
	v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (end == s || (mult == 1 ? *end != '\0' : end != s + len - 1))
		return -1;
	if (errno == ERANGE || v > (unsigned long long)INT64_MAX / mult)
		return -ERANGE;
	if (errno)
		return -1;
	v *= mult;
	*out = neg ? -(long long)v : (long long)v;
	return 0;
}

static int get_ulong(struct line *l, int i, const char *what, bool suffix, unsigned long *out)
{
	long long v;
	int ret;

	if (i >= l->nr)
		return perr(l, "%s: missing %s", l->tok[0], what);
	ret = parse_number(l->tok[i], suffix, false, &v);
	if (ret == -ERANGE)
		return perr(l, "%s: %s '%s' is too large (at most 2^63 - 1)", l->tok[0], what,
			    l->tok[i]);
	if (ret)
		return perr(l, "%s: expected %s (a number such as 4096, 0x1000%s), got '%s'",
			    l->tok[0], what, suffix ? " or 64K" : "", l->tok[i]);
	*out = (unsigned long)v;
	return 0;
}

static int get_addr(struct line *l, int i, const char *what, bool page_aligned,
		    unsigned long *out)
{
	if (get_ulong(l, i, what, true, out))
		return -1;
	if (page_aligned && (*out & 4095))
		return perr(l, "%s: %s %#lx is not a multiple of 4096", l->tok[0], what, *out);
	return 0;
}

static bool valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* The slot of a process name, adding it on first sight. */
static int get_proc(struct line *l, int i, int *slot)
{
	struct scenario *scn = l->scn;

	if (i >= l->nr)
		return perr(l, "%s: missing process name", l->tok[0]);
	if (!valid_name(l->tok[i]) || strlen(l->tok[i]) >= SCN_NAME_MAX)
		return perr(l, "%s: expected a process name ([A-Za-z_][A-Za-z0-9_]*, at most %d "
			    "characters), got '%s'", l->tok[0], SCN_NAME_MAX - 1, l->tok[i]);
	for (int p = 0; p < scn->nr_procs; p++) {
		if (!strcmp(scn->procs[p], l->tok[i])) {
			*slot = p;
			return 0;
		}
	}
	if (scn->nr_procs == SCN_MAX_PROCS)
		return perr(l, "too many process names (at most %d)", SCN_MAX_PROCS);
	strcpy(scn->procs[scn->nr_procs], l->tok[i]);
	*slot = scn->nr_procs++;
	return 0;
}

static int expect_tokens(struct line *l, int min, int max, const char *usage)
{
	if (l->nr < min || l->nr > max)
		return perr(l, "%s takes %s", l->tok[0], usage);
	return 0;
}

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

#define ARRAY_SIZE(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const prot_names[] = { "rw", "r", "none" };
static const char *const advice_names[] = { "mergeable", "unmergeable", "dontneed", "hugepage",
					    "nohugepage", "pageout", "populate_read", "populate_write",
					    "collapse", "dontfork", "dofork" };
static const char *const thp_modes[] = { "always", "madvise", "inherit", "never" };
static const char *const op_names[] = { "==", "!=", "<", "<=", ">", ">=" };
static const char *const ksm_counters[] = { "pages_shared", "pages_sharing", "pages_unshared",
	"pages_volatile", "stable_node_chains", "stable_node_dups", "ksm_zero_pages",
	"general_profit", "pages_skipped", "full_scans", "pages_scanned" };
/* Counters the simulator adds (seed 000's skip policies): the kernel executor skips them. */
static const char *const ksm_sim_counters[] = { "pages_jumped", "pages_jumped_other",
	"tail_pages_found", "checksums", "rmap_items_created" };
static const char *const ksm_stat_fields[] = { "ksm_rmap_items", "ksm_zero_pages",
	"ksm_merging_pages", "ksm_process_profit", "ksm_merge_any", "ksm_mergeable" };
static const char *const smaps_fields[] = { "Rss", "Pss", "Anonymous", "AnonHugePages",
	"Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "KSM", "Swap", "Locked" };
static const char *const kpf_names[] = { "ANON", "KSM", "THP", "COMPOUND_HEAD",
	"COMPOUND_TAIL", "ZERO_PAGE", "UNEVICTABLE", "MLOCKED" };
/* smaps VmFlags mnemonics of the flags the model keeps (show_smap_vma_flags()). */
const char *const scn_vmflag_names[SCN_NR_VMFLAGS] = { "rd", "wr", "mr", "mw", "me", "lo", "dc",
	"lf", "ac", "nr", "wf", "hg", "nh", "mg", "sd" };
static const char *const ksm_tunables[] = { "pages_to_scan", "max_page_sharing",
	"use_zero_pages", "smart_scan", "merge_across_nodes",
	"stable_node_chains_prune_millisecs" };
static const char *const query_names[] = {
	[Q_KSM] = "ksm.", [Q_KSM_STAT] = "ksm_stat", [Q_SMAPS] = "smaps",
	[Q_KPAGECOUNT] = "kpagecount", [Q_KPAGEFLAGS] = "kpageflags", [Q_PRESENT] = "present",
	[Q_EXCLUSIVE] = "exclusive", [Q_SAME_FRAME] = "same_frame",
	[Q_FOLIO_ORDER] = "folio_order", [Q_BYTE] = "byte", [Q_SWAPPED] = "swapped",
	[Q_VMA_START] = "vma_start", [Q_VMA_END] = "vma_end",
	[Q_MADVISE_COLLAPSE] = "madvise_collapse", [Q_VMFLAG] = "vmflag",
	[Q_FOLIO_MAPCOUNT] = "folio.mapcount", [Q_FOLIO_MAYBE_SHARED] = "folio.maybe_shared",
	[Q_FOLIO_PARTIALLY_MAPPED] = "folio.partially_mapped",
	[Q_TRUTH_MAPCOUNT] = "truth.mapcount", [Q_TRUTH_SHARED] = "truth.shared",
	[Q_RMAP_REACHES] = "rmap.reaches", [Q_RMAP_MAPPINGS] = "rmap.mappings",
	[Q_VMA_PGOFF] = "vma.pgoff", [Q_FOLIO_INDEX] = "folio.index", [Q_ERRNO] = "errno",
	[Q_THP_DISABLE] = "thp_disable", [Q_PIPE_BYTE] = "pipe_byte", [Q_PINNED_BYTE] = "pinned_byte",
	[Q_SOFT_DIRTY] = "soft_dirty", [Q_NODE] = "node",
};

const char *scn_query_name(enum scn_query kind)
{
	return query_names[kind];
}

static int get_word(struct line *l, int i, const char *what, const char *const *names, int n,
		    const char *list)
{
	int v;

	if (i >= l->nr)
		return perr(l, "%s: missing %s (%s)", l->tok[0], what, list);
	v = lookup(l->tok[i], names, n);
	if (v < 0)
		return perr(l, "%s: expected %s (%s), got '%s'", l->tok[0], what, list, l->tok[i]);
	return v;
}

/*
 * Token i, one of the names the library lists through name(0), name(1), ...
 * (kernel versions, schemes): so the parser never lags behind it.
 */
static int get_listed(struct line *l, int i, const char *what, const char *(*name)(int))
{
	const char *names[32];
	char list[256] = "";
	size_t len = 0;
	int n;

	for (n = 0; n < 32 && name(n); n++) {
		names[n] = name(n);
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", n ? ", " : "",
						names[n]);
	}
	return get_word(l, i, what, names, n, list);
}

/* The query starting at token i; *next is the token after it. */
static int parse_query(struct line *l, int i, struct scn_query_spec *q, int *next)
{
	const char *w;
	int k;

	if (i >= l->nr)
		return perr(l, "%s: missing query (ksm.NAME, ksm_stat, smaps, kpagecount, kpageflags, "
			    "present, exclusive, same_frame, folio_order, byte, swapped, vma_start, vma_end, "
			    "vmflag, madvise_collapse, thp_disable, pipe_byte, pinned_byte, soft_dirty, node, folio.*, truth.*, "
			    "rmap.*, vma.pgoff)",
			    l->tok[0]);
	w = l->tok[i];
	memset(q, 0, sizeof(*q));
	if (!strncmp(w, "ksm.", 4)) {
		q->kind = Q_KSM;
		q->sim_only = lookup(w + 4, ksm_sim_counters, ARRAY_SIZE(ksm_sim_counters)) >= 0;
		if (!q->sim_only && lookup(w + 4, ksm_counters, ARRAY_SIZE(ksm_counters)) < 0)
			return perr(l, "unknown KSM counter '%s' (pages_shared, pages_sharing, "
				    "pages_unshared, pages_volatile, stable_node_chains, stable_node_dups, "
				    "ksm_zero_pages, general_profit, pages_skipped, full_scans, pages_scanned; "
				    "simulator only: pages_jumped, pages_jumped_other, tail_pages_found, "
				    "checksums, rmap_items_created)", w + 4);
		snprintf(q->name, sizeof(q->name), "%s", w + 4);
		*next = i + 1;
		return 0;
	}
	for (k = 0; k < ARRAY_SIZE(query_names); k++)
		if (k != Q_KSM && !strcmp(w, query_names[k]))
			break;
	if (k == ARRAY_SIZE(query_names))
		return perr(l, "unknown query '%s'", w);
	if (k == Q_ERRNO)
		return perr(l, "%s: errno comes with expect only (expect errno CALL == ERRNO)",
			    l->tok[0]);
	q->kind = (enum scn_query)k;
	q->sim_only = k >= Q_FOLIO_MAPCOUNT;
	q->yesno = k == Q_KPAGEFLAGS || k == Q_PRESENT || k == Q_EXCLUSIVE || k == Q_SAME_FRAME ||
		   k == Q_FOLIO_MAYBE_SHARED || k == Q_FOLIO_PARTIALLY_MAPPED || k == Q_TRUTH_SHARED ||
		   k == Q_RMAP_REACHES || k == Q_SWAPPED || k == Q_VMFLAG || k == Q_SOFT_DIRTY;
	if (get_proc(l, i + 1, &q->proc[0]))
		return -1;
	switch (q->kind) {
	case Q_KSM_STAT:
		k = get_word(l, i + 2, "ksm_stat field", ksm_stat_fields, ARRAY_SIZE(ksm_stat_fields),
			     "ksm_rmap_items, ksm_zero_pages, ksm_merging_pages, ksm_process_profit, "
			     "ksm_merge_any, ksm_mergeable");
		if (k < 0)
			return -1;
		q->yesno = k >= 4;
		snprintf(q->name, sizeof(q->name), "%s", l->tok[i + 2]);
		*next = i + 3;
		return 0;
	case Q_SMAPS:
		if (get_word(l, i + 2, "smaps field", smaps_fields, ARRAY_SIZE(smaps_fields),
			     "Rss, Pss, Anonymous, AnonHugePages, Shared_Clean, Shared_Dirty, "
			     "Private_Clean, Private_Dirty, KSM, Swap, Locked") < 0)
			return -1;
		snprintf(q->name, sizeof(q->name), "%s", l->tok[i + 2]);
		*next = i + 3;
		return 0;
	case Q_SAME_FRAME:
		if (get_addr(l, i + 2, "ADDR", false, &q->addr[0]) || get_proc(l, i + 3, &q->proc[1]) ||
		    get_addr(l, i + 4, "ADDR", false, &q->addr[1]))
			return -1;
		*next = i + 5;
		return 0;
	case Q_KPAGEFLAGS:
		if (get_addr(l, i + 2, "ADDR", false, &q->addr[0]))
			return -1;
		if (get_word(l, i + 3, "page flag", kpf_names, ARRAY_SIZE(kpf_names),
			     "ANON, KSM, THP, COMPOUND_HEAD, COMPOUND_TAIL, ZERO_PAGE, "
			     "UNEVICTABLE, MLOCKED") < 0)
			return -1;
		snprintf(q->name, sizeof(q->name), "%s", l->tok[i + 3]);
		*next = i + 4;
		return 0;
	case Q_VMFLAG:
		if (get_addr(l, i + 2, "ADDR", false, &q->addr[0]) ||
		    get_word(l, i + 3, "VmFlags name", scn_vmflag_names, SCN_NR_VMFLAGS,
			     "rd, wr, mr, mw, me, lo, dc, lf, ac, nr, wf, hg, nh, mg, sd") < 0)
			return -1;
		snprintf(q->name, sizeof(q->name), "%s", l->tok[i + 3]);
		*next = i + 4;
		return 0;
	case Q_THP_DISABLE:
		*next = i + 2;
		return 0;
	case Q_PIPE_BYTE:
	case Q_PINNED_BYTE:
		if (get_addr(l, i + 2, "OFF", false, &q->addr[0]))
			return -1;
		*next = i + 3;
		return 0;
	case Q_MADVISE_COLLAPSE:
		/* madvise(2)'s own checks answer for the range: any numbers will do. */
		if (get_addr(l, i + 2, "ADDR", false, &q->addr[0]) ||
		    get_addr(l, i + 3, "LEN", false, &q->addr[1]))
			return -1;
		*next = i + 4;
		return 0;
	default:
		if (get_addr(l, i + 2, "ADDR", false, &q->addr[0]))
			return -1;
		*next = i + 3;
		return 0;
	}
}

static int parse_line(struct line *l, struct scn_command *c);
static char *join_tokens(const struct line *l);

/* The calls whose failure `expect errno` can state: those that are system calls. */
static bool errno_call(enum scn_cmd kind)
{
	switch (kind) {
	case CMD_MMAP: case CMD_MUNMAP: case CMD_MPROTECT: case CMD_MREMAP: case CMD_MADVISE:
	case CMD_PRCTL: case CMD_MLOCK: case CMD_MUNLOCK: case CMD_MLOCKALL: case CMD_MUNLOCKALL:
	case CMD_MOVE_PAGES:
		return true;
	default:
		return false;
	}
}

/*
 * "expect errno CALL... OP ERRNO": CALL is parsed as a command of its own
 * (tokens 2 up to the comparison) into c->call; the answer is the errno it
 * fails with, 0 when it succeeds. ERRNO is a name (EINVAL) or 0.
 */
static int parse_expect_errno(struct line *l, struct scn_command *c)
{
	struct line sub = *l;
	struct scn_command call = { .line = l->lineno };
	int i = 2, op, e;

	while (i < l->nr && lookup(l->tok[i], op_names, ARRAY_SIZE(op_names)) < 0)
		i++;
	if (i == 2)
		return perr(l, "expect errno: missing the call (such as madvise P ADDR LEN "
			    "populate_write)");
	if (i + 2 != l->nr)
		return perr(l, "expect errno: expected CALL == ERRNO (such as == EINVAL, or == 0)");
	c->q.kind = Q_ERRNO;
	op = lookup(l->tok[i], op_names, ARRAY_SIZE(op_names));
	if (op != OP_EQ && op != OP_NE)
		return perr(l, "expect errno: takes == or !=, got '%s'", l->tok[i]);
	c->op = (enum scn_op)op;
	e = strcmp(l->tok[i + 1], "0") ? scn_errno_value(l->tok[i + 1]) : 0;
	if (e < 0)
		return perr(l, "expect errno: expected an errno name (such as EINVAL or ENOMEM) or 0, "
			    "got '%s'", l->tok[i + 1]);
	c->value = e;
	memmove(sub.tok, l->tok + 2, (size_t)(i - 2) * sizeof(sub.tok[0]));
	sub.nr = i - 2;
	if (parse_line(&sub, &call))
		return -1;
	if (!errno_call(call.kind))
		return perr(l, "expect errno: '%s' is not a call that can fail (mmap, munmap, "
			    "mprotect, mremap, madvise, prctl, mlock, munlock, mlockall, munlockall, "
			    "move_pages)",
			    sub.tok[0]);
	c->q.proc[0] = call.proc[0];
	call.text = join_tokens(&sub);
	c->call = call.text ? malloc(sizeof(*c->call)) : NULL;
	if (!c->call) {
		free(call.text);
		return perr(l, "out of memory");
	}
	*c->call = call;
	return 0;
}

static int parse_expect(struct line *l, struct scn_command *c)
{
	int i = 0, op, ret;

	if (c->kind == CMD_EXPECT && l->nr > 1 && !strcmp(l->tok[1], "errno"))
		return parse_expect_errno(l, c);
	if (parse_query(l, 1, &c->q, &i))
		return -1;
	if (c->kind == CMD_PROBE)
		return i == l->nr ? 0 : perr(l, "probe: unexpected '%s' after the query", l->tok[i]);
	op = get_word(l, i, "comparison", op_names, ARRAY_SIZE(op_names), "== != < <= > >=");
	if (op < 0)
		return -1;
	c->op = (enum scn_op)op;
	if (i + 1 >= l->nr)
		return perr(l, "expect: missing the expected value after '%s'", l->tok[i]);
	if (c->q.yesno) {
		if (c->op != OP_EQ && c->op != OP_NE)
			return perr(l, "expect: a yes/no query takes == or !=, got '%s'", l->tok[i]);
		if (!strcmp(l->tok[i + 1], "yes"))
			c->value = 1;
		else if (!strcmp(l->tok[i + 1], "no"))
			c->value = 0;
		else
			return perr(l, "expect: expected yes or no, got '%s'", l->tok[i + 1]);
	} else if ((ret = parse_number(l->tok[i + 1], true, true, &c->value))) {
		return perr(l, "expect: expected a number%s, got '%s'",
			    ret == -ERANGE ? " within +-(2^63 - 1)" : "", l->tok[i + 1]);
	}
	if (i + 2 != l->nr)
		return perr(l, "expect: unexpected '%s' after the value", l->tok[i + 2]);
	return 0;
}

static int parse_fill(struct line *l, int i, struct scn_fill_spec *f)
{
	const char *s;
	long long v;

	if (i >= l->nr)
		return perr(l, "write: missing FILL (zero, byte=V, pattern=K or unique)");
	s = l->tok[i];
	if (!strcmp(s, "zero")) {
		f->kind = FILL_ZERO;
	} else if (!strcmp(s, "unique")) {
		f->kind = FILL_UNIQUE;
	} else if (!strncmp(s, "byte=", 5)) {
		f->kind = FILL_BYTE;
		if (parse_number(s + 5, false, false, &v) || v > 255)
			return perr(l, "write: byte=V takes V from 0 to 255, got '%s'", s + 5);
		f->value = (uint64_t)v;
	} else if (!strncmp(s, "pattern=", 8)) {
		unsigned long long k;
		char *end;

		f->kind = FILL_PATTERN;
		errno = 0;
		k = strtoull(s + 8, &end, !strncmp(s + 8, "0x", 2) ? 16 : 10);
		if (errno || end == s + 8 || *end || !isdigit((unsigned char)s[8]))
			return perr(l, "write: pattern=K takes a 64-bit number, got '%s'", s + 8);
		f->value = k;
	} else {
		return perr(l, "write: expected FILL (zero, byte=V, pattern=K or unique), got '%s'", s);
	}
	return 0;
}

/* "ksm rmap_walk=VARIANT" (seed 003, simulator only): c->n is the variant's number. */
static int parse_ksm_rmap_walk(struct line *l, struct scn_command *c)
{
	/* In the order of enum mmsim_ksm_rmap_walk. */
	static const char *const variants[] = { "full", "address", "pgoff", "remapped" };
	int v = lookup(l->tok[1] + 10, variants, ARRAY_SIZE(variants));

	c->kind = CMD_KSM_RMAP_WALK;
	if (v < 0)
		return perr(l, "ksm: rmap_walk= takes full, address, pgoff or remapped, got '%s'",
			    l->tok[1] + 10);
	c->n = (unsigned long)v;
	return expect_tokens(l, 2, 2, "nothing after 'rmap_walk=VARIANT'");
}

/* "ksm scan [N]", "khugepaged scan [N]": N full passes, 1 by default. */
static int parse_scan(struct line *l, struct scn_command *c, enum scn_cmd kind)
{
	c->kind = kind;
	c->n = 1;
	if (expect_tokens(l, 2, 3, "'scan [N]'"))
		return -1;
	return l->nr == 3 ? get_ulong(l, 2, "N", false, &c->n) : 0;
}

/* KEY=VALUE ... from the second token on, each KEY one of names, into c->ksm. */
static int parse_settings(struct line *l, struct scn_command *c, const char *what,
			  const char *const *names, int n, const char *list)
{
	for (int i = 1; i < l->nr; i++) {
		char *eq = strchr(l->tok[i], '=');
		long long v;

		if (!eq)
			return perr(l, "%s: expected KEY=VALUE, got '%s'", what, l->tok[i]);
		*eq = '\0';
		if (lookup(l->tok[i], names, n) < 0)
			return perr(l, "%s: unknown tunable '%s' (%s)", what, l->tok[i], list);
		if (parse_number(eq + 1, false, false, &v))
			return perr(l, "%s: %s= takes a number, got '%s'", what, l->tok[i], eq + 1);
		if (c->nr_ksm == SCN_MAX_KSM_SET)
			return perr(l, "%s: too many settings on one line", what);
		snprintf(c->ksm[c->nr_ksm].key, SCN_NAME_MAX, "%s", l->tok[i]);
		c->ksm[c->nr_ksm++].value = (unsigned long)v;
		*eq = '=';
	}
	return 0;
}

static int parse_ksm(struct line *l, struct scn_command *c)
{
	if (l->nr >= 2 && !strcmp(l->tok[1], "scan"))
		return parse_scan(l, c, CMD_KSM_SCAN);
	if (l->nr >= 2 && !strcmp(l->tok[1], "unmerge")) {
		c->kind = CMD_KSM_UNMERGE;
		return expect_tokens(l, 2, 2, "nothing after 'unmerge'");
	}
	if (l->nr == 2 && !strncmp(l->tok[1], "skip=", 5)) {
		/* In the order of enum mmsim_ksm_skip. */
		static const char *const policies[] = { "none", "compound", "batch" };
		int policy = lookup(l->tok[1] + 5, policies, 3);

		c->kind = CMD_KSM_SKIP;
		if (policy < 0)
			return perr(l, "ksm: skip= takes none, compound or batch, got '%s'", l->tok[1] + 5);
		snprintf(c->word, sizeof(c->word), "%s", l->tok[1] + 5);
		c->n = (unsigned long)policy;
		return 0;
	}
	if (l->nr >= 2 && !strncmp(l->tok[1], "rmap_walk=", 10))
		return parse_ksm_rmap_walk(l, c);
	c->kind = CMD_KSM_SET;
	if (l->nr < 2)
		return perr(l, "ksm takes 'scan [N]', 'unmerge', 'skip=POLICY', 'rmap_walk=VARIANT' "
			    "or KEY=VALUE ...");
	for (int i = 1; i < l->nr; i++)
		if (!strncmp(l->tok[i], "rmap_walk=", 10))
			return perr(l, "ksm: rmap_walk= is simulator-only and goes on a line of its own");
	return parse_settings(l, c, "ksm", ksm_tunables, ARRAY_SIZE(ksm_tunables),
			      "pages_to_scan, max_page_sharing, use_zero_pages, smart_scan, "
			      "merge_across_nodes, stable_node_chains_prune_millisecs");
}

/* "khugepaged scan [N]" or "khugepaged KEY=VALUE ...", the settings in c->ksm. */
static int parse_khugepaged(struct line *l, struct scn_command *c)
{
	static const char *const tunables[] = { "pages_to_scan", "max_ptes_none",
						"max_ptes_swap", "max_ptes_shared" };

	if (l->nr >= 2 && !strcmp(l->tok[1], "scan"))
		return parse_scan(l, c, CMD_KHUGEPAGED_SCAN);
	c->kind = CMD_KHUGEPAGED_SET;
	if (l->nr < 2)
		return perr(l, "khugepaged takes 'scan [N]' or KEY=VALUE ...");
	return parse_settings(l, c, "khugepaged", tunables, ARRAY_SIZE(tunables),
			      "pages_to_scan, max_ptes_none, max_ptes_swap, max_ptes_shared");
}

static int parse_thp(struct line *l, struct scn_command *c)
{
	static const unsigned long sizes[] = { 16UL << 10, 32UL << 10, 64UL << 10, 128UL << 10,
					       256UL << 10, 512UL << 10, 1UL << 20, 2UL << 20 };
	long long v;
	int mode;

	c->kind = CMD_THP;
	if (expect_tokens(l, 3, 3, "SIZE MODE (SIZE 16K..2M or top; MODE always, madvise, "
			  "inherit or never)"))
		return -1;
	if (!strcmp(l->tok[1], "top")) {
		c->thp_size = 0;
	} else {
		if (parse_number(l->tok[1], true, false, &v))
			return perr(l, "thp: expected SIZE (16K 32K 64K 128K 256K 512K 1M 2M or top), "
				    "got '%s'", l->tok[1]);
		c->thp_size = (unsigned long)v;
		for (v = 0; v < ARRAY_SIZE(sizes) && sizes[v] != c->thp_size; v++)
			;
		if (v == ARRAY_SIZE(sizes))
			return perr(l, "thp: SIZE must be one of 16K 32K 64K 128K 256K 512K 1M 2M or "
				    "top, got '%s'", l->tok[1]);
	}
	mode = get_word(l, 2, "MODE", thp_modes, ARRAY_SIZE(thp_modes),
			"always, madvise, inherit, never");
	if (mode < 0)
		return -1;
	if (c->thp_size == 0 && mode == THP_INHERIT)
		return perr(l, "thp: top takes always, madvise or never, not inherit");
	c->thp_mode = (enum scn_thp_mode)mode;
	return 0;
}

/*
 * show dot VIEW [P [ADDR]] FILE: a picture of the model (lib/draw.c) into
 * FILE. c->n is the view (enum mmsim_draw_view's order), c->proc[0] -1 for
 * every process; FILE stays the last token of c->text.
 */
static int parse_show_dot(struct line *l, struct scn_command *c)
{
	static const char *const views[] = { "process", "folio", "anon_vma", "ksm" };
	const char *usage = "'show dot process|anon_vma [P] FILE', 'show dot folio P ADDR FILE' "
			    "or 'show dot ksm FILE'";
	int v = get_word(l, 2, "VIEW", views, ARRAY_SIZE(views), "process, folio, anon_vma, ksm");

	if (v < 0)
		return -1;
	c->n = (unsigned long)v;
	c->proc[0] = -1;
	if (v == 1)
		return expect_tokens(l, 6, 6, usage) ?: get_proc(l, 3, &c->proc[0]) ?:
		       get_addr(l, 4, "ADDR", false, &c->addr);
	if (v == 3)
		return expect_tokens(l, 4, 4, usage);
	if (expect_tokens(l, 4, 5, usage))
		return -1;
	return l->nr == 5 ? get_proc(l, 3, &c->proc[0]) : 0;
}

static int parse_show(struct line *l, struct scn_command *c)
{
	static const char *const whats[] = { "ksm", "vmas", "folio", "ptes", "dot" };
	int w;

	c->kind = CMD_SHOW;
	w = get_word(l, 1, "WHAT", whats, ARRAY_SIZE(whats),
		     "ksm, vmas P, folio P ADDR, ptes P ADDR LEN, dot VIEW ... FILE");
	if (w < 0)
		return -1;
	snprintf(c->word, sizeof(c->word), "%s", whats[w]);
	switch (w) {
	case 0:
		return expect_tokens(l, 2, 2, "'show ksm'");
	case 1:
		return expect_tokens(l, 3, 3, "'show vmas P'") ?: get_proc(l, 2, &c->proc[0]);
	case 2:
		return expect_tokens(l, 4, 4, "'show folio P ADDR'") ?: get_proc(l, 2, &c->proc[0]) ?:
		       get_addr(l, 3, "ADDR", false, &c->addr);
	case 4:
		return parse_show_dot(l, c);
	default:
		return expect_tokens(l, 5, 5, "'show ptes P ADDR LEN'") ?: get_proc(l, 2, &c->proc[0]) ?:
		       get_addr(l, 3, "ADDR", true, &c->addr) ?: get_addr(l, 4, "LEN", true, &c->len);
	}
}

/* Commands of the form "NAME P ADDR LEN ...". */
static int parse_range(struct line *l, struct scn_command *c)
{
	return get_proc(l, 1, &c->proc[0]) ?: get_addr(l, 2, "ADDR", true, &c->addr) ?:
	       get_addr(l, 3, "LEN", true, &c->len);
}

static int parse_line(struct line *l, struct scn_command *c)
{
	const char *w = l->tok[0];
	int v;

	if (!strcmp(w, "kernel")) {
		c->kind = CMD_KERNEL;
		if (expect_tokens(l, 2, 2, "VERSION") ||
		    get_listed(l, 1, "VERSION", mmsim_kernel_version) < 0)
			return -1;
		snprintf(c->word, sizeof(c->word), "%s", l->tok[1]);
		return 0;
	}
	if (!strcmp(w, "seed")) {
		c->kind = CMD_SEED;
		return expect_tokens(l, 2, 2, "N") ?: get_ulong(l, 1, "N", false, &c->n);
	}
	if (!strcmp(w, "thp"))
		return parse_thp(l, c);
	if (!strcmp(w, "ksm"))
		return parse_ksm(l, c);
	if (!strcmp(w, "khugepaged"))
		return parse_khugepaged(l, c);
	if (!strcmp(w, "proc")) {
		c->kind = CMD_PROC;
		return expect_tokens(l, 2, 2, "P") ?: get_proc(l, 1, &c->proc[0]);
	}
	if (!strcmp(w, "fork")) {
		c->kind = CMD_FORK;
		return expect_tokens(l, 3, 3, "P C") ?: get_proc(l, 1, &c->proc[0]) ?:
		       get_proc(l, 2, &c->proc[1]);
	}
	if (!strcmp(w, "exit")) {
		c->kind = CMD_EXIT;
		return expect_tokens(l, 2, 2, "P") ?: get_proc(l, 1, &c->proc[0]);
	}
	if (!strcmp(w, "mmap")) {
		c->kind = CMD_MMAP;
		c->prot = PROT_RW;
		if (expect_tokens(l, 4, 6, "P ADDR LEN [rw|r|none] [noreserve]") || parse_range(l, c))
			return -1;
		if (l->nr >= 5 && (v = get_word(l, 4, "protection", prot_names, 3, "rw, r or none")) < 0)
			return -1;
		if (l->nr >= 5)
			c->prot = (enum scn_prot)v;
		if (l->nr == 6 && strcmp(l->tok[5], "noreserve"))
			return perr(l, "mmap: expected noreserve after the protection, got '%s'",
				    l->tok[5]);
		c->noreserve = l->nr == 6;
		return 0;
	}
	if (!strcmp(w, "munmap")) {
		c->kind = CMD_MUNMAP;
		return expect_tokens(l, 4, 4, "P ADDR LEN") ?: parse_range(l, c);
	}
	if (!strcmp(w, "mprotect")) {
		c->kind = CMD_MPROTECT;
		if (expect_tokens(l, 5, 5, "P ADDR LEN rw|r|none") || parse_range(l, c))
			return -1;
		v = get_word(l, 4, "protection", prot_names, 3, "rw, r or none");
		c->prot = (enum scn_prot)v;
		return v < 0 ? -1 : 0;
	}
	if (!strcmp(w, "mremap")) {
		c->kind = CMD_MREMAP;
		if (expect_tokens(l, 5, 6, "P OLD LEN NEW [dontunmap]") || parse_range(l, c) ||
		    get_addr(l, 4, "NEW", true, &c->addr2))
			return -1;
		if (l->nr == 6 && strcmp(l->tok[5], "dontunmap"))
			return perr(l, "mremap: expected dontunmap after NEW, got '%s'", l->tok[5]);
		c->dontunmap = l->nr == 6;
		return 0;
	}
	if (!strcmp(w, "madvise")) {
		c->kind = CMD_MADVISE;
		if (expect_tokens(l, 5, 5, "P ADDR LEN ADVICE") || parse_range(l, c))
			return -1;
		v = get_word(l, 4, "ADVICE", advice_names, ARRAY_SIZE(advice_names),
			     "mergeable, unmergeable, dontneed, hugepage, nohugepage, pageout, "
			     "populate_read, populate_write, collapse, dontfork, dofork");
		c->advice = (enum scn_advice)v;
		return v < 0 ? -1 : 0;
	}
	if (!strcmp(w, "prctl")) {
		c->kind = CMD_PRCTL;
		if (expect_tokens(l, 4, 4, "P merge|thp_disable on|off") || get_proc(l, 1, &c->proc[0]))
			return -1;
		if (!strcmp(l->tok[2], "thp_disable")) {
			static const char *const modes[] = { "off", "on", "except_advised" };
			int m = get_word(l, 3, "mode", modes, 3, "on, off or except_advised");

			if (m < 0)
				return -1;
			c->thp_prctl = true;
			c->on = m > 0;
			c->n = m == 2 ? 3 : (unsigned long)m;	/* PR_SET_THP_DISABLE's flags + 1 */
			return 0;
		}
		if (strcmp(l->tok[2], "merge"))
			return perr(l, "prctl: expected 'merge' or 'thp_disable', got '%s'", l->tok[2]);
		if (strcmp(l->tok[3], "on") && strcmp(l->tok[3], "off"))
			return perr(l, "prctl: expected on or off, got '%s'", l->tok[3]);
		c->on = !strcmp(l->tok[3], "on");
		return 0;
	}
	if (!strcmp(w, "mlock") || !strcmp(w, "munlock")) {
		c->kind = !strcmp(w, "mlock") ? CMD_MLOCK : CMD_MUNLOCK;
		if (c->kind == CMD_MLOCK ? expect_tokens(l, 4, 5, "P ADDR LEN [onfault]") :
					   expect_tokens(l, 4, 4, "P ADDR LEN"))
			return -1;
		if (parse_range(l, c))
			return -1;
		if (l->nr == 5 && strcmp(l->tok[4], "onfault"))
			return perr(l, "mlock: expected onfault after LEN, got '%s'", l->tok[4]);
		c->n = l->nr == 5;
		return 0;
	}
	if (!strcmp(w, "vmsplice")) {
		c->kind = CMD_VMSPLICE;
		return expect_tokens(l, 4, 4, "P ADDR LEN") ?: parse_range(l, c);
	}
	if (!strcmp(w, "pipe_read") || !strcmp(w, "unpin")) {
		c->kind = !strcmp(w, "unpin") ? CMD_UNPIN : CMD_PIPE_READ;
		return expect_tokens(l, 2, 2, "P") ?: get_proc(l, 1, &c->proc[0]);
	}
	if (!strcmp(w, "numa")) {
		c->kind = CMD_NUMA;
		if (expect_tokens(l, 2, 2, "N (NUMA nodes, 1 to 8)") || get_ulong(l, 1, "N", false, &c->n))
			return -1;
		if (c->n < 1 || c->n > MMSIM_MAX_NODES)
			return perr(l, "numa: expected 1 to %d nodes, got %lu", MMSIM_MAX_NODES, c->n);
		return 0;
	}
	if (!strcmp(w, "move_pages")) {
		c->kind = CMD_MOVE_PAGES;
		if (expect_tokens(l, 4, 5, "P ADDR NODE [all]") || get_proc(l, 1, &c->proc[0]) ||
		    get_addr(l, 2, "ADDR", true, &c->addr) || get_ulong(l, 3, "NODE", false, &c->n))
			return -1;
		if (c->n >= MMSIM_MAX_NODES)
			return perr(l, "move_pages: NODE is 0 to %d, got %lu", MMSIM_MAX_NODES - 1, c->n);
		if (l->nr == 5 && strcmp(l->tok[4], "all"))
			return perr(l, "move_pages: expected all (MPOL_MF_MOVE_ALL) after NODE, got '%s'",
				    l->tok[4]);
		c->len = 4096;
		c->on = l->nr == 5;
		return 0;
	}
	if (!strcmp(w, "clear_refs")) {
		c->kind = CMD_CLEAR_REFS;
		if (expect_tokens(l, 3, 3, "P TYPE") || get_proc(l, 1, &c->proc[0]) ||
		    get_ulong(l, 2, "TYPE", false, &c->n))
			return -1;
		if (c->n < 1 || c->n > 4)
			return perr(l, "clear_refs: TYPE is 1 (all), 2 (anon), 3 (mapped) or 4 "
				    "(soft-dirty), got %lu", c->n);
		return 0;
	}
	if (!strcmp(w, "pin")) {
		static const char *const modes[] = { "ro", "rw" };
		int m;

		c->kind = CMD_PIN;
		if (expect_tokens(l, 5, 6, "P ADDR LEN ro|rw [fast]") || parse_range(l, c))
			return -1;
		m = get_word(l, 4, "pin mode", modes, 2, "ro or rw");
		if (m < 0)
			return -1;
		if (l->nr == 6 && strcmp(l->tok[5], "fast"))
			return perr(l, "pin: expected fast after ro|rw, got '%s'", l->tok[5]);
		c->n = (m ? MMSIM_PIN_WRITE : 0) | (l->nr == 6 ? MMSIM_PIN_FAST : 0);
		return 0;
	}
	if (!strcmp(w, "mlockall")) {
		static const char *const flags[] = { "current", "future", "onfault" };

		c->kind = CMD_MLOCKALL;
		if (expect_tokens(l, 3, 5, "P current|future|onfault...") || get_proc(l, 1, &c->proc[0]))
			return -1;
		for (int i = 2; i < l->nr; i++) {
			int f = get_word(l, i, "flag", flags, 3, "current, future or onfault");

			if (f < 0)
				return -1;
			c->n |= 1UL << f;	/* MMSIM_MCL_CURRENT, _FUTURE, _ONFAULT */
		}
		return 0;
	}
	if (!strcmp(w, "munlockall")) {
		c->kind = CMD_MUNLOCKALL;
		return expect_tokens(l, 2, 2, "P") ?: get_proc(l, 1, &c->proc[0]);
	}
	if (!strcmp(w, "write")) {
		c->kind = CMD_WRITE;
		return expect_tokens(l, 5, 5, "P ADDR LEN FILL") ?: parse_range(l, c) ?:
		       parse_fill(l, 4, &c->fill);
	}
	if (!strcmp(w, "poke")) {
		c->kind = CMD_POKE;
		if (expect_tokens(l, 4, 4, "P ADDR VALUE") || get_proc(l, 1, &c->proc[0]) ||
		    get_addr(l, 2, "ADDR", false, &c->addr) || get_ulong(l, 3, "VALUE", false, &c->n))
			return -1;
		return c->n > 255 ? perr(l, "poke: VALUE must be 0..255, got %lu", c->n) : 0;
	}
	if (!strcmp(w, "read")) {
		c->kind = CMD_READ;
		return expect_tokens(l, 4, 4, "P ADDR LEN") ?: parse_range(l, c);
	}
	if (!strcmp(w, "expect") || !strcmp(w, "probe")) {
		c->kind = !strcmp(w, "expect") ? CMD_EXPECT : CMD_PROBE;
		return parse_expect(l, c);
	}
	if (!strcmp(w, "scheme")) {
		c->kind = CMD_SCHEME;
		if (expect_tokens(l, 2, 2, "NAME") || get_listed(l, 1, "scheme", mmsim_scheme_name) < 0)
			return -1;
		snprintf(c->word, sizeof(c->word), "%s", l->tok[1]);
		return 0;
	}
	if (!strcmp(w, "show"))
		return parse_show(l, c);
	if (!strcmp(w, "reclaim")) {
		c->kind = CMD_RECLAIM;
		return expect_tokens(l, 4, 4, "P ADDR LEN") ?: parse_range(l, c);
	}
	if (!strcmp(w, "memory")) {
		c->kind = CMD_MEMORY;
		if (expect_tokens(l, 2, 2, "SIZE (such as 256M or 64G)"))
			return -1;
		if (scn_parse_size(l->tok[1], &c->n) || c->n < (1UL << 20))
			return perr(l, "memory: expected SIZE, a multiple of 4096 of at least 1M (such as "
				    "256M or 64G), got '%s'", l->tok[1]);
		return 0;
	}
	if (!strcmp(w, "swap")) {
		c->kind = CMD_SWAP;
		if (expect_tokens(l, 2, 2, "SIZE (such as 64M)"))
			return -1;
		/* mkswap's least: the header page and nine slots. */
		if (scn_parse_size(l->tok[1], &c->n) || c->n < 10 * 4096UL)
			return perr(l, "swap: expected SIZE, a multiple of 4096 of at least 40K (such as "
				    "64M), got '%s'", l->tok[1]);
		return 0;
	}
	if (!strcmp(w, "anon_pgoff")) {
		/* In the order of enum mmsim_anon_pgoff. */
		static const char *const policies[] = { "kernel", "zero" };

		c->kind = CMD_ANON_PGOFF;
		if (expect_tokens(l, 2, 2, "kernel|zero"))
			return -1;
		v = get_word(l, 1, "policy", policies, ARRAY_SIZE(policies), "kernel or zero");
		if (v < 0)
			return -1;
		snprintf(c->word, sizeof(c->word), "%s", l->tok[1]);
		c->n = (unsigned long)v;
		return 0;
	}
	return perr(l, "unknown command '%s' (expected kernel, seed, thp, ksm, proc, fork, exit, "
		    "mmap, munmap, mprotect, mremap, madvise, prctl, write, poke, read, expect, "
		    "probe, scheme, show, reclaim, anon_pgoff or memory)", w);
}

/* Splits a line into tokens in place; drops the comment. -1 when too many. */
static int tokenize(char *s, struct line *l)
{
	char *hash = strchr(s, '#');

	if (hash)
		*hash = '\0';
	l->nr = 0;
	for (char *p = s; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (l->nr == MAX_TOKENS)
			return perr(l, "too many words on one line (at most %d)", MAX_TOKENS);
		l->tok[l->nr++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return 0;
}

static char *join_tokens(const struct line *l)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < l->nr; i++)
		len += strlen(l->tok[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < l->nr; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, l->tok[i]);
	}
	return s;
}

int scenario_parse_text(const char *name, const char *text, struct scenario *scn,
			char *err, size_t errlen)
{
	struct line l = { .file = name, .err = err, .errlen = errlen, .scn = scn };
	char *copy = strdup(text), *s, *next;
	const char *base = strrchr(name, '/');
	int cap = 0;

	memset(scn, 0, sizeof(*scn));
	scn->file = strdup(name);
	scn->name = scn->file ? (base ? scn->file + (base - name) + 1 : scn->file) : NULL;
	if (!copy || !scn->file) {
		free(copy);
		snprintf(err, errlen, "%s: out of memory", name);
		scenario_free(scn);
		return -1;
	}
	for (s = copy; s; s = next) {
		struct scn_command *c;

		next = strchr(s, '\n');
		if (next)
			*next++ = '\0';
		l.lineno++;
		if (tokenize(s, &l))
			goto fail;
		if (l.nr == 0)
			continue;
		if (scn->nr_cmds == cap) {
			int ncap = cap ? 2 * cap : 64;
			struct scn_command *n = realloc(scn->cmds, (size_t)ncap * sizeof(*n));

			if (!n) {
				perr(&l, "out of memory");
				goto fail;
			}
			scn->cmds = n;
			cap = ncap;
		}
		c = &scn->cmds[scn->nr_cmds];
		memset(c, 0, sizeof(*c));
		c->line = l.lineno;
		if (parse_line(&l, c))
			goto fail;
		c->text = join_tokens(&l);
		if (!c->text) {
			if (c->call)
				free(c->call->text);
			free(c->call);
			perr(&l, "out of memory");
			goto fail;
		}
		scn->nr_cmds++;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	scenario_free(scn);
	return -1;
}

/*
 * Text of n bytes, not NUL-terminated (a file's contents, a fuzzer's input):
 * a NUL byte is an error, since every line must be text.
 */
int scenario_parse_mem(const char *name, const char *buf, size_t n, struct scenario *scn,
		       char *err, size_t errlen)
{
	const char *nul = memchr(buf, '\0', n);
	char *text;
	int ret, line = 1;

	memset(scn, 0, sizeof(*scn));
	if (nul) {
		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		snprintf(err, errlen, "%s:%d: a NUL byte, but scenarios are text", name, line);
		return -1;
	}
	if (n > MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %lu bytes", name, MAX_FILE);
		return -1;
	}
	text = malloc(n + 1);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	memcpy(text, buf, n);
	text[n] = '\0';
	ret = scenario_parse_text(name, text, scn, err, errlen);
	free(text);
	return ret;
}

/*
 * A read error (a directory: EISDIR) is an error, never an empty scenario
 * that passes: fread() returns 0 either way, only ferror() tells them apart.
 */
int scenario_parse(const char *path, struct scenario *scn, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int ret, read_errno;

	memset(scn, 0, sizeof(*scn));
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	errno = 0;
	n = fread(buf, 1, MAX_FILE + 1, f);
	read_errno = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (read_errno) {
		free(buf);
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(read_errno));
		return -1;
	}
	ret = scenario_parse_mem(path, buf, n, scn, err, errlen);
	free(buf);
	return ret;
}

static bool range_ok(unsigned long addr, unsigned long len)
{
	return addr >= SCN_WINDOW_START && addr <= SCN_WINDOW_END &&
	       len <= SCN_WINDOW_END - addr;
}

/*
 * Every address the scenario will touch, checked before anything starts, by
 * both executors alike: on Linux the window holds no mapping of the
 * executor's own, and below it (mmap_min_addr) or above it (the 47-bit
 * TASK_SIZE) mmap fails, so a scenario outside it could mean something else
 * on each executor.
 */
/* Does the command touch only addresses inside the window? */
static bool in_window(const struct scn_command *c)
{
	switch (c->kind) {
	case CMD_MMAP:
	case CMD_MUNMAP:
	case CMD_MPROTECT:
	case CMD_MADVISE:
	case CMD_MLOCK:
	case CMD_MUNLOCK:
	case CMD_WRITE:
	case CMD_READ:
	case CMD_RECLAIM:
	case CMD_VMSPLICE:
	case CMD_PIN:
	case CMD_MOVE_PAGES:
		return range_ok(c->addr, c->len);
	case CMD_MREMAP:
		return range_ok(c->addr, c->len) && range_ok(c->addr2, c->len);
	case CMD_POKE:
		return range_ok(c->addr, 1);
	case CMD_EXPECT:
	case CMD_PROBE:
		if (c->q.kind == Q_ERRNO)
			return in_window(c->call);
		if (c->q.sim_only || c->q.kind == Q_KSM || c->q.kind == Q_KSM_STAT ||
		    c->q.kind == Q_SMAPS || c->q.kind == Q_THP_DISABLE || c->q.kind == Q_PIPE_BYTE ||
		    c->q.kind == Q_PINNED_BYTE)
			return true;
		return range_ok(c->q.addr[0], 1) &&
		       (c->q.kind != Q_SAME_FRAME || range_ok(c->q.addr[1], 1));
	default:
		return true;
	}
}

int scenario_check_window(const struct scenario *scn, char *err, size_t len)
{
	for (int i = 0; i < scn->nr_cmds; i++) {
		const struct scn_command *c = &scn->cmds[i];

		if (!in_window(c))
			return scn_fail(err, len, "line %d: %s: address outside [%#lx, %#lx), the "
				    "window scenarios run in", c->line, c->text, SCN_WINDOW_START,
				    SCN_WINDOW_END);
	}
	return 0;
}

void scenario_free(struct scenario *scn)
{
	for (int i = 0; i < scn->nr_cmds; i++) {
		if (scn->cmds[i].call)
			free(scn->cmds[i].call->text);
		free(scn->cmds[i].call);
		free(scn->cmds[i].text);
	}
	free(scn->cmds);
	free(scn->file);
	memset(scn, 0, sizeof(*scn));
}

int scn_pipe_byte(const struct scn_pipe_bytes *pb, const char *proc, unsigned long off,
		  struct scn_answer *ans, char *err, size_t len)
{
	if (!pb)
		return scn_fail(err, len, "pipe_byte: %s has read no pipe (pipe_read %s first)", proc,
				proc);
	if (off >= pb->len)
		return scn_fail(err, len, "pipe_byte: offset %lu is past the %zu bytes pipe_read %s read",
				off, pb->len, proc);
	ans->value = pb->bytes[off];
	return 0;
}

bool scn_compare(long long got, enum scn_op op, long long want)
{
	switch (op) {
	case OP_EQ: return got == want;
	case OP_NE: return got != want;
	case OP_LT: return got < want;
	case OP_LE: return got <= want;
	case OP_GT: return got > want;
	case OP_GE: return got >= want;
	}
	return false;
}
