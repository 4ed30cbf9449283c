// SPDX-License-Identifier: MIT
/*
 * The content store (lib/content.c): equal contents stored once, references
 * released, canonical forms, KSM's comparisons and checksums exactly as on
 * the bytes, allocation failures, and the checker's recount.
 */
#include "test_util.h"

#include <string.h>
#include <xxhash.h>

#include "content.h"
#include "page_alloc.h"
#include "sim.h"

static struct page_content *content_at(struct mmsim *sim, int pid, unsigned long addr)
{
	uint64_t pm;

	OK(sim, mmsim_pagemap(sim, pid, addr, &pm));
	assert_true(pm & MMSIM_PM_PRESENT);
	return sim->pages[pm & MMSIM_PM_PFN_MASK].content;
}

static void fill(struct mmsim *sim, int pid, unsigned long addr, unsigned long len,
		 enum mmsim_fill_kind kind, uint64_t value)
{
	struct mmsim_fill f = { kind, value };
	unsigned long done = 0;

	OK(sim, mmsim_write_fill(sim, pid, addr, len, &f, &done));
	assert_int_equal(done, len / PAGE);
}

static struct mmsim *setup(int *pid, unsigned long len)
{
	struct mmsim *sim = test_sim(4096);

	OK(sim, mmsim_proc_create(sim, pid));
	OK(sim, mmsim_mmap(sim, *pid, BASE, len, RW));
	return sim;
}

static void test_sharing_and_release(void **state)
{
	int pid;
	struct mmsim *sim = setup(&pid, 64 * PAGE);
	struct page_content *c;

	(void)state;
	fill(sim, pid, BASE, 32 * PAGE, MMSIM_FILL_PATTERN, 0x0707070707070707ULL);
	c = content_at(sim, pid, BASE);
	assert_non_null(c);
	assert_ptr_equal(content_at(sim, pid, BASE + 31 * PAGE), c);
	assert_int_equal(c->refcount, 32);
	assert_int_equal(sim->contents.nr, 1);
	/* mmsim_fill of the same byte is the same contents. */
	OK(sim, mmsim_fill(sim, pid, BASE + 32 * PAGE, PAGE, 7));
	assert_ptr_equal(content_at(sim, pid, BASE + 32 * PAGE), c);
	assert_int_equal(c->refcount, 33);
	/* Unique pages are each their own. */
	fill(sim, pid, BASE + 40 * PAGE, 8 * PAGE, MMSIM_FILL_UNIQUE, 1);
	assert_int_equal(sim->contents.nr, 9);
	/* Zero is no contents at all. */
	fill(sim, pid, BASE + 48 * PAGE, PAGE, MMSIM_FILL_ZERO, 0);
	assert_null(content_at(sim, pid, BASE + 48 * PAGE));
	OK(sim, mmsim_munmap(sim, pid, BASE, 64 * PAGE));
	assert_int_equal(sim->contents.nr, 0);
	mmsim_destroy(sim);
}

static void test_canonical_bytes(void **state)
{
	int pid;
	struct mmsim *sim = setup(&pid, 8 * PAGE);
	struct mmsim_fill u = { MMSIM_FILL_UNIQUE, 12345 };
	uint8_t page[PAGE], back[PAGE];

	(void)state;
	fill(sim, pid, BASE, PAGE, MMSIM_FILL_UNIQUE, 12345);
	/* The same bytes written out in full: the same contents, not a second copy. */
	mmsim_fill_page(&u, 0, page);
	OK(sim, mmsim_write(sim, pid, BASE + PAGE, page, PAGE));
	assert_ptr_equal(content_at(sim, pid, BASE + PAGE), content_at(sim, pid, BASE));
	assert_int_equal(content_at(sim, pid, BASE)->kind, CONTENT_UNIQUE);
	/* One byte changed: explicit bytes, read back exactly. */
	page[100] ^= 0xff;
	OK(sim, mmsim_write(sim, pid, BASE + 2 * PAGE + 100, &page[100], 1));
	assert_int_equal(content_at(sim, pid, BASE + 2 * PAGE)->kind, CONTENT_BYTES);
	OK(sim, mmsim_read(sim, pid, BASE + PAGE, back, PAGE));
	page[100] ^= 0xff;
	assert_memory_equal(back, page, PAGE);
	/* A page poked back to a pattern is the pattern again. */
	fill(sim, pid, BASE + 3 * PAGE, PAGE, MMSIM_FILL_PATTERN, 0x0909090909090909ULL);
	OK(sim, mmsim_write(sim, pid, BASE + 3 * PAGE + 9, "\x01", 1));
	assert_int_equal(content_at(sim, pid, BASE + 3 * PAGE)->kind, CONTENT_BYTES);
	OK(sim, mmsim_write(sim, pid, BASE + 3 * PAGE + 9, "\x09", 1));
	assert_int_equal(content_at(sim, pid, BASE + 3 * PAGE)->kind, CONTENT_PATTERN);
	/* And zeroed, no contents. */
	OK(sim, mmsim_fill(sim, pid, BASE + 3 * PAGE, PAGE, 0));
	assert_null(content_at(sim, pid, BASE + 3 * PAGE));
	mmsim_destroy(sim);
}

static void test_rewrite(void **state)
{
	int pid;
	struct mmsim *sim = setup(&pid, 4 * PAGE);
	struct page_content *a, *b;

	(void)state;
	fill(sim, pid, BASE, 2 * PAGE, MMSIM_FILL_PATTERN, 5);
	a = content_at(sim, pid, BASE);
	/* Equal: nothing changes. */
	fill(sim, pid, BASE, PAGE, MMSIM_FILL_PATTERN, 5);
	assert_ptr_equal(content_at(sim, pid, BASE), a);
	assert_int_equal(a->refcount, 2);
	assert_int_equal(sim->contents.nr, 1);
	/* Unequal: the old contents lose a reference, the last one frees them. */
	fill(sim, pid, BASE, PAGE, MMSIM_FILL_PATTERN, 6);
	b = content_at(sim, pid, BASE);
	assert_ptr_not_equal(a, b);
	assert_int_equal(a->refcount, 1);
	assert_int_equal(sim->contents.nr, 2);
	fill(sim, pid, BASE + PAGE, PAGE, MMSIM_FILL_PATTERN, 6);
	assert_int_equal(b->refcount, 2);
	assert_int_equal(sim->contents.nr, 1);
	mmsim_destroy(sim);
}

/*
 * Short writes of the bytes already there keep the reference (the fault
 * path's shortcut); one byte that differs makes new contents, on each kind.
 */
static void test_short_rewrite(void **state)
{
	int pid;
	struct mmsim *sim = setup(&pid, 4 * PAGE);
	struct page_content *c;
	uint8_t page[PAGE], back[PAGE], b;
	unsigned long i;

	(void)state;
	OK(sim, mmsim_fill(sim, pid, BASE, 1, 0));			/* zero page */
	assert_null(content_at(sim, pid, BASE));
	fill(sim, pid, BASE + PAGE, PAGE, MMSIM_FILL_PATTERN, 0x0101010101010101ULL * 0xab);
	fill(sim, pid, BASE + 2 * PAGE, PAGE, MMSIM_FILL_UNIQUE, 77);
	for (i = 0; i < PAGE; i++)
		page[i] = (uint8_t)(i * 7 + 3);
	OK(sim, mmsim_write(sim, pid, BASE + 3 * PAGE, page, PAGE));
	for (i = 1; i < 4; i++) {
		unsigned long addr = BASE + i * PAGE + 100;
		uint8_t before[PAGE];

		c = content_at(sim, pid, addr);
		OK(sim, mmsim_read(sim, pid, addr - 100, before, PAGE));
		b = before[100];
		OK(sim, mmsim_write(sim, pid, addr, &b, 1));
		OK(sim, mmsim_fill(sim, pid, addr, 1, b));
		assert_ptr_equal(content_at(sim, pid, addr), c);
		assert_int_equal(c->refcount, 1);
		OK(sim, mmsim_fill(sim, pid, addr, 1, (uint8_t)~b));
		assert_ptr_not_equal(content_at(sim, pid, addr), c);
		OK(sim, mmsim_read(sim, pid, addr - 100, back, PAGE));
		before[100] = (uint8_t)~b;
		assert_memory_equal(back, before, PAGE);
	}
	OK(sim, mmsim_fill(sim, pid, BASE + 5, 1, 1));		/* the zero page, changed */
	assert_non_null(content_at(sim, pid, BASE));
	mmsim_destroy(sim);
}

/* memcmp() and XXH64 of the bytes, whatever the two forms. */
static void test_compare_and_checksum(void **state)
{
	struct mmsim *sim = test_sim(64);
	struct page_content *c[8];
	uint8_t x[PAGE], y[PAGE];

	(void)state;
	c[0] = NULL;	/* the zero page */
	assert_int_equal(content_prepare(sim, false), 0);
	c[1] = content_get_fill(sim, CONTENT_PATTERN, 0x0100000000000000ULL);
	assert_int_equal(content_prepare(sim, false), 0);
	c[2] = content_get_fill(sim, CONTENT_PATTERN, 0x00000000000000ffULL);
	assert_int_equal(content_prepare(sim, false), 0);
	c[3] = content_get_fill(sim, CONTENT_UNIQUE, 7);
	assert_int_equal(content_prepare(sim, false), 0);
	c[4] = content_get_fill(sim, CONTENT_UNIQUE, 8);
	memset(x, 0, PAGE);
	x[4095] = 1;
	assert_int_equal(content_prepare(sim, true), 0);
	c[5] = content_get_bytes(sim, x);
	x[0] = 0xff;
	assert_int_equal(content_prepare(sim, true), 0);
	c[6] = content_get_bytes(sim, x);
	/* The same bytes as c[3]: the same contents. */
	content_read(c[3], 0, x, PAGE);
	assert_int_equal(content_prepare(sim, true), 0);
	c[7] = content_get_bytes(sim, x);
	assert_ptr_equal(c[7], c[3]);
	for (int i = 0; i < 8; i++) {
		content_read(c[i], 0, x, PAGE);
		assert_int_equal(content_checksum(sim, c[i]), (unsigned int)XXH64(x, PAGE, 0));
		for (int j = 0; j < 8; j++) {
			int want, got;

			content_read(c[j], 0, y, PAGE);
			want = memcmp(x, y, PAGE);
			got = content_cmp(c[i], c[j]);
			assert_int_equal(want < 0, got < 0);
			assert_int_equal(want > 0, got > 0);
			assert_int_equal(content_byte(c[i], 4095), x[4095]);
		}
	}
	for (int i = 0; i < 8; i++)
		content_put(sim, c[i]);
	assert_int_equal(sim->contents.nr, 0);
	mmsim_destroy(sim);
}

/* KSM merges by contents, frees the duplicates' references; a COW write breaks one out. */
static void test_ksm_merge_and_cow(void **state)
{
	int pid;
	struct mmsim *sim = setup(&pid, 16 * PAGE);
	struct page_content *c;
	long shared, sharing;

	(void)state;
	OK(sim, mmsim_madvise(sim, pid, BASE, 16 * PAGE, MMSIM_MADV_MERGEABLE));
	fill(sim, pid, BASE, 8 * PAGE, MMSIM_FILL_PATTERN, 3);
	fill(sim, pid, BASE + 8 * PAGE, 8 * PAGE, MMSIM_FILL_UNIQUE, 99);
	c = content_at(sim, pid, BASE);
	assert_int_equal(c->refcount, 8);
	OK(sim, mmsim_ksm_scan(sim, 2));
	OK(sim, mmsim_ksm_counter(sim, "pages_shared", &shared));
	OK(sim, mmsim_ksm_counter(sim, "pages_sharing", &sharing));
	assert_int_equal(shared, 1);
	assert_int_equal(sharing, 7);
	/* One frame holds the contents now. */
	assert_int_equal(c->refcount, 1);
	assert_int_equal(sim->contents.nr, 9);
	/* A write to a KSM page copies it (a reference), then changes the copy. */
	OK(sim, mmsim_write(sim, pid, BASE + 2 * PAGE, "x", 1));
	assert_int_equal(c->refcount, 1);
	assert_int_equal(content_at(sim, pid, BASE + 2 * PAGE)->kind, CONTENT_BYTES);
	assert_int_equal(sim->contents.nr, 10);
	/* A fork shares the contents with the child until one writes. */
	{
		int child;
		struct page_content *u = content_at(sim, pid, BASE + 9 * PAGE);

		OK(sim, mmsim_fork(sim, pid, &child));
		fill(sim, child, BASE + 9 * PAGE, PAGE, MMSIM_FILL_PATTERN, 4);
		assert_int_equal(u->refcount, 1);
		OK(sim, mmsim_exit(sim, child));
	}
	mmsim_destroy(sim);
}

/* Running out, anywhere, leaves the model and the store as they were. */
static void test_fault_injection(void **state)
{
	(void)state;
	for (unsigned long n = 1;; n++) {
		int pid;
		struct mmsim *sim = setup(&pid, 8 * PAGE);
		struct mmsim_fill f = { MMSIM_FILL_UNIQUE, 1 };
		unsigned long done = 0, before;
		uint8_t page[PAGE];
		int err;

		fill(sim, pid, BASE, PAGE, MMSIM_FILL_PATTERN, 1);
		before = sim->contents.nr;
		mmsim_fail_nth_alloc(sim, n);
		err = mmsim_write_fill(sim, pid, BASE + PAGE, 4 * PAGE, &f, &done);
		if (!err) {
			memset(page, 0x5a, PAGE);
			page[7] = 0;
			err = mmsim_write(sim, pid, BASE + 5 * PAGE, page, PAGE);
		}
		mmsim_fail_nth_alloc(sim, 0);
		OK(sim, mmsim_verify(sim));
		if (!err) {
			assert_int_equal(sim->contents.nr, before + 5);
			mmsim_destroy(sim);
			assert_true(n > 2);
			break;
		}
		assert_int_equal(err, -ENOMEM);
		/* The pages written before the failure hold their contents, no more. */
		assert_true(sim->contents.nr <= before + 5);
		mmsim_destroy(sim);
	}
}

/* The checker recounts every reference: a wrong count or a stray pointer is caught. */
static void test_checker_recounts(void **state)
{
	int pid;
	struct mmsim *sim = setup(&pid, 4 * PAGE);
	struct page_content *a, *b;
	uint64_t pm;

	(void)state;
	fill(sim, pid, BASE, 2 * PAGE, MMSIM_FILL_PATTERN, 1);
	fill(sim, pid, BASE + 2 * PAGE, PAGE, MMSIM_FILL_PATTERN, 2);
	a = content_at(sim, pid, BASE);
	b = content_at(sim, pid, BASE + 2 * PAGE);
	a->refcount++;
	assert_int_equal(mmsim_verify(sim), -EUCLEAN);
	assert_non_null(strstr(mmsim_last_error(sim), "refcount 3, 2 references"));
	a->refcount--;
	OK(sim, mmsim_verify(sim));
	/* A page pointing at other contents without a reference of its own. */
	OK(sim, mmsim_pagemap(sim, pid, BASE + PAGE, &pm));
	sim->pages[pm & MMSIM_PM_PFN_MASK].content = b;
	assert_int_equal(mmsim_verify(sim), -EUCLEAN);
	assert_non_null(strstr(mmsim_last_error(sim), "references"));
	sim->pages[pm & MMSIM_PM_PFN_MASK].content = a;
	OK(sim, mmsim_verify(sim));
	/* Contents in a form their bytes do not have. */
	b->kind = CONTENT_UNIQUE;
	assert_int_equal(mmsim_verify(sim), -EUCLEAN);
	b->kind = CONTENT_PATTERN;
	OK(sim, mmsim_verify(sim));
	mmsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sharing_and_release),
		cmocka_unit_test(test_canonical_bytes),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_short_rewrite),
		cmocka_unit_test(test_compare_and_checksum),
		cmocka_unit_test(test_ksm_merge_and_cow),
		cmocka_unit_test(test_fault_injection),
		cmocka_unit_test(test_checker_recounts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
