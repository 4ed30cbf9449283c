/* SPDX-License-Identifier: MIT */
/* The whole-model invariant checker (see debug.c). */
#ifndef MMSIM_DEBUG_H
#define MMSIM_DEBUG_H

#include "sim.h"

/* 0, or -EUCLEAN with the first broken invariant in sim->error. */
int mm_verify(struct mmsim *sim);

#endif /* MMSIM_DEBUG_H */
