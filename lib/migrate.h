/* SPDX-License-Identifier: MIT */
/* Page migration between NUMA nodes (mm/migrate.c): lib/migrate.c. */
#ifndef MMSIM_MIGRATE_H
#define MMSIM_MIGRATE_H

#include "sim.h"

/*
 * move_pages(2) of the page at addr to node nid (migrate_all:
 * MPOL_MF_MOVE_ALL, else a folio other processes map is -EACCES): its whole
 * folio moves. Returns the node the page is on afterwards (its status), or
 * -EFAULT (no VMA, or the zero page), -ENOENT (nothing mapped), -EACCES,
 * -EAGAIN (held by a pin, a pipe or the swap cache: Linux gives up too),
 * -ENOMEM (no room on nid).
 */
int move_page_to_node(struct mmsim *sim, struct mm_struct *mm, unsigned long addr, int nid,
		      bool migrate_all);

#endif /* MMSIM_MIGRATE_H */
