/* SPDX-License-Identifier: MIT */
/*
 * The deterministic PRNG of the random tests and benchmarks: splitmix64
 * (Steele, Lea, Flood), a few lines no library packages in this shape. One
 * state per user, so runs are reproducible from their seed.
 */
#ifndef MMSIM_TESTS_PRNG_H
#define MMSIM_TESTS_PRNG_H

#include <stdint.h>

static inline uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform enough in [0, n); 0 when n is 0. */
static inline unsigned long rnd(uint64_t *state, unsigned long n)
{
	return n ? (unsigned long)(splitmix64(state) % n) : 0;
}

#endif /* MMSIM_TESTS_PRNG_H */
