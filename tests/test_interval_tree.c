/* test_interval_tree.c - CMocka tests for lib/interval_tree.c.
 * Checks the INTERVAL_TREE_DEFINE-style interval tree (kernel
 * include/linux/interval_tree_generic.h semantics) against brute force.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "interval_tree.h"
#include "prng.h"

/* ---- deterministic PRNG (splitmix64) ---- */

struct rng {
	uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
	return splitmix64(&r->state);
}

static unsigned long rng_below(struct rng *r, unsigned long n)
{
	return (unsigned long)(rng_next(r) % n);
}

/* [start, start + len] clamped to ULONG_MAX, len random in [0, span]. */
static unsigned long rng_last(struct rng *r, unsigned long start,
			      unsigned long span)
{
	unsigned long room = ULONG_MAX - start;
	unsigned long len = span == ULONG_MAX ? (unsigned long)rng_next(r)
					      : rng_below(r, span + 1);

	return start + (len < room ? len : room);
}

/* A mix of shapes: clustered equal starts, zero length, long, up to and at
 * ULONG_MAX, anywhere in the address space.  narrow leaves out the shapes
 * that cover much of the space. */
static void rng_interval(struct rng *r, bool narrow, unsigned long *start,
			 unsigned long *last)
{
	static const int narrow_shapes[] = { 0, 1, 2, 3, 7, 8 };
	unsigned long s;
	int shape = narrow ? narrow_shapes[rng_below(r, 6)] : (int)rng_below(r, 9);

	switch (shape) {
	case 0: /* zero length, few distinct starts */
		s = rng_below(r, 64);
		*start = s;
		*last = s;
		return;
	case 1:
		s = rng_below(r, 64);
		*last = rng_last(r, s, 64);
		break;
	case 2:
		s = rng_below(r, 4096);
		*last = rng_last(r, s, 256);
		break;
	case 3: /* ending at ULONG_MAX */
		s = ULONG_MAX - rng_below(r, 64);
		*last = ULONG_MAX;
		break;
	case 4:
		s = rng_below(r, 4096);
		*last = ULONG_MAX;
		break;
	case 5: /* anywhere, any length */
		s = (unsigned long)rng_next(r);
		*last = rng_last(r, s, ULONG_MAX);
		break;
	case 6:
		s = 0;
		*last = rng_below(r, 4096);
		break;
	case 7: /* near the top, may clamp */
		s = ULONG_MAX - rng_below(r, 4096);
		*last = rng_last(r, s, 8192);
		break;
	default:
		s = rng_below(r, 4096);
		*last = rng_last(r, s, 16);
		break;
	}
	*start = s;
}

/* ---- model: nodes in tree order (start, then insertion order) ---- */

struct model {
	struct interval_tree_node **a;
	size_t n;
	struct interval_tree_node **spare;
	size_t nspare;
	struct interval_tree_node *pool;
	struct interval_tree_node **want; /* scratch for expected results */
};

static void model_init(struct model *m, size_t cap)
{
	m->pool = calloc(cap, sizeof(*m->pool));
	m->a = calloc(cap, sizeof(*m->a));
	m->spare = calloc(cap, sizeof(*m->spare));
	m->want = calloc(cap, sizeof(*m->want));
	assert_non_null(m->pool);
	assert_non_null(m->a);
	assert_non_null(m->spare);
	assert_non_null(m->want);
	m->n = 0;
	m->nspare = cap;
	for (size_t i = 0; i < cap; i++)
		m->spare[i] = &m->pool[i];
}

static void model_fini(struct model *m)
{
	free(m->pool);
	free(m->a);
	free(m->spare);
	free(m->want);
}

static void model_insert(struct model *m, struct interval_tree_node *it)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->a[mid]->start <= it->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&m->a[lo + 1], &m->a[lo], (m->n - lo) * sizeof(*m->a));
	m->a[lo] = it;
	m->n++;
}

static struct interval_tree_node *model_remove_at(struct model *m, size_t i)
{
	struct interval_tree_node *it = m->a[i];

	memmove(&m->a[i], &m->a[i + 1], (m->n - i - 1) * sizeof(*m->a));
	m->n--;
	m->spare[m->nspare++] = it;
	return it;
}

/* Take a spare node, give it a random interval, insert it everywhere. */
static struct interval_tree_node *insert_random(struct model *m,
						struct rb_root_cached *root,
						struct rng *r, bool narrow)
{
	size_t i = (size_t)rng_below(r, m->nspare);
	struct interval_tree_node *it = m->spare[i];

	m->spare[i] = m->spare[--m->nspare];
	rng_interval(r, narrow, &it->start, &it->last);
	interval_tree_insert(it, root);
	model_insert(m, it);
	return it;
}

static void insert_node(struct model *m, struct rb_root_cached *root,
			struct interval_tree_node *it, unsigned long start,
			unsigned long last)
{
	it->start = start;
	it->last = last;
	interval_tree_insert(it, root);
	model_insert(m, it);
}

/* Tree order must be the model's. */
static void verify(struct rb_root_cached *root, const struct model *m)
{
	size_t i = 0;

	assert_int_equal(interval_tree_check(root), 0);
	for (struct rb_node *rb = rb_first(&root->rb_root); rb;
	     rb = rb_next(rb), i++) {
		assert_true(i < m->n);
		assert_ptr_equal(rb, &m->a[i]->rb);
	}
	assert_int_equal(i, m->n);
	assert_ptr_equal(rb_first_cached(root), m->n ? &m->a[0]->rb : NULL);
}

/*
 * Run [start, last] both ways and compare, in order, with brute force over
 * the model.  Returns the number of results; *visited_out (if not NULL) gets
 * the nodes the counted walk visited.
 */
static size_t query(struct rb_root_cached *root, struct model *m,
		    unsigned long start, unsigned long last,
		    unsigned long *visited_out)
{
	struct interval_tree_node *it;
	size_t nwant = 0, i;
	unsigned long visited = 0;

	for (i = 0; i < m->n; i++)
		if (m->a[i]->start <= last && m->a[i]->last >= start)
			m->want[nwant++] = m->a[i];

	i = 0;
	for (it = interval_tree_iter_first(root, start, last); it;
	     it = interval_tree_iter_next(it, start, last)) {
		assert_true(i < nwant);
		assert_ptr_equal(it, m->want[i]);
		i++;
	}
	assert_int_equal(i, nwant);

	i = 0;
	for (it = interval_tree_iter_first_counted(root, start, last, &visited);
	     it; it = interval_tree_iter_next_counted(it, start, last, &visited)) {
		assert_true(i < nwant);
		assert_ptr_equal(it, m->want[i]);
		i++;
		/* Every result so far was visited. */
		assert_true(visited >= i);
	}
	assert_int_equal(i, nwant);
	assert_true(visited >= nwant);
	assert_true(visited <= m->n);
	if (m->n)
		assert_true(visited >= 1);
	else
		assert_int_equal(visited, 0);
	if (visited_out)
		*visited_out = visited;
	return nwant;
}

/* Returns how many of the random queries had results. */
static int random_queries(struct rb_root_cached *root, struct model *m,
			  struct rng *r, int count)
{
	static const unsigned long fixed[][2] = {
		{ 0, 0 },
		{ 0, ULONG_MAX },
		{ ULONG_MAX, ULONG_MAX },
		{ ULONG_MAX - 1, ULONG_MAX },
		{ 1, 1 },
		{ 63, 64 },
		{ 4096, 4096 },
	};
	int hits = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		query(root, m, fixed[i][0], fixed[i][1], NULL);
	for (int q = 0; q < count; q++) {
		unsigned long s, l;

		if (q % 3 == 0) { /* stabbing query */
			rng_interval(r, false, &s, &l);
			l = s;
		} else if (q % 3 == 1 && m->n) { /* at an existing endpoint */
			struct interval_tree_node *it = m->a[rng_below(r, m->n)];

			s = rng_below(r, 2) ? it->start : it->last;
			l = rng_last(r, s, rng_below(r, 2) ? 0 : 100);
		} else {
			rng_interval(r, false, &s, &l);
		}
		if (query(root, m, s, l, NULL))
			hits++;
	}
	return hits;
}

/* ---- tests ---- */

static void test_empty(void **state)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	unsigned long visited = 0;

	(void)state;
	assert_int_equal(interval_tree_check(&root), 0);
	assert_null(interval_tree_iter_first(&root, 0, ULONG_MAX));
	assert_null(interval_tree_iter_first_counted(&root, 0, ULONG_MAX,
						     &visited));
	assert_int_equal(visited, 0);
}

static void test_single_and_edges(void **state)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct interval_tree_node a = { .start = 10, .last = 20 };
	struct interval_tree_node top = { .start = ULONG_MAX, .last = ULONG_MAX };
	struct interval_tree_node all = { .start = 0, .last = ULONG_MAX };
	struct interval_tree_node *it;

	(void)state;
	interval_tree_insert(&a, &root);
	assert_int_equal(interval_tree_check(&root), 0);
	assert_int_equal(a.__subtree_last, 20);
	/* Closed interval: both ends count. */
	assert_ptr_equal(interval_tree_iter_first(&root, 10, 10), &a);
	assert_ptr_equal(interval_tree_iter_first(&root, 20, 20), &a);
	assert_ptr_equal(interval_tree_iter_first(&root, 0, 10), &a);
	assert_ptr_equal(interval_tree_iter_first(&root, 20, ULONG_MAX), &a);
	assert_null(interval_tree_iter_first(&root, 9, 9));
	assert_null(interval_tree_iter_first(&root, 21, 21));
	assert_null(interval_tree_iter_first(&root, 0, 9));
	assert_null(interval_tree_iter_next(&a, 10, 20));

	interval_tree_insert(&top, &root);
	interval_tree_insert(&all, &root);
	assert_int_equal(interval_tree_check(&root), 0);
	assert_ptr_equal(rb_first_cached(&root), &all.rb);

	it = interval_tree_iter_first(&root, ULONG_MAX, ULONG_MAX);
	assert_ptr_equal(it, &all);
	it = interval_tree_iter_next(it, ULONG_MAX, ULONG_MAX);
	assert_ptr_equal(it, &top);
	assert_null(interval_tree_iter_next(it, ULONG_MAX, ULONG_MAX));

	it = interval_tree_iter_first(&root, 0, 0);
	assert_ptr_equal(it, &all);
	assert_null(interval_tree_iter_next(it, 0, 0));

	it = interval_tree_iter_first(&root, 15, ULONG_MAX - 1);
	assert_ptr_equal(it, &all);
	it = interval_tree_iter_next(it, 15, ULONG_MAX - 1);
	assert_ptr_equal(it, &a);
	assert_null(interval_tree_iter_next(it, 15, ULONG_MAX - 1));

	interval_tree_remove(&all, &root);
	assert_int_equal(interval_tree_check(&root), 0);
	assert_ptr_equal(rb_first_cached(&root), &a.rb);
	assert_null(interval_tree_iter_first(&root, 0, 9));
	assert_null(interval_tree_iter_first(&root, 21, ULONG_MAX - 1));
	interval_tree_remove(&top, &root);
	interval_tree_remove(&a, &root);
	assert_true(RB_EMPTY_ROOT(&root.rb_root));
	assert_null(rb_first_cached(&root));
}

/* Equal starts come back in insertion order. */
static void test_equal_starts(void **state)
{
	enum { N = 40 };
	static const unsigned long lasts[] = { 5, 9, 5, 100, 7, ULONG_MAX, 6, 5 };
	struct interval_tree_node nodes[N];
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct interval_tree_node *it;
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		nodes[i].start = 5;
		nodes[i].last = lasts[i % 8];
		interval_tree_insert(&nodes[i], &root);
		assert_int_equal(interval_tree_check(&root), 0);
	}
	assert_ptr_equal(rb_first_cached(&root), &nodes[0].rb);

	i = 0;
	for (it = interval_tree_iter_first(&root, 5, 5); it;
	     it = interval_tree_iter_next(it, 5, 5))
		assert_ptr_equal(it, &nodes[i++]);
	assert_int_equal(i, N);

	/* Only those reaching 8 (lasts 9, 100, ULONG_MAX), in order. */
	i = 0;
	for (it = interval_tree_iter_first(&root, 8, 8); it;
	     it = interval_tree_iter_next(it, 8, 8)) {
		while (i < N && lasts[i % 8] < 8)
			i++;
		assert_true(i < N);
		assert_ptr_equal(it, &nodes[i]);
		i++;
	}
	while (i < N && lasts[i % 8] < 8)
		i++;
	assert_int_equal(i, N);

	/* Removing every other one keeps the rest in order. */
	for (i = 0; i < N; i += 2)
		interval_tree_remove(&nodes[i], &root);
	assert_int_equal(interval_tree_check(&root), 0);
	i = 1;
	for (it = interval_tree_iter_first(&root, 0, ULONG_MAX); it;
	     it = interval_tree_iter_next(it, 0, ULONG_MAX)) {
		assert_ptr_equal(it, &nodes[i]);
		i += 2;
	}
	assert_int_equal(i, N + 1);
}

static void random_static(uint64_t seed, bool narrow)
{
	enum { N = 2000, Q = 3000 };
	struct rng r = { seed };
	struct model m;
	struct rb_root_cached root = RB_ROOT_CACHED;
	int hits;

	model_init(&m, N);
	for (size_t i = 0; i < N; i++) {
		insert_random(&m, &root, &r, narrow);
		if (i % 100 == 0)
			verify(&root, &m);
	}
	verify(&root, &m);
	hits = random_queries(&root, &m, &r, Q);
	/* With wide intervals every query finds something; with narrow ones
	 * both outcomes occur. */
	if (narrow)
		assert_true(hits > Q / 4 && hits < Q - Q / 50);
	else
		assert_int_equal(hits, Q);

	/* Remove half at random, then query again. */
	while (m.n > N / 2) {
		struct interval_tree_node *it = model_remove_at(&m, rng_below(&r, m.n));

		interval_tree_remove(it, &root);
	}
	verify(&root, &m);
	hits = random_queries(&root, &m, &r, Q);
	if (narrow)
		assert_true(hits > Q / 4 && hits < Q - Q / 50);
	model_fini(&m);
}

static void test_random_static(void **state)
{
	(void)state;
	random_static(0x5eed, false);
	random_static(0x5eee, true);
}

/* Interleaved inserts and removes, validated after every step. */
static void test_random_churn(void **state)
{
	enum { CAP = 400, STEPS = 8000 };
	struct rng r = { 0xc0ffee };
	struct model m;
	struct rb_root_cached root = RB_ROOT_CACHED;
	size_t max_seen = 0;

	(void)state;
	model_init(&m, CAP);
	for (int step = 0; step < STEPS; step++) {
		bool growing = (step / 1000) % 2 == 0;

		if (m.n == 0 ||
		    (m.nspare && rng_below(&r, 100) < (growing ? 75 : 25))) {
			insert_random(&m, &root, &r, step % 2);
		} else {
			struct interval_tree_node *it =
				model_remove_at(&m, rng_below(&r, m.n));

			interval_tree_remove(it, &root);
		}
		if (m.n > max_seen)
			max_seen = m.n;
		verify(&root, &m);
		random_queries(&root, &m, &r, 4);
	}
	assert_true(max_seen > CAP / 2);
	model_fini(&m);
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

/* Small, disjoint intervals: a stabbing query costs O(log n), not O(n). */
static void test_counted_is_logarithmic(void **state)
{
	enum { N = 4096 };
	struct rng r = { 11 };
	struct model m;
	struct rb_root_cached root = RB_ROOT_CACHED;
	unsigned long worst = 0;
	int h;

	(void)state;
	model_init(&m, N);
	m.nspare = 0;
	for (size_t i = 0; i < N; i++) /* shuffled-ish order via stride */
		insert_node(&m, &root, &m.pool[i], ((i * 1237) % N) * 10,
			    ((i * 1237) % N) * 10 + 5);
	verify(&root, &m);
	h = height(root.rb_root.rb_node);
	assert_true(h <= 2 * 13); /* 2 * log2(N + 1), rounded up */
	for (int q = 0; q < 2000; q++) {
		unsigned long p = rng_below(&r, N * 10 + 20);
		unsigned long v;

		assert_true(query(&root, &m, p, p, &v) == (p % 10 <= 5 && p < N * 10));

		if (v > worst)
			worst = v;
	}
	/* The walk follows one root-to-leaf path (down to the match and on
	 * to its successor), entering one node and ruling out at most one
	 * sibling subtree per level. */
	assert_true(worst >= 1);
	assert_true(worst <= 2 * (unsigned long)h + 2);
	/* A query that matches everything visits everything. */
	{
		unsigned long v;

		assert_int_equal(query(&root, &m, 0, ULONG_MAX, &v), N);
		assert_int_equal(v, N);
	}
	model_fini(&m);
}

/*
 * Exact counts on a three-node tree, root [20,40] with children [10,10] and
 * [30,30]: entered nodes and ruled-out subtrees count, climbing does not.
 */
static void test_counted_exact(void **state)
{
	static const struct {
		unsigned long start, last, visited;
		size_t results;
	} cases[] = {
		{ 25, 35, 3, 2 },	/* root, ruled-out left, right */
		{ 15, 15, 2, 0 },	/* root, ruled-out left; root too late */
		{ 10, 10, 2, 1 },	/* root, left; climb back: 20 > 10 */
		{ 35, 35, 3, 1 },	/* root, ruled-out left and right */
		{ 40, 50, 3, 1 },	/* the same */
		{ 41, 50, 1, 0 },	/* root's __subtree_last < 41 */
		{ 0, 5, 2, 0 },		/* root, then the cached leftmost */
		{ 0, ULONG_MAX, 3, 3 },	/* everything */
		{ 20, 20, 3, 1 },	/* root, ruled-out left, then right as
					 * its __subtree_last reaches 20 */
	};
	struct model m;
	struct rb_root_cached root = RB_ROOT_CACHED;

	(void)state;
	model_init(&m, 3);
	m.nspare = 0;
	insert_node(&m, &root, &m.pool[0], 10, 10);
	insert_node(&m, &root, &m.pool[1], 20, 40);
	insert_node(&m, &root, &m.pool[2], 30, 30);
	verify(&root, &m);
	assert_ptr_equal(root.rb_root.rb_node, &m.pool[1].rb);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long v = 0;

		assert_int_equal(query(&root, &m, cases[i].start, cases[i].last, &v),
				 cases[i].results);
		assert_int_equal(v, cases[i].visited);
	}
	model_fini(&m);
}

static void test_check_detects_corruption(void **state)
{
	enum { N = 100 };
	struct rng r = { 77 };
	struct model m;
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct interval_tree_node *it, *leaf = NULL;
	unsigned long saved;

	(void)state;
	model_init(&m, N);
	for (size_t i = 0; i < N; i++)
		insert_random(&m, &root, &r, false);
	verify(&root, &m);

	/* A stale __subtree_last anywhere. */
	for (size_t i = 0; i < N; i++) {
		it = m.a[i];
		saved = it->__subtree_last;
		it->__subtree_last = saved - 1;
		assert_int_equal(interval_tree_check(&root), -EINVAL);
		it->__subtree_last = saved;
	}
	assert_int_equal(interval_tree_check(&root), 0);

	/* A leaf whose last grows beyond what its parent caches. */
	for (size_t i = 0; i < N && !leaf; i++) {
		struct rb_node *parent = rb_parent(&m.a[i]->rb);

		if (!m.a[i]->rb.rb_left && !m.a[i]->rb.rb_right &&
		    rb_entry(parent, struct interval_tree_node, rb)
				    ->__subtree_last < ULONG_MAX)
			leaf = m.a[i];
	}
	assert_non_null(leaf);
	saved = leaf->last;
	leaf->last = ULONG_MAX;
	leaf->__subtree_last = ULONG_MAX;
	assert_int_equal(interval_tree_check(&root), -EINVAL);
	leaf->last = saved;
	leaf->__subtree_last = saved;
	assert_int_equal(interval_tree_check(&root), 0);

	/* Out of order starts: swap the starts of neighbours a < b where a
	 * reaches b's start, so both stay well-formed intervals. */
	it = NULL;
	for (size_t i = 0; i + 1 < N && !it; i++)
		if (m.a[i]->start < m.a[i + 1]->start &&
		    m.a[i]->last >= m.a[i + 1]->start)
			it = m.a[i];
	assert_non_null(it);
	{
		struct interval_tree_node *next =
			rb_entry(rb_next(&it->rb), struct interval_tree_node, rb);

		saved = it->start;
		it->start = next->start;
		next->start = saved;
		assert_int_equal(interval_tree_check(&root), -EINVAL);
		next->start = it->start;
		it->start = saved;
	}
	assert_int_equal(interval_tree_check(&root), 0);

	/* Stale leftmost. */
	root.rb_leftmost = &m.a[1]->rb;
	assert_int_equal(interval_tree_check(&root), -EINVAL);
	root.rb_leftmost = &m.a[0]->rb;

	/* Broken colouring. */
	root.rb_root.rb_node->__rb_parent_color ^= 1;
	assert_int_equal(interval_tree_check(&root), -EINVAL);
	root.rb_root.rb_node->__rb_parent_color ^= 1;
	assert_int_equal(interval_tree_check(&root), 0);
	model_fini(&m);
}

/* An interval with last < start is malformed even if all else is right. */
static void test_check_detects_inverted_interval(void **state)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct interval_tree_node a = { .start = 10, .last = 10 };

	(void)state;
	interval_tree_insert(&a, &root);
	assert_int_equal(interval_tree_check(&root), 0);
	a.last = 9;
	a.__subtree_last = 9;
	assert_int_equal(interval_tree_check(&root), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single_and_edges),
		cmocka_unit_test(test_equal_starts),
		cmocka_unit_test(test_random_static),
		cmocka_unit_test(test_random_churn),
		cmocka_unit_test(test_counted_is_logarithmic),
		cmocka_unit_test(test_counted_exact),
		cmocka_unit_test(test_check_detects_corruption),
		cmocka_unit_test(test_check_detects_inverted_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
