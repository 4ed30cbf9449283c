// SPDX-License-Identifier: MIT
/*
 * mmsim explain: one self-contained web page that steps through a scenario,
 * each command with what the kernel does for it, pictures of the simulator's
 * model after it (cli/draw.c), every query's value, and the kernel's beside.
 */
#include "draw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <mmsim/mmsim.h>

/* What the kernel does for a command, in one or two sentences. */
static const char *advice_sentence(enum scn_advice a)
{
	switch (a) {
	case ADV_MERGEABLE:
		return "madvise(MADV_MERGEABLE) registers the VMA, and the mm, with KSM: ksmd will "
		       "scan its pages for equal contents. Nothing is merged yet.";
	case ADV_UNMERGEABLE:
		return "madvise(MADV_UNMERGEABLE) breaks every KSM page of the range back into a private "
		       "copy (break_ksm()) and takes the VMA off KSM's list.";
	case ADV_DONTNEED:
		return "madvise(MADV_DONTNEED) zaps the range: its entries are cleared and each folio loses "
		       "those mappings (freed with its last one); a PMD only partly inside is split first, "
		       "and a large folio left partly mapped waits on the deferred split queue.";
	case ADV_HUGEPAGE:
		return "madvise(MADV_HUGEPAGE) sets VM_HUGEPAGE: THP sizes in 'madvise' mode may now be "
		       "used by faults here.";
	case ADV_NOHUGEPAGE:
		return "madvise(MADV_NOHUGEPAGE) sets VM_NOHUGEPAGE: faults here allocate 4 KiB folios only.";
	default:
		return "madvise(MADV_PAGEOUT) reclaims the range's folios that no other process maps: "
		       "written to swap, their entries become swap entries, the folios are freed.";
	}
}

static const char *sentence(const struct scn_command *c)
{
	switch (c->kind) {
	case CMD_KERNEL:
		return "The simulator behaves as this Linux version from here on (docs/kernel-versions.md).";
	case CMD_SEED:
		return "Seeds the pattern and unique fills: the same contents on every run.";
	case CMD_THP:
		return "Writes transparent_hugepage/.../enabled: which folio sizes a page fault may allocate. "
		       "alloc_anon_folio() tries the largest enabled size whose aligned block fits in the "
		       "VMA over empty PTEs.";
	case CMD_KSM_SET:
		return "Writes tunables of /sys/kernel/mm/ksm.";
	case CMD_PROC:
		return "A new process: an mm_struct with no VMA and an empty top-level page table (PGD).";
	case CMD_FORK:
		return "fork(): dup_mmap() copies every VMA and anon_vma_fork() gives each a new anon_vma "
		       "under the parent's. copy_page_range() copies page-table entries, not memory: every "
		       "page gains a mapping, loses PageAnonExclusive, and private writable entries turn "
		       "read-only in both processes, so the next write faults (copy-on-write).";
	case CMD_EXIT:
		return "exit(): exit_mmap() zaps every mapping (each folio is freed with its last one) and "
		       "frees the page tables and VMAs. KSM may hold the mm until ksmd passes.";
	case CMD_MMAP:
		return "mmap(MAP_PRIVATE | MAP_ANONYMOUS): a new VMA (or a neighbour grown to cover it). "
		       "Nothing is allocated until the first touch.";
	case CMD_MUNMAP:
		return "munmap(): VMAs are split at the edges, the range's entries zapped (a PMD only partly "
		       "inside is split first) and emptied page tables freed. A large folio left partly "
		       "mapped waits on the deferred split queue.";
	case CMD_MPROTECT:
		return "mprotect(): the VMA is split at the range's edges and every entry inside gets the "
		       "new protection (change_protection()); a PMD only partly inside is split first.";
	case CMD_MREMAP:
		return "mremap(MREMAP_MAYMOVE | MREMAP_FIXED): the VMA moves and its entries are moved, "
		       "not copied. The folios keep their index, as the VMA keeps its vm_pgoff: that is how "
		       "the rmap still finds them.";
	case CMD_MADVISE:
		return advice_sentence(c->advice);
	case CMD_MLOCK:
	case CMD_MLOCKALL:
		return "mlock(): the VMAs get VM_LOCKED (split at the range's edges, merged with locked "
		       "neighbours) and are faulted in at once, with write faults where writable; with "
		       "onfault (VM_LOCKONFAULT) only the pages touched later. Their folios are mlocked "
		       "and sit on the unevictable LRU.";
	case CMD_MUNLOCK:
	case CMD_MUNLOCKALL:
		return "munlock(): VM_LOCKED and VM_LOCKONFAULT go (the VMAs split and merge again); a "
		       "folio no other locked VMA maps is munlocked. The pages stay.";
	case CMD_PRCTL:
		return "prctl(PR_SET_MEMORY_MERGE): every VMA of the process, and each new one, becomes "
		       "mergeable for KSM (off: unmerged and no longer mergeable). Inherited over fork.";
	case CMD_WRITE:
		return "Writes the range page by page. An empty entry faults in a new folio (the largest "
		       "enabled size that fits, else 4 KiB, exclusive to this process). A read-only "
		       "entry (copy-on-write) or the zero page: do_wp_page() reuses the folio when this "
		       "process is its only user, or else copies that one 4 KiB page.";
	case CMD_POKE:
		return "Writes one byte: the same faults as a write of that page.";
	case CMD_READ:
		return "Reads the range. An empty entry maps the shared zero page (or, for a 2 MiB THP "
		       "area, the huge zero folio): nothing is allocated.";
	case CMD_KSM_SCAN:
		return "ksmd makes full passes over the mergeable memory. A page equal to a KSM page of "
		       "the stable tree is merged into it; one equal to a page of the unstable tree is "
		       "merged with it into a new KSM page, which goes into the stable tree; the other "
		       "unchanged pages go into the unstable tree, rebuilt every pass.";
	case CMD_KHUGEPAGED_SET:
		return "Writes tunables of /sys/kernel/mm/transparent_hugepage/khugepaged.";
	case CMD_KHUGEPAGED_SCAN:
		return "khugepaged makes full passes over the processes registered with it: each 2 MiB "
		       "block of a VMA that may hold a THP is copied into a new THP mapped by the PMD "
		       "when its holes, swapped-out and shared pages stay within max_ptes_none, "
		       "max_ptes_swap and max_ptes_shared and a page was used recently.";
	case CMD_KSM_UNMERGE:
		return "run=2: every KSM page is broken back into private copies and ksmd stops.";
	case CMD_SCHEME:
		return "Simulator only: the folio mapcount scheme in use (docs/mapcount-schemes.md).";
	case CMD_RECLAIM:
		return "Simulator only: global reclaim of the range, as memory pressure would: shared and "
		       "KSM folios too, unmapped everywhere through the rmap and written to swap.";
	case CMD_SHOW:
		return "Simulator only: prints part of the model.";
	default:
		return "Simulator only: a policy of one of the seed experiments.";
	}
}

/* ---- The kernel's answers ------------------------------------------------------ */

struct kvalue {
	int line;
	bool skip;
	long long value;
};

struct kernel_side {
	struct kvalue *v;
	int nr;
	char note[768];			/* why there are none, or which run they come from */
};

static const struct kvalue *kernel_value(const struct kernel_side *k, int line)
{
	for (int i = 0; i < k->nr; i++)
		if (k->v[i].line == line)
			return &k->v[i];
	return NULL;
}

/* Runs the scenario on this machine's kernel, as mmsim run --kernel would. */
static void kernel_run(const char *path, struct kernel_side *k)
{
	struct scenario scn;
	struct scn_executor ex = { 0 };
	struct scn_report r;
	FILE *devnull = fopen("/dev/null", "w");
	struct tap tap = { .out = devnull ? devnull : stderr };
	char err[384];

	if (scenario_parse(path, &scn, err, sizeof(err))) {
		snprintf(k->note, sizeof(k->note), "%s", err);
		if (devnull)
			fclose(devnull);
		return;
	}
	ex.scn = &scn;
	ex.seed = 1;
	if (kernel_executor_create(&ex, &scn, err, sizeof(err))) {
		snprintf(k->note, sizeof(k->note), "the kernel could not run it: %s", err);
	} else {
		scenario_run(&scn, &ex, &tap, &r);
		ex.ops->finish(&ex);
		k->v = calloc((size_t)r.nr + 1, sizeof(*k->v));
		for (int i = 0; k->v && i < r.nr; i++)
			k->v[k->nr++] = (struct kvalue){ r.results[i].cmd->line, r.results[i].ans.skip,
							 r.results[i].ans.value };
		struct utsname u;

		if (r.bail[0])
			snprintf(k->note, sizeof(k->note), "this machine's Linux, until: %s", r.bail);
		else
			snprintf(k->note, sizeof(k->note), "this machine's Linux %s",
				 uname(&u) ? "" : u.release);
		scn_report_free(&r);
	}
	if (devnull)
		fclose(devnull);
	scenario_free(&scn);
}

/*
 * The results of `mmsim run --kernel --json FILE` (cli/run.c writes them):
 * every {"line": N, ..., "value": V or "status": "skip"} of the first file.
 */
static int kernel_json(const char *path, struct kernel_side *k, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, *p;
	size_t cap = 0, len = 0;

	if (!f)
		return scn_fail(err, errlen, "cannot read %s: %s", path, strerror(errno));
	for (;;) {
		if (len + 4096 > cap) {
			char *t = realloc(text, cap = 2 * cap + 8192);

			if (!t) {
				fclose(f);
				free(text);
				return scn_fail(err, errlen, "out of memory");
			}
			text = t;
		}
		size_t n = fread(text + len, 1, 4095, f);

		len += n;
		if (!n)
			break;
	}
	fclose(f);
	text[len] = '\0';
	if (!strstr(text, "\"executor\": \"kernel\"")) {
		free(text);
		return scn_fail(err, errlen, "%s: not the output of mmsim run --kernel --json", path);
	}
	for (p = text; (p = strstr(p, "{\"line\": ")); ) {
		struct kvalue v = { 0 };
		char *end = strchr(p, '}'), *val;
		struct kvalue *nv;

		v.line = atoi(p + 9);
		if (!end)
			break;
		*end = '\0';
		val = strstr(p, "\"value\": ");
		v.skip = !val;
		if (val) {
			val += 9;
			v.value = !strncmp(val, "\"yes\"", 5) ? 1 : !strncmp(val, "\"no\"", 4) ? 0 :
				  strtoll(val, NULL, 10);
		}
		nv = realloc(k->v, (size_t)(k->nr + 1) * sizeof(*nv));
		if (!nv) {
			free(text);
			return scn_fail(err, errlen, "out of memory");
		}
		k->v = nv;
		k->v[k->nr++] = v;
		p = end + 1;
	}
	free(text);
	snprintf(k->note, sizeof(k->note), "%s", path);
	return 0;
}

/* ---- The page ---------------------------------------------------------------- */

static void html_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else
			fputc(*s, out);
	}
}

/* The scenario's comment lines just above each line, from the file itself. */
struct notes {
	char **above;			/* by line number: the comments above it, or NULL */
	int nr_lines;
};

static void notes_read(struct notes *n, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], block[4096] = "";

	memset(n, 0, sizeof(*n));
	if (!f)
		return;
	for (int no = 1; fgets(line, sizeof(line), f); no++) {
		char *s = line + strspn(line, " \t");
		char **a;

		s[strcspn(s, "\r\n")] = '\0';
		if (s[0] == '#') {
			s += 1 + (s[1] == ' ');
			if (strlen(block) + strlen(s) + 2 < sizeof(block))
				strcat(strcat(block, block[0] ? " " : ""), s);
			continue;
		}
		if (!s[0] || !block[0]) {
			block[0] = '\0';
			continue;
		}
		a = realloc(n->above, (size_t)(no + 1) * sizeof(*a));
		if (!a)
			break;
		memset(a + n->nr_lines, 0, (size_t)(no + 1 - n->nr_lines) * sizeof(*a));
		n->above = a;
		n->nr_lines = no + 1;
		n->above[no] = strdup(block);
		block[0] = '\0';
	}
	fclose(f);
}

static const char *note_above(const struct notes *n, int line)
{
	return line < n->nr_lines ? n->above[line] : NULL;
}

static void notes_free(struct notes *n)
{
	for (int i = 0; i < n->nr_lines; i++)
		free(n->above[i]);
	free(n->above);
}

/* Which views the page shows: the process view always, the others when they matter. */
static void pick_views(const struct scenario *scn, bool views[4])
{
	views[MMSIM_DRAW_PROCESS] = true;
	for (int i = 0; i < scn->nr_cmds; i++) {
		const struct scn_command *c = &scn->cmds[i];

		if (c->kind == CMD_FORK || c->kind == CMD_MREMAP)
			views[MMSIM_DRAW_ANON_VMA] = true;
		if (c->kind == CMD_KSM_SCAN || c->kind == CMD_PRCTL ||
		    (c->kind == CMD_MADVISE && c->advice == ADV_MERGEABLE))
			views[MMSIM_DRAW_KSM] = true;
	}
}

static const char *const view_titles[4] = {
	"processes: page tables and folios", "folio", "anon_vmas", "KSM trees",
};

/* Every distinct picture of one view, in step order; a step whose DOT is the last one's reuses it. */
struct view_pictures {
	char **dots;
	int *ids;			/* the <div> holding each one's SVG */
	int nr, cap;
};

static const char CSS[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0;background:#fafafa;color:#111;"
	"font-size:20px}"
	"header{display:flex;align-items:center;gap:1em;padding:.4em 1em;background:#22313f;color:#fff}"
	"header h1{font-size:1.2em;margin:0;flex:1}"
	"button{font-size:1em;padding:.25em .8em;border-radius:.3em;border:1px solid #888;"
	"background:#fff;cursor:pointer}button:disabled{opacity:.4}"
	"button.on{background:#ffd866;font-weight:bold}"
	"main{display:flex;height:calc(100vh - 3.2em)}"
	"#side{width:30%;min-width:22em;overflow:auto;padding:.6em 1em;border-right:2px solid #ddd;"
	"background:#fff}"
	"#pic{flex:1;overflow:auto;padding:.5em;display:flex;flex-direction:column}"
	"#tabs{margin-bottom:.4em}"
	".cmd{font-family:'DejaVu Sans Mono',monospace;font-size:1.15em;background:#22313f;color:#ffd866;"
	"padding:.4em .6em;border-radius:.3em;white-space:pre-wrap;position:sticky;top:0}"
	".note{color:#555;font-style:italic;margin:.5em 0}"
	".what{margin:.6em 0;line-height:1.4}"
	"table.q{border-collapse:collapse;width:100%;font-size:.85em;margin-top:.6em}"
	"table.q td,table.q th{border:1px solid #ccc;padding:.2em .4em;text-align:left}"
	"table.q td.v{font-family:'DejaVu Sans Mono',monospace;text-align:right}"
	"tr.bad td{background:#ffd0d0}tr.fail td{background:#ffe8b0}"
	".step,.svg{display:none}.step.on{display:block}.svg.on{display:block;flex:1}"
	".svg svg{width:100%;height:100%;max-height:calc(100vh - 7em)}"
	"#list{font-family:'DejaVu Sans Mono',monospace;font-size:.7em;margin-top:1em;"
	"border-top:1px solid #ddd;padding-top:.5em}"
	"#list div{cursor:pointer;padding:.05em .3em}#list div.on{background:#ffd866}"
	"kbd{border:1px solid #999;border-radius:.2em;padding:0 .3em;font-size:.8em}"
	"#side.hide{display:none}";

static const char SCRIPT[] =
	"var steps=document.querySelectorAll('.step'),views=JSON.parse(document.body.dataset.views),"
	"cur=0,view=views[0],errors=[],hash0=location.hash;\n"
	"window.addEventListener('error',function(e){errors.push(String(e.message));});\n"
	"function svgOf(i,v){var s=steps[i].dataset['svg'+v];return s?document.getElementById('svg'+s):null;}\n"
	"function show(i){if(i<0||i>=steps.length)return;cur=i;\n"
	" steps.forEach(function(s,k){s.classList.toggle('on',k==i);});\n"
	" document.querySelectorAll('#list div').forEach(function(d,k){d.classList.toggle('on',k==i);});\n"
	" document.getElementById('side').scrollTop=0;\n"
	" document.querySelectorAll('.svg').forEach(function(d){d.classList.remove('on');});\n"
	" var p=svgOf(i,view);if(p)p.classList.add('on');\n"
	" document.querySelectorAll('#tabs button').forEach(function(b){b.classList.toggle('on',"
	"b.dataset.view==view);});\n"
	" document.getElementById('pos').textContent='step '+(i+1)+' of '+steps.length;\n"
	" document.getElementById('prev').disabled=i==0;"
	"document.getElementById('next').disabled=i==steps.length-1;\n"
	" history.replaceState(null,'','#step-'+(i+1));}\n"
	"function setView(v){view=v;show(cur);}\n"
	"document.getElementById('prev').onclick=function(){show(cur-1);};\n"
	"document.getElementById('next').onclick=function(){show(cur+1);};\n"
	"document.querySelectorAll('#tabs button').forEach(function(b){b.onclick=function(){"
	"setView(b.dataset.view);};});\n"
	"document.querySelectorAll('#list div').forEach(function(d,k){d.onclick=function(){show(k);};});\n"
	"document.addEventListener('keydown',function(e){\n"
	" if(e.key=='ArrowRight'||e.key==' '||e.key=='PageDown'){show(cur+1);e.preventDefault();}\n"
	" else if(e.key=='ArrowLeft'||e.key=='PageUp'){show(cur-1);e.preventDefault();}\n"
	" else if(e.key=='Home')show(0);else if(e.key=='End')show(steps.length-1);\n"
	" else if(e.key>='1'&&e.key<=String(views.length))setView(views[e.key-1]);\n"
	" else if(e.key=='+'||e.key=='=')zoomBy(1.25);else if(e.key=='-')zoomBy(0.8);\n"
	" else if(e.key=='0')zoomBy(0);\n"
	" else if(e.key=='f')document.getElementById('side').classList.toggle('hide');});\n"
	/* Zoom: the pictures at a multiple of the panel's width, scrolled; 0 fits them again. */
	"var zoom=1;function zoomBy(k){zoom=k?Math.max(1,zoom*k):1;document.querySelectorAll('.svg svg')"
	".forEach(function(s){s.style.width=(zoom*100)+'%';s.style.height=zoom==1?'100%':'auto';"
	"s.style.maxHeight=zoom==1?'':'none';});}\n"
	"var m=/^#step-(\\d+)$/.exec(hash0);show(m?Math.min(+m[1],steps.length)-1:0);\n"
	/* #selftest: every step and view shows an SVG that has size; the verdict in #selftest. */
	"if(hash0=='#selftest'){var bad=[];for(var i=0;i<steps.length;i++){"
	"views.forEach(function(v){setView(v);show(i);var p=svgOf(i,v),s=p&&p.querySelector('svg');"
	"var r=s&&s.getBoundingClientRect();if(!s||r.width<10||r.height<10)bad.push((i+1)+'/'+v);});}"
	"setView(views[0]);show(0);var t=document.createElement('pre');t.id='selftest';"
	"t.textContent=(bad.length||errors.length?'SELFTEST FAIL ':'SELFTEST PASS ')+'steps='+"
	"steps.length+' views='+views.length+' bad='+bad.join(',')+' errors='+errors.join(' | ');"
	"document.body.appendChild(t);}\n";

struct page {
	FILE *side, *pics;		/* the steps' panels; the pictures */
	const struct stepper *st;
	const struct kernel_side *kern;
	const struct notes *notes;
	bool views[4];
	struct view_pictures pics_of[4];
	int nr_svgs;
};

/* Draws view v now; a new picture unless it is the last one again. */
static int picture(struct page *pg, int v, int *id, char *err, size_t errlen)
{
	struct view_pictures *vp = &pg->pics_of[v];
	char *dot;

	if (sim_executor_draw((struct scn_executor *)&pg->st->ex, v, -1, 0, NULL, &dot, err, errlen))
		return -1;
	if (vp->nr && !strcmp(vp->dots[vp->nr - 1], dot)) {
		free(dot);
		*id = vp->ids[vp->nr - 1];
		return 0;
	}
	if (vp->nr == vp->cap) {
		int cap = vp->cap ? 2 * vp->cap : 16;
		char **d = realloc(vp->dots, (size_t)cap * sizeof(*d));
		int *ids = d ? realloc(vp->ids, (size_t)cap * sizeof(*ids)) : NULL;

		if (d)
			vp->dots = d;
		if (!d || !ids) {
			free(dot);
			return scn_fail(err, errlen, "out of memory");
		}
		vp->ids = ids;
		vp->cap = cap;
	}
	vp->dots[vp->nr] = dot;
	vp->ids[vp->nr++] = *id = ++pg->nr_svgs;
	return 0;
}

/*
 * Every picture of view v as SVG into the page: laid out alike (cli/layout.c)
 * so that objects keep their places from step to step, or each on its own
 * by dot if that fails.
 */
static int write_pictures(struct page *pg, int v, char *err, size_t errlen)
{
	struct view_pictures *vp = &pg->pics_of[v];
	char **svgs = calloc((size_t)vp->nr + 1, sizeof(*svgs));
	size_t len;
	int ret = 0;

	if (!svgs)
		return scn_fail(err, errlen, "out of memory");
	if (vp->nr && layout_stable(vp->dots, vp->nr, svgs, err, errlen)) {
		fprintf(stderr, "mmsim explain: %s view: no stable layout (%s): each step laid out "
			"on its own\n", draw_view_names[v], err);
		for (int i = 0; i < vp->nr && !ret; i++)
			ret = draw_render(vp->dots[i], "svg", &svgs[i], &len, err, errlen);
	}
	for (int i = 0; i < vp->nr; i++) {
		const char *start = svgs[i] ? strstr(svgs[i], "<svg") : NULL;

		if (!ret)
			fprintf(pg->pics, "<div class=\"svg\" id=\"svg%d\">%s</div>\n", vp->ids[i],
				start ? start : "");
		free(svgs[i]);
	}
	free(svgs);
	return ret;
}

static void free_pictures(struct view_pictures *vp)
{
	for (int i = 0; i < vp->nr; i++)
		free(vp->dots[i]);
	free(vp->dots);
	free(vp->ids);
}

static void format_answer(const struct scn_command *c, bool skip, long long v, char *buf,
			  size_t len)
{
	if (skip)
		snprintf(buf, len, "skip");
	else if (c->q.yesno)
		snprintf(buf, len, "%s", v ? "yes" : "no");
	else
		snprintf(buf, len, "%lld", v);
}

static void query_rows(struct page *pg, int from, int to)
{
	const struct scn_report *r = &pg->st->report;
	bool any = false;

	for (int k = 0; k < r->nr; k++) {
		const struct scn_result *res = &r->results[k];
		const struct scn_command *c = res->cmd;
		const struct kvalue *kv = kernel_value(pg->kern, c->line);
		char sv[32], kvs[32] = "";
		bool differs;

		if (c < &pg->st->scn.cmds[from] || c >= &pg->st->scn.cmds[to])
			continue;
		if (!any)
			fprintf(pg->side, "<table class=\"q\"><tr><th>query</th><th>simulator</th>%s"
				"<th>expected</th></tr>", pg->kern->nr ? "<th>kernel</th>" : "");
		any = true;
		format_answer(c, res->ans.skip, res->ans.value, sv, sizeof(sv));
		if (kv)
			format_answer(c, kv->skip, kv->value, kvs, sizeof(kvs));
		differs = kv && !kv->skip && (res->ans.skip || kv->value != res->ans.value);
		fprintf(pg->side, "<tr class=\"%s\"><td>", differs ? "bad" :
			c->kind == CMD_EXPECT && !res->ans.skip && !res->passed ? "fail" : "");
		html_text(pg->side, c->text);
		fprintf(pg->side, "</td><td class=\"v\">%s</td>", sv);
		if (pg->kern->nr)
			fprintf(pg->side, "<td class=\"v\">%s</td>", kv ? kvs : "-");
		fprintf(pg->side, "<td class=\"v\">");
		if (c->kind == CMD_EXPECT) {
			static const char *const ops[] = { "==", "!=", "&lt;", "&lt;=", "&gt;", "&gt;=" };

			fprintf(pg->side, "%s ", ops[c->op]);
			if (c->q.yesno)
				fprintf(pg->side, "%s", c->value ? "yes" : "no");
			else
				fprintf(pg->side, "%lld", c->value);
		} else {
			fprintf(pg->side, "probe");
		}
		fprintf(pg->side, "</td></tr>");
	}
	if (any)
		fprintf(pg->side, "</table>");
}

/* One step: a command and the queries after it. Run them, draw, write its panel. */
static int write_step(struct page *pg, struct stepper *st, int n, char *err, size_t errlen)
{
	int first = st->next, ids[4] = { 0 };
	const struct scn_command *c = &st->scn.cmds[first];
	const char *note = note_above(pg->notes, c->line);

	do {
		if (stepper_step(st, err, errlen))
			return -1;
	} while (st->next < st->scn.nr_cmds &&
		 (st->scn.cmds[st->next].kind == CMD_EXPECT || st->scn.cmds[st->next].kind == CMD_PROBE));
	for (int v = 0; v < 4; v++)
		if (pg->views[v] && picture(pg, v, &ids[v], err, errlen))
			return -1;
	fprintf(pg->side, "<div class=\"step\" id=\"step%d\"", n);
	for (int v = 0; v < 4; v++)
		if (ids[v])
			fprintf(pg->side, " data-svg%s=\"%d\"", draw_view_names[v], ids[v]);
	fprintf(pg->side, "><div class=\"cmd\">%d: ", c->line);
	html_text(pg->side, c->text);
	fprintf(pg->side, "</div>");
	if (note) {
		fprintf(pg->side, "<div class=\"note\">");
		html_text(pg->side, note);
		fprintf(pg->side, "</div>");
	}
	if (c->kind != CMD_EXPECT && c->kind != CMD_PROBE)
		fprintf(pg->side, "<div class=\"what\">%s</div>", sentence(c));
	query_rows(pg, first, st->next);
	if (st->lacks[0]) {
		fprintf(pg->side, "<p class=\"note\">The run stopped here: ");
		html_text(pg->side, st->lacks);
		fprintf(pg->side, "</p>");
	}
	fprintf(pg->side, "</div>\n");
	return 0;
}

static void write_head(struct page *pg, FILE *out)
{
	const struct scenario *scn = &pg->st->scn;
	bool first = true;

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>mmsim explain: ");
	html_text(out, scn->name);
	fprintf(out, "</title><style>%s</style></head>\n<body data-views='[", CSS);
	for (int v = 0; v < 4; v++) {
		if (!pg->views[v])
			continue;
		fprintf(out, "%s\"%s\"", first ? "" : ",", draw_view_names[v]);
		first = false;
	}
	fprintf(out, "]'>\n<header><h1>");
	html_text(out, scn->name);
	fprintf(out, "</h1><span id=\"pos\"></span><button id=\"prev\" title=\"previous step "
		"(left arrow)\">&#9664; back</button><button id=\"next\" title=\"next step (right "
		"arrow, space)\">next &#9654;</button></header>\n<main><div id=\"side\">\n");
}

static void write_tail(struct page *pg, FILE *out)
{
	const struct scenario *scn = &pg->st->scn;

	fprintf(out, "<div id=\"list\">");
	for (int i = 0; i < scn->nr_cmds; i++) {
		const struct scn_command *c = &scn->cmds[i];

		if (i && (c->kind == CMD_EXPECT || c->kind == CMD_PROBE))
			continue;
		fprintf(out, "<div>%d: ", c->line);
		html_text(out, c->text);
		fprintf(out, "</div>");
	}
	fprintf(out, "</div><p class=\"note\"><kbd>&#8592;</kbd> <kbd>&#8594;</kbd> step, ");
	for (int v = 0, k = 1; v < 4; v++)
		if (pg->views[v])
			fprintf(out, "<kbd>%d</kbd> %s, ", k++, draw_view_names[v]);
	fprintf(out, "<kbd>Home</kbd> <kbd>End</kbd>, <kbd>+</kbd> <kbd>-</kbd> <kbd>0</kbd> zoom, "
		"<kbd>f</kbd> this panel off and on. Pictures: the simulator's model, each object "
		"in the same place at every step. %s",
		pg->kern->nr ? "Kernel values from " : pg->kern->note[0] ? "No kernel values: " :
		"No kernel run.");
	html_text(out, pg->kern->note);
	fprintf(out, "</p></div>\n<div id=\"pic\"><div id=\"tabs\">");
	for (int v = 0; v < 4; v++)
		if (pg->views[v])
			fprintf(out, "<button data-view=\"%s\">%s</button> ", draw_view_names[v],
				view_titles[v]);
	fprintf(out, "</div>\n");
}

static void explain_usage(FILE *out)
{
	fprintf(out,
		"usage: mmsim explain FILE -o PAGE.html [--kernel | --kernel-json JSON]\n"
		"  one self-contained web page stepping through the scenario on the\n"
		"  simulator: each command, what the kernel does for it, pictures of the\n"
		"  model after it (Graphviz's dot lays them out), and every query's value.\n"
		"  --kernel       also run it on this machine's Linux (root) and show the\n"
		"                 kernel's values beside, differences in red\n"
		"  --kernel-json  take the kernel's values from `mmsim run --kernel --json FILE`\n"
		"  Keys: left/right arrows or space step, 1-3 switch pictures.\n");
}

int cmd_explain(int argc, char **argv)
{
	const char *file = NULL, *out = NULL, *json = NULL;
	bool kernel = false;
	struct kernel_side kern = { 0 };
	struct stepper st;
	struct notes notes;
	struct page pg = { 0 };
	char err[640];
	int ret = 2, n = 0;
	FILE *html;
	char *side_buf = NULL, *pics_buf = NULL;
	size_t side_len = 0, pics_len = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			explain_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--kernel")) {
			kernel = true;
		} else if (!strcmp(argv[i], "--kernel-json") && i + 1 < argc) {
			json = argv[++i];
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			explain_usage(stderr);
			return 2;
		}
	}
	if (!file || !out || (kernel && json)) {
		explain_usage(stderr);
		return 2;
	}
	if (stepper_open(&st, file, err, sizeof(err))) {
		fprintf(stderr, "mmsim explain: %s\n", err);
		return 2;
	}
	if (json && kernel_json(json, &kern, err, sizeof(err))) {
		fprintf(stderr, "mmsim explain: %s\n", err);
		stepper_close(&st);
		return 2;
	}
	if (kernel)
		kernel_run(file, &kern);
	if (kernel && !kern.nr)
		fprintf(stderr, "mmsim explain: no kernel values: %s\n", kern.note);
	notes_read(&notes, file);
	pg.st = &st;
	pg.kern = &kern;
	pg.notes = &notes;
	pick_views(&st.scn, pg.views);
	pg.side = open_memstream(&side_buf, &side_len);
	pg.pics = open_memstream(&pics_buf, &pics_len);
	if (!pg.side || !pg.pics) {
		snprintf(err, sizeof(err), "out of memory");
		goto done;
	}
	while (st.next < st.scn.nr_cmds)
		if (write_step(&pg, &st, n++, err, sizeof(err)))
			goto done;
	for (int v = 0; v < 4; v++)
		if (pg.views[v] && write_pictures(&pg, v, err, sizeof(err)))
			goto done;
	if (fclose(pg.side) | fclose(pg.pics)) {
		pg.side = pg.pics = NULL;
		snprintf(err, sizeof(err), "out of memory");
		goto done;
	}
	pg.side = pg.pics = NULL;
	html = fopen(out, "w");
	if (!html) {
		snprintf(err, sizeof(err), "cannot write %s: %s", out, strerror(errno));
		goto done;
	}
	write_head(&pg, html);
	fwrite(side_buf, 1, side_len, html);
	write_tail(&pg, html);
	fwrite(pics_buf, 1, pics_len, html);
	fprintf(html, "</div></main>\n<script>\n%s</script></body></html>\n", SCRIPT);
	if (fclose(html))
		snprintf(err, sizeof(err), "cannot write %s", out);
	else
		ret = 0;
done:
	if (ret)
		fprintf(stderr, "mmsim explain: %s\n", err);
	if (pg.side)
		fclose(pg.side);
	if (pg.pics)
		fclose(pg.pics);
	free(side_buf);
	free(pics_buf);
	for (int v = 0; v < 4; v++)
		free_pictures(&pg.pics_of[v]);
	notes_free(&notes);
	free(kern.v);
	stepper_close(&st);
	return ret;
}
