/* test-order: the treap's order statistics, median and MAD against sorting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "tap.h"

static int
by_distance(const void *a, const void *b)
{
	long double x = *(const long double *)a, y = *(const long double *)b;

	return (x > y) - (x < y);
}

/* The median of n sorted values, their MAD and mean absolute deviation, the plain way. */
static void
plain(const double *s, size_t n, double *med, double *mad, double *meanad)
{
	long double *d = malloc(n * sizeof *d), sum = 0;
	size_t i;

	*med = n % 2 ? s[n / 2] : (double)(((long double)s[n / 2 - 1] + s[n / 2]) / 2);
	for (i = 0; i < n; i++)
		d[i] = fabsl((long double)s[i] - *med);
	for (i = 0; i < n; i++)
		sum += d[i];
	*meanad = (double)(sum / n);
	qsort(d, n, sizeof *d, by_distance);
	*mad = n % 2 ? (double)d[n / 2] : (double)((d[n / 2 - 1] + d[n / 2]) / 2);
	free(d);
}

/*
 * A sliding window of w values drawn from `spread` distinct ones (few:
 * many equal keys), against a sorted copy kept alongside: the order
 * statistics every step, the MAD every `every` steps.
 */
static int
window(unsigned w, unsigned spread, int steps, double scale, int every)
{
	struct order o;
	double *win = calloc(w, sizeof *win), *s = calloc(w + 1, sizeof *s), med, mad, meanad, got;
	unsigned n = 0, head = 0, i, at;
	int step, bad = 0;

	order_init(&o);
	for (step = 0; step < steps && !bad; step++) {
		double v = scale >= 1e9 && scale < 1e10 ? scale + tap_rand(spread) :
		    ((double)tap_rand(spread) - spread / 2.0) * scale;

		if (n == w) {
			bad |= order_remove(&o, win[head]) != 0;
			for (at = 0; s[at] != win[head]; at++)
				;
			memmove(s + at, s + at + 1, (n - at - 1) * sizeof *s);
			win[head] = v;
			head = (head + 1) % w;
		} else {
			win[(head + n++) % w] = v;
		}
		order_insert(&o, v);
		for (at = 0; at < n - 1 && s[at] < v; at++)
			;
		memmove(s + at + 1, s + at, (n - 1 - at) * sizeof *s);
		s[at] = v;
		bad |= order_len(&o) != n;
		for (i = 0; i < n && !bad; i += 1 + n / 7)
			bad |= order_select(&o, i) != s[i];
		bad |= order_select(&o, n - 1) != s[n - 1];
		if (step % every != 0 && !bad)
			continue;
		plain(s, n, &med, &mad, &meanad);
		bad |= order_median(&o) != med || order_mad(&o, med) != mad;
		got = order_meanad(&o, med);
		bad |= !(fabs(got - meanad) <= 1e-12 * meanad);
		if (bad)
			diag("step %d: n %u median %.17g (want %.17g) mad %.17g (want %.17g) "
			    "meanad %.17g (want %.17g)", step, n, order_median(&o), med,
			    order_mad(&o, med), mad, got, meanad);
	}
	order_free(&o);
	free(win);
	free(s);
	return !bad;
}

int
main(void)
{
	struct order o;
	static const double v[] = { 1, 2, 3, 4, 100 };
	size_t i;

	order_init(&o);
	ok(isnan(order_median(&o)) && isnan(order_mad(&o, 0)) && order_len(&o) == 0,
	    "empty: no median, no MAD");
	for (i = 0; i < 5; i++)
		order_insert(&o, v[i]);
	ok(order_median(&o) == 3 && order_mad(&o, 3) == 1,
	    "1, 2, 3, 4, 100: median 3, MAD 1, the 100 drags neither");
	ok(order_remove(&o, 100) == 0 && order_remove(&o, 100) == -1 && order_len(&o) == 4,
	    "a value out once; not there, -1");
	ok(order_median(&o) == 2.5 && order_mad(&o, 2.5) == 1 && order_meanad(&o, 2.5) == 1,
	    "1, 2, 3, 4: median 2.5, MAD 1, mean absolute deviation 1");
	order_free(&o);
	ok(window(9, 1000, 20000, 1, 1), "window 9 of many values: select, median, MAD every step");
	ok(window(10, 3, 20000, 1, 1), "window 10 of three values: equal keys everywhere");
	ok(window(300, 50, 20000, 0.1, 10), "window 300, fractions");
	ok(window(64, 1000000, 5000, 1e300, 1), "window 64 near 1e306: distances stay finite");
	ok(window(1, 5, 100, 1, 1), "window 1");
	ok(window(3000, 100000, 20000, 1, 500), "window 3000: blocks split, join and go");
	ok(window(2000, 7, 12000, 1, 500), "window 2000 of seven values: runs of equal keys across blocks");
	ok(window(3000, 3, 12000, 1e9, 500), "  of three values near 1e9, 1 apart: the deviations kept");
	return tap_done();
}
