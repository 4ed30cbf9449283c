/* SPDX-License-Identifier: MIT */
/*
 * Captures built by hand for the tests of the capture file, its replay and
 * the whatif commands: VMAs and present pages, contents by fingerprint.
 */
#ifndef MMSIM_TEST_CAPTURE_UTIL_H
#define MMSIM_TEST_CAPTURE_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture_db.h"

static inline void fp_of_byte(int c, struct cap_fp *fp)
{
	unsigned char page[4096];

	memset(page, c, sizeof(page));
	cap_fingerprint(page, fp);
}

/* A private rw VMA with smaps VmFlags flags; p->vmas must have room. */
static inline void add_vma(struct cap_proc *p, uint64_t start, uint64_t end, const char *flags)
{
	struct cap_vma *v = &p->vmas[p->nr_vmas++];

	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	snprintf(v->perms, sizeof(v->perms), "rw-p");
	snprintf(v->vm_flags, sizeof(v->vm_flags), "%s", flags);
}

/* A present small anonymous page of frame pfn filled with byte c; p->pages must have room. */
static inline struct cap_page *add_page(struct cap_proc *p, uint64_t addr, uint64_t pfn, int c)
{
	struct cap_page *pg = &p->pages[p->nr_pages++];

	memset(pg, 0, sizeof(*pg));
	pg->addr = addr;
	pg->pfn = pg->folio_pfn = pfn;
	pg->kpagecount = 1;
	pg->kpageflags = 1ULL << CAP_KPF_ANON;
	pg->has_fp = true;
	fp_of_byte(c, &pg->fp);
	return pg;
}

/* Removes a test's directory and the files in it. */
static inline void remove_test_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char p[384];

		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

#endif /* MMSIM_TEST_CAPTURE_UTIL_H */
