/* SPDX-License-Identifier: MIT */
/*
 * Page contents (not a kernel structure: the kernel's frames simply hold
 * bytes). Every page's contents are a reference into one hash-consed,
 * refcounted store, so equal contents are held once and a copy is a
 * reference; generated contents are held as a description, made into bytes
 * only when read. docs/architecture.md, "Page contents".
 */
#ifndef MMSIM_CONTENT_H
#define MMSIM_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmsim;

enum content_kind {
	CONTENT_PATTERN = 1,	/* every 8 bytes are value, little-endian; value != 0 */
	CONTENT_UNIQUE,		/* 8 bytes at word i are splitmix64(value + i), little-endian */
	CONTENT_BYTES,		/* none of the above: the 4 KiB in bytes, value their XXH64 */
};

/*
 * One distinct page of contents; NULL stands for all zeroes. Canonical: the
 * same bytes always have the same kind and value, so two references are to
 * equal contents exactly when they are the same pointer. 32 bytes.
 */
struct page_content {
	uint32_t refcount;		/* pages and swap slots holding it (fewer than 2^32) */
	uint32_t verify_refs;		/* the checker's recount, 0 between checks */
	uint32_t checksum;		/* calc_checksum() of the bytes, once has_checksum */
	uint8_t kind;			/* enum content_kind */
	bool has_checksum;
	uint64_t value;
	uint8_t *bytes;			/* CONTENT_BYTES only */
};

/* The store: an open-addressed table of every live content (linear probing). */
struct content_store {
	struct page_content **slots;
	unsigned long mask;		/* slots - 1; 0 before the first content */
	unsigned long nr;		/* contents in the table */
	struct page_content *spare;	/* made by content_prepare(), used by the next get */
	uint8_t *spare_bytes;
	uint32_t zero_checksum;		/* calc_checksum() of a zero page */
};

/* The PRNG behind CONTENT_UNIQUE (and mmsim_fill_page()): SplitMix64's finaliser. */
uint64_t content_splitmix64(uint64_t x);

void content_store_init(struct mmsim *sim);
void content_store_exit(struct mmsim *sim);

/*
 * Makes the next content_get_*() unable to fail: room in the table, a spare
 * descriptor and (bytes) a spare 4 KiB buffer. -ENOMEM on (injected) failure.
 * Called before a fault, so that running out changes nothing.
 */
int content_prepare(struct mmsim *sim, bool bytes);
/* A reference to generated contents (pattern 0 is the zero page: NULL). */
struct page_content *content_get_fill(struct mmsim *sim, enum content_kind kind, uint64_t value);
/* A reference to these bytes, in their canonical form (copied when new). */
struct page_content *content_get_bytes(struct mmsim *sim, const uint8_t *buf);

static inline struct page_content *content_dup(struct page_content *c)
{
	if (c)
		c->refcount++;
	return c;
}

/* Drops a reference; the last one frees the contents. */
void content_put(struct mmsim *sim, struct page_content *c);

/* n bytes from off, made from the description when generated. */
void content_read(const struct page_content *c, size_t off, void *out, size_t n);
int content_byte(const struct page_content *c, size_t off);
/* XXH64 of the 4 KiB, seed 0, truncated to 32 bits: computed once per content. */
unsigned int content_checksum(struct mmsim *sim, struct page_content *c);
/* memcmp() of the two pages' 4 KiB, sign and all. */
int content_cmp(const struct page_content *a, const struct page_content *b);

/*
 * The checker: after every holder called content_verify_ref() once per
 * reference, every content's refcount equals its references, every one sits
 * where a lookup finds it, in canonical form, and nothing else is counted.
 * Without check (another part failed and stopped counting) it only puts
 * the recounts back to 0.
 */
void content_verify_ref(struct page_content *c, unsigned long *refs);
int content_verify(struct mmsim *sim, unsigned long refs, bool check, unsigned long *visited);

#endif /* MMSIM_CONTENT_H */
