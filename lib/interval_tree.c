/* interval_tree.c - interval tree on the augmented red-black tree.
 * Models the kernel's lib/interval_tree.c, i.e. the functions that
 * INTERVAL_TREE_DEFINE (include/linux/interval_tree_generic.h) generates.
 */
#include "interval_tree.h"

#include <errno.h>

static inline unsigned long node_last(const struct interval_tree_node *n)
{
	return n->last;
}

RB_DECLARE_CALLBACKS_MAX(static, itree_augment, struct interval_tree_node, rb,
			 unsigned long, __subtree_last, node_last);

static inline struct interval_tree_node *itn(struct rb_node *rb)
{
	return rb_entry_safe(rb, struct interval_tree_node, rb);
}

static inline void count(unsigned long *visited)
{
	if (visited)
		++*visited;
}

void interval_tree_insert(struct interval_tree_node *node,
			  struct rb_root_cached *root)
{
	struct rb_node **link = &root->rb_root.rb_node;
	struct rb_node *parent = NULL;
	bool leftmost = true;

	/* Every node on the way down gains node in its subtree. */
	while (*link) {
		struct interval_tree_node *p = itn(*link);

		parent = *link;
		if (p->__subtree_last < node->last)
			p->__subtree_last = node->last;
		if (node->start < p->start) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	node->__subtree_last = node->last;
	rb_link_node(&node->rb, parent, link);
	rb_insert_augmented_cached(&node->rb, root, leftmost, &itree_augment);
}

void interval_tree_remove(struct interval_tree_node *node,
			  struct rb_root_cached *root)
{
	rb_erase_augmented_cached(&node->rb, root, &itree_augment);
}

/*
 * The first node, in order, of n's subtree that overlaps [start, last], or
 * NULL.  Requires n->__subtree_last >= start.  NULL also means no node after
 * this subtree overlaps: some node X here has X->last >= start, so if none
 * overlaps, X->start > last, and so does the start of everything after X.
 */
static struct interval_tree_node *subtree_search(struct interval_tree_node *n,
						 unsigned long start,
						 unsigned long last,
						 unsigned long *visited)
{
	for (;;) {
		struct interval_tree_node *kid = itn(n->rb.rb_left);

		count(visited);
		if (kid) {
			/* The answer is on the left, or nowhere (above). */
			if (kid->__subtree_last >= start) {
				n = kid;
				continue;
			}
			count(visited);
		}
		if (n->start > last)
			return NULL; /* n and its right subtree start too late */
		if (n->last >= start)
			return n;
		/* n->__subtree_last >= start, yet neither the left subtree
		 * nor n reach start: the right subtree does. */
		n = itn(n->rb.rb_right);
		if (!n)
			return NULL; /* only with a corrupt __subtree_last */
	}
}

static struct interval_tree_node *iter_first(struct rb_root_cached *root,
					     unsigned long start,
					     unsigned long last,
					     unsigned long *visited)
{
	struct interval_tree_node *top = itn(root->rb_root.rb_node);
	struct interval_tree_node *leftmost;

	if (!top)
		return NULL;
	if (top->__subtree_last < start) {
		count(visited);
		return NULL;
	}
	/* Cheap exit when everything starts after the query. */
	leftmost = itn(root->rb_leftmost);
	if (leftmost->start > last) {
		count(visited);
		if (leftmost != top)
			count(visited);
		return NULL;
	}
	return subtree_search(top, start, last, visited);
}

/*
 * node overlapped (so node->start <= last) and every node before it has been
 * dealt with: look in its right subtree, then at the ancestors that follow it.
 */
static struct interval_tree_node *iter_next(struct interval_tree_node *node,
					    unsigned long start,
					    unsigned long last,
					    unsigned long *visited)
{
	struct rb_node *right = node->rb.rb_right;

	for (;;) {
		struct rb_node *from;

		if (right) {
			struct interval_tree_node *kid = itn(right);

			if (kid->__subtree_last >= start)
				return subtree_search(kid, start, last,
						      visited);
			count(visited);
		}
		/* Climb out of right subtrees: the first ancestor reached
		 * from its left is the next node in order.  It was entered on
		 * the way down, so it is not counted again. */
		do {
			from = &node->rb;
			node = itn(rb_parent(from));
			if (!node)
				return NULL;
		} while (node->rb.rb_right == from);

		if (node->start > last)
			return NULL;
		if (node->last >= start)
			return node;
		right = node->rb.rb_right;
	}
}

struct interval_tree_node *interval_tree_iter_first(struct rb_root_cached *root,
						    unsigned long start,
						    unsigned long last)
{
	return iter_first(root, start, last, NULL);
}

struct interval_tree_node *interval_tree_iter_next(struct interval_tree_node *node,
						   unsigned long start,
						   unsigned long last)
{
	return iter_next(node, start, last, NULL);
}

struct interval_tree_node *
interval_tree_iter_first_counted(struct rb_root_cached *root,
				 unsigned long start, unsigned long last,
				 unsigned long *visited)
{
	return iter_first(root, start, last, visited);
}

struct interval_tree_node *
interval_tree_iter_next_counted(struct interval_tree_node *node,
				unsigned long start, unsigned long last,
				unsigned long *visited)
{
	return iter_next(node, start, last, visited);
}

int interval_tree_check(struct rb_root_cached *root)
{
	const struct interval_tree_node *prev = NULL;
	struct rb_node *rb;

	if (rb_check(&root->rb_root, NULL))
		return -EINVAL;
	if (root->rb_leftmost != rb_first(&root->rb_root))
		return -EINVAL;

	for (rb = root->rb_leftmost; rb; rb = rb_next(rb)) {
		const struct interval_tree_node *n = itn(rb);
		const struct interval_tree_node *kid;
		unsigned long max = n->last;

		if (n->start > n->last)
			return -EINVAL;
		if (prev && prev->start > n->start)
			return -EINVAL;
		kid = itn(rb->rb_left);
		if (kid && kid->__subtree_last > max)
			max = kid->__subtree_last;
		kid = itn(rb->rb_right);
		if (kid && kid->__subtree_last > max)
			max = kid->__subtree_last;
		if (n->__subtree_last != max)
			return -EINVAL;
		prev = n;
	}
	return 0;
}
