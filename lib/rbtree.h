/* rbtree.h - intrusive red-black tree with augmentation callbacks.
 * Models the kernel's include/linux/rbtree.h and rbtree_augmented.h: same
 * structures, names and caller protocol; an independent implementation.
 *
 * Why our own: no packaged C library offers the kernel's API, where the
 * caller descends the tree itself, links the new node at the position it
 * found (rb_link_node) and only then asks for the recolouring
 * (rb_insert_color), and where augmented data is kept up to date through
 * propagate/copy/rotate callbacks.  The closest candidate, libbsd's
 * <sys/tree.h>, does its own descent and breaks augmentation on remove; and
 * kernel code, being GPL, cannot be copied into this MIT project.
 */
#ifndef MMSIM_RBTREE_H
#define MMSIM_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

/* Bit 0 of __rb_parent_color is the colour (0 red, 1 black); the rest is the
 * parent pointer, hence the alignment. */
struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

/* A root that also caches its leftmost (smallest) node. */
struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

#define RB_ROOT (struct rb_root){ NULL }
#define RB_ROOT_CACHED (struct rb_root_cached){ {NULL}, NULL }

#define rb_parent(r) ((struct rb_node *)((r)->__rb_parent_color & ~3UL))
#define rb_color(r) ((r)->__rb_parent_color & 1UL)
#define rb_is_red(r) (!rb_color(r))
#define rb_is_black(r) (rb_color(r))

/* The structure of type `type` whose rb_node member `member` is at ptr. The
 * dead branch of the conditional makes the compiler check ptr's type. */
#define rb_entry(ptr, type, member)                                           \
	((type *)((char *)(1 ? (ptr) : &((type *)NULL)->member) -              \
		  offsetof(type, member)))

static inline void *rb__entry_or_null(const struct rb_node *ptr, size_t offset)
{
	return ptr ? (void *)((char *)(struct rb_node *)ptr - offset) : NULL;
}

/* Like rb_entry, but NULL stays NULL; ptr is evaluated once. */
#define rb_entry_safe(ptr, type, member)                                      \
	((type *)rb__entry_or_null((ptr), offsetof(type, member)))

#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)

/* A node that is in no tree points at itself. */
#define RB_EMPTY_NODE(node) ((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node) ((node)->__rb_parent_color = (unsigned long)(node))

/* Link a new node as a red leaf at *rb_link, a NULL child slot of parent (or
 * the root slot, parent NULL) found by the caller's descent. Follow it with
 * rb_insert_color (or an augmented/cached variant). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = NULL;
	node->rb_right = NULL;
	*rb_link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order navigation; rb_next/rb_prev return NULL for an RB_EMPTY_NODE. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* Put new where victim is, without rebalancing: the caller guarantees new
 * sorts to the same place (and copies any augmented value itself). */
void rb_replace_node(struct rb_node *victim, struct rb_node *new,
		     struct rb_root *root);

/* leftmost: the caller's descent only ever went left, so node is the new
 * smallest. */
void rb_insert_color_cached(struct rb_node *node, struct rb_root_cached *root,
			    bool leftmost);
void rb_erase_cached(struct rb_node *node, struct rb_root_cached *root);

#define rb_first_cached(root) ((root)->rb_leftmost)

/*
 * Augmented trees keep a per-node value computed from the node and its
 * subtree.  Contract (as in the kernel):
 *  - before rb_insert_augmented, the caller has updated the value of every
 *    node on its descent path to include the new node, and set the new node's;
 *  - propagate(node, stop): recompute node and its ancestors up to, but not
 *    including, stop (stop may be NULL: up to the root); may stop early once
 *    a recomputed value is unchanged;
 *  - copy(old, new): new is taking old's place; new's value = old's value;
 *  - rotate(old, new): new has just been rotated into old's place (old is now
 *    its child); new's value = old's value, then recompute old.
 */
struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new);
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment);
void rb_insert_augmented_cached(struct rb_node *node,
				struct rb_root_cached *root, bool newleft,
				const struct rb_augment_callbacks *augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment);
void rb_erase_augmented_cached(struct rb_node *node,
			       struct rb_root_cached *root,
			       const struct rb_augment_callbacks *augment);

/*
 * RB_DECLARE_CALLBACKS: define the callbacks `RBSTATIC const struct
 * rb_augment_callbacks RBNAME` for the field RBAUGMENTED of RBSTRUCT (which
 * embeds its rb_node as RBFIELD).  RBCOMPUTE(node, exit) recomputes and
 * stores node->RBAUGMENTED from node and its children; when exit is true and
 * the stored value was already right, it may return true to stop propagation.
 */
#define RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBAUGMENTED, \
			     RBCOMPUTE)                                        \
	static inline void RBNAME##_propagate(struct rb_node *rb,              \
					      struct rb_node *stop)            \
	{                                                                      \
		while (rb != stop) {                                           \
			RBSTRUCT *n_ = rb_entry(rb, RBSTRUCT, RBFIELD);        \
			if (RBCOMPUTE(n_, true))                               \
				break;                                         \
			rb = rb_parent(rb);                                    \
		}                                                              \
	}                                                                      \
	static inline void RBNAME##_copy(struct rb_node *rb_old,               \
					 struct rb_node *rb_new)               \
	{                                                                      \
		rb_entry(rb_new, RBSTRUCT, RBFIELD)->RBAUGMENTED =             \
			rb_entry(rb_old, RBSTRUCT, RBFIELD)->RBAUGMENTED;      \
	}                                                                      \
	static inline void RBNAME##_rotate(struct rb_node *rb_old,             \
					   struct rb_node *rb_new)             \
	{                                                                      \
		RBSTRUCT *old_ = rb_entry(rb_old, RBSTRUCT, RBFIELD);          \
		rb_entry(rb_new, RBSTRUCT, RBFIELD)->RBAUGMENTED =             \
			old_->RBAUGMENTED;                                     \
		RBCOMPUTE(old_, false);                                        \
	}                                                                      \
	RBSTATIC const struct rb_augment_callbacks RBNAME = {                  \
		.propagate = RBNAME##_propagate,                               \
		.copy = RBNAME##_copy,                                         \
		.rotate = RBNAME##_rotate,                                     \
	}

/*
 * RB_DECLARE_CALLBACKS_MAX: the common case where RBAUGMENTED (of type
 * RBTYPE) is the maximum of RBCOMPUTE(node) over the subtree.  Also defines
 * `bool RBNAME##_compute_max(RBSTRUCT *node, bool exit)`.
 */
#define RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBTYPE,  \
				 RBAUGMENTED, RBCOMPUTE)                       \
	static inline bool RBNAME##_compute_max(RBSTRUCT *node, bool exit)     \
	{                                                                      \
		RBTYPE max_ = RBCOMPUTE(node);                                 \
		RBSTRUCT *kid_;                                                \
		if (node->RBFIELD.rb_left) {                                   \
			kid_ = rb_entry(node->RBFIELD.rb_left, RBSTRUCT,       \
					RBFIELD);                              \
			if (kid_->RBAUGMENTED > max_)                          \
				max_ = kid_->RBAUGMENTED;                      \
		}                                                              \
		if (node->RBFIELD.rb_right) {                                  \
			kid_ = rb_entry(node->RBFIELD.rb_right, RBSTRUCT,      \
					RBFIELD);                              \
			if (kid_->RBAUGMENTED > max_)                          \
				max_ = kid_->RBAUGMENTED;                      \
		}                                                              \
		if (exit && node->RBAUGMENTED == max_)                         \
			return true;                                           \
		node->RBAUGMENTED = max_;                                      \
		return false;                                                  \
	}                                                                      \
	RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBAUGMENTED, \
			     RBNAME##_compute_max)

/*
 * Validate the tree: root black with no parent, no red node with a red child,
 * the same number of black nodes on every root-to-leaf path, every child's
 * parent pointer naming its parent.  Returns 0 and, if black_height is not
 * NULL, stores that number of black nodes (0 for an empty tree); returns
 * -EINVAL otherwise.  Iterative: safe on deep (corrupt) trees.
 */
int rb_check(const struct rb_root *root, int *black_height);
/*
 * rb_check() that also calls visit on every node, once, level by level; a
 * non-zero return stops the walk and is returned. One pass over a large
 * tree instead of a check and then an rb_next() loop, breadth first so that
 * nodes scattered in memory are fetched ahead; -ENOMEM when its queue (freed
 * before it returns) cannot grow.
 */
int rb_check_each(const struct rb_root *root, int *black_height,
		  int (*visit)(const struct rb_node *node, void *arg), void *arg);

#endif /* MMSIM_RBTREE_H */
