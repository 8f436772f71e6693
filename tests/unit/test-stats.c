/* test-stats: window statistics, trend, baseline and percentiles, by hand and at scale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "stats.h"
#include "tap.h"

/* A window of the given samples (t in seconds), as xm-buffer keeps one. */
static void
window_of(const double *t, const double *v, int n, struct window *w)
{
	struct ring r;
	struct wstats s;
	int i;

	ring_init(&r, 1000, 1);
	memset(&s, 0, sizeof s);
	for (i = 0; i < n; i++) {
		ring_push(&r, (uint32_t)(t[i] * 1000), v[i]);
		wstats_add(&s, (uint32_t)(t[i] * 1000), v[i]);
	}
	wstats_get(&s, (uint32_t)(t[n - 1] * 1000), t[n - 1] - t[0], w);
	ring_free(&r);
}

static int
near(double a, double b)
{
	return fabs(a - b) <= 1e-12 * (fabs(b) + 1e-300);
}

static void
by_hand(void)
{
	static const double t3[] = { 0, 1, 2 }, t4[] = { 0, 1, 2, 3 };
	static const double rise[] = { 50, 60, 70 }, flat[] = { 10, 10.5, 9.8, 10.2 };
	static const double zero[] = { 0, 0, 5, 10 }, neg[] = { -10, -20, -30 };
	static const double same[] = { 7, 7, 7, 7 }, tiny[] = { 100, 100.001, 100.002 };
	static const double t6[] = { 0, 1, 2, 3, 4, 5 }, zero6[] = { 0, 0, 5, 10, 15, 20 };
	struct window w;

	window_of(t3, rise, 3, &w);
	ok(w.mean == 60 && near(w.stddev, sqrt(200.0 / 3)) && near(w.slope, 10) &&
	    trend_of(&w) == TREND_INCREASING, "50, 60, 70: mean 60, sd 8.16, slope 10, increasing");
	window_of(t4, flat, 4, &w);
	ok(near(w.mean, 10.125) && near(w.slope, -0.01) && trend_of(&w) == TREND_STABLE,
	    "10, 10.5, 9.8, 10.2: slope -0.01/s, stable");
	window_of(t4, zero, 4, &w);
	ok(near(w.slope, 3.5) && trend_of(&w) == TREND_STABLE,
	    "0, 0, 5, 10: four samples whose line chance could draw (t 4.0 of 9.9): stable");
	window_of(t6, zero6, 6, &w);
	ok(trend_of(&w) == TREND_INCREASING, "0, 0, 5, 10, 15, 20: a rise from zero is increasing");
	window_of(t3, neg, 3, &w);
	ok(near(w.mean, -20) && trend_of(&w) == TREND_DECREASING, "-10, -20, -30: falling negatives decrease");
	window_of(t4, same, 4, &w);
	ok(w.mean == 7 && w.stddev == 0 && w.slope == 0 && trend_of(&w) == TREND_STABLE,
	    "a constant series: sd 0, slope 0, stable");
	window_of(t3, tiny, 3, &w);
	ok(trend_of(&w) == TREND_INCREASING, "a steady rise of 0.002 on 100 is increasing, as on 0: "
	    "the level is no measure");
	window_of(t3, rise, 1, &w);
	ok(w.n == 1 && w.mean == 50 && w.stddev == 0 && w.slope == 0 && trend_of(&w) == TREND_STABLE,
	    "one sample: its value, sd 0, slope 0, stable");
	window_of(t3, rise, 2, &w);
	ok(near(w.slope, 10) && trend_of(&w) == TREND_STABLE, "two samples: a slope, but no trend yet");
	ok(strcmp(trend_name(TREND_DECREASING), "decreasing") == 0, "trend names");
}

/* The line ahead and the time to a limit, worked by hand. */
static void
ahead(void)
{
	static const double t3[] = { 0, 1, 2 }, t4[] = { 0, 1, 2, 3 };
	static const double rise[] = { 50, 60, 70 }, zero[] = { 0, 0, 5, 10 };
	static const double neg[] = { -10, -20, -30 }, full[] = { 97, 99, 99.9 };
	static const double same[] = { 7, 7, 7, 7 }, t8[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const double step[] = { 18, 18, 18, 18, 21, 21, 21, 21 };
	static const double steady[] = { 18, 19.1, 20, 21.2, 22, 23, 24.1, 25.1 };
	struct window w;

	window_of(t3, rise, 3, &w);
	ok(w.lag == 1 && window_forecast(&w, 0) == 70 && window_forecast(&w, 3600) == 36070,
	    "50, 60, 70: the line is at 70 now, 36070 an hour on");
	ok(window_eta(&w, 70, 100, 0) == 3 && window_eta(&w, 70, 70, 0) == 0 &&
	    isnan(window_eta(&w, 70, 50, 0)), "  100 in 3 s, 70 now, 50 never (it rises away)");
	ok(isnan(window_eta(&w, 70, NAN, 0)), "  no limit, no time");
	ok(window_eta(&w, 70, 100, 2) == 3 && isnan(window_eta(&w, 70, 100, 2.5)),
	    "  a window of 2 s is history enough for 2 s, not for 2.5 s");
	window_of(t4, zero, 4, &w);
	ok(near(window_forecast(&w, 0), 9) && near(window_forecast(&w, 60), 219) &&
	    near(window_eta(&w, 10, 100, 0), 26), "0, 0, 5, 10: the line at 9 now, 219 a minute on, "
	    "100 in 26 s (R^2 %.4f)", w.fit);
	window_of(t3, neg, 3, &w);
	ok(near(window_eta(&w, -30, -100, 0), 7) && isnan(window_eta(&w, -30, 0, 0)),
	    "-10, -20, -30: down to -100 in 7 s; 0 is behind it");
	window_of(t3, full, 3, &w);
	ok(window_eta(&w, 99.9, 100, 0) == 0, "97, 99, 99.9: a line already past 100 is there: 0");
	window_of(t4, same, 4, &w);
	ok(window_forecast(&w, 3600) == 7 && isnan(window_eta(&w, 7, 100, 0)),
	    "a constant series: 7 ahead, never 100");
	window_of(t3, rise, 1, &w);
	ok(isnan(window_forecast(&w, 60)) && isnan(window_eta(&w, 50, 100, 0)) &&
	    window_eta(&w, 50, 50, 0) == 0, "one sample: no line, no time but to its own value");
	window_of(t3, rise, 2, &w);
	ok(isnan(window_eta(&w, 60, 100, 0)), "two samples: a line, but too little history for a time");
	window_of(t8, step, 8, &w);
	ok(near(w.fit, 576.0 / 756) && isnan(window_eta(&w, 21, 100, 0)) &&
	    near(window_forecast(&w, 0), 21.5), "18, 18, 18, 18, 21, 21, 21, 21: a step is no line "
	    "to 100 (R^2 576/756), though the line is at 21.5 now");
	window_of(t8, steady, 8, &w);
	ok(w.fit > 0.99 && near(window_eta(&w, 25.1, 100, 0), (100 - window_forecast(&w, 0)) / w.slope),
	    "18 to 25.1 a point a second: a fill (R^2 %.4f), full in %.1f s", w.fit,
	    window_eta(&w, 25.1, 100, 0));
}

/* A 3-sample window slid along the values; its statistics at the end. */
static void
slide(const uint32_t *t, const double *v, int n, struct window *w)
{
	struct ring r;
	struct wstats s;
	int i;

	ring_init(&r, 3, 1);
	memset(&s, 0, sizeof s);
	for (i = 0; i < n; i++) {
		if (r.len == r.cap) {
			uint32_t to = ring_t(&r, 0);
			double vo = ring_v(&r, 0);

			ring_pop(&r);
			wstats_remove(&s, &r, to, vo);
		}
		ring_push(&r, t[i], v[i]);
		wstats_add(&s, t[i], v[i]);
	}
	wstats_get(&s, ring_t(&r, r.len - 1), (ring_t(&r, r.len - 1) - ring_t(&r, 0)) / 1000.0, w);
	ring_free(&r);
}

static void
edges(void)
{
	static const uint32_t t[] = { 0, 1000, 2000, 3000, 4000, 5000 };
	static const uint32_t same[] = { 7000, 7000, 7000 };
	static const uint32_t late[] = { 2147480000u, 2147481000u, 2147482000u };
	static const double spike[] = { 1, 2, 3, 1e17, 1, 2, 3 }, rise[] = { 50, 60, 70 };
	struct window w;

	slide(t, spike + 1, 6, &w);
	ok(w.mean == 2 && near(w.stddev, sqrt(2.0 / 3)) && near(w.slope, 1),
	    "a spike of 1e17 gone from the window leaves 1, 2, 3 exact (sd %.17g)", w.stddev);
	slide(same, rise, 3, &w);
	ok(w.slope == 0 && w.change_se == 0 && trend_of(&w) == TREND_STABLE,
	    "three samples at one instant: slope 0, stable");
	slide(late, rise, 3, &w);
	ok(w.slope == 10 && trend_of(&w) == TREND_INCREASING,
	    "times near 2^31 ms lose nothing: slope exactly 10 (%.17g)", w.slope);
}

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) * 0x1.0p-53;
}

/* The same window's statistics straight from its samples, in two passes. */
static void
recompute(const struct ring *r, struct window *w)
{
	long double m = 0, tm = 0, sxx = 0, sxy = 0, syy = 0;
	uint32_t i, n = r->len;

	for (i = 0; i < n; i++) {
		m += ring_v(r, i);
		tm += (ring_t(r, i) - ring_t(r, 0)) / 1000.0L;
	}
	m /= n;
	tm /= n;
	for (i = 0; i < n; i++) {
		long double dv = ring_v(r, i) - m, dt = (ring_t(r, i) - ring_t(r, 0)) / 1000.0L - tm;

		sxx += dt * dt;
		sxy += dt * dv;
		syy += dv * dv;
	}
	w->mean = (double)m;
	w->stddev = (double)sqrtl(syy / n);
	w->slope = (double)(sxy / sxx);
	w->lag = (double)((ring_t(r, n - 1) - ring_t(r, 0)) / 1000.0L - tm);
	w->fitted = 1;
}

/*
 * Ten million samples through a 1000-sample window, by turns a random
 * walk on a level of 1e9, tiny values and values near 1e300; every so
 * often the running statistics against a recomputation.  Errors are
 * relative to each statistic's own scale: the mean and the standard
 * deviation to |value| + sd, the slope to |slope| + sd / span, the
 * forecast an hour on to |forecast| + sd + |slope| x (lag + 1 h).
 */
static void
at_scale(void)
{
	struct ring r;
	struct wstats s;
	struct window a, b;
	double level = 1e9, v, vold, worst = 0, e;
	uint32_t t = 0, told;
	long i, checks = 0;

	ring_init(&r, 1000, 1);
	memset(&s, 0, sizeof s);
	for (i = 0; i < 10000000; i++) {
		if (i % 3000000 == 1000000)
			level = 1e-200;
		else if (i % 3000000 == 2000000)
			level = 1e300;
		else if (i % 3000000 == 0)
			level = 1e9;
		level += (uniform() - 0.5) * level * 1e-6;
		v = level * (1 + (uniform() - 0.5) * 1e-3);
		t += 1 + (uint32_t)(uniform() * 400);	/* 2e9 ms in all: no wrap */
		if (r.len == r.cap) {
			told = ring_t(&r, 0);
			vold = ring_v(&r, 0);
			ring_pop(&r);
			wstats_remove(&s, &r, told, vold);
		}
		ring_push(&r, t, v);
		wstats_add(&s, t, v);
		if (i % 99991 != 0 || r.len < 3)
			continue;
		checks++;
		wstats_get(&s, ring_t(&r, r.len - 1), (ring_t(&r, r.len - 1) - ring_t(&r, 0)) / 1000.0, &a);
		recompute(&r, &b);
		e = fabs(a.mean - b.mean) / (fabs(b.mean) + b.stddev);
		worst = e > worst ? e : worst;
		e = fabs(a.stddev - b.stddev) / (fabs(b.mean) * 1e-16 + b.stddev);
		worst = e > worst ? e : worst;
		e = fabs(a.slope - b.slope) / (fabs(b.slope) + b.stddev / a.span);
		worst = e > worst ? e : worst;
		e = fabs(window_forecast(&a, 3600) - window_forecast(&b, 3600)) /
		    (fabs(window_forecast(&b, 3600)) + b.stddev + fabs(b.slope) * (b.lag + 3600));
		worst = e > worst ? e : worst;
	}
	ok(worst < 1e-9, "10M samples: running mean, sd, slope, forecast within 1e-9 of a recomputation "
	    "(worst %.2g over %ld checks)", worst, checks);
	ok(ring_min(&r) <= ring_max(&r) && s.n == 1000, "  the window is still whole");
	ring_free(&r);
}

/*
 * A 300-sample window slid over n samples of white noise (mem 0) or of
 * noise with a memory of mem samples (its sd 289), on a rise of ramp
 * of those sd a window, values whole numbers: how many verdicts were a
 * trend, and whether the window of 10000 - x gave the mirrored verdict
 * of x's at every step.
 */
static void
noise(uint32_t size, double mem, double ramp, long n, long *trends, int *mirrored)
{
	struct ring r, m;
	struct wstats s, sm;
	struct window a, b;
	double x = 0, keep = mem > 0 ? exp(-1 / mem) : 0, v;
	enum trend ta, tb;
	long i;

	ring_init(&r, size, 1);
	ring_init(&m, size, 1);
	memset(&s, 0, sizeof s);
	memset(&sm, 0, sizeof sm);
	*trends = 0;
	*mirrored = 1;
	for (i = 0; i < n; i++) {
		x = x * keep + (uniform() - 0.5) * 1000 * sqrt(1 - keep * keep);
		v = floor(x + 2000 + ramp * 288.675 * (double)i / 300);
		if (r.len == r.cap) {
			uint32_t to = ring_t(&r, 0);
			double vo = ring_v(&r, 0);

			ring_pop(&r);
			wstats_remove(&s, &r, to, vo);
			ring_pop(&m);
			wstats_remove(&sm, &m, to, 10000 - vo);
		}
		ring_push(&r, (uint32_t)i * 1000, v);
		wstats_add(&s, (uint32_t)i * 1000, v);
		ring_push(&m, (uint32_t)i * 1000, 10000 - v);
		wstats_add(&sm, (uint32_t)i * 1000, 10000 - v);
		if (r.len < size)
			continue;
		wstats_get(&s, ring_t(&r, r.len - 1), size - 1, &a);
		wstats_get(&sm, ring_t(&m, m.len - 1), size - 1, &b);
		ta = trend_of(&a);
		tb = trend_of(&b);
		*trends += ta != TREND_STABLE;
		*mirrored &= ta == TREND_STABLE ? tb == TREND_STABLE : ta == TREND_INCREASING ?
		    tb == TREND_DECREASING : tb == TREND_INCREASING;
	}
	ring_free(&r);
	ring_free(&m);
}

static void
noisy(void)
{
	long trends;
	int mirrored;

	noise(300, 0, 0, 1000000, &trends, &mirrored);
	ok(mirrored && trends == 0, "white noise, a window of 300: no trend in 1M verdicts (%ld), "
	    "and x and 10000 - x mirrored at every step", trends);
	noise(300, 30, 0, 1000000, &trends, &mirrored);
	ok(mirrored && trends < 10000, "noise with a memory of 30 samples: %ld trends in 1M verdicts, "
	    "mirrored", trends);
	noise(300, 0, 8, 100000, &trends, &mirrored);
	ok(mirrored && trends == 100000 - 299, "a rise of 8 sd a window through white noise: "
	    "a trend at every full window (%ld), mirrored", trends);
	/* a window of a few samples: cron's, a sample a minute in 5 minutes */
	noise(6, 0, 0, 1000000, &trends, &mirrored);
	ok(mirrored && trends < 15000, "white noise, a window of 6: %ld trends in 1M verdicts, "
	    "about 1 in 100, the test's level", trends);
	noise(3, 0, 0, 1000000, &trends, &mirrored);
	ok(mirrored && trends < 15000, "white noise, a window of 3: %ld trends in 1M verdicts, "
	    "about 1 in 100, the test's level", trends);
}

static void
baseline(void)
{
	struct ewstats e;
	int i;

	memset(&e, 0, sizeof e);
	ew_add(&e, 0, 0, 3600);
	ew_add(&e, 3600, 3, 3600);
	/* weights 1/2 and 1: mean 3 / 1.5 = 2; variance (0.5 * 4 + 1 * 1) / 1.5 = 2 */
	ok(near((double)e.mean, 2) && near((double)(e.m2 / e.w), 2), "two samples a half-life apart");
	ok(ew_zscore(&e, 100) == 0, "no z-score before %d samples", EW_MIN_SEEN);
	for (i = 2; i < EW_MIN_SEEN; i++)
		ew_add(&e, 3600, 3, 3600);
	ok(ew_zscore(&e, (double)e.mean + 2 * sqrt((double)(e.m2 / e.w))) > 1.999999,
	    "  then (value - baseline) / long-run sd");
	memset(&e, 0, sizeof e);
	for (i = 0; i < 50; i++)
		ew_add(&e, i, 5, 3600);
	ok(e.mean == 5 && ew_zscore(&e, 5) == 0 && ew_zscore(&e, 9) == 0, "a constant series: z-score 0");
	memset(&e, 0, sizeof e);
	for (i = 0; i < 5; i++)
		ew_add(&e, 0, i, 3600);
	ok(near((double)e.mean, 2), "a young series has the plain mean of its samples");
	memset(&e, 0, sizeof e);
	for (i = 0; i < 20; i++)
		ew_add(&e, i, i % 2, 60);
	ew_add(&e, 1e9, 1, 60);
	ok(ew_zscore(&e, 1e300) == 0, "after a silence of many half-lives the history is gone: z-score 0");
	memset(&e, 0, sizeof e);
	for (i = 0; i < 20; i++)
		ew_add(&e, i, 1e-300 * (i % 2), 3600);
	ok(isfinite(ew_zscore(&e, 1e300)) && ew_zscore(&e, 1e300) == 0,
	    "a z-score past the range of a double is 0, never inf");
}

static void
percentiles(void)
{
	double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, one[] = { 42 };

	ok(percentile(v, 10, 50) == 5 && percentile(v, 10, 90) == 9 &&
	    percentile(v, 10, 95) == 10 && percentile(v, 10, 99) == 10,
	    "nearest rank: p50 5, p90 9, p95 10, p99 10 of 1..10");
	ok(percentile(one, 1, 50) == 42 && percentile(one, 1, 99) == 42, "one value is every percentile");
	ok(percentile(v, 10, 0) == 1 && percentile(v, 10, 100) == 10, "p0 the least, p100 the most");
}

int
main(void)
{
	by_hand();
	edges();
	ahead();
	noisy();
	at_scale();
	baseline();
	percentiles();
	return tap_done();
}
