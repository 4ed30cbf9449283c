/* SPDX-License-Identifier: MIT */
/* The whole-model invariant checker (see debug.c). */
#ifndef MMSIM_DEBUG_H
#define MMSIM_DEBUG_H

#include "mapcount.h"

/* 0, or -EUCLEAN with the first broken invariant in sim->error. */
int mm_verify(struct mmsim *sim);
/* Frees what the checks keep between them (at mmsim_destroy()). */
void mm_verify_exit(struct mmsim *sim);
/* Every mapping of one folio, found by walking all page tables (not the rmap). */
int mm_folio_truth(struct mmsim *sim, const struct folio *folio, struct folio_pgtable_truth *out);

#endif /* MMSIM_DEBUG_H */
