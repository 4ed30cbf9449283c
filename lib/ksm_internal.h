/* SPDX-License-Identifier: MIT */
/*
 * What lib/ksm.c shares with lib/ksm_sysfs.c: the stable tree's upkeep,
 * used by the sysfs knobs (run=2, max_page_sharing) and the checker.
 */
#ifndef MMSIM_KSM_INTERNAL_H
#define MMSIM_KSM_INTERNAL_H

#include "internal.h"
#include "ksm.h"

/* The node of a KSM folio (folio->mapping), NULL for any other folio. */
struct ksm_stable_node *folio_stable_node(const struct folio *folio);
/* The node's folio with a reference, or NULL after removing the stale node. */
struct folio *ksm_get_folio(struct mmsim *sim, struct ksm_stable_node *stable_node);
void remove_node_from_stable_tree(struct mmsim *sim, struct ksm_stable_node *stable_node);
void remove_rmap_item_from_tree(struct mmsim *sim, struct ksm_rmap_item *rmap_item);
/* Every node whose page is not mapped any more; -EBUSY at the first mapped one. */
int remove_all_stable_nodes(struct mmsim *sim);
/* run=2: unmerge everything, free every item; -ENOMEM. */
int unmerge_and_remove_all_rmap_items(struct mmsim *sim);

/*
 * rmap_walk_ksm() over the range of the variant given, whatever `ksm
 * rmap_walk=` is in force, adding what it searched to *cost (may be NULL).
 * MMSIM_KSM_RMAP_WALK_FULL is Linux's walk: the checker's truth.
 */
void rmap_walk_ksm_range(struct mmsim *sim, struct folio *folio, enum mmsim_ksm_rmap_walk range,
			 struct rmap_walk_cost *cost, rmap_one_t rmap_one, void *arg);

#endif /* MMSIM_KSM_INTERNAL_H */
