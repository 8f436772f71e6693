/*
 * order.c: sorted blocks and a Fenwick tree of their counts.  A value
 * goes into the first block whose last value is not below it, where it
 * keeps the block sorted; a full block splits in two, a block under a
 * quarter full joins a neighbour it fits in, an empty one goes.  The
 * Fenwick tree is made afresh when the blocks change, which is once in
 * some ORDER_BLOCK / 4 changes of the values at most.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "xm.h"

void
order_init(struct order *o)
{
	memset(o, 0, sizeof *o);
}

void
order_free(struct order *o)
{
	uint32_t i;

	for (i = 0; i < o->nb; i++)
		free(o->blk[i].v);
	free(o->blk);
	free(o->fen);
	order_init(o);
}

size_t
order_bytes(const struct order *o)
{
	size_t n = (size_t)o->bcap * (sizeof *o->blk + sizeof *o->fen);
	uint32_t i;

	for (i = 0; i < o->nb; i++)
		n += (size_t)o->blk[i].cap * sizeof *o->blk[i].v;
	return n;
}

static void
fen_build(struct order *o)
{
	uint32_t i, j;

	for (i = 1; i <= o->nb; i++)
		o->fen[i] = o->blk[i - 1].n;
	for (i = 1; i <= o->nb; i++)
		if ((j = i + (i & -i)) <= o->nb)
			o->fen[j] += o->fen[i];
}

static void
fen_add(struct order *o, uint32_t b, int d)
{
	uint32_t j;

	for (j = b + 1; j <= o->nb; j += j & -j)
		o->fen[j] += (uint32_t)d;
}

/* The values in the blocks before b. */
static uint32_t
fen_before(const struct order *o, uint32_t b)
{
	uint32_t j, n = 0;

	for (j = b; j > 0; j -= j & -j)
		n += o->fen[j];
	return n;
}

/* The block that holds the k-th value; *k becomes its index there. */
static uint32_t
fen_find(const struct order *o, uint32_t *k)
{
	uint32_t pos = 0, step = 1;

	while (step * 2 <= o->nb)
		step *= 2;
	for (; step > 0; step /= 2) {
		if (pos + step <= o->nb && o->fen[pos + step] <= *k) {
			pos += step;
			*k -= o->fen[pos];
		}
	}
	return pos;
}

/* The first block whose last value is not below v; the last block if none. */
static uint32_t
block_of(const struct order *o, double v)
{
	uint32_t lo = 0, hi = o->nb - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (o->blk[mid].v[o->blk[mid].n - 1] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first index of b whose value is not below v. */
static uint32_t
lower(const struct order_block *b, double v)
{
	uint32_t lo = 0, hi = b->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Room for one more block at b, its values to come. */
static void
block_open(struct order *o, uint32_t b, uint32_t cap)
{
	if (o->nb == o->bcap) {
		o->bcap = o->bcap ? 2 * o->bcap : 4;
		o->blk = xm_reallocarray(o->blk, o->bcap, sizeof *o->blk);
		o->fen = xm_reallocarray(o->fen, o->bcap + 1, sizeof *o->fen);
	}
	memmove(&o->blk[b + 1], &o->blk[b], (o->nb - b) * sizeof *o->blk);
	o->blk[b].v = xm_reallocarray(NULL, cap, sizeof *o->blk[b].v);
	o->blk[b].n = 0;
	o->blk[b].cap = cap;
	o->blk[b].dirty = 1;
	o->nb++;
}

static void
block_close(struct order *o, uint32_t b)
{
	free(o->blk[b].v);
	memmove(&o->blk[b], &o->blk[b + 1], (o->nb - b - 1) * sizeof *o->blk);
	o->nb--;
}

/*
 * v in (+1) or out (-1) of a block whose sum is made: the sum follows,
 * and is made afresh at its next use after ORDER_BLOCK such changes, or
 * at once when what left dwarfs what stays (a spike gone), before
 * rounding can build up.
 */
static void
sum_change(struct order_block *b, double v, int d)
{
	long double t = (long double)v - b->ref;

	if (b->dirty)
		return;
	b->sum += d > 0 ? t : -t;
	if (++b->changes >= ORDER_BLOCK || (d < 0 && fabsl(b->sum) * 1048576 < fabsl(t)))
		b->dirty = 1;
}

void
order_insert(struct order *o, double v)
{
	struct order_block *b;
	uint32_t i, at;

	if (o->nb == 0) {
		block_open(o, 0, 4);
		fen_build(o);
	}
	i = block_of(o, v);
	b = &o->blk[i];
	if (b->n == b->cap && b->cap < ORDER_BLOCK) {
		b->cap = 2 * b->cap < ORDER_BLOCK ? 2 * b->cap : ORDER_BLOCK;
		b->v = xm_reallocarray(b->v, b->cap, sizeof *b->v);
	} else if (b->n == b->cap) {
		/* full: its upper half to a new block after it */
		block_open(o, i + 1, ORDER_BLOCK);
		b = &o->blk[i];
		o->blk[i + 1].n = b->n / 2;
		memcpy(o->blk[i + 1].v, b->v + b->n - b->n / 2, (b->n / 2) * sizeof *b->v);
		b->n -= b->n / 2;
		b->dirty = 1;
		fen_build(o);
		i = block_of(o, v);
		b = &o->blk[i];
	}
	at = lower(b, v);
	memmove(b->v + at + 1, b->v + at, (b->n - at) * sizeof *b->v);
	b->v[at] = v;
	b->n++;
	sum_change(b, v, 1);
	o->len++;
	fen_add(o, i, 1);
}

/* Take one v out: 0, or -1 if it is not there. */
int
order_remove(struct order *o, double v)
{
	struct order_block *b;
	uint32_t i, at, j;

	if (o->nb == 0)
		return -1;
	i = block_of(o, v);
	b = &o->blk[i];
	at = lower(b, v);
	if (at == b->n || b->v[at] != v)
		return -1;
	memmove(b->v + at, b->v + at + 1, (b->n - at - 1) * sizeof *b->v);
	b->n--;
	sum_change(b, v, -1);
	o->len--;
	if (b->n == 0) {
		block_close(o, i);
		fen_build(o);
	} else if (b->n < ORDER_BLOCK / 4 && o->nb > 1) {
		/* a neighbour it fits in takes it: the left one its values, or it the right one's */
		j = i > 0 && o->blk[i - 1].n + b->n <= ORDER_BLOCK ? i - 1 :
		    i + 1 < o->nb && o->blk[i + 1].n + b->n <= ORDER_BLOCK ? i : o->nb;
		if (j < o->nb) {
			struct order_block *l = &o->blk[j], *r = &o->blk[j + 1];

			if (l->cap < l->n + r->n) {
				l->cap = ORDER_BLOCK;
				l->v = xm_reallocarray(l->v, l->cap, sizeof *l->v);
			}
			memcpy(l->v + l->n, r->v, r->n * sizeof *r->v);
			l->n += r->n;
			l->dirty = 1;
			block_close(o, j + 1);
			fen_build(o);
		} else {
			fen_add(o, i, -1);
		}
	} else {
		fen_add(o, i, -1);
		/* a lone block gives back what a shrunk window no longer needs */
		if (o->nb == 1 && b->cap > 4 && b->n < b->cap / 4) {
			b->cap /= 2;
			b->v = xm_reallocarray(b->v, b->cap, sizeof *b->v);
		}
	}
	return 0;
}

/* The k-th smallest, from 0; k below order_len: one array's own index, or the tree's. */
static inline double
at(const struct order *o, uint32_t k)
{
	uint32_t b;

	if (o->nb == 1)
		return o->blk[0].v[k];
	b = fen_find(o, &k);
	return o->blk[b].v[k];
}

double
order_select(const struct order *o, uint32_t k)
{
	return at(o, k);
}

/* How many values are below v. */
static uint32_t
below(const struct order *o, double v)
{
	uint32_t b = block_of(o, v);

	return fen_before(o, b) + lower(&o->blk[b], v);
}

/* The median: the middle value, or the mean of the middle two; NAN if empty. */
double
order_median(const struct order *o)
{
	uint32_t n = o->len;

	if (n == 0)
		return NAN;
	if (n % 2 == 1)
		return at(o, n / 2);
	return (double)(((long double)at(o, n / 2 - 1) + at(o, n / 2)) / 2);
}

/*
 * The k-th smallest of |x - m|, from 0.  The values below m, read down
 * from m, and those from m up, read up, are two sorted runs of
 * distances; the k-th of both is found by halving how many of the first
 * k + 1 come from the lower run: O(log n) steps of a select.
 */
static long double
kth_distance(const struct order *o, long double m, uint32_t p, uint32_t k)
{
	uint32_t q = o->len - p, lo, hi, i, j;
	long double a, b;

	lo = k + 1 > q ? k + 1 - q : 0;
	hi = k + 1 < p ? k + 1 : p;
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		j = k + 1 - i;
		/* the i-th of the lower run against the (j-1)-th of the upper */
		if (m - at(o, p - 1 - i) < at(o, p + j - 1) - m)
			lo = i + 1;
		else
			hi = i;
	}
	i = lo;
	j = k + 1 - i;
	a = i > 0 ? m - at(o, p - i) : -1;
	b = j > 0 ? at(o, p + j - 1) - m : -1;
	return a > b ? a : b;
}

/*
 * The median absolute deviation from m (the median): the middle of the
 * distances, or the mean of the middle two.  O(log n) selects.
 */
double
order_mad(const struct order *o, double m)
{
	uint32_t n = o->len, p;
	long double d;

	if (n == 0)
		return NAN;
	p = below(o, m);
	d = kth_distance(o, m, p, (n - 1) / 2);
	if (n % 2 == 0)
		d = (d + kth_distance(o, m, p, n / 2)) / 2;
	return (double)d;
}

/* The sum of |x - m| over a block wholly on one side of m. */
static long double
block_dev(struct order_block *b, double m)
{
	uint32_t i;

	if (b->dirty) {
		b->changes = 0;
		b->ref = b->v[0];
		b->sum = 0;
		for (i = 0; i < b->n; i++)
			b->sum += (long double)b->v[i] - b->ref;
		b->dirty = 0;
	}
	return fabsl(b->sum + b->n * ((long double)b->ref - m));
}

/*
 * The sum of |x - m| over the block m falls in: all of x - m, less twice
 * the part below m, which is summed on the shorter side of m.
 */
static long double
straddle(struct order_block *b, double m)
{
	long double all, low = 0;
	uint32_t k = lower(b, m), i;

	block_dev(b, m);
	all = b->sum + b->n * ((long double)b->ref - m);
	if (k <= b->n / 2) {
		for (i = 0; i < k; i++)
			low += (long double)b->v[i] - m;
	} else {
		low = all;
		for (i = k; i < b->n; i++)
			low -= (long double)b->v[i] - m;
	}
	return all - 2 * low;
}

/*
 * The mean absolute deviation from m, the median: each block's sum of
 * x - v[0], made again only where its values changed, moved to m; in
 * the block m falls in, the values on the shorter side of m.  Each sum is of differences, so
 * values near 1e9 that differ by 1 keep their 1s.
 * O(n / ORDER_BLOCK + ORDER_BLOCK).
 */
double
order_meanad(struct order *o, double m)
{
	long double dev = 0;
	uint32_t b, i;

	if (o->len == 0)
		return NAN;
	b = block_of(o, m);
	for (i = 0; i < o->nb; i++)
		if (i != b)
			dev += block_dev(&o->blk[i], m);
	return (double)((dev + straddle(&o->blk[b], m)) / o->len);
}
