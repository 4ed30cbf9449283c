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

#endif /* MMSIM_KSM_INTERNAL_H */
