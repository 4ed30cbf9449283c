/* rbtree.c - red-black tree rebalancing, erase, navigation and checking.
 * Models the kernel's lib/rbtree.c (same API and augmentation callback
 * contract); written from the textbook algorithm, not from kernel code.
 */
#include "rbtree.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define RB_RED 0UL
#define RB_BLACK 1UL

/* NULL children count as black leaves. */
static inline bool is_black(const struct rb_node *n)
{
	return !n || rb_is_black(n);
}

static inline bool is_red(const struct rb_node *n)
{
	return n && rb_is_red(n);
}

static inline void set_parent(struct rb_node *n, struct rb_node *parent)
{
	n->__rb_parent_color = (unsigned long)parent | rb_color(n);
}

static inline void set_color(struct rb_node *n, unsigned long color)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~1UL) | color;
}

/* Point the slot that held old (in parent, or the root) at new. */
static inline void replace_child(struct rb_node *old, struct rb_node *new,
				 struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * Rotations move x's right (left) child y up into x's place; x becomes y's
 * left (right) child.  Colours are left alone, the callers set them.  Then
 * the augmented value follows: y now covers what x covered.
 */
static inline void rotate_left(struct rb_node *x, struct rb_root *root,
			       const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->rb_right;
	struct rb_node *parent = rb_parent(x);
	struct rb_node *inner = y->rb_left;

	x->rb_right = inner;
	if (inner)
		set_parent(inner, x);
	replace_child(x, y, parent, root);
	set_parent(y, parent);
	y->rb_left = x;
	set_parent(x, y);
	aug->rotate(x, y);
}

static inline void rotate_right(struct rb_node *x, struct rb_root *root,
				const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->rb_left;
	struct rb_node *parent = rb_parent(x);
	struct rb_node *inner = y->rb_right;

	x->rb_left = inner;
	if (inner)
		set_parent(inner, x);
	replace_child(x, y, parent, root);
	set_parent(y, parent);
	y->rb_right = x;
	set_parent(x, y);
	aug->rotate(x, y);
}

/* node was just linked as a red leaf: restore the colour rules. */
static inline void insert_fixup(struct rb_node *node, struct rb_root *root,
				const struct rb_augment_callbacks *aug)
{
	for (;;) {
		struct rb_node *parent = rb_parent(node);
		struct rb_node *gparent, *uncle;

		if (!parent) {
			/* node is the root: blackening it is always allowed. */
			set_color(node, RB_BLACK);
			return;
		}
		if (rb_is_black(parent))
			return;

		/* A red parent is never the root, so gparent exists (black). */
		gparent = rb_parent(parent);
		uncle = gparent->rb_left == parent ? gparent->rb_right
						   : gparent->rb_left;
		if (is_red(uncle)) {
			/* Push gparent's blackness down one level; the red
			 * may now clash with gparent's parent: go up. */
			set_color(parent, RB_BLACK);
			set_color(uncle, RB_BLACK);
			set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}

		/* Black uncle: at most two rotations finish the job.  First
		 * make node an outer grandchild, then lift the middle one. */
		if (gparent->rb_left == parent) {
			if (parent->rb_right == node) {
				rotate_left(parent, root, aug);
				parent = node;
			}
			rotate_right(gparent, root, aug);
		} else {
			if (parent->rb_left == node) {
				rotate_right(parent, root, aug);
				parent = node;
			}
			rotate_left(gparent, root, aug);
		}
		set_color(parent, RB_BLACK);
		set_color(gparent, RB_RED);
		return;
	}
}

/*
 * The subtree hanging at parent's child slot that holds `node` (NULL for the
 * first round) has one black fewer on every path than its sibling subtree.
 */
static inline void erase_fixup(struct rb_node *parent, struct rb_root *root,
			       const struct rb_augment_callbacks *aug)
{
	struct rb_node *node = NULL;
	struct rb_node *sib;

	for (;;) {
		/* The short side has black height >= 0, so the sibling side
		 * has >= 1: sib is never NULL.  When node is NULL the NULL
		 * child is the short side. */
		if (parent->rb_left == node) {
			sib = parent->rb_right;
			if (rb_is_red(sib)) {
				/* Make the sibling black: rotate the red one
				 * above parent, which turns red. */
				rotate_left(parent, root, aug);
				set_color(sib, RB_BLACK);
				set_color(parent, RB_RED);
				sib = parent->rb_right;
			}
			if (is_black(sib->rb_left) && is_black(sib->rb_right)) {
				/* Shorten the sibling side too; parent's
				 * whole subtree is now one black short. */
				set_color(sib, RB_RED);
				if (rb_is_red(parent)) {
					set_color(parent, RB_BLACK);
					return;
				}
				node = parent;
				parent = rb_parent(node);
				if (!parent)
					return;
				continue;
			}
			if (is_black(sib->rb_right)) {
				/* Only the inner nephew is red: turn it
				 * into the outer one. */
				struct rb_node *nephew = sib->rb_left;

				rotate_right(sib, root, aug);
				set_color(nephew, RB_BLACK);
				set_color(sib, RB_RED);
				sib = nephew;
			}
			/* Red outer nephew: lift sib above parent; the short
			 * side gains the black parent. */
			rotate_left(parent, root, aug);
			set_color(sib, rb_color(parent));
			set_color(parent, RB_BLACK);
			set_color(sib->rb_right, RB_BLACK);
			return;
		}

		/* Mirror image: the short side is the right one. */
		sib = parent->rb_left;
		if (rb_is_red(sib)) {
			rotate_right(parent, root, aug);
			set_color(sib, RB_BLACK);
			set_color(parent, RB_RED);
			sib = parent->rb_left;
		}
		if (is_black(sib->rb_left) && is_black(sib->rb_right)) {
			set_color(sib, RB_RED);
			if (rb_is_red(parent)) {
				set_color(parent, RB_BLACK);
				return;
			}
			node = parent;
			parent = rb_parent(node);
			if (!parent)
				return;
			continue;
		}
		if (is_black(sib->rb_left)) {
			struct rb_node *nephew = sib->rb_right;

			rotate_left(sib, root, aug);
			set_color(nephew, RB_BLACK);
			set_color(sib, RB_RED);
			sib = nephew;
		}
		rotate_right(parent, root, aug);
		set_color(sib, rb_color(parent));
		set_color(parent, RB_BLACK);
		set_color(sib->rb_left, RB_BLACK);
		return;
	}
}

static inline void erase(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *aug)
{
	struct rb_node *left = node->rb_left;
	struct rb_node *right = node->rb_right;
	struct rb_node *parent = rb_parent(node);
	struct rb_node *short_parent = NULL; /* parent of a slot one black short */

	if (!left || !right) {
		struct rb_node *child = left ? left : right;

		replace_child(node, child, parent, root);
		if (child) {
			/* A lone child is a red leaf under a black node: it
			 * takes node's place and colour, nothing else moves. */
			child->__rb_parent_color = node->__rb_parent_color;
		} else if (rb_is_black(node)) {
			short_parent = parent;
		}
		aug->propagate(parent, NULL);
	} else {
		/* Two children: the in-order successor (leftmost of the right
		 * subtree, which has no left child) takes node's place and
		 * colour; the hole is where the successor was. */
		struct rb_node *succ = right;
		struct rb_node *succ_parent, *succ_child;

		while (succ->rb_left)
			succ = succ->rb_left;
		succ_child = succ->rb_right;

		if (succ == right) {
			succ_parent = succ;
		} else {
			succ_parent = rb_parent(succ);
			succ_parent->rb_left = succ_child;
			if (succ_child)
				set_parent(succ_child, succ_parent);
			succ->rb_right = right;
			set_parent(right, succ);
		}
		succ->rb_left = left;
		set_parent(left, succ);
		replace_child(node, succ, parent, root);

		if (succ_child)
			set_color(succ_child, RB_BLACK); /* was red, succ black */
		else if (rb_is_black(succ))
			short_parent = succ_parent;
		succ->__rb_parent_color = node->__rb_parent_color;

		/* succ inherits node's value (so ancestors stay consistent
		 * should propagation stop early), the path below it loses
		 * succ, and succ itself loses node. */
		aug->copy(node, succ);
		if (succ_parent != succ)
			aug->propagate(succ_parent, succ);
		aug->propagate(succ, NULL);
	}

	if (short_parent)
		erase_fixup(short_parent, root, aug);
}

static inline void noop_propagate(struct rb_node *node, struct rb_node *stop)
{
	(void)node;
	(void)stop;
}

static inline void noop_copy(struct rb_node *old, struct rb_node *new)
{
	(void)old;
	(void)new;
}

static inline void noop_rotate(struct rb_node *old, struct rb_node *new)
{
	(void)old;
	(void)new;
}

static const struct rb_augment_callbacks noop_callbacks = {
	.propagate = noop_propagate,
	.copy = noop_copy,
	.rotate = noop_rotate,
};

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	insert_fixup(node, root, &noop_callbacks);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	erase(node, root, &noop_callbacks);
}

void rb_insert_color_cached(struct rb_node *node, struct rb_root_cached *root,
			    bool leftmost)
{
	if (leftmost)
		root->rb_leftmost = node;
	insert_fixup(node, &root->rb_root, &noop_callbacks);
}

void rb_erase_cached(struct rb_node *node, struct rb_root_cached *root)
{
	if (root->rb_leftmost == node)
		root->rb_leftmost = rb_next(node);
	erase(node, &root->rb_root, &noop_callbacks);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment)
{
	insert_fixup(node, root, augment);
}

void rb_insert_augmented_cached(struct rb_node *node,
				struct rb_root_cached *root, bool newleft,
				const struct rb_augment_callbacks *augment)
{
	if (newleft)
		root->rb_leftmost = node;
	insert_fixup(node, &root->rb_root, augment);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment)
{
	erase(node, root, augment);
}

void rb_erase_augmented_cached(struct rb_node *node,
			       struct rb_root_cached *root,
			       const struct rb_augment_callbacks *augment)
{
	if (root->rb_leftmost == node)
		root->rb_leftmost = rb_next(node);
	erase(node, &root->rb_root, augment);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (n)
		while (n->rb_left)
			n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (n)
		while (n->rb_right)
			n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *n, *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_right) {
		n = node->rb_right;
		while (n->rb_left)
			n = n->rb_left;
		return n;
	}
	/* Climb while we come from a right child. */
	n = (struct rb_node *)node;
	while ((parent = rb_parent(n)) && parent->rb_right == n)
		n = parent;
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *n, *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_left) {
		n = node->rb_left;
		while (n->rb_right)
			n = n->rb_right;
		return n;
	}
	n = (struct rb_node *)node;
	while ((parent = rb_parent(n)) && parent->rb_left == n)
		n = parent;
	return parent;
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new,
		     struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	new->__rb_parent_color = victim->__rb_parent_color;
	new->rb_left = victim->rb_left;
	new->rb_right = victim->rb_right;
	if (new->rb_left)
		set_parent(new->rb_left, new);
	if (new->rb_right)
		set_parent(new->rb_right, new);
	replace_child(victim, new, parent, root);
}

/*
 * Depth-first walk without recursion: a node's children are vetted (parent
 * pointer, distinct) before the walk enters them, so climbing back up through
 * parent pointers retraces the way down, and a corrupt tree cannot send the
 * walk round a cycle.
 */
int rb_check(const struct rb_root *root, int *black_height)
{
	const struct rb_node *n = root->rb_node;
	int blacks = 0;  /* black nodes from the root down to n, inclusive */
	int leaf = -1;   /* black count of the first NULL leaf seen */

	if (!n) {
		if (black_height)
			*black_height = 0;
		return 0;
	}
	if (rb_parent(n) || !rb_is_black(n))
		return -EINVAL;

	for (;;) {
		const struct rb_node *kid[2] = { n->rb_left, n->rb_right };

		/* The right subtree comes after the left one: start fetching it. */
		if (kid[1])
			__builtin_prefetch(kid[1]);
		blacks += rb_is_black(n) ? 1 : 0;
		if (kid[0] && kid[0] == kid[1])
			return -EINVAL;
		for (int i = 0; i < 2; i++) {
			if (!kid[i]) {
				if (leaf < 0)
					leaf = blacks;
				else if (leaf != blacks)
					return -EINVAL;
				continue;
			}
			if (rb_parent(kid[i]) != n)
				return -EINVAL;
			if (rb_is_red(n) && rb_is_red(kid[i]))
				return -EINVAL;
		}

		if (kid[0] || kid[1]) {
			n = kid[0] ? kid[0] : kid[1];
			continue;
		}
		/* Leaf: climb to the first ancestor whose right subtree we
		 * have not yet walked. */
		for (;;) {
			const struct rb_node *parent = rb_parent(n);

			blacks -= rb_is_black(n) ? 1 : 0;
			if (!parent) {
				if (black_height)
					*black_height = leaf;
				return 0;
			}
			if (parent->rb_left == n && parent->rb_right) {
				n = parent->rb_right;
				break;
			}
			n = parent;
		}
	}
}

/*
 * A node still to visit in rb_check_each()'s queue, with what its parent
 * knew: its parent's visit does not touch it (that would be a cache miss
 * per node, waited for in turn), its own visit checks it against this.
 */
struct rb_check_entry {
	const struct rb_node *node;
	const struct rb_node *parent;	/* whose child it is */
	int blacks;			/* black nodes from the root to the parent, inclusive */
	bool parent_red;
};

struct rb_check_queue {
	struct rb_check_entry *e;
	size_t head, tail, cap;
};

/* Room for one more: the visited half is dropped before the array grows. */
static int queue_push(struct rb_check_queue *q, struct rb_check_entry entry)
{
	if (q->tail == q->cap) {
		if (q->head && q->head >= q->cap / 2) {
			memmove(q->e, q->e + q->head, (q->tail - q->head) * sizeof(*q->e));
			q->tail -= q->head;
			q->head = 0;
		} else {
			size_t cap = q->cap ? 2 * q->cap : 256;
			struct rb_check_entry *e = realloc(q->e, cap * sizeof(*e));

			if (!e)
				return -ENOMEM;
			q->e = e;
			q->cap = cap;
		}
	}
	q->e[q->tail++] = entry;
	return 0;
}

/*
 * Breadth first: the queue holds the nodes still to visit, so each is
 * fetched a few visits before its turn, where a depth-first walk waits for
 * every node in turn (the unstable tree's items lie in allocation order, the
 * tree in contents order). A node is checked against its parent when it is
 * visited; it is queued only by a parent that passed the same check, and
 * each parent pointer names one node, so no node is visited twice and a
 * corrupt tree cannot send the walk round a cycle.
 */
int rb_check_each(const struct rb_root *root, int *black_height,
		  int (*visit)(const struct rb_node *node, void *arg), void *arg)
{
	enum { AHEAD = 8 };	/* queue entries fetched ahead of the visit */
	struct rb_check_queue q = { 0 };
	int leaf = -1;		/* black count of the first NULL leaf seen */
	int ret = 0;

	if (!root->rb_node) {
		if (black_height)
			*black_height = 0;
		return 0;
	}
	if (rb_parent(root->rb_node) || !rb_is_black(root->rb_node))
		return -EINVAL;
	ret = queue_push(&q, (struct rb_check_entry){ .node = root->rb_node });
	while (!ret && q.head < q.tail) {
		struct rb_check_entry at = q.e[q.head++];
		const struct rb_node *n = at.node, *kid[2];
		int blacks;

		if (q.head + AHEAD < q.tail)
			__builtin_prefetch(q.e[q.head + AHEAD].node);
		if (rb_parent(n) != at.parent || (at.parent_red && rb_is_red(n))) {
			ret = -EINVAL;
			break;
		}
		if (visit && (ret = visit(n, arg)))
			break;
		blacks = at.blacks + (rb_is_black(n) ? 1 : 0);
		kid[0] = n->rb_left;
		kid[1] = n->rb_right;
		if (kid[0] && kid[0] == kid[1]) {
			ret = -EINVAL;
			break;
		}
		for (int i = 0; i < 2 && !ret; i++) {
			if (kid[i])
				ret = queue_push(&q, (struct rb_check_entry){ kid[i], n, blacks,
									   rb_is_red(n) });
			else if (leaf < 0)
				leaf = blacks;
			else if (leaf != blacks)
				ret = -EINVAL;
		}
	}
	free(q.e);
	if (!ret && black_height)
		*black_height = leaf;
	return ret;
}
