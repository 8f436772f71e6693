/* ring.c: the circular sample buffer and its monotonic min and max deques. */
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "xm.h"

void
ring_init(struct ring *r, uint32_t cap, int deques)
{
	memset(r, 0, sizeof *r);
	r->cap = cap;
	r->deques = deques;
}

void
ring_free(struct ring *r)
{
	free(r->v);	/* one block holds all four arrays */
	memset(r, 0, sizeof *r);
}

size_t
ring_bytes(const struct ring *r)
{
	return (size_t)r->alloc * (r->deques ? 16 : 12);
}

/* Copy deque d (slots of the old layout) to the front of nd, in order, as new slots. */
static void
move_deque(const struct ring *r, const uint16_t *d, uint32_t head, uint32_t len, uint16_t *nd)
{
	uint32_t i, k, slot;

	for (i = 0; i < len; i++) {
		k = head + i;
		slot = d[k < r->alloc ? k : k - r->alloc];
		nd[i] = (uint16_t)(slot >= r->head ? slot - r->head : slot + r->alloc - r->head);
	}
}

/* Lay the samples out again, oldest first, in storage for n of them. */
static void
resize(struct ring *r, uint32_t n)
{
	size_t per = r->deques ? 16 : 12;
	char *block = xm_reallocarray(NULL, n, per);
	double *v = (double *)block;
	uint32_t *t = (uint32_t *)(block + (size_t)n * 8);
	uint16_t *lo = NULL, *hi = NULL;
	uint32_t i;

	for (i = 0; i < r->len; i++) {
		v[i] = ring_v(r, i);
		t[i] = ring_t(r, i);
	}
	if (r->deques) {
		lo = (uint16_t *)(block + (size_t)n * 12);
		hi = lo + n;
		move_deque(r, r->lo, r->lo_head, r->lo_len, lo);
		move_deque(r, r->hi, r->hi_head, r->hi_len, hi);
	}
	free(r->v);
	r->v = v;
	r->t = t;
	r->lo = lo;
	r->hi = hi;
	r->alloc = n;
	r->head = r->lo_head = r->hi_head = 0;
}

/*
 * Storage doubles from 4 samples to 64, then moves by a sixteenth: O(1)
 * amortised either way, and a series of few samples costs little.
 */
static uint32_t
step(uint32_t n)
{
	if (n < 64)
		return n < 4 ? 4 : n;
	return n / 16 > 64 ? n / 16 : 64;
}

void
ring_push(struct ring *r, uint32_t t, double v)
{
	uint32_t slot, k;

	if (r->len == r->cap)
		ring_pop(r);
	if (r->len == r->alloc)
		resize(r, r->alloc + step(r->alloc) < r->cap ? r->alloc + step(r->alloc) : r->cap);
	slot = r->head + r->len;
	if (slot >= r->alloc)
		slot -= r->alloc;
	r->v[slot] = v;
	r->t[slot] = t;
	r->len++;
	if (!r->deques)
		return;
	/* Drop from the back what the new sample outlives: it can never be the extreme again. */
	while (r->lo_len > 0) {
		k = r->lo_head + r->lo_len - 1;
		if (r->v[r->lo[k < r->alloc ? k : k - r->alloc]] <= v)
			break;
		r->lo_len--;
	}
	k = r->lo_head + r->lo_len++;
	r->lo[k < r->alloc ? k : k - r->alloc] = (uint16_t)slot;
	if (r->lo_len == 1)
		r->lo_v = v;
	while (r->hi_len > 0) {
		k = r->hi_head + r->hi_len - 1;
		if (r->v[r->hi[k < r->alloc ? k : k - r->alloc]] >= v)
			break;
		r->hi_len--;
	}
	k = r->hi_head + r->hi_len++;
	r->hi[k < r->alloc ? k : k - r->alloc] = (uint16_t)slot;
	if (r->hi_len == 1)
		r->hi_v = v;
}

/* Drop the oldest sample. */
void
ring_pop(struct ring *r)
{
	if (r->len == 0)
		return;
	if (r->deques) {
		if (r->lo_len > 0 && r->lo[r->lo_head] == r->head) {
			r->lo_head = r->lo_head + 1 == r->alloc ? 0 : r->lo_head + 1;
			if (--r->lo_len > 0)
				r->lo_v = r->v[r->lo[r->lo_head]];
		}
		if (r->hi_len > 0 && r->hi[r->hi_head] == r->head) {
			r->hi_head = r->hi_head + 1 == r->alloc ? 0 : r->hi_head + 1;
			if (--r->hi_len > 0)
				r->hi_v = r->v[r->hi[r->hi_head]];
		}
	}
	r->head = r->head + 1 == r->alloc ? 0 : r->head + 1;
	r->len--;
	if (r->len == 0) {
		r->head = r->lo_head = r->hi_head = 0;
		r->lo_len = r->hi_len = 0;
	}
	/* Give back storage the window no longer needs (a slower series, a shorter -w). */
	if (r->alloc > r->len + 2 * step(r->len))
		resize(r, r->len + step(r->len));
}

/* Shift every time back by delta ms, which the oldest sample has. */
void
ring_rebase(struct ring *r, uint32_t delta)
{
	uint32_t i, k;

	for (i = 0; i < r->len; i++) {
		k = r->head + i;
		r->t[k < r->alloc ? k : k - r->alloc] -= delta;
	}
}

