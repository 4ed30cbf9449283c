// SPDX-License-Identifier: MIT
/*
 * What every layer of the instance uses (lib/sim.h): allocation through the
 * instance, where fault injection makes the n-th one fail, and the reason a
 * failed call leaves for mmsim_last_error(). Not a kernel concept: the
 * kernel's allocators and its error codes need no instance.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

bool sim_alloc_fails(struct mmsim *sim)
{
	return sim->fail_countdown && --sim->fail_countdown == 0;
}

void *sim_malloc(struct mmsim *sim, size_t size)
{
	if (sim_alloc_fails(sim))
		return NULL;
	return calloc(1, size);
}

void sim_free(void *ptr)
{
	free(ptr);
}

void *sim_array_grow(struct mmsim *sim, void *array, size_t nr, size_t *cap, size_t elem)
{
	size_t new_cap = *cap ? 2 * *cap : 64;
	void *n;

	if (nr < *cap)
		return array;
	n = sim_malloc(sim, new_cap * elem);
	if (!n)
		return NULL;
	if (nr)
		memcpy(n, array, nr * elem);
	sim_free(array);
	*cap = new_cap;
	return n;
}

const char *tunable_doc_at(const struct tunable_doc *docs, size_t n, int i,
			   const char **description)
{
	if (i < 0 || (size_t)i >= n)
		return NULL;
	if (description)
		*description = docs[i].description;
	return docs[i].name;
}

int sim_error(struct mmsim *sim, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sim->error, sizeof(sim->error), fmt, ap);
	va_end(ap);
	return err;
}

/*
 * The name of a negative errno, as the kernel's headers spell it: strerror()
 * speaks the C library's words and its locale, and these messages should read
 * as the kernel's do.
 */
const char *sim_errno_name(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
		{ ENOSYS, "ENOSYS" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { EUCLEAN, "EUCLEAN" },
		{ EOVERFLOW, "EOVERFLOW" }, { E2BIG, "E2BIG" }, { EACCES, "EACCES" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (-err == names[i].err)
			return names[i].name;
	return "an unknown error";
}
