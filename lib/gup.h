/* SPDX-License-Identifier: MIT */
/*
 * get_user_pages() and its holders (mm/gup.c, include/linux/mm.h's FOLL_*):
 * the references a pipe takes for vmsplice() and the longterm pins of an
 * io_uring fixed buffer or gup_test, which outlive the mappings they came from.
 */
#ifndef MMSIM_GUP_H
#define MMSIM_GUP_H

#include "sim.h"

/* gup_flags: the kernel's names; the values are the model's. */
enum {
	FOLL_WRITE	= 1 << 0,	/* the caller will write: break COW first */
	FOLL_GET	= 1 << 2,	/* hold a reference (get_user_pages()) */
	FOLL_LONGTERM	= 1 << 8,	/* held for long: unshare even the zero page */
	FOLL_PIN	= 1 << 9,	/* pin (pin_user_pages()): fork copies, R/O pins unshare */
	FOLL_FAST	= 1 << 30,	/* the model's: asked through pin_user_pages_fast() */
};

/*
 * A process's pinned range (one, as an io_uring ring registers one buffer
 * here): the frame of each page, ZERO_PFN for the shared zero page (which
 * nothing pins).
 */
struct gup_pin {
	unsigned long start, nr;
	unsigned int flags;		/* FOLL_* it was taken with */
	unsigned long pfns[];
};

long __get_user_pages(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
		      unsigned long nr, unsigned int flags, unsigned long *pfns);
/* Drops what __get_user_pages() took of pfn with flags (FOLL_PIN, or a reference). */
void gup_put_page(struct mmsim *sim, unsigned long pfn, unsigned int flags);

/*
 * pin_user_pages(FOLL_LONGTERM | flags) of [start, start + len) into
 * mm->pin: all or nothing. -EBUSY if mm pins a range already, -EINVAL for
 * a range of no whole pages, -EFAULT for a hole or a VMA that forbids the
 * access, -ENOMEM.
 */
int pin_user_pages_range(struct mmsim *sim, struct mm_struct *mm, unsigned long start,
			 unsigned long len, unsigned int flags);
/* unpin_user_pages() of mm->pin, if any. */
void unpin_user_pages_range(struct mmsim *sim, struct mm_struct *mm);

/* ---- fs/splice.c and fs/pipe.c (lib/splice.c) ---- */
#define PIPE_DEF_BUFFERS 16

struct pipe_buffer {
	unsigned long pfn;		/* the page the pipe holds a reference to */
	unsigned int offset, len;
};

struct pipe_inode_info {
	unsigned int head, tail;	/* bufs[tail .. head) hold data, mod PIPE_DEF_BUFFERS */
	struct pipe_buffer bufs[PIPE_DEF_BUFFERS];
};

/*
 * vmsplice() of [addr, addr + len) into mm's pipe (made on first use): one
 * buffer per page while the pipe has room, each holding a FOLL_GET
 * reference. *transferred: the bytes it took. -EAGAIN when the pipe is full
 * (the kernel executor asks with SPLICE_F_NONBLOCK), -EFAULT when not even
 * the first page could be taken, -ENOMEM.
 */
int vmsplice_to_pipe(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
		     unsigned long len, size_t *transferred);
/*
 * read() of up to len bytes from mm's pipe into buf: the bytes the pages
 * hold now, and the buffers emptied let go of their pages. *nread: the bytes
 * read. -EAGAIN for an empty pipe (O_NONBLOCK), -EBADF without one.
 */
int pipe_read(struct mmsim *sim, struct mm_struct *mm, void *buf, size_t len, size_t *nread);
/* free_pipe_info(): the buffers still full let go of their pages. */
void free_pipe_info(struct mmsim *sim, struct pipe_inode_info *pipe);

#endif /* MMSIM_GUP_H */
