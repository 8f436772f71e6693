/* ring.h: a circular buffer of (time, value) samples, with its min and max. */
#ifndef RING_H
#define RING_H

#include <stddef.h>
#include <stdint.h>

/* Most samples a ring with deques can hold: they index it with 16 bits. */
#define RING_MAX_DEQUE 65536
/* Most samples any ring can hold. */
#define RING_MAX (1u << 24)

/*
 * Samples are (t, v): t in milliseconds from a base the owner keeps, v a
 * double; 12 bytes each, plus 4 for the deques that give the minimum
 * and maximum in O(1) amortised.  Storage doubles from 4 samples to 64,
 * then grows by a sixteenth (at least 64) when full, and shrinks when it
 * exceeds the samples held by two such steps: a ring of n samples has
 * room for at most 3n below 64, n + 128 up to 1024, and n + n/8 above:
 * 16 bytes a sample held and a little slack.
 */
struct ring {
	double	 *v;
	uint32_t *t;
	uint16_t *lo, *hi;	/* monotonic deques of slots: minima, maxima */
	uint32_t head, len, alloc, cap;
	uint32_t lo_head, lo_len, hi_head, hi_len;
	int	  deques;
	double	  lo_v, hi_v;	/* the fronts' values, kept so reading them costs no miss */
};

void	 ring_init(struct ring *, uint32_t, int);
void	 ring_free(struct ring *);
void	 ring_push(struct ring *, uint32_t, double);
void	 ring_pop(struct ring *);
void	 ring_rebase(struct ring *, uint32_t);

size_t	 ring_bytes(const struct ring *);

static inline double
ring_min(const struct ring *r)
{
	return r->lo_v;
}

static inline double
ring_max(const struct ring *r)
{
	return r->hi_v;
}

/* The i-th sample from the oldest. */
static inline uint32_t
ring_t(const struct ring *r, uint32_t i)
{
	uint32_t k = r->head + i;

	return r->t[k < r->alloc ? k : k - r->alloc];
}

static inline double
ring_v(const struct ring *r, uint32_t i)
{
	uint32_t k = r->head + i;

	return r->v[k < r->alloc ? k : k - r->alloc];
}

#endif
