/* test-ring: the ring and its min/max deques against a plain array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "tap.h"

/* Random pushes and pops on a ring of capacity cap, checked every step. */
static int
against_array(uint32_t cap, int deques, int steps)
{
	struct ring r;
	double *a = malloc(sizeof *a * (cap + 1));
	uint32_t *ta = malloc(sizeof *ta * (cap + 1));
	uint32_t n = 0, i, t = 0;
	double lo, hi, v;
	int s, bad = 0, phase;

	ring_init(&r, cap, deques);
	for (s = 0; s < steps && !bad; s++) {
		/* long stretches of pushes, then of pops, to grow and shrink */
		phase = (s / 500) % 3;
		if (tap_rand(10) < (phase == 2 ? 7u : 2u)) {
			ring_pop(&r);
			if (n > 0) {
				memmove(a, a + 1, (n - 1) * sizeof *a);
				memmove(ta, ta + 1, (n - 1) * sizeof *ta);
				n--;
			}
		} else {
			v = (double)tap_rand(50) - 25;	/* ties and negatives */
			t += tap_rand(3);
			ring_push(&r, t, v);
			if (n == cap) {
				memmove(a, a + 1, (n - 1) * sizeof *a);
				memmove(ta, ta + 1, (n - 1) * sizeof *ta);
				n--;
			}
			a[n] = v;
			ta[n++] = t;
		}
		if (r.len != n) {
			bad = 1;
			break;
		}
		for (i = 0; i < n; i++)
			if (ring_v(&r, i) != a[i] || ring_t(&r, i) != ta[i])
				bad = 1;
		if (deques && n > 0) {
			lo = hi = a[0];
			for (i = 1; i < n; i++) {
				lo = a[i] < lo ? a[i] : lo;
				hi = a[i] > hi ? a[i] : hi;
			}
			if (ring_min(&r) != lo || ring_max(&r) != hi)
				bad = 1;
		}
		/* room for at most n + 2 steps, never above cap */
		if (r.alloc > n + 2 * (n < 64 ? (n < 4 ? 4 : n) : n / 16 > 64 ? n / 16 : 64) ||
		    r.alloc > cap)
			bad = 2;
	}
	ring_free(&r);
	free(a);
	free(ta);
	return bad;
}

int
main(void)
{
	struct ring r;
	uint32_t i;

	ok(against_array(1, 1, 2000) == 0, "capacity 1");
	ok(against_array(7, 1, 20000) == 0, "capacity 7, with deques");
	ok(against_array(300, 1, 60000) == 0, "capacity 300, growing and shrinking, with deques");
	ok(against_array(300, 0, 60000) == 0, "capacity 300 without deques");
	ok(against_array(5000, 1, 60000) == 0, "capacity 5000, with deques");

	/* The deques' worst case: a rising series fills the minimum deque. */
	ring_init(&r, RING_MAX_DEQUE, 1);
	for (i = 0; i < 3 * RING_MAX_DEQUE; i++)
		ring_push(&r, i, (double)i);
	ok(r.len == RING_MAX_DEQUE && ring_min(&r) == 2 * RING_MAX_DEQUE &&
	    ring_max(&r) == 3 * RING_MAX_DEQUE - 1, "a full 65536-sample ring, rising");
	ok(ring_bytes(&r) == 16u * RING_MAX_DEQUE, "  16 bytes a sample");
	for (i = 0; i < 3 * RING_MAX_DEQUE; i++)
		ring_push(&r, i, -(double)i);
	ok(ring_min(&r) == -(3.0 * RING_MAX_DEQUE - 1) && ring_max(&r) == -2.0 * RING_MAX_DEQUE,
	    "  and falling");
	ring_rebase(&r, 1000);
	ok(ring_t(&r, 0) == 2 * RING_MAX_DEQUE - 1000, "rebase moves every time back");
	for (i = 0; i < RING_MAX_DEQUE - 10; i++)
		ring_pop(&r);
	ok(r.len == 10 && ring_bytes(&r) <= 16 * 30, "storage given back as it empties");
	ring_free(&r);

	ring_init(&r, 1000, 0);
	ring_push(&r, 5, 1.5);
	ok(ring_bytes(&r) == 12 * 4, "without deques, 12 bytes a sample, 4 at first");
	ring_free(&r);
	return tap_done();
}
