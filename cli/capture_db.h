/* SPDX-License-Identifier: MIT */
/*
 * A capture of live processes (mmsim capture) in memory, and its file: an
 * SQLite database whose schema, versioned, is docs/capture-format.md.
 */
#ifndef MMSIM_CLI_CAPTURE_DB_H
#define MMSIM_CLI_CAPTURE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPTURE_SCHEMA_VERSION	1

/* /proc/kpageflags bits the capture reads (KPF_*). */
#define CAP_KPF_ANON		12
#define CAP_KPF_COMPOUND_HEAD	15
#define CAP_KPF_COMPOUND_TAIL	16
#define CAP_KPF_KSM		21
#define CAP_KPF_THP		22
#define CAP_KPF_ZERO_PAGE	24

struct cap_fp {
	uint8_t b[16];			/* XXH3_128bits of the page, big-endian */
};

/* One present (or swapped) anonymous page, or a zero-page mapping. */
struct cap_page {
	uint64_t addr, pfn, kpageflags, kpagecount;
	uint64_t folio_pfn;		/* the head's pfn (pfn for a small folio) */
	int folio_order;
	bool exclusive, swap, has_fp;
	struct cap_fp fp;
};

struct cap_vma {
	uint64_t start, end, pgoff;
	char perms[8];			/* "rw-p" */
	char name[256];			/* the path, [heap], [stack], or "" */
	char vm_flags[160];		/* smaps VmFlags, e.g. "rd wr mr mw me ac mg" */
	long rss_kb, pss_kb, anonymous_kb, anon_huge_kb;
	long swap_kb;			/* read, not stored: a VMA without Rss or Swap is not walked */
};

struct cap_proc {
	int pid, ppid;
	char comm[32];
	unsigned long long start_time;	/* /proc/PID/stat starttime, to know it again */
	bool merge_any;
	long anonymous_kb, anon_huge_kb, pss_anon_kb;	/* smaps_rollup */
	struct cap_vma *vmas;
	size_t nr_vmas;
	struct cap_page *pages;		/* sorted by addr */
	size_t nr_pages;
};

/* A page written between two samples of the time series. */
struct cap_write {
	int seq;
	long t_ms;			/* since the snapshot */
	int pid;
	uint64_t addr;
	bool present;			/* false: gone (unmapped or swapped out) */
	struct cap_fp fp;
};

struct cap_setting {
	char name[96];			/* ksm/pages_to_scan, transparent_hugepage/enabled */
	char value[64];
};

struct capture {
	int schema_version;
	char kernel[128];		/* uname -r */
	char captured_at[32];		/* UTC, ISO 8601 */
	bool soft_dirty;		/* the time series used soft-dirty bits */
	long interval_ms, duration_ms;	/* 0: no time series */
	struct cap_setting *settings;
	size_t nr_settings;
	struct cap_proc *procs;		/* sorted by pid */
	size_t nr_procs;
	struct cap_write *writes;	/* sorted by seq, pid, addr */
	size_t nr_writes;
};

/* Frees everything the capture owns, leaving it empty. */
void capture_free(struct capture *cap);

/*
 * Writes the capture to path atomically: a temporary file beside it, renamed
 * over path only when complete. *stop (may be NULL), set by a signal
 * handler, abandons the write; nothing is left then. 0 or -1 with err.
 */
int capture_save(const struct capture *cap, const char *path, volatile int *stop, char *err,
		 size_t len);
/* Reads a capture; 0 or -1 with err (not SQLite, corrupt, newer schema ...). */
int capture_load(const char *path, struct capture *cap, char *err, size_t len);

/* The processes whose pid is pid: NULL when not captured. */
struct cap_proc *capture_proc(const struct capture *cap, int pid);
/* A setting by name ("ksm/run"), NULL when not recorded. */
const char *capture_setting(const struct capture *cap, const char *name);

/* The fingerprint of a page's bytes (XXH3_128bits). */
void cap_fingerprint(const void *page, struct cap_fp *fp);
/* The fingerprint of a page of zeros. */
bool cap_fp_is_zero(const struct cap_fp *fp);

#endif /* MMSIM_CLI_CAPTURE_DB_H */
