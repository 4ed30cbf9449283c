/* test_rbtree.c - CMocka tests for lib/rbtree.c.
 * Checks the kernel-style red-black tree (include/linux/rbtree.h semantics)
 * against a sorted-array model under seeded random insert/erase sequences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rbtree.h"
#include "prng.h"

struct item {
	struct rb_node rb;
	unsigned long key;
	unsigned long val;	/* for the subtree-max augmentation */
	unsigned long size;	/* augmented: nodes in subtree */
	unsigned long max;	/* augmented: largest val in subtree */
};

/* ---- deterministic PRNG (splitmix64) ---- */

struct rng {
	uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
	return splitmix64(&r->state);
}

static size_t rng_below(struct rng *r, size_t n)
{
	return (size_t)(rng_next(r) % n);
}

/* ---- model: the items in tree order (key, then insertion order) ---- */

struct model {
	struct item **a;
	size_t n;
	struct item **spare; /* items not in the tree */
	size_t nspare;
	struct item *pool;
	size_t cap;
};

static void model_init(struct model *m, size_t cap)
{
	m->pool = calloc(cap, sizeof(*m->pool));
	m->a = calloc(cap, sizeof(*m->a));
	m->spare = calloc(cap, sizeof(*m->spare));
	assert_non_null(m->pool);
	assert_non_null(m->a);
	assert_non_null(m->spare);
	m->cap = cap;
	m->n = 0;
	m->nspare = cap;
	for (size_t i = 0; i < cap; i++) {
		RB_CLEAR_NODE(&m->pool[i].rb);
		m->spare[i] = &m->pool[cap - 1 - i];
	}
}

static void model_fini(struct model *m)
{
	free(m->pool);
	free(m->a);
	free(m->spare);
}

static struct item *model_take_spare(struct model *m, struct rng *r)
{
	size_t i = rng_below(r, m->nspare);
	struct item *it = m->spare[i];

	m->spare[i] = m->spare[--m->nspare];
	return it;
}

/* Equal keys go after existing ones, like the tree descent below. */
static void model_insert(struct model *m, struct item *it)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->a[mid]->key <= it->key)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&m->a[lo + 1], &m->a[lo], (m->n - lo) * sizeof(*m->a));
	m->a[lo] = it;
	m->n++;
}

static struct item *model_remove_at(struct model *m, size_t i)
{
	struct item *it = m->a[i];

	memmove(&m->a[i], &m->a[i + 1], (m->n - i - 1) * sizeof(*m->a));
	m->n--;
	return it;
}

/* Remove a random item from the model and return it to the spares. */
static struct item *model_remove_random(struct model *m, struct rng *r)
{
	struct item *it = model_remove_at(m, rng_below(r, m->n));

	m->spare[m->nspare++] = it;
	return it;
}

/* ---- tree helpers ---- */

#define ITEM(ptr) rb_entry(ptr, struct item, rb)

/* Descend and link; returns whether the node became the leftmost. */
static bool link_item(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (it->key < ITEM(parent)->key) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&it->rb, parent, link);
	return leftmost;
}

static int height(const struct rb_node *n)
{
	int l, r;

	if (!n)
		return 0;
	l = height(n->rb_left);
	r = height(n->rb_right);
	return 1 + (l > r ? l : r);
}

static int log2_ceil(size_t n)
{
	int k = 0;

	while (((size_t)1 << k) < n)
		k++;
	return k;
}

/* Everything the tree says must agree with the model. */
static void verify(const struct rb_root *root, const struct model *m)
{
	int bh = -1;
	size_t i = 0;
	struct rb_node *rb;

	assert_int_equal(rb_check(root, &bh), 0);
	if (m->n == 0) {
		assert_true(RB_EMPTY_ROOT(root));
		assert_int_equal(bh, 0);
		assert_null(rb_first(root));
		assert_null(rb_last(root));
		return;
	}
	assert_false(RB_EMPTY_ROOT(root));
	/* n >= 2^bh - 1 and height <= 2 * bh: the balance guarantee. */
	assert_true(bh >= 1);
	assert_true(((size_t)1 << bh) - 1 <= m->n);
	assert_true(height(root->rb_node) <= 2 * bh);
	assert_true(height(root->rb_node) <= 2 * log2_ceil(m->n + 1));

	assert_ptr_equal(rb_first(root), &m->a[0]->rb);
	assert_ptr_equal(rb_last(root), &m->a[m->n - 1]->rb);
	for (rb = rb_first(root); rb; rb = rb_next(rb), i++) {
		assert_true(i < m->n);
		assert_ptr_equal(rb, &m->a[i]->rb);
		assert_false(RB_EMPTY_NODE(rb));
	}
	assert_int_equal(i, m->n);
	for (rb = rb_last(root); rb; rb = rb_prev(rb)) {
		assert_true(i > 0);
		assert_ptr_equal(rb, &m->a[--i]->rb);
	}
	assert_int_equal(i, 0);
}

static void verify_cached(const struct rb_root_cached *root,
			  const struct model *m)
{
	verify(&root->rb_root, m);
	if (m->n)
		assert_ptr_equal(rb_first_cached(root), &m->a[0]->rb);
	else
		assert_null(rb_first_cached(root));
}

/* ---- tests ---- */

static void test_empty_and_clear(void **state)
{
	struct rb_root root = RB_ROOT;
	struct rb_root_cached croot = RB_ROOT_CACHED;
	struct item it = { .key = 7 };
	int bh = -1;

	(void)state;
	assert_true(RB_EMPTY_ROOT(&root));
	assert_true(RB_EMPTY_ROOT(&croot.rb_root));
	assert_null(rb_first(&root));
	assert_null(rb_last(&root));
	assert_null(rb_first_cached(&croot));
	assert_int_equal(rb_check(&root, &bh), 0);
	assert_int_equal(bh, 0);
	assert_int_equal(rb_check(&root, NULL), 0);

	RB_CLEAR_NODE(&it.rb);
	assert_true(RB_EMPTY_NODE(&it.rb));
	assert_null(rb_next(&it.rb));
	assert_null(rb_prev(&it.rb));

	assert_null(rb_entry_safe((struct rb_node *)NULL, struct item, rb));
	assert_ptr_equal(rb_entry_safe(&it.rb, struct item, rb), &it);
	assert_ptr_equal(rb_entry(&it.rb, struct item, rb), &it);

	/* One node: black root, no neighbours. */
	link_item(&root, &it);
	assert_false(RB_EMPTY_NODE(&it.rb));
	rb_insert_color(&it.rb, &root);
	assert_true(rb_is_black(&it.rb));
	assert_null(rb_parent(&it.rb));
	assert_int_equal(rb_check(&root, &bh), 0);
	assert_int_equal(bh, 1);
	assert_ptr_equal(rb_first(&root), &it.rb);
	assert_ptr_equal(rb_last(&root), &it.rb);
	assert_null(rb_next(&it.rb));
	assert_null(rb_prev(&it.rb));
	rb_erase(&it.rb, &root);
	assert_true(RB_EMPTY_ROOT(&root));
}

/* Grow and shrink in phases so sizes sweep from 0 up to the pool size. */
static void random_walk(uint64_t seed, bool cached, size_t cap, int steps,
			unsigned long keyspace)
{
	struct rng r = { seed };
	struct model m;
	struct rb_root root = RB_ROOT;
	struct rb_root_cached croot = RB_ROOT_CACHED;
	size_t max_seen = 0;

	model_init(&m, cap);
	for (int step = 0; step < steps; step++) {
		bool growing = (step / 1500) % 2 == 0;
		bool insert = m.n == 0 ||
			      (m.nspare && rng_below(&r, 100) < (growing ? 75 : 25));

		if (insert) {
			struct item *it = model_take_spare(&m, &r);

			it->key = (unsigned long)rng_below(&r, keyspace);
			if (cached) {
				bool lm = link_item(&croot.rb_root, it);

				rb_insert_color_cached(&it->rb, &croot, lm);
			} else {
				link_item(&root, it);
				rb_insert_color(&it->rb, &root);
			}
			model_insert(&m, it);
		} else {
			struct item *it = model_remove_random(&m, &r);

			if (cached)
				rb_erase_cached(&it->rb, &croot);
			else
				rb_erase(&it->rb, &root);
			RB_CLEAR_NODE(&it->rb);
		}
		if (m.n > max_seen)
			max_seen = m.n;
		if (cached)
			verify_cached(&croot, &m);
		else
			verify(&root, &m);
	}
	/* The walk really did build big trees and empty them. */
	assert_true(max_seen > cap / 2);
	model_fini(&m);
}

static void test_random_plain(void **state)
{
	(void)state;
	random_walk(0x1234, false, 600, 12000, 1000000);
}

static void test_random_cached(void **state)
{
	(void)state;
	random_walk(0xbeef, true, 600, 12000, 1000000);
}

static void test_random_many_duplicates(void **state)
{
	(void)state;
	random_walk(42, false, 400, 6000, 16);
	random_walk(43, true, 400, 6000, 3);
}

/* Sorted inputs are the classic worst case for an unbalanced tree. */
static void test_sequential(void **state)
{
	enum { N = 2048 };
	struct model m;
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item *items;

	(void)state;
	model_init(&m, N);
	items = m.pool;

	for (size_t i = 0; i < N; i++) { /* ascending */
		bool lm;

		items[i].key = i;
		lm = link_item(&root.rb_root, &items[i]);
		assert_true(lm == (i == 0));
		rb_insert_color_cached(&items[i].rb, &root, lm);
		model_insert(&m, &items[i]);
		if (i % 64 == 0 || i == N - 1)
			verify_cached(&root, &m);
	}
	while (m.n) { /* erase from the front: the leftmost moves every time */
		struct item *it = model_remove_at(&m, 0);

		rb_erase_cached(&it->rb, &root);
		verify_cached(&root, &m);
	}

	for (size_t i = 0; i < N; i++) { /* descending: always leftmost */
		bool lm;

		items[i].key = N - i;
		lm = link_item(&root.rb_root, &items[i]);
		assert_true(lm);
		rb_insert_color_cached(&items[i].rb, &root, lm);
		model_insert(&m, &items[i]);
		if (i % 64 == 0 || i == N - 1)
			verify_cached(&root, &m);
	}
	while (m.n) { /* erase from the back */
		struct item *it = model_remove_at(&m, m.n - 1);

		rb_erase_cached(&it->rb, &root);
		verify_cached(&root, &m);
	}
	assert_true(RB_EMPTY_ROOT(&root.rb_root));
	model_fini(&m);
}

/* Equal keys keep insertion order, through erasures too. */
static void test_duplicate_keys(void **state)
{
	enum { N = 1000 };
	struct model m;
	struct rb_root root = RB_ROOT;
	struct rb_node *rb;
	size_t i;

	(void)state;
	model_init(&m, N);
	for (i = 0; i < N; i++) {
		m.pool[i].key = 5;
		m.pool[i].val = i;
		link_item(&root, &m.pool[i]);
		rb_insert_color(&m.pool[i].rb, &root);
		model_insert(&m, &m.pool[i]);
	}
	verify(&root, &m);
	i = 0;
	for (rb = rb_first(&root); rb; rb = rb_next(rb))
		assert_int_equal(ITEM(rb)->val, i++);

	for (i = m.n; i-- > 0;)
		if (i % 3 == 0)
			rb_erase(&model_remove_at(&m, i)->rb, &root);
	verify(&root, &m);
	{
		unsigned long prev = 0;
		bool first = true;

		for (rb = rb_first(&root); rb; rb = rb_next(rb)) {
			assert_true(ITEM(rb)->val % 3 != 0);
			assert_true(first || ITEM(rb)->val > prev);
			prev = ITEM(rb)->val;
			first = false;
		}
	}
	model_fini(&m);
}

static void test_replace_node(void **state)
{
	enum { N = 300 };
	struct rng r = { 7 };
	struct model m;
	struct rb_root root = RB_ROOT;
	struct item *fresh;

	(void)state;
	model_init(&m, N);
	fresh = calloc(N, sizeof(*fresh));
	assert_non_null(fresh);
	for (size_t i = 0; i < N; i++) {
		struct item *it = model_take_spare(&m, &r);

		it->key = (unsigned long)rng_below(&r, 100);
		link_item(&root, it);
		rb_insert_color(&it->rb, &root);
		model_insert(&m, it);
	}
	verify(&root, &m);

	for (size_t k = 0; k < N; k++) {
		/* The root first, then a leaf, then random nodes. */
		size_t i;
		struct item *victim;
		unsigned long pc;

		if (k == 0) {
			for (i = 0; &m.a[i]->rb != root.rb_node; i++)
				;
		} else if (k == 1) {
			for (i = 0; m.a[i]->rb.rb_left || m.a[i]->rb.rb_right; i++)
				;
		} else {
			i = rng_below(&r, m.n);
		}
		victim = m.a[i];
		pc = victim->rb.__rb_parent_color;
		fresh[k].key = victim->key;
		rb_replace_node(&victim->rb, &fresh[k].rb, &root);
		m.a[i] = &fresh[k];

		assert_int_equal(fresh[k].rb.__rb_parent_color, pc);
		if (k == 0)
			assert_ptr_equal(root.rb_node, &fresh[k].rb);
		if (fresh[k].rb.rb_left)
			assert_ptr_equal(rb_parent(fresh[k].rb.rb_left), &fresh[k].rb);
		if (fresh[k].rb.rb_right)
			assert_ptr_equal(rb_parent(fresh[k].rb.rb_right), &fresh[k].rb);
		verify(&root, &m);
	}

	/* Replacements erase normally. */
	while (m.n) {
		struct item *it = m.a[rng_below(&r, m.n)];
		size_t i;

		for (i = 0; m.a[i] != it; i++)
			;
		rb_erase(&it->rb, &root);
		memmove(&m.a[i], &m.a[i + 1], (m.n - i - 1) * sizeof(*m.a));
		m.n--;
		verify(&root, &m);
	}
	free(fresh);
	model_fini(&m);
}

/* Build a node by hand: colour 0 red, 1 black. */
static void mk(struct item *it, struct item *parent, unsigned long color,
	       struct item *left, struct item *right)
{
	it->rb.__rb_parent_color = (unsigned long)(parent ? &parent->rb : NULL) | color;
	it->rb.rb_left = left ? &left->rb : NULL;
	it->rb.rb_right = right ? &right->rb : NULL;
}

static int count_visit(const struct rb_node *node, void *arg)
{
	(void)node;
	++*(int *)arg;
	return 0;
}

/*
 * rb_check() and rb_check_each() (breadth first, with its own queue) must
 * agree on every tree, and a valid one's visit reaches every node once.
 */
static int check_both(const struct rb_root *root, int *black_height)
{
	int bh1 = -1, bh2 = -1, visits = 0, nodes = 0;
	int ret = rb_check(root, &bh1);

	assert_int_equal(rb_check_each(root, &bh2, count_visit, &visits), ret);
	if (ret)
		return ret;
	assert_int_equal(bh1, bh2);
	for (const struct rb_node *n = rb_first(root); n; n = rb_next(n))
		nodes++;
	assert_int_equal(visits, nodes);
	if (black_height)
		*black_height = bh1;
	return 0;
}

static void test_check_detects_corruption(void **state)
{
	struct item n[4];
	struct rb_root root = { &n[0].rb };
	int bh = -1;

	(void)state;
	memset(n, 0, sizeof(n));

	/* B(R, R): valid, black height 1. */
	mk(&n[0], NULL, 1, &n[1], &n[2]);
	mk(&n[1], &n[0], 0, NULL, NULL);
	mk(&n[2], &n[0], 0, NULL, NULL);
	assert_int_equal(check_both(&root, &bh), 0);
	assert_int_equal(bh, 1);

	/* B(B, B): valid, black height 2. */
	mk(&n[1], &n[0], 1, NULL, NULL);
	mk(&n[2], &n[0], 1, NULL, NULL);
	assert_int_equal(check_both(&root, &bh), 0);
	assert_int_equal(bh, 2);

	/* Red root. */
	mk(&n[0], NULL, 0, &n[1], &n[2]);
	assert_int_equal(check_both(&root, NULL), -EINVAL);
	mk(&n[0], NULL, 1, &n[1], &n[2]);
	assert_int_equal(check_both(&root, NULL), 0);

	/* Root with a parent. */
	mk(&n[0], &n[3], 1, &n[1], &n[2]);
	assert_int_equal(check_both(&root, NULL), -EINVAL);
	mk(&n[0], NULL, 1, &n[1], &n[2]);

	/* Unequal black heights: B(B, nil). */
	mk(&n[0], NULL, 1, &n[1], NULL);
	assert_int_equal(check_both(&root, NULL), -EINVAL);

	/* Red-red: B(R(R, nil), nil) has equal black heights. */
	mk(&n[0], NULL, 1, &n[1], NULL);
	mk(&n[1], &n[0], 0, &n[2], NULL);
	mk(&n[2], &n[1], 0, NULL, NULL);
	assert_int_equal(check_both(&root, NULL), -EINVAL);
	mk(&n[1], &n[0], 1, NULL, NULL); /* B(B, nil) again */
	mk(&n[0], NULL, 1, &n[1], &n[2]);
	mk(&n[2], &n[0], 1, NULL, NULL);
	assert_int_equal(check_both(&root, NULL), 0);

	/* Wrong parent pointer. */
	mk(&n[2], &n[1], 1, NULL, NULL);
	assert_int_equal(check_both(&root, NULL), -EINVAL);
	mk(&n[2], &n[0], 1, NULL, NULL);

	/* The same child on both sides. */
	mk(&n[0], NULL, 1, &n[1], &n[1]);
	assert_int_equal(check_both(&root, NULL), -EINVAL);

	/* A cycle back to the root must not hang the checker. */
	mk(&n[0], NULL, 1, &n[1], &n[2]);
	mk(&n[2], &n[0], 1, &n[0], NULL);
	assert_int_equal(check_both(&root, NULL), -EINVAL);
	mk(&n[2], &n[0], 1, NULL, NULL);
	assert_int_equal(check_both(&root, NULL), 0);
}

/* A real tree, corrupted in place, fails; restored, passes. */
static void test_check_detects_corruption_in_big_tree(void **state)
{
	enum { N = 200 };
	struct rng r = { 99 };
	struct model m;
	struct rb_root root = RB_ROOT;
	int flips = 0;

	(void)state;
	model_init(&m, N);
	for (size_t i = 0; i < N; i++) {
		struct item *it = model_take_spare(&m, &r);

		it->key = (unsigned long)rng_below(&r, 1000);
		link_item(&root, it);
		rb_insert_color(&it->rb, &root);
		model_insert(&m, it);
	}
	verify(&root, &m);
	/* Flipping any single node's colour breaks a rule: it makes the root
	 * red, or changes the black count of the paths through the node but
	 * not of those through its sibling slot. */
	for (size_t i = 0; i < N; i++) {
		struct rb_node *rb = &m.a[i]->rb;

		rb->__rb_parent_color ^= 1;
		if (check_both(&root, NULL) == -EINVAL)
			flips++;
		rb->__rb_parent_color ^= 1;
		assert_int_equal(check_both(&root, NULL), 0);
	}
	assert_int_equal(flips, N);
	model_fini(&m);
}

/* ---- augmented trees ---- */

static inline bool size_compute(struct item *it, bool exit)
{
	unsigned long size = 1;

	if (it->rb.rb_left)
		size += ITEM(it->rb.rb_left)->size;
	if (it->rb.rb_right)
		size += ITEM(it->rb.rb_right)->size;
	if (exit && it->size == size)
		return true;
	it->size = size;
	return false;
}

RB_DECLARE_CALLBACKS(static, size_cb, struct item, rb, size, size_compute);

static inline unsigned long item_val(const struct item *it)
{
	return it->val;
}

RB_DECLARE_CALLBACKS_MAX(static, max_cb, struct item, rb, unsigned long, max,
			 item_val);

static unsigned long check_size(const struct rb_node *rb)
{
	unsigned long size;

	if (!rb)
		return 0;
	size = 1 + check_size(rb->rb_left) + check_size(rb->rb_right);
	assert_int_equal(ITEM(rb)->size, size);
	return size;
}

static unsigned long check_max(const struct rb_node *rb)
{
	unsigned long max, sub;

	if (!rb)
		return 0;
	max = ITEM(rb)->val;
	sub = check_max(rb->rb_left);
	if (rb->rb_left && sub > max)
		max = sub;
	sub = check_max(rb->rb_right);
	if (rb->rb_right && sub > max)
		max = sub;
	assert_int_equal(ITEM(rb)->max, max);
	return max;
}

/* Order-statistic select via the size augmentation. */
static struct item *select_kth(const struct rb_root *root, unsigned long k)
{
	struct rb_node *rb = root->rb_node;

	while (rb) {
		unsigned long lsize = rb->rb_left ? ITEM(rb->rb_left)->size : 0;

		if (k < lsize) {
			rb = rb->rb_left;
		} else if (k == lsize) {
			return ITEM(rb);
		} else {
			k -= lsize + 1;
			rb = rb->rb_right;
		}
	}
	return NULL;
}

static void test_augmented_size(void **state)
{
	enum { CAP = 500, STEPS = 10000 };
	struct rng r = { 2024 };
	struct model m;
	struct rb_root root = RB_ROOT;

	(void)state;
	model_init(&m, CAP);
	for (int step = 0; step < STEPS; step++) {
		bool growing = (step / 1000) % 2 == 0;
		bool insert = m.n == 0 ||
			      (m.nspare && rng_below(&r, 100) < (growing ? 70 : 30));

		if (insert) {
			struct item *it = model_take_spare(&m, &r);
			struct rb_node **link = &root.rb_node, *parent = NULL;

			it->key = (unsigned long)rng_below(&r, 300);
			while (*link) {
				parent = *link;
				ITEM(parent)->size++;
				if (it->key < ITEM(parent)->key)
					link = &parent->rb_left;
				else
					link = &parent->rb_right;
			}
			it->size = 1;
			rb_link_node(&it->rb, parent, link);
			rb_insert_augmented(&it->rb, &root, &size_cb);
			model_insert(&m, it);
		} else {
			struct item *it = model_remove_random(&m, &r);

			rb_erase_augmented(&it->rb, &root, &size_cb);
		}
		verify(&root, &m);
		assert_int_equal(check_size(root.rb_node), m.n);
		if (m.n) {
			size_t k = rng_below(&r, m.n);

			assert_ptr_equal(select_kth(&root, k), m.a[k]);
		}
	}
	model_fini(&m);
}

static void test_augmented_max_cached(void **state)
{
	enum { CAP = 500, STEPS = 10000 };
	struct rng r = { 31337 };
	struct model m;
	struct rb_root_cached root = RB_ROOT_CACHED;

	(void)state;
	model_init(&m, CAP);
	for (int step = 0; step < STEPS; step++) {
		bool growing = (step / 1000) % 2 == 0;
		bool insert = m.n == 0 ||
			      (m.nspare && rng_below(&r, 100) < (growing ? 70 : 30));

		if (insert) {
			struct item *it = model_take_spare(&m, &r);
			struct rb_node **link = &root.rb_root.rb_node, *parent = NULL;
			bool leftmost = true;

			it->key = (unsigned long)rng_below(&r, 300);
			it->val = (unsigned long)rng_next(&r);
			while (*link) {
				parent = *link;
				if (ITEM(parent)->max < it->val)
					ITEM(parent)->max = it->val;
				if (it->key < ITEM(parent)->key) {
					link = &parent->rb_left;
				} else {
					link = &parent->rb_right;
					leftmost = false;
				}
			}
			it->max = it->val;
			rb_link_node(&it->rb, parent, link);
			rb_insert_augmented_cached(&it->rb, &root, leftmost, &max_cb);
			model_insert(&m, it);
		} else {
			struct item *it = model_remove_random(&m, &r);

			rb_erase_augmented_cached(&it->rb, &root, &max_cb);
		}
		verify_cached(&root, &m);
		check_max(root.rb_root.rb_node);
		if (m.n) {
			unsigned long want = 0;

			for (size_t i = 0; i < m.n; i++)
				if (m.a[i]->val > want)
					want = m.a[i]->val;
			assert_int_equal(ITEM(root.rb_root.rb_node)->max, want);
		}
	}
	model_fini(&m);
}

/* The augmented value is really maintained by the callbacks: a stale value
 * planted in the tree is caught by the checker used above. */
static void test_augmented_checker_catches_stale(void **state)
{
	enum { N = 64 };
	struct model m;
	struct rb_root root = RB_ROOT;

	(void)state;
	model_init(&m, N);
	for (size_t i = 0; i < N; i++) {
		struct item *it = &m.pool[i];
		struct rb_node **link = &root.rb_node, *parent = NULL;

		it->key = i;
		while (*link) {
			parent = *link;
			ITEM(parent)->size++;
			link = &parent->rb_right;
		}
		it->size = 1;
		rb_link_node(&it->rb, parent, link);
		rb_insert_augmented(&it->rb, &root, &size_cb);
	}
	assert_int_equal(ITEM(root.rb_node)->size, N);
	assert_int_equal(check_size(root.rb_node), N);
	/* Plain rb_erase does not maintain sizes: the root's size is stale
	 * afterwards (it never touches augmented data). */
	rb_erase(&m.pool[N / 2].rb, &root);
	assert_int_equal(rb_check(&root, NULL), 0);
	assert_int_not_equal(ITEM(root.rb_node)->size, N - 1);
	model_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_clear),
		cmocka_unit_test(test_random_plain),
		cmocka_unit_test(test_random_cached),
		cmocka_unit_test(test_random_many_duplicates),
		cmocka_unit_test(test_sequential),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_replace_node),
		cmocka_unit_test(test_check_detects_corruption),
		cmocka_unit_test(test_check_detects_corruption_in_big_tree),
		cmocka_unit_test(test_augmented_size),
		cmocka_unit_test(test_augmented_max_cached),
		cmocka_unit_test(test_augmented_checker_catches_stale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
