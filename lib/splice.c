// SPDX-License-Identifier: MIT
/*
 * vmsplice() into a pipe and read() back, after fs/splice.c and fs/pipe.c
 * (6.18): each pipe buffer holds a reference to a user page, not a copy, so
 * what a read sees is whatever the page holds by then (cow.c's vmsplice tests).
 */
#include <stdlib.h>

#include "content.h"
#include "gup.h"
#include "internal.h"
#include "page_alloc.h"

static unsigned int pipe_occupancy(const struct pipe_inode_info *pipe)
{
	return pipe->head - pipe->tail;
}

/* iov_iter_get_pages2() of one page: get_user_pages_fast() without FOLL_WRITE. */
static int splice_get_page(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
			   unsigned long *pfn)
{
	long got = __get_user_pages(sim, mm, addr & PAGE_MASK, 1, FOLL_GET, pfn);

	return got == 1 ? 0 : (got < 0 ? (int)got : -EFAULT);
}

int vmsplice_to_pipe(struct mmsim *sim, struct mm_struct *mm, unsigned long addr,
		     unsigned long len, size_t *transferred)
{
	struct pipe_inode_info *pipe = mm->pipe;
	size_t done = 0;

	*transferred = 0;
	if (!len)
		return 0;
	if (!pipe) {
		pipe = sim_malloc(sim, sizeof(*pipe));
		if (!pipe)
			return -ENOMEM;
		mm->pipe = pipe;
	}
	/* wait_for_space(): with SPLICE_F_NONBLOCK a full pipe is -EAGAIN. */
	if (pipe_occupancy(pipe) == PIPE_DEF_BUFFERS)
		return sim_error(sim, -EAGAIN, "vmsplice: pid %d's pipe is full (%d pages)", mm->pid,
				 PIPE_DEF_BUFFERS);
	while (done < len && pipe_occupancy(pipe) < PIPE_DEF_BUFFERS) {
		unsigned long a = addr + done, pfn;
		struct pipe_buffer *buf;
		int err = splice_get_page(sim, mm, a, &pfn);

		if (err) {
			if (!done)
				return err;
			break;		/* iter_to_pipe(): a short transfer */
		}
		buf = &pipe->bufs[pipe->head++ % PIPE_DEF_BUFFERS];
		buf->pfn = pfn;
		buf->offset = (unsigned int)(a & ~PAGE_MASK);
		buf->len = (unsigned int)MIN(PAGE_SIZE - buf->offset, len - done);
		done += buf->len;
	}
	*transferred = done;
	return 0;
}

int pipe_read(struct mmsim *sim, struct mm_struct *mm, void *out, size_t len, size_t *nread)
{
	struct pipe_inode_info *pipe = mm->pipe;
	uint8_t *to = out;
	size_t done = 0;

	*nread = 0;
	if (!pipe)
		return sim_error(sim, -EBADF, "pid %d has no pipe (vmsplice makes one)", mm->pid);
	if (!pipe_occupancy(pipe))
		return sim_error(sim, -EAGAIN, "pid %d's pipe is empty", mm->pid);
	while (done < len && pipe_occupancy(pipe)) {
		struct pipe_buffer *buf = &pipe->bufs[pipe->tail % PIPE_DEF_BUFFERS];
		size_t n = MIN(buf->len, len - done);

		content_read(pfn_to_page(sim, buf->pfn)->content, buf->offset, to + done, n);
		done += n;
		buf->offset += (unsigned int)n;
		buf->len -= (unsigned int)n;
		if (!buf->len) {
			gup_put_page(sim, buf->pfn, FOLL_GET);	/* pipe_buf_release() */
			pipe->tail++;
		}
	}
	*nread = done;
	return 0;
}

void free_pipe_info(struct mmsim *sim, struct pipe_inode_info *pipe)
{
	while (pipe_occupancy(pipe))
		gup_put_page(sim, pipe->bufs[pipe->tail++ % PIPE_DEF_BUFFERS].pfn, FOLL_GET);
	free(pipe);
}
