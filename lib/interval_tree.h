/* interval_tree.h - augmented red-black tree of closed intervals [start, last].
 * Models the kernel's include/linux/interval_tree.h (the instance that
 * include/linux/interval_tree_generic.h's INTERVAL_TREE_DEFINE generates).
 */
#ifndef MMSIM_INTERVAL_TREE_H
#define MMSIM_INTERVAL_TREE_H

#include "rbtree.h"

/*
 * Ordered by start; a node whose start equals an existing one's goes to its
 * right, so nodes with equal starts stay in insertion order.  __subtree_last
 * caches the largest `last` in the node's subtree.  Embed this in the object
 * (the anon_vma_chain does) and get back with rb_entry / container arithmetic.
 */
struct interval_tree_node {
	struct rb_node rb;
	unsigned long start;	/* first covered value */
	unsigned long last;	/* last covered value, >= start */
	unsigned long __subtree_last;
};

void interval_tree_insert(struct interval_tree_node *node,
			  struct rb_root_cached *root);
void interval_tree_remove(struct interval_tree_node *node,
			  struct rb_root_cached *root);

/*
 * Iterate over the nodes overlapping [start, last] (start <= last), in
 * ascending start order, equal starts in insertion order:
 *
 *	for (n = interval_tree_iter_first(root, s, l); n;
 *	     n = interval_tree_iter_next(n, s, l))
 *
 * The tree must not change during the iteration.
 */
struct interval_tree_node *interval_tree_iter_first(struct rb_root_cached *root,
						    unsigned long start,
						    unsigned long last);
struct interval_tree_node *interval_tree_iter_next(struct interval_tree_node *node,
						   unsigned long start,
						   unsigned long last);

/*
 * Same walks, but add to *visited the number of tree nodes the search
 * examines (for measuring rmap walk cost).  A node is counted once per
 * iteration: when the walk enters it, or when it reads a child's
 * __subtree_last only to rule that whole subtree out.  Passing a node again
 * while climbing back to an ancestor is not counted.  So over one complete
 * iteration, results <= *visited increase <= number of nodes in the tree.
 */
struct interval_tree_node *
interval_tree_iter_first_counted(struct rb_root_cached *root,
				 unsigned long start, unsigned long last,
				 unsigned long *visited);
struct interval_tree_node *
interval_tree_iter_next_counted(struct interval_tree_node *node,
				unsigned long start, unsigned long last,
				unsigned long *visited);

/*
 * 0 when rb_check passes, the cached leftmost is the first node, nodes are
 * in start order with start <= last and every __subtree_last is right; else
 * -EINVAL.
 */
int interval_tree_check(struct rb_root_cached *root);

#endif /* MMSIM_INTERVAL_TREE_H */
