/* SPDX-License-Identifier: MIT */
/*
 * mmsim: a deterministic userspace model of Linux memory management.
 * This is the whole public API. Everything returns 0 or a negative errno
 * value (-EINVAL, -ENOMEM, -EEXIST, -EFAULT, ...) as the kernel would. A
 * call refused for its arguments leaves the model as it was; one that Linux
 * carries out in part before failing (mprotect or MADV_POPULATE over a
 * hole) does that same part here (the error contract below).
 */
#ifndef MMSIM_MMSIM_H
#define MMSIM_MMSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MMSIM_PAGE_SIZE 4096UL

#if defined(__GNUC__)
#define MMSIM_API __attribute__((visibility("default")))
#else
#define MMSIM_API
#endif

/* One simulator instance owns everything; instances never share state. */
struct mmsim;

/*
 * The release of the library linked in ("0.1.0"), which may be newer than
 * the headers a program was built with (MMSIM_VERSION_STRING).
 */
MMSIM_API const char *mmsim_version(void);
/*
 * What a config may name, for front ends that list or check the choices:
 * the i-th Linux version whose behaviour the library follows (from 0, the
 * default first; NULL past the last), and the i-th folio mapcount scheme.
 */
MMSIM_API const char *mmsim_kernel_version(int i);
MMSIM_API const char *mmsim_scheme_name(int i);

/*
 * Seed 004 (docs/experiments/seed-004-anon-vm-pgoff.md): the vm_pgoff that
 * do_mmap() gives a new anonymous VMA. Linux: vm_start >> PAGE_SHIFT. The
 * one-liner of the seed's thread: 0.
 */
enum mmsim_anon_pgoff {
	MMSIM_ANON_PGOFF_KERNEL,	/* vm_start >> PAGE_SHIFT (the default) */
	MMSIM_ANON_PGOFF_ZERO,		/* 0 */
};

/*
 * When the invariant checker runs by itself (mmsim_verify() can always be
 * called). A full check costs time linear in the simulated memory, so
 * checking after every call of a workload that writes page by page is
 * quadratic: front ends check after each of their commands instead.
 */
enum mmsim_verify_level {
	MMSIM_VERIFY_DEFAULT,	/* as verify_every_step says: CALL when true, else OFF */
	MMSIM_VERIFY_CALL,	/* after every public call that may change the model */
	MMSIM_VERIFY_COMMAND,	/* at each mmsim_verify_point(MMSIM_VERIFY_AT_COMMAND) */
	MMSIM_VERIFY_END,	/* at mmsim_verify_point(MMSIM_VERIFY_AT_END) only */
	MMSIM_VERIFY_EVERY_N,	/* after every verify_every-th such call */
	MMSIM_VERIFY_OFF,	/* never by itself */
};

struct mmsim_config {
	unsigned long nr_frames;	/* physical memory in 4 KiB frames (0: 65536) */
	uint64_t seed;			/* reserved: no modelled policy draws random numbers yet */
	bool verify_every_step;		/* run mmsim_verify() after every operation (verify CALL) */
	/*
	 * The folio mapcount scheme (docs/mapcount-schemes.md): "linux" (6.18,
	 * the default when NULL), "legacy", "large", "nopagemapcount", "tuples",
	 * "fullpartial", "tuples-exact" or "mappedpages". mmsim_create() fails
	 * with -EINVAL for another name.
	 */
	const char *scheme;
	/*
	 * The Linux version whose behaviour the instance follows
	 * (docs/kernel-versions.md): "6.18" (the default when NULL), "7.3",
	 * "6.12" or "6.1". It picks the mapcount scheme unless scheme names one, and
	 * interfaces that version lacks fail with -EOPNOTSUPP. -EINVAL for
	 * another version.
	 */
	const char *kernel;
	/* Not in Linux, seed 004: new anonymous VMAs' vm_pgoff. */
	enum mmsim_anon_pgoff anon_pgoff;
	/*
	 * Slots of the simulated swap device (0: as many as nr_frames). Slot 0
	 * holds the swap header, as in Linux, so one fewer page fits.
	 */
	unsigned long nr_swap_slots;
	/*
	 * When to check (MMSIM_VERIFY_DEFAULT: as verify_every_step says) and,
	 * for MMSIM_VERIFY_EVERY_N, every how many calls (0 is -EINVAL).
	 */
	enum mmsim_verify_level verify;
	unsigned long verify_every;
	/*
	 * NUMA nodes (0: one), at most MMSIM_MAX_NODES: node n holds an equal,
	 * contiguous share of the frames (in whole 2 MiB blocks; the last node
	 * the rest), and every process runs on node 0, whose memory it gets
	 * first. mmsim_move_pages() moves pages between them.
	 */
	unsigned int nr_nodes;
};
#define MMSIM_MAX_NODES 8

/*
 * A new instance in *out (cfg NULL for every default): 0, -EINVAL for a
 * config mmsim_config_check() refuses, -ENOMEM when the host has no memory.
 */
MMSIM_API int mmsim_create(const struct mmsim_config *cfg, struct mmsim **out);
/* Why mmsim_create() would refuse cfg: -EINVAL with the reason in why, or 0. */
MMSIM_API int mmsim_config_check(const struct mmsim_config *cfg, char *why, size_t len);
MMSIM_API void mmsim_destroy(struct mmsim *sim);
/* The configuration the instance was created with. */
MMSIM_API void mmsim_get_config_sized(size_t size, const struct mmsim *sim,
				      struct mmsim_config *out);

/*
 * Growing structs. struct mmsim_config and struct mmsim_stats gain fields
 * at their end in later releases; the calls that take them are macros that
 * pass the caller's sizeof to a _sized function, so a program built against
 * an older header keeps working with a newer library: fields it does not
 * know take their defaults (config) or are not written (stats). A program
 * built against a newer header is refused by an older library (-E2BIG) only
 * when it sets a config field that library does not know. The functions
 * under the plain names remain for programs built before the macros, with
 * the sizes of this first layout.
 */
#define MMSIM_CONFIG_SIZE_VER0 (offsetof(struct mmsim_config, verify_every) + sizeof(unsigned long))
MMSIM_API int mmsim_create_sized(size_t size, const struct mmsim_config *cfg, struct mmsim **out);
MMSIM_API int mmsim_config_check_sized(size_t size, const struct mmsim_config *cfg, char *why,
				       size_t len);
/* Variadic, so that a compound literal's commas pass through. */
#define mmsim_create(...) mmsim_create_sized(sizeof(struct mmsim_config), __VA_ARGS__)
#define mmsim_config_check(...) mmsim_config_check_sized(sizeof(struct mmsim_config), __VA_ARGS__)
#define mmsim_get_config(...) mmsim_get_config_sized(sizeof(struct mmsim_config), __VA_ARGS__)
/*
 * A new instance for cfg that carries like's settings over: the THP
 * switches, khugepaged's tunables, and each KSM tunable set away from
 * like's own default (so that a default that differs between kernel
 * versions is the new one's; a tunable the new version lacks stays behind). For a front end that changes
 * the memory size, scheme or kernel before anything is mapped.
 */
MMSIM_API int mmsim_create_like(const struct mmsim_config *cfg, struct mmsim *like,
				struct mmsim **out);

/*
 * The error contract. Every call returns 0 or a negative errno, as the
 * kernel's system call would (-EINVAL, -ENOMEM, -EEXIST, -EFAULT, -ESRCH for
 * an unknown process, -EUCLEAN when the invariant checker finds the model
 * broken). Every call that takes an instance clears the reason at entry, and
 * every failure leaves one: mmsim_last_error() then names what failed and
 * why ("" after a call that succeeded). A failed call leaves the mappings
 * as they were, except for what Linux itself leaves behind, listed in
 * docs/architecture.md ("Allocation failure", "madvise and mprotect over a
 * hole"): an empty page table, a VMA split at the start of the range, the
 * pieces of a multi-VMA mremap before the failing one, the pages
 * MADV_POPULATE_READ/WRITE faulted in before a hole.
 */
/* A printable reason for the last failed mmsim_verify() or operation. */
MMSIM_API const char *mmsim_last_error(const struct mmsim *sim);

/* ---- Transparent huge pages: sysfs transparent_hugepage/ ---------------- */
enum mmsim_thp_mode {
	MMSIM_THP_NEVER,
	MMSIM_THP_ALWAYS,
	MMSIM_THP_MADVISE,
	MMSIM_THP_INHERIT,	/* per-size only: follow the top-level mode */
};
/* size: 16K..2M (hugepages-<size>kB/enabled), or 0 for the top-level enabled. */
MMSIM_API int mmsim_set_thp(struct mmsim *sim, unsigned long size, enum mmsim_thp_mode mode);
/* transparent_hugepage/use_zero_page (default 1). */
MMSIM_API int mmsim_set_thp_use_zero_page(struct mmsim *sim, bool on);

/* ---- Processes and their address spaces ---------------------------------- */
MMSIM_API int mmsim_proc_create(struct mmsim *sim, int *pid);
MMSIM_API int mmsim_fork(struct mmsim *sim, int parent, int *child);
MMSIM_API int mmsim_exit(struct mmsim *sim, int pid);

enum mmsim_prot {
	MMSIM_PROT_NONE = 0,
	MMSIM_PROT_READ = 1,
	MMSIM_PROT_WRITE = 2,
};
/* Private anonymous mapping at exactly addr (MAP_FIXED_NOREPLACE). */
MMSIM_API int mmsim_mmap(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
	       int prot);
enum mmsim_map_flags {
	MMSIM_MAP_NORESERVE = 1,	/* MAP_NORESERVE: VM_NORESERVE, no VM_ACCOUNT */
};
/* mmsim_mmap() with mmap(2) flags beyond MAP_PRIVATE | MAP_ANONYMOUS (mmsim_map_flags). */
MMSIM_API int mmsim_mmap_flags(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			       int prot, unsigned int flags);
MMSIM_API int mmsim_munmap(struct mmsim *sim, int pid, unsigned long addr, unsigned long len);
MMSIM_API int mmsim_mprotect(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		   int prot);
/* MREMAP_MAYMOVE | MREMAP_FIXED of [old, old + len) to new_addr. */
MMSIM_API int mmsim_mremap(struct mmsim *sim, int pid, unsigned long old_addr, unsigned long len,
		 unsigned long new_addr);
enum mmsim_mremap_flags {
	/*
	 * MREMAP_DONTUNMAP: the pages move, the old VMA stays in place, empty
	 * (and without its anon_vma when the whole VMA moved).
	 */
	MMSIM_MREMAP_DONTUNMAP = 1,
};
/* mmsim_mremap() with more mremap(2) flags (mmsim_mremap_flags). */
MMSIM_API int mmsim_mremap_flags(struct mmsim *sim, int pid, unsigned long old_addr,
				 unsigned long len, unsigned long new_addr, unsigned int flags);

/*
 * mlock(2) (onfault: mlock2(MLOCK_ONFAULT)) of [addr, addr + len): the VMAs
 * get VM_LOCKED (and VM_LOCKONFAULT), split and merged as by mprotect, and
 * are faulted in unless on fault (write faults where writable). -ENOMEM for
 * a hole (the VMAs before it stay locked, as in Linux).
 */
MMSIM_API int mmsim_mlock(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			  bool onfault);
MMSIM_API int mmsim_munlock(struct mmsim *sim, int pid, unsigned long addr, unsigned long len);
enum mmsim_mlockall_flags {
	MMSIM_MCL_CURRENT = 1,		/* MCL_CURRENT: lock (and fault in) every VMA now */
	MMSIM_MCL_FUTURE = 2,		/* MCL_FUTURE: lock every VMA mapped later */
	MMSIM_MCL_ONFAULT = 4,		/* MCL_ONFAULT: either of them on fault only */
};
/* mlockall(2) with mmsim_mlockall_flags; munlockall(2). */
MMSIM_API int mmsim_mlockall(struct mmsim *sim, int pid, unsigned int flags);
MMSIM_API int mmsim_munlockall(struct mmsim *sim, int pid);

enum mmsim_advice {
	MMSIM_MADV_DONTNEED,
	MMSIM_MADV_HUGEPAGE,
	MMSIM_MADV_NOHUGEPAGE,
	MMSIM_MADV_MERGEABLE,
	MMSIM_MADV_UNMERGEABLE,
	/*
	 * MADV_PAGEOUT: anonymous folios in the range that no other process
	 * maps (folio_maybe_mapped_shared) are written to the simulated swap
	 * device and freed; PMD mappings are split first. Running out of swap
	 * is no error: the rest stays in memory, as in Linux.
	 */
	MMSIM_MADV_PAGEOUT,
	/*
	 * MADV_POPULATE_READ / MADV_POPULATE_WRITE: fault every page in as a
	 * read (the zero page where nothing is mapped) or a write (breaking
	 * COW, as GUP with FOLL_WRITE). A hole is -ENOMEM, a VMA without
	 * PROT_READ (PROT_WRITE for a write) -EINVAL.
	 */
	MMSIM_MADV_POPULATE_READ,
	MMSIM_MADV_POPULATE_WRITE,
	/*
	 * MADV_COLLAPSE (6.1+): every 2M-aligned block of the range becomes a
	 * PMD-mapped THP, whatever the THP switches say (docs/collapse.md):
	 * holes and zero pages become zeroes, swapped pages are read back, KSM
	 * and shared pages are copied. 0 when every block is a THP afterwards;
	 * -EINVAL (the VMA is not eligible, or a block is empty), -EBUSY,
	 * -EAGAIN or -ENOMEM as Linux returns them.
	 */
	MMSIM_MADV_COLLAPSE,
	/* MADV_DONTFORK / MADV_DOFORK: set or clear VM_DONTCOPY (fork skips the VMA). */
	MMSIM_MADV_DONTFORK,
	MMSIM_MADV_DOFORK,
};
MMSIM_API int mmsim_madvise(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		  enum mmsim_advice advice);

/*
 * Not in Linux: global reclaim (shrink_folio_list) of every anonymous folio
 * mapped in [addr, addr + len) of pid, shared ones and KSM folios too: the
 * rmap unmaps them everywhere, their pages go to the swap device and the
 * folios are freed. *nr_reclaimed (may be NULL) counts the pages written.
 * -ENOMEM when the swap device is full before anything was reclaimed.
 */
MMSIM_API int mmsim_reclaim(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			    unsigned long *nr_reclaimed);

/* ---- khugepaged: /sys/kernel/mm/transparent_hugepage/khugepaged ------------ */
/*
 * A tunable: pages_to_scan, max_ptes_none, max_ptes_swap, max_ptes_shared,
 * scan_sleep_millisecs, at the kernel's defaults (4096, 511, 64, 256, 10000)
 * after mmsim_create(). -EINVAL as the kernel's: pages_to_scan 0, a
 * max_ptes_* above 511, a value above UINT_MAX; -ENOENT for another name.
 * pages_to_scan and scan_sleep_millisecs only read back: passes are whole.
 */
MMSIM_API int mmsim_khugepaged_set(struct mmsim *sim, const char *key, unsigned long value);
/* Its keys, i = 0, 1, ..., with a line on each, as mmsim_ksm_tunable(); NULL past the last. */
MMSIM_API const char *mmsim_khugepaged_tunable(int i, const char **description);
/*
 * Exactly full_scans full passes of khugepaged over the mms registered with
 * it (when a VMA that may get a 2M THP is mapped, advised MADV_HUGEPAGE or
 * huge-faulted; a child of a registered mm too), each 2M block collapsed
 * where the max_ptes_* limits and a recently used page allow. Nothing
 * happens while no 2M THP is enabled (the thread is stopped) or no mm is
 * registered. Enabling 2M THPs starts the thread, which makes one pass.
 */
MMSIM_API int mmsim_khugepaged_scan(struct mmsim *sim, unsigned long full_scans);
/* full_scans, pages_collapsed (blocks collapsed by khugepaged), or a tunable. */
MMSIM_API int mmsim_khugepaged_counter(struct mmsim *sim, const char *name, long *value);

/* ---- KSM: /sys/kernel/mm/ksm, /proc/PID/ksm_stat, PR_SET_MEMORY_MERGE ----- */
/*
 * A tunable of /sys/kernel/mm/ksm: pages_to_scan, sleep_millisecs,
 * max_page_sharing, use_zero_pages, smart_scan, merge_across_nodes,
 * stable_node_chains_prune_millisecs (or run). Errors as the kernel's:
 * -EINVAL for a bad value (max_page_sharing below 2, a boolean above 1),
 * -ERANGE for max_page_sharing above INT_MAX, -EBUSY for max_page_sharing or
 * merge_across_nodes while KSM pages exist.
 * Not in Linux: "skip", an enum mmsim_ksm_skip (-EINVAL for another value).
 *
 * The scan-time advisor (6.7+; -EOPNOTSUPP on kernel "6.1", whose sysfs has
 * no such files): "advisor_mode" (an enum mmsim_ksm_advisor; switching on
 * sets pages_to_scan to advisor_min_pages_to_scan, switching off to 100),
 * "advisor_max_cpu" (percent), "advisor_min_pages_to_scan",
 * "advisor_max_pages_to_scan", "advisor_target_scan_time" (seconds; 0 is
 * -EINVAL). While the mode is scan-time, pages_to_scan is -EINVAL, and after
 * each full scan the advisor sets it from the scan's time and ksmd's CPU.
 * Both are the model's: not in Linux, ksmd's CPU is an estimate from a cost
 * per page, "cpu_ns_new" (a page seen the first time), "cpu_ns_compared"
 * (checksummed and searched), "cpu_ns_skipped" (smart_scan), all 0 by
 * default; "ksmd_cpu_ns" is ksmd's runtime (the kernel's advisor, once
 * switched on, first counts all CPU ksmd ever used: set it to mimic a ksmd
 * that ran before). Time is sleep_millisecs per batch plus that CPU; with
 * "hz" (not in Linux: a CONFIG_HZ, 0 by default) each sleep lasts as the
 * kernel's timer makes it, whole jiffies, one more than asked, from the
 * tick the batch started on.
 */
MMSIM_API int mmsim_ksm_set(struct mmsim *sim, const char *key, unsigned long value);
/*
 * The keys mmsim_ksm_set() takes, i = 0, 1, ...: the name, and in
 * *description (if not NULL) a line saying what it does; NULL past the last.
 */
MMSIM_API const char *mmsim_ksm_tunable(int i, const char **description);
/* One mm on KSM's scan list (an mm_slot), as mmsim_ksm_mm_slot() reports it. */
struct mmsim_ksm_slot_info {
	int pid;			/* the process the mm belonged to */
	bool exited;			/* gone: ksmd drops the slot on its next visit */
	long rmap_items;		/* the mm's rmap_items (ksm_stat's ksm_rmap_items) */
};
/* The i-th mm of KSM's scan list, in scan order: 0, or -ENOENT past the last. */
MMSIM_API int mmsim_ksm_mm_slot(struct mmsim *sim, int i, struct mmsim_ksm_slot_info *out);
/* advisor_mode's values: the kernel's words "none" and "scan-time". */
enum mmsim_ksm_advisor {
	MMSIM_KSM_ADVISOR_NONE,
	MMSIM_KSM_ADVISOR_SCAN_TIME,
};
/*
 * How ksmd steps through large folios (seed 000, docs/experiments/seed-000-ksm-skip.md):
 * the kernel's page by page; the rejected patch's compound_nr() pages after any
 * page found; or only over the PTEs that folio_pte_batch() shows map the same folio.
 */
enum mmsim_ksm_skip {
	MMSIM_KSM_SKIP_NONE,
	MMSIM_KSM_SKIP_COMPOUND,
	MMSIM_KSM_SKIP_BATCH,
};
/* run: 0 stops ksmd, 1 lets it merge, 2 unmerges every KSM page and stops. */
MMSIM_API int mmsim_ksm_run(struct mmsim *sim, int run);
/*
 * Sets run=1 and lets ksmd make exactly full_scans full passes, in batches
 * of pages_to_scan that never cross the end of a pass. With no mm
 * registered ksmd would sleep: nothing happens. -EINVAL if pages_to_scan is 0.
 */
MMSIM_API int mmsim_ksm_scan(struct mmsim *sim, unsigned long full_scans);
/*
 * A file of /sys/kernel/mm/ksm by name: the counters (pages_shared,
 * pages_sharing, pages_unshared, pages_volatile, pages_scanned,
 * pages_skipped, full_scans, stable_node_chains, stable_node_dups,
 * ksm_zero_pages, general_profit) and the tunables. general_profit may be
 * negative. Not in Linux, counted since mmsim_create(): pages_jumped (pages
 * the kernel's walk would have visited that a skip policy stepped over),
 * pages_jumped_other (those of another folio than the page the jump started
 * from), tail_pages_found (skip=compound found a tail page), checksums
 * (pages checksummed), rmap_items_created; and the policy as "skip";
 * ksmd's CPU model: cpu_ns_new, cpu_ns_compared, cpu_ns_skipped, ksmd_cpu_ns,
 * hz, and ksmd_clock_ms (the simulated ksmd's clock: sleeps and CPU).
 */
MMSIM_API int mmsim_ksm_counter(struct mmsim *sim, const char *name, long *value);
/*
 * A field of /proc/PID/ksm_stat: ksm_rmap_items, ksm_zero_pages,
 * ksm_merging_pages, ksm_process_profit; ksm_merge_any and ksm_mergeable
 * as 1 (yes) or 0 (no).
 */
MMSIM_API int mmsim_ksm_stat(struct mmsim *sim, int pid, const char *name, long *value);
/* prctl(PR_SET_MEMORY_MERGE, on): inherited over fork. */
MMSIM_API int mmsim_prctl_set_memory_merge(struct mmsim *sim, int pid, bool on);
/*
 * prctl(PR_SET_THP_DISABLE, disable, except_advised ? PR_THP_DISABLE_EXCEPT_ADVISED : 0):
 * no THP for the process's VMAs (but those with MADV_HUGEPAGE when
 * except_advised); inherited over fork. Faults already done stay as they are.
 */
MMSIM_API int mmsim_prctl_set_thp_disable(struct mmsim *sim, int pid, bool disable,
					  bool except_advised);
/*
 * prctl(PR_GET_THP_DISABLE): *value is 1 when THPs are disabled completely,
 * 3 (1 | PR_THP_DISABLE_EXCEPT_ADVISED) when all but MADV_HUGEPAGE VMAs'
 * are, 0 when neither.
 */
MMSIM_API int mmsim_prctl_get_thp_disable(struct mmsim *sim, int pid, int *value);

/* ---- NUMA nodes and page migration (mmsim_config.nr_nodes) ---------------- */
/*
 * move_pages(2) of the page at addr to node: its whole folio is copied to a
 * new one there and every mapping the rmap finds (the KSM stable node's
 * too) moves with it. move_all is MPOL_MF_MOVE_ALL (root's): without it a
 * folio other processes map stays (-EACCES). *status is the page's node
 * afterwards, or why it did not move: -EFAULT (no VMA, or the zero page),
 * -ENOENT (nothing mapped), -EACCES, -EBUSY (a pin, a pipe or the swap cache
 * holds it), -ENOMEM (no room on node). Returns 0, or -ENODEV for a node the
 * instance lacks.
 */
MMSIM_API int mmsim_move_pages(struct mmsim *sim, int pid, unsigned long addr, int node,
			       bool move_all, int *status);
/* move_pages(2) without nodes: *status is the node of the page at addr, or -ENOENT, -EFAULT. */
MMSIM_API int mmsim_page_node(struct mmsim *sim, int pid, unsigned long addr, int *status);

/* ---- Pages held by others: pipes and pins (get_user_pages) ---------------- */
/*
 * vmsplice(2) of [addr, addr + len) into the process's pipe (made on first
 * use; a pipe is its process's own and closes when it exits). The pipe holds
 * a reference to each page, not a copy (get_user_pages() without FOLL_WRITE:
 * no unsharing), one page per buffer while its 16 buffers have room:
 * *transferred (may be NULL) says how many bytes it took. -EAGAIN when the
 * pipe is full (vmsplice with SPLICE_F_NONBLOCK), -EFAULT when not even the
 * first page can be read.
 */
MMSIM_API int mmsim_vmsplice(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			     size_t *transferred);
/*
 * read(2) of up to len bytes from the process's pipe: what the pages hold
 * now; emptied buffers drop their references. *nread: the bytes read.
 * -EAGAIN when the pipe is empty, -EBADF when the process has no pipe.
 */
MMSIM_API int mmsim_pipe_read(struct mmsim *sim, int pid, void *buf, size_t len, size_t *nread);

enum mmsim_pin_flags {
	MMSIM_PIN_WRITE	= 1 << 0,	/* FOLL_WRITE: break COW first (an io_uring fixed buffer) */
	MMSIM_PIN_FAST	= 1 << 1,	/* pin_user_pages_fast(): the same pages, by the fast walk */
};
/*
 * A longterm pin of [addr, addr + len) (pin_user_pages(FOLL_PIN |
 * FOLL_LONGTERM)), held until mmsim_unpin_user_pages() or the process exits:
 * one range per process. A read-only pin first unshares a page other
 * processes map (or the zero page), so that the pin sees every later write;
 * fork then copies pinned exclusive pages for the child at once. All or
 * nothing: -EFAULT for a hole or a VMA that forbids the access, -EBUSY if the
 * process pins a range already, -EINVAL for a range of no whole pages.
 */
MMSIM_API int mmsim_pin_user_pages(struct mmsim *sim, int pid, unsigned long addr,
				   unsigned long len, unsigned int flags);
/* Lets the process's pinned range go (nothing to do without one). */
MMSIM_API int mmsim_unpin_user_pages(struct mmsim *sim, int pid);
/*
 * Copies len bytes from offset off of the pinned range as the pin sees them
 * (the pinned pages, wherever the page tables point now). -ENOENT without
 * a pin, -EINVAL for bytes outside it.
 */
MMSIM_API int mmsim_pin_read(struct mmsim *sim, int pid, unsigned long off, void *buf,
			     size_t len);

/*
 * Seed 003 (simulator only): the page-offset range rmap_walk_ksm() searches
 * in each rmap_item's anon_vma interval tree, set with
 * mmsim_ksm_set(sim, "rmap_walk", MMSIM_KSM_RMAP_WALK_...) and read back
 * with mmsim_ksm_counter(sim, "rmap_walk", ...). Each variant keeps its own
 * bookkeeping from the moment an item becomes stable, so it can change only
 * while no KSM page exists: -EBUSY otherwise, as max_page_sharing.
 */
enum mmsim_ksm_rmap_walk {
	MMSIM_KSM_RMAP_WALK_FULL,	/* [0, ULONG_MAX]: Linux 6.18 (the default) */
	MMSIM_KSM_RMAP_WALK_ADDRESS,	/* rmap_item->address >> PAGE_SHIFT (the series, v1-v3) */
	MMSIM_KSM_RMAP_WALK_PGOFF,	/* a pgoff the item saves when stable (v4 on; a union):
					   what Linux merged, the default of profile 7.3 */
	MMSIM_KSM_RMAP_WALK_REMAPPED,	/* the address, unless a "remapped" bit says full */
};
/* What one rmap_walk() of the folio mapped at pid:addr found, under the variant in force. */
struct mmsim_rmap_walk {
	unsigned long mappings;		/* PTEs and PMDs of the folio the walk reached */
	bool reaches;			/* one of them is the mapping at pid:addr */
	unsigned long vmas;		/* VMAs the interval-tree searches returned */
	unsigned long nodes;		/* interval-tree nodes the searches examined */
};
/*
 * rmap_walk() as reclaim, migration or try_to_unmap() would make it, of the
 * folio mapped at addr (all zero when nothing, or the zero page, is mapped).
 */
MMSIM_API int mmsim_rmap_walk(struct mmsim *sim, int pid, unsigned long addr,
			      struct mmsim_rmap_walk *out);

/* ---- Memory access, faulting as the kernel does -------------------------- */
/* Copies len bytes to addr; -EFAULT where not mapped or not writable. */
MMSIM_API int mmsim_write(struct mmsim *sim, int pid, unsigned long addr, const void *buf,
		size_t len);
/* Fills [addr, addr + len) with byte c, page by page. */
MMSIM_API int mmsim_fill(struct mmsim *sim, int pid, unsigned long addr, unsigned long len, int c);
MMSIM_API int mmsim_read(struct mmsim *sim, int pid, unsigned long addr, void *buf, size_t len);

/*
 * Contents a front end generates, described rather than spelled out: the
 * simulator keeps the description and makes bytes only when they are read
 * (or compared by KSM, which sees exactly those bytes).
 */
enum mmsim_fill_kind {
	MMSIM_FILL_ZERO,
	MMSIM_FILL_PATTERN,	/* every 8 bytes are value, little-endian (byte V: V * 0x0101010101010101) */
	MMSIM_FILL_UNIQUE,	/* page n of the range: its 8 bytes at word i are, little-endian,
				 * SplitMix64(value + 512 n + i) */
};
struct mmsim_fill {
	enum mmsim_fill_kind kind;
	uint64_t value;
};
/* The bytes of page n of a fill. */
MMSIM_API void mmsim_fill_page(const struct mmsim_fill *fill, unsigned long n, uint8_t page[4096]);
/*
 * Writes [addr, addr + len) (page-aligned) page by page with the fill, as
 * mmsim_write() would write its bytes, in one call. *done (may be NULL):
 * the pages written, also when a fault fails part way.
 */
MMSIM_API int mmsim_write_fill(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
			       const struct mmsim_fill *fill, unsigned long *done);

/*
 * Long operations (writes, KSM passes) call fn every 65536 pages with a
 * line saying how far they got; NULL turns it off (the default).
 */
typedef void (*mmsim_progress_fn)(void *arg, const char *line);
MMSIM_API void mmsim_set_progress(struct mmsim *sim, mmsim_progress_fn fn, void *arg);

/* ---- What /proc would show ----------------------------------------------- */
/* /proc/kpageflags bits, as numbered by the kernel (KPF_*). */
enum {
	MMSIM_KPF_LOCKED = 0, MMSIM_KPF_DIRTY = 4, MMSIM_KPF_LRU = 5,
	MMSIM_KPF_MMAP = 11, MMSIM_KPF_ANON = 12, MMSIM_KPF_SWAPCACHE = 13,
	MMSIM_KPF_SWAPBACKED = 14, MMSIM_KPF_COMPOUND_HEAD = 15,
	MMSIM_KPF_COMPOUND_TAIL = 16, MMSIM_KPF_HUGE = 17, MMSIM_KPF_NOPAGE = 20,
	MMSIM_KPF_KSM = 21, MMSIM_KPF_THP = 22, MMSIM_KPF_ZERO_PAGE = 24,
	MMSIM_KPF_UNEVICTABLE = 18, MMSIM_KPF_MLOCKED = 33,
};
/* /proc/PID/pagemap bits. */
#define MMSIM_PM_PRESENT	(1ULL << 63)
#define MMSIM_PM_SWAP		(1ULL << 62)
#define MMSIM_PM_FILE		(1ULL << 61)
#define MMSIM_PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define MMSIM_PM_SOFT_DIRTY	(1ULL << 55)	/* only from a profile with soft-dirty (not 6.18) */
#define MMSIM_PM_PFN_MASK	((1ULL << 55) - 1)

MMSIM_API int mmsim_pagemap(struct mmsim *sim, int pid, unsigned long addr, uint64_t *entry);
/*
 * pagemap's soft-dirty bit (MMSIM_PM_SOFT_DIRTY) at addr: set for every page
 * of a VMA made or merged since the last clear_refs 4, and for every entry a
 * fault made dirty, mremap() moved or swap-in restored since. -EOPNOTSUPP on
 * a kernel built without CONFIG_MEM_SOFT_DIRTY (profile 6.18: this machine's).
 */
MMSIM_API int mmsim_soft_dirty(struct mmsim *sim, int pid, unsigned long addr, bool *dirty);
/*
 * Writing type to /proc/PID/clear_refs: 1 (all) and 2 (anonymous) clear the
 * accessed bits, 3 (mapped files) touches nothing here, 4 clears soft-dirty:
 * VM_SOFTDIRTY and every entry's bit, each present entry write-protected so
 * that the next write faults (a maybe-pinned page's is left alone). -EINVAL
 * for another type (5, the peak RSS, is not modelled).
 */
MMSIM_API int mmsim_clear_refs(struct mmsim *sim, int pid, int type);
MMSIM_API int mmsim_kpagecount(struct mmsim *sim, unsigned long pfn, uint64_t *count);
/*
 * Is name ("lo", "lf", "mg", "dc", "hg", "nh", "wf", "ac", "nr", "rd", "wr",
 * "mr", "mw", "me") among the smaps VmFlags of the VMA at addr? false when no
 * VMA is there; -EINVAL for a name the model does not keep.
 */
MMSIM_API int mmsim_vmflag(struct mmsim *sim, int pid, unsigned long addr, const char *name,
			   bool *set);
MMSIM_API int mmsim_kpageflags(struct mmsim *sim, unsigned long pfn, uint64_t *flags);
/* Order of the folio mapped at addr; -1 when nothing is mapped. */
MMSIM_API int mmsim_folio_order(struct mmsim *sim, int pid, unsigned long addr, int *order);

/* /proc/PID/smaps fields summed over the VMAs inside [start, end), in kB. */
struct mmsim_smaps {
	unsigned long rss, pss, anonymous, anon_huge_pages;
	unsigned long shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long ksm;
	unsigned long swap;		/* Swap: pages of the range on the swap device */
	unsigned long locked;		/* Locked: the Pss of VM_LOCKED VMAs */
};
MMSIM_API int mmsim_smaps(struct mmsim *sim, int pid, unsigned long start, unsigned long end,
		struct mmsim_smaps *out);
/*
 * One field of *sm by its smaps name ("Rss", "Pss", "Anonymous",
 * "AnonHugePages", "Shared_Clean", "Shared_Dirty", "Private_Clean",
 * "Private_Dirty", "KSM", "Swap"): -ENOENT for another name, -EOPNOTSUPP
 * for a field the instance's kernel version does not print (KSM before 6.7).
 */
MMSIM_API int mmsim_smaps_field(struct mmsim *sim, const struct mmsim_smaps *sm, const char *name,
				long long *value);

/*
 * The folio mapped at addr, as the kernel's folio helpers answer under the
 * instance's mapcount scheme, beside the truth counted by walking every page
 * table. -ENOENT when nothing, or only the zero page, is mapped there.
 */
struct mmsim_folio_info {
	unsigned long pfn;		/* the head frame */
	int order;
	unsigned long index;		/* folio->index: the anonymous page offset */
	int refcount;
	int mapcount;			/* folio_mapcount() */
	bool ksm;			/* a KSM page */
	bool pmd_mapped;		/* mapped at addr by a PMD */
	bool maybe_shared;		/* folio_maybe_mapped_shared() */
	bool partially_mapped;		/* on the deferred-split queue as partially mapped */
	int truth_mappings;		/* every PTE and PMD mapping */
	int truth_pmd_mappings;		/* of those, by PMD */
	int truth_mms;			/* mms mapping it */
};
MMSIM_API int mmsim_folio_info(struct mmsim *sim, int pid, unsigned long addr,
			       struct mmsim_folio_info *out);

/* The VMA covering addr, as a line of /proc/PID/maps; -ENOENT when none does. */
struct mmsim_vma_info {
	unsigned long start, end, pgoff;
	int prot;			/* MMSIM_PROT_READ | MMSIM_PROT_WRITE */
};
MMSIM_API int mmsim_vma_info(struct mmsim *sim, int pid, unsigned long addr,
			     struct mmsim_vma_info *out);
/*
 * Walking the model. mmsim_next_process(): the process created after pid
 * (pid 0: the first), in creation order; -ENOENT after the last, -ESRCH for
 * an unknown pid. mmsim_next_vma(): the first VMA of pid that ends above
 * addr (find_vma()); -ENOENT when none does. For example:
 *	for (int pid = 0; !mmsim_next_process(sim, pid, &pid);)
 *		for (unsigned long a = 0; !mmsim_next_vma(sim, pid, a, &vi); a = vi.end)
 *			...
 */
MMSIM_API int mmsim_next_process(struct mmsim *sim, int pid, int *next);
MMSIM_API int mmsim_next_vma(struct mmsim *sim, int pid, unsigned long addr,
			     struct mmsim_vma_info *out);

/*
 * The scenario language's show: a part of the model in words, for a person
 * (the format may change between releases; programs use the calls above).
 * Each line goes to line(arg, text), without a newline.
 */
enum mmsim_show_what {
	MMSIM_SHOW_VMAS,	/* pid's VMAs: range, pgoff, protection, advice, anon_vma */
	MMSIM_SHOW_FOLIO,	/* the folio at addr: its counters, decoded, and the truth */
	MMSIM_SHOW_PTES,	/* pid's PTEs and PMDs in [addr, addr + len) */
	MMSIM_SHOW_KSM,		/* KSM's counters and registered mms (pid unused) */
};
MMSIM_API int mmsim_show(struct mmsim *sim, enum mmsim_show_what what, int pid,
			 unsigned long addr, unsigned long len,
			 void (*line)(void *arg, const char *text), void *arg);

/* ---- Whole-model state ---------------------------------------------------- */
struct mmsim_stats {
	unsigned long nr_frames, nr_free_frames;
	unsigned long nr_folios, nr_large_folios;
	unsigned long nr_page_tables;
	unsigned long nr_deferred_split;
	unsigned long nr_anon_vmas, nr_vmas, nr_mms;
	unsigned long faults, cow_copies, cow_reuses, pmd_splits, folio_splits;
	/* The swap device and /proc/vmstat's pswpout, pswpin and ksm_swpin_copy. */
	unsigned long nr_swap_slots, nr_swap_used, nr_swapcache;
	unsigned long pswpout, pswpin, ksm_swpin_copy;
	/* The invariant checker: full checks run, and what they visited in all. */
	unsigned long verify_runs, verify_visited;
	/* /proc/vmstat's thp_collapse_alloc and thp_collapse_alloc_failed. */
	unsigned long thp_collapse_alloc, thp_collapse_alloc_failed;
};
MMSIM_API void mmsim_get_stats(const struct mmsim *sim, struct mmsim_stats *out);
/* As mmsim_create(): the caller's sizeof, through the macro. */
#define MMSIM_STATS_SIZE_VER0 \
	(offsetof(struct mmsim_stats, thp_collapse_alloc_failed) + sizeof(unsigned long))
MMSIM_API void mmsim_get_stats_sized(size_t size, const struct mmsim *sim,
				     struct mmsim_stats *out);
#define mmsim_get_stats(...) mmsim_get_stats_sized(sizeof(struct mmsim_stats), __VA_ARGS__)

/*
 * The deferred-split shrinker, as reclaim would run it: splits every
 * partially mapped large folio on the queue into small folios (all-zero pages
 * go to the shared zero page). *nr_split (may be NULL) counts the splits.
 */
MMSIM_API int mmsim_deferred_split_scan(struct mmsim *sim, unsigned long *nr_split);

/* The folio mapcount scheme in use ("linux", ...). */
MMSIM_API const char *mmsim_scheme(const struct mmsim *sim);
/* The Linux version the instance behaves as ("6.18", "7.3", "6.12", "6.1"). */
MMSIM_API const char *mmsim_kernel(const struct mmsim *sim);

/*
 * How well the scheme's answers match the page tables right now, added to
 * *acc (so calls after each step of a workload sum up). Every mapped
 * anonymous folio is compared with an rmap walk; KSM folios are skipped
 * (their rmap may lag until ksmd's next pass).
 */
struct mmsim_mapcount_report {
	unsigned long samples;		/* calls added up */
	unsigned long folios;		/* mapped anonymous folios examined */
	unsigned long wrong_mapcount;	/* folio_mapcount() is not what the scheme defines */
	long drift;			/* sum of folio_mapcount() - that definition */
	unsigned long abs_drift;	/* sum of |folio_mapcount() - that definition| */
	unsigned long false_unmapped;	/* mapped, yet folio_mapcount() <= 0 */
	unsigned long false_shared;	/* "maybe shared", but one mm maps it */
	unsigned long false_exclusive;	/* not "maybe shared", but two or more mms map it */
	unsigned long pages;		/* mapped pages of those folios */
	unsigned long wrong_page_counts;/* kpagecount differs from the page's mappings */
	unsigned long missed_partial;	/* some pages unmapped everywhere, not queued for split */
	unsigned long false_partial;	/* queued as partially mapped, yet every page is mapped */
};
MMSIM_API int mmsim_mapcount_report(struct mmsim *sim, struct mmsim_mapcount_report *acc);

/*
 * For benchmarks of the schemes: asks folio_mapcount() and
 * folio_maybe_mapped_shared() of each anonymous folio mapped in pid's
 * [addr, addr + len), once per run of pages that map it, in address order,
 * and returns the sum of the answers (so that no question is optimised
 * away), or -ESRCH; *nr_folios, when not NULL, gets how many were asked.
 */
MMSIM_API long mmsim_mapcount_query_range(struct mmsim *sim, int pid, unsigned long addr,
					  unsigned long len, unsigned long *nr_folios);

/* What a scheme keeps: its metadata per folio and per page, in the kernel's bytes. */
struct mmsim_scheme_info {
	unsigned long bytes_per_folio, bytes_per_page;
};
/* -EINVAL for a name mmsim_scheme_name() does not list. */
MMSIM_API int mmsim_scheme_info(const char *name, struct mmsim_scheme_info *out);

/*
 * The host bytes of the model's own descriptors, for benchmarks that set
 * the simulator's costs beside bare passes over the same memory.
 */
struct mmsim_layout {
	size_t page;			/* struct page: one a frame */
	size_t folio_slot;		/* a small folio's descriptor, one a frame */
	size_t ksm_rmap_item;		/* struct ksm_rmap_item: one a scanned page */
};
MMSIM_API void mmsim_get_layout(struct mmsim_layout *out);

/*
 * What the kernel's implementation of the scheme in use would do, counted
 * per operation (docs/mapcount-schemes.md, "Costs"). Exact and
 * deterministic: the counts follow from the rmap calls and questions, never
 * from a clock. Lines are 64-byte struct pages as the kernel lays them out
 * (one per page; a large folio's mapcount fields in its second page),
 * counted once per rmap call or question however often it touches them.
 * The invariant checker and mmsim_mapcount_report() are not counted.
 */
enum mmsim_mapcount_op {
	MMSIM_MC_FAULT,			/* the first mapping of a new folio (fault, COW copy) */
	MMSIM_MC_FORK,			/* fork's copy: folio_try_dup_anon_rmap_*() */
	MMSIM_MC_ZAP,			/* every other unmap: munmap, exit, MADV_DONTNEED, COW */
	MMSIM_MC_SPLIT,			/* a PMD split, a folio split's remapping */
	MMSIM_MC_RMAP_WALK,		/* rmap walks and what try_to_unmap() removes */
	MMSIM_MC_OTHER,			/* any other add (swap-in, KSM, migration) */
	MMSIM_MC_FOLIO_MAPCOUNT,	/* folio_mapcount() */
	MMSIM_MC_MAYBE_SHARED,		/* folio_maybe_mapped_shared() */
	MMSIM_MC_PAGE_MAPCOUNT,		/* a page's mapcount, or the folio's average */
	MMSIM_MC_OWNS_ALL,		/* the write fault's large-folio reuse check */
	MMSIM_MC_NR_OPS
};

struct mmsim_mapcount_cost {
	unsigned long calls;		/* rmap calls, walks or questions */
	unsigned long entries;		/* page-table entries the rmap calls map or unmap */
	unsigned long atomics;		/* atomic read-modify-writes on struct page / folio words */
	unsigned long lines;		/* distinct struct page cache lines, summed over calls */
	unsigned long page_iters;	/* iterations of per-page loops */
	unsigned long scan_ptes;	/* page-table entries read to decide (tuples-exact) */
	unsigned long rmap_steps;	/* VMAs and addresses an rmap walk visits */
};

/* Name of an operation ("fault", "fork", ...), or NULL past the last. */
MMSIM_API const char *mmsim_mapcount_op_name(int op);
/* The counters since creation or the last reset, one per operation. */
MMSIM_API void mmsim_mapcount_costs(const struct mmsim *sim,
				    struct mmsim_mapcount_cost out[MMSIM_MC_NR_OPS]);
MMSIM_API void mmsim_mapcount_costs_reset(struct mmsim *sim);
/* Counting is off at creation (it slows the simulator); on from this call. */
MMSIM_API void mmsim_mapcount_costs_enable(struct mmsim *sim, bool on);

/*
 * The cost model: kernel time predicted from the counters, with per-event
 * costs in ns calibrated on a live kernel (mmsim-calibrate-mapcount writes
 * them to a file of "KEY NS" lines, bench/README.md).
 */
struct mmsim_mapcount_model {
	char kernel[80];	/* uname -r of the calibration */
	double fork_entry;	/* a PTE's cost to fork beyond the rmap, batched */
	double zap_entry;	/* a PTE's cost to a zap beyond the rmap, batched */
	double fork_call;	/* what an rmap call (a batch) adds to fork */
	double zap_call;	/* the same for a zap */
	double free_page;	/* what a freed page of a PTE-mapped THP adds to a zap */
	double line;		/* a struct page cache line */
	double atomic;		/* an atomic RMW on a line already touched */
	double iter;		/* a per-page loop iteration or a PTE scanned */
	double step;		/* an rmap-walk step */
	double scale;		/* kernel / user space, applied to line, atomic, iter */
};
/*
 * ns the kernel would spend on operation op (fork and zap add their per-entry
 * and per-call costs) whose counters are c. Pages freed are the caller's to add
 * (free_page each).
 */
MMSIM_API double mmsim_mapcount_model_predict(const struct mmsim_mapcount_model *m, int op,
					      const struct mmsim_mapcount_cost *c);
/*
 * Reads a model file: 0, -errno when it cannot be read, -EINVAL for a bad
 * or missing key; the reason (file:line, what was expected) in why.
 */
MMSIM_API int mmsim_mapcount_model_load(struct mmsim_mapcount_model *m, const char *path,
					char *why, size_t len);
/* Writes the model to path: 0 or -errno. */
MMSIM_API int mmsim_mapcount_model_save(const struct mmsim_mapcount_model *m, const char *path);
/* The i-th cost of the model and its key in the file (*key may be NULL); NULL past the last. */
MMSIM_API double *mmsim_mapcount_model_field(struct mmsim_mapcount_model *m, size_t i,
					     const char **key);

/*
 * Checks every invariant of the model; 0 or -EUCLEAN with mmsim_last_error().
 * Its cost is linear: one visit per frame, page-table entry, folio and
 * KSM item (mmsim_stats.verify_visited counts them).
 */
MMSIM_API int mmsim_verify(struct mmsim *sim);

/*
 * A front end's checkpoints: after each of its commands, and at the end of
 * its run. The check runs when the instance's level asks for it there
 * (COMMAND at both, END and EVERY_N at the end); 0 otherwise.
 */
enum mmsim_verify_point {
	MMSIM_VERIFY_AT_COMMAND,
	MMSIM_VERIFY_AT_END,
};
MMSIM_API int mmsim_verify_point(struct mmsim *sim, enum mmsim_verify_point at);

/*
 * Fault injection for tests: the n-th allocation from now (frame, page table,
 * folio, VMA, anon_vma, contents buffer) fails; n = 0 disables it.
 */
MMSIM_API void mmsim_fail_nth_alloc(struct mmsim *sim, unsigned long n);

/* ---- Pictures: the model as a Graphviz graph (lib/draw.c) ----------------- */
enum mmsim_draw_view {
	/* mm -> page-table levels (populated parts only) -> folios, VMAs beside */
	MMSIM_DRAW_PROCESS,
	/* the folio mapped at pid:addr, every mapping of it, scheme beside truth */
	MMSIM_DRAW_FOLIO,
	/* anon_vmas, their chains (anon_vma_chain) and the VMAs across forks */
	MMSIM_DRAW_ANON_VMA,
	/* the KSM stable tree (chains, dups, rmap_items), the unstable tree, counters */
	MMSIM_DRAW_KSM,
};
struct mmsim_draw {
	enum mmsim_draw_view view;
	int pid;			/* one process (0: every one); the folio view's */
	unsigned long addr;		/* the folio view: the address the folio is mapped at */
	/*
	 * Longest list drawn in full (mappings of one page table, runs of
	 * pages of one folio, VMAs, rmap_items of one KSM page...); the rest
	 * is one "and N more" line. 0: 8.
	 */
	unsigned long max_items;
	/* names[pid] labels that process (NULL, or a NULL entry: "pid N") */
	const char *const *names;
	int nr_names;
	const char *title;		/* the graph's caption (NULL: none) */
};
/*
 * Writes the view as a DOT graph (Graphviz's `dot` lays it out) into *dot,
 * a NUL-terminated string of *len bytes the caller frees with free(). The
 * same state always gives the same bytes. -EINVAL for an unknown view or a
 * pid with no process (-ENOENT for a folio view where nothing is mapped),
 * -ENOMEM; the model is never changed.
 */
MMSIM_API int mmsim_draw_dot(struct mmsim *sim, const struct mmsim_draw *opts, char **dot,
			     size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* MMSIM_MMSIM_H */
