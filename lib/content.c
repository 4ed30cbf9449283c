// SPDX-License-Identifier: MIT
/*
 * The content store: page contents hash-consed and refcounted (content.h).
 * A page written with generated contents keeps their description; bytes
 * exist only for contents nothing generates, once per distinct page.
 */
#include "content.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "sim.h"

#define CONTENT_SIZE	4096
#define WORDS		(CONTENT_SIZE / 8)
#define GOLDEN		0x9e3779b97f4a7c15ULL
#define MIX1		0xbf58476d1ce4e5b9ULL
#define MIX2		0x94d049bb133111ebULL

uint64_t content_splitmix64(uint64_t x)
{
	uint64_t z = x + GOLDEN;

	z = (z ^ (z >> 30)) * MIX1;
	z = (z ^ (z >> 27)) * MIX2;
	return z ^ (z >> 31);
}

/* x from x ^ (x >> s). */
static uint64_t unxorshift(uint64_t y, unsigned int s)
{
	uint64_t x = y;

	for (unsigned int i = s; i < 64; i += s)
		x = y ^ (x >> s);
	return x;
}

/* The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse(uint64_t a)
{
	uint64_t x = a;

	for (int i = 0; i < 5; i++)
		x *= 2 - a * x;
	return x;
}

/* SplitMix64 is a bijection: the x whose content_splitmix64() is y. */
static uint64_t unsplitmix64(uint64_t y)
{
	uint64_t z = unxorshift(y, 31) * inverse(MIX2);

	z = unxorshift(z, 27) * inverse(MIX1);
	return unxorshift(z, 30) - GOLDEN;
}

static uint64_t load_le(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static void store_le(uint8_t *p, uint64_t w)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	memcpy(p, &w, sizeof(w));
}

/* The i-th 8 bytes of the page, as a little-endian number. */
static uint64_t content_word(const struct page_content *c, unsigned int i)
{
	if (!c)
		return 0;
	switch (c->kind) {
	case CONTENT_PATTERN:
		return c->value;
	case CONTENT_UNIQUE:
		return content_splitmix64(c->value + i);
	default:
		return load_le(c->bytes + 8 * i);
	}
}

void content_read(const struct page_content *c, size_t off, void *out, size_t n)
{
	uint8_t *to = out;

	if (!c) {
		memset(out, 0, n);
		return;
	}
	if (c->kind == CONTENT_BYTES) {
		memcpy(out, c->bytes + off, n);
		return;
	}
	/* Whole words (a whole page, for KSM's checksum) without the byte loop. */
	if (!(off % 8) && !(n % 8)) {
		unsigned int first = (unsigned int)(off / 8);

		if (c->kind == CONTENT_PATTERN) {
			for (size_t i = 0; i < n / 8; i++)
				store_le(to + 8 * i, c->value);
		} else {
			for (size_t i = 0; i < n / 8; i++)
				store_le(to + 8 * i, content_splitmix64(c->value + first + i));
		}
		return;
	}
	while (n) {
		uint8_t word[8];
		size_t in = off % 8, k = 8 - in < n ? 8 - in : n;

		store_le(word, content_word(c, (unsigned int)(off / 8)));
		memcpy(to, word + in, k);
		to += k;
		off += k;
		n -= k;
	}
}

int content_byte(const struct page_content *c, size_t off)
{
	return (int)((content_word(c, (unsigned int)(off / 8)) >> (8 * (off % 8))) & 0xff);
}

int content_cmp(const struct page_content *a, const struct page_content *b)
{
	if (a == b)
		return 0;
	if (a && b && a->kind == CONTENT_BYTES && b->kind == CONTENT_BYTES)
		return memcmp(a->bytes, b->bytes, CONTENT_SIZE);
	for (unsigned int i = 0; i < WORDS; i++) {
		uint64_t x = content_word(a, i), y = content_word(b, i);
		unsigned int shift;

		if (x == y)
			continue;
		/* memcmp() decides at the first differing byte: the lowest of the word. */
		shift = (unsigned int)__builtin_ctzll(x ^ y) & ~7U;
		return (int)((x >> shift) & 0xff) - (int)((y >> shift) & 0xff);
	}
	return 0;
}

static unsigned int checksum_of(const struct page_content *c)
{
	uint8_t buf[CONTENT_SIZE];

	if (c && c->kind == CONTENT_BYTES)
		return (unsigned int)XXH64(c->bytes, CONTENT_SIZE, 0);
	content_read(c, 0, buf, CONTENT_SIZE);
	return (unsigned int)XXH64(buf, CONTENT_SIZE, 0);
}

unsigned int content_checksum(struct mmsim *sim, struct page_content *c)
{
	if (!c)
		return sim->contents.zero_checksum;
	if (!c->has_checksum) {
		c->checksum = checksum_of(c);
		c->has_checksum = true;
	}
	return c->checksum;
}

/* ---- The table ----------------------------------------------------------- */

static unsigned long hash_of(enum content_kind kind, uint64_t value)
{
	return (unsigned long)content_splitmix64(value ^ ((uint64_t)kind << 61));
}

static bool same(const struct page_content *c, enum content_kind kind, uint64_t value,
		 const uint8_t *bytes)
{
	return c->kind == kind && c->value == value &&
	       (kind != CONTENT_BYTES || !memcmp(c->bytes, bytes, CONTENT_SIZE));
}

/* The slot holding these contents, or the empty slot where they would go. */
static unsigned long find_slot(const struct content_store *st, enum content_kind kind,
			       uint64_t value, const uint8_t *bytes)
{
	unsigned long i = hash_of(kind, value) & st->mask;

	while (st->slots[i] && !same(st->slots[i], kind, value, bytes))
		i = (i + 1) & st->mask;
	return i;
}

/* Every content of the old table into st->slots of size slots; the old one freed. */
static void rehash(struct content_store *st, struct page_content **old, unsigned long old_size,
		   unsigned long size)
{
	st->mask = size - 1;
	for (unsigned long i = 0; i < old_size; i++) {
		struct page_content *c = old[i];
		unsigned long j;

		if (!c)
			continue;
		for (j = hash_of(c->kind, c->value) & st->mask; st->slots[j]; j = (j + 1) & st->mask)
			;
		st->slots[j] = c;
	}
	sim_free(old);
}

/* A table twice as large (64 slots at first). */
static int grow(struct mmsim *sim)
{
	struct content_store *st = &sim->contents;
	unsigned long size = st->mask ? 2 * (st->mask + 1) : 64;
	struct page_content **old = st->slots;

	st->slots = sim_malloc(sim, size * sizeof(*st->slots));
	if (!st->slots) {
		st->slots = old;
		return -ENOMEM;
	}
	rehash(st, old, st->mask ? st->mask + 1 : 0, size);
	return 0;
}

/*
 * A table half as large once it is an eighth full, so that the host gets
 * the memory back when the simulated memory goes. Not through sim_malloc():
 * a put cannot fail, and without the memory the table just stays large.
 */
static void shrink(struct content_store *st)
{
	unsigned long size = (st->mask + 1) / 2;
	struct page_content **old = st->slots;

	if (size < 64 || 8 * st->nr >= st->mask + 1)
		return;
	st->slots = calloc(size, sizeof(*st->slots));
	if (!st->slots) {
		st->slots = old;
		return;
	}
	rehash(st, old, st->mask + 1, size);
}

int content_prepare(struct mmsim *sim, bool bytes)
{
	struct content_store *st = &sim->contents;

	/* At most three quarters full, counting the content about to come. */
	if (4 * (st->nr + 1) > 3 * (st->mask + 1) && grow(sim))
		return -ENOMEM;
	if (!st->spare && !(st->spare = sim_malloc(sim, sizeof(*st->spare))))
		return -ENOMEM;
	if (bytes && !st->spare_bytes) {
		if (sim_alloc_fails(sim) || !(st->spare_bytes = malloc(CONTENT_SIZE)))
			return -ENOMEM;
	}
	return 0;
}

/* The stored contents, with one more reference; new ones take the spares. */
static struct page_content *get(struct mmsim *sim, enum content_kind kind, uint64_t value,
				const uint8_t *bytes)
{
	struct content_store *st = &sim->contents;
	unsigned long i = find_slot(st, kind, value, bytes);
	struct page_content *c = st->slots[i];

	if (c)
		return content_dup(c);
	c = st->spare;
	st->spare = NULL;
	*c = (struct page_content){ .refcount = 1, .kind = (uint8_t)kind, .value = value };
	if (kind == CONTENT_BYTES && bytes) {
		c->bytes = st->spare_bytes;
		st->spare_bytes = NULL;
		memcpy(c->bytes, bytes, CONTENT_SIZE);
	}
	st->slots[i] = c;
	st->nr++;
	return c;
}

struct page_content *content_get_fill(struct mmsim *sim, enum content_kind kind, uint64_t value)
{
	if (kind == CONTENT_PATTERN && !value)
		return NULL;
	return get(sim, kind, value, NULL);
}

/* Are the page's words those of SplitMix64 from *base on? */
static bool is_unique(const uint8_t *buf, uint64_t *base)
{
	*base = unsplitmix64(load_le(buf));
	for (unsigned int i = 1; i < WORDS; i++)
		if (load_le(buf + 8 * i) != content_splitmix64(*base + i))
			return false;
	return true;
}

struct page_content *content_get_bytes(struct mmsim *sim, const uint8_t *buf)
{
	uint64_t first = load_le(buf), base;

	/* Every 8 bytes alike: compare the page with itself shifted by a word. */
	if (!memcmp(buf, buf + 8, CONTENT_SIZE - 8))
		return content_get_fill(sim, CONTENT_PATTERN, first);
	if (is_unique(buf, &base))
		return get(sim, CONTENT_UNIQUE, base, NULL);
	return get(sim, CONTENT_BYTES, XXH64(buf, CONTENT_SIZE, 0), buf);
}

/* Linear probing's deletion: later members of the run move back into the hole. */
static void table_remove(struct content_store *st, unsigned long hole)
{
	unsigned long i = hole;

	st->slots[hole] = NULL;
	st->nr--;
	for (i = (i + 1) & st->mask; st->slots[i]; i = (i + 1) & st->mask) {
		struct page_content *c = st->slots[i];
		unsigned long home = hash_of(c->kind, c->value) & st->mask;

		/* c may fill the hole unless its home lies cyclically in (hole, i]. */
		if (((i - home) & st->mask) >= ((i - hole) & st->mask)) {
			st->slots[hole] = c;
			st->slots[i] = NULL;
			hole = i;
		}
	}
}

void content_put(struct mmsim *sim, struct page_content *c)
{
	struct content_store *st = &sim->contents;

	if (!c || --c->refcount)
		return;
	table_remove(st, find_slot(st, c->kind, c->value, c->bytes));
	shrink(st);
	/* Keep one descriptor and buffer for the next new contents: no free/malloc per page. */
	if (!st->spare_bytes) {
		st->spare_bytes = c->bytes;
		c->bytes = NULL;
	}
	free(c->bytes);
	if (!st->spare) {
		st->spare = c;
		return;
	}
	sim_free(c);
}

void content_store_init(struct mmsim *sim)
{
	sim->contents = (struct content_store){ 0 };
	sim->contents.zero_checksum = checksum_of(NULL);
}

void content_store_exit(struct mmsim *sim)
{
	struct content_store *st = &sim->contents;

	for (unsigned long i = 0; st->mask && i <= st->mask; i++) {
		if (st->slots[i]) {
			free(st->slots[i]->bytes);
			sim_free(st->slots[i]);
		}
	}
	sim_free(st->slots);
	sim_free(st->spare);
	free(st->spare_bytes);
	*st = (struct content_store){ 0 };
}

/* ---- The checker ------------------------------------------------------- */

void content_verify_ref(struct page_content *c, unsigned long *refs)
{
	if (c) {
		c->verify_refs++;
		++*refs;
	}
}

/* Is c in the one form its bytes have? */
static bool canonical(const struct page_content *c)
{
	uint8_t buf[CONTENT_SIZE];
	uint64_t base;

	switch (c->kind) {
	case CONTENT_PATTERN:
		return c->value != 0;
	case CONTENT_UNIQUE:
		return true;
	case CONTENT_BYTES:
		content_read(c, 0, buf, CONTENT_SIZE);
		return memcmp(buf, buf + 8, CONTENT_SIZE - 8) && !is_unique(buf, &base) &&
		       c->value == XXH64(buf, CONTENT_SIZE, 0);
	default:
		return false;
	}
}

/*
 * Does a lookup of c reach slot i? Linear probing goes from c's home slot
 * to the first empty one: no slot in between may be empty. (Only pointers
 * are read: the contents in between are other cache misses.)
 */
static bool reachable(const struct content_store *st, const struct page_content *c,
		      unsigned long i)
{
	for (unsigned long j = hash_of(c->kind, c->value) & st->mask; j != i; j = (j + 1) & st->mask)
		if (!st->slots[j])
			return false;
	return true;
}

int content_verify(struct mmsim *sim, unsigned long refs, bool check, unsigned long *visited)
{
	struct content_store *st = &sim->contents;
	unsigned long nr = 0, counted = 0;
	int err = check ? 0 : -EUCLEAN;

	for (unsigned long i = 0; st->mask && i <= st->mask; i++) {
		struct page_content *c = st->slots[i];

		/* Hash order is random order: fetch the descriptors a few slots ahead. */
		if (i + 16 <= st->mask && st->slots[i + 16])
			__builtin_prefetch(st->slots[i + 16]);
		if (!c)
			continue;
		nr++;
		counted += c->verify_refs;
		if (!err && c->verify_refs != c->refcount)
			err = sim_error(sim, -EUCLEAN, "contents %#llx (kind %u): refcount %u, %u references",
					(unsigned long long)c->value, c->kind, c->refcount, c->verify_refs);
		if (!err && !reachable(st, c, i))
			err = sim_error(sim, -EUCLEAN, "contents %#llx (kind %u) lie where no lookup finds them",
					(unsigned long long)c->value, c->kind);
		if (!err && !canonical(c))
			err = sim_error(sim, -EUCLEAN, "contents %#llx (kind %u) are not in canonical form",
					(unsigned long long)c->value, c->kind);
		c->verify_refs = 0;	/* ready for the next check, also after an error */
	}
	*visited += st->mask ? st->mask + 1 : 0;
	if (err)
		return check ? err : 0;
	if (nr != st->nr)
		return sim_error(sim, -EUCLEAN, "content store: %lu contents, %lu counted", nr, st->nr);
	if (counted != refs)
		return sim_error(sim, -EUCLEAN, "content store: %lu references to stored contents, %lu "
				 "held by pages and swap slots", counted, refs);
	return 0;
}
