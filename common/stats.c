/* stats.c: window statistics from running sums, the trend, the baseline. */
#include <math.h>
#include <string.h>

#include "stats.h"

/* Times are whole milliseconds, taken from t0 as integers: no rounding there. */
void
wstats_add(struct wstats *w, uint32_t t, double v)
{
	long double d, e;

	if (w->n == 0) {
		memset(w, 0, sizeof *w);
		w->k = v;
		w->t0 = t;
	}
	d = (long double)v - w->k;
	e = (long double)((int64_t)t - w->t0);
	w->sv += d;
	w->svv += d * d;
	w->st += e;
	w->stt += e * e;
	w->stv += e * d;
	w->n++;
}

/*
 * Take out the sample (t, v) the ring has just dropped.  Once as many
 * samples have gone as the window holds, the sums are made afresh from
 * what the ring holds now, before rounding can build up; and at once
 * when the sample leaving lay far beyond the spread of those that stay
 * (a spike of 1e10 among values near 1), whose deviations would
 * otherwise be lost in the rounding of its own.  Each such rebuild needs
 * the spread to fall by 2^10, so there are few of them.
 */
void
wstats_remove(struct wstats *w, const struct ring *r, uint32_t t, double v)
{
	long double d = (long double)v - w->k, e = (long double)((int64_t)t - w->t0);

	if (w->n <= 1) {
		memset(w, 0, sizeof *w);
		return;
	}
	w->sv -= d;
	w->svv -= d * d;
	w->st -= e;
	w->stt -= e * e;
	w->stv -= e * d;
	w->n--;
	d -= w->sv / w->n;
	if (++w->turned >= w->n || d * d > 1048576 * (w->svv - w->sv * w->sv / w->n))
		wstats_rebuild(w, r);
}

/* The sums of what the ring holds, from its mean and its oldest time. */
void
wstats_rebuild(struct wstats *w, const struct ring *r)
{
	long double sum = 0;
	uint32_t i;

	memset(w, 0, sizeof *w);
	if (r->len == 0)
		return;
	for (i = 0; i < r->len; i++)
		sum += ring_v(r, i);
	w->k = (double)(sum / r->len);
	w->t0 = ring_t(r, 0);
	for (i = 0; i < r->len; i++) {
		long double d = (long double)ring_v(r, i) - w->k;
		long double e = (long double)(ring_t(r, i) - ring_t(r, 0));

		w->sv += d;
		w->svv += d * d;
		w->st += e;
		w->stt += e * e;
		w->stv += e * d;
	}
	w->n = r->len;
}

/* The ring's times moved back by delta ms: move the reference with them. */
void
wstats_shift(struct wstats *w, uint32_t delta)
{
	w->t0 -= delta;
}

void
wstats_get(const struct wstats *w, uint32_t newest, double span, struct window *out)
{
	long double n = w->n, sxx, sxy, syy, sse;

	memset(out, 0, sizeof *out);
	out->n = w->n;
	out->span = span;
	if (w->n == 0)
		return;
	syy = w->svv - w->sv * w->sv / n;
	if (syy < 0)
		syy = 0;
	out->mean = (double)(w->k + w->sv / n);
	out->stddev = (double)sqrtl(syy / n);
	sxx = w->stt - w->st * w->st / n;
	if (!(span > 0) || sxx <= 0)
		return;
	sxy = w->stv - w->st * w->sv / n;
	/* per ms, made per second */
	out->slope = (double)(sxy / sxx * 1000);
	out->lag = (double)(((long double)((int64_t)newest - w->t0) - w->st / n) / 1000);
	out->fitted = 1;
	out->change = out->slope * span;
	if (w->n < 3)
		return;
	sse = syy - sxy * sxy / sxx;
	if (sse < 0)
		sse = 0;
	out->change_se = (double)(sqrtl(sse / (n - 2) / sxx) * 1000) * span;
	out->fit = syy > 0 ? (double)(1 - sse / syy) : 1;
}

/*
 * The same statistics by two passes over the ring, the values scaled
 * first so that their squares neither overflow nor vanish: for windows
 * with magnitudes past 1e150 or below 1e-150, which the running sums
 * keep only where long double has the range (x86's 80-bit does; a
 * 64-bit long double, or valgrind's, does not).
 */
void
wstats_scan(const struct ring *r, double span, struct window *out)
{
	double scale = 0, m = 0, tm = 0, sxx = 0, sxy = 0, syy = 0, dv, dt, sse;
	uint32_t i, n = r->len;

	memset(out, 0, sizeof *out);
	out->n = n;
	out->span = span;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (fabs(ring_v(r, i)) > scale)
			scale = fabs(ring_v(r, i));
	if (scale == 0)
		scale = 1;
	for (i = 0; i < n; i++) {
		m += ring_v(r, i) / scale;
		tm += (ring_t(r, i) - ring_t(r, 0)) / 1000.0;
	}
	m /= n;
	tm /= n;
	for (i = 0; i < n; i++) {
		dv = ring_v(r, i) / scale - m;
		dt = (ring_t(r, i) - ring_t(r, 0)) / 1000.0 - tm;
		sxx += dt * dt;
		sxy += dt * dv;
		syy += dv * dv;
	}
	out->mean = m * scale;
	out->stddev = sqrt(syy / n) * scale;
	if (!(span > 0) || sxx <= 0)
		return;
	out->slope = sxy / sxx * scale;
	out->lag = span - tm;
	out->fitted = 1;
	out->change = out->slope * span;
	if (n < 3)
		return;
	sse = syy - sxy * sxy / sxx;
	if (sse < 0)
		sse = 0;
	out->change_se = sqrt(sse / (n - 2) / sxx) * scale * span;
	out->fit = syy > 0 ? 1 - sse / syy : 1;
}

/* Whether values this far out need wstats_scan. */
int
wstats_extreme(double lo, double hi)
{
	double a = fabs(lo) > fabs(hi) ? fabs(lo) : fabs(hi);

	return a > 1e150 || (a < 1e-150 && a > 0);
}

/*
 * The window's least-squares line h seconds past its newest sample, as
 * Prometheus's predict_linear over the same samples evaluated at that
 * sample's time; NAN without a line (one sample, or one time).
 */
double
window_forecast(const struct window *w, double h)
{
	if (!w->fitted)
		return NAN;
	return w->mean + w->slope * (w->lag + h);
}

/*
 * Seconds from the newest sample until the window's line reaches limit,
 * from the side the newest value is on: 0 if it is there or past it;
 * NAN if the line does not head there, or if there is no line worth
 * the name: fewer than 3 samples, a span under min_span, or a fit
 * (R^2) under ETA_MIN_FIT, as where one step -- a burst -- makes the
 * slope.
 */
double
window_eta(const struct window *w, double newest, double limit, double min_span)
{
	double now, x;

	if (isnan(limit))
		return NAN;
	if (newest == limit)
		return 0;
	if (!w->fitted || w->n < 3 || w->span < min_span || !(w->fit >= ETA_MIN_FIT) ||
	    (newest < limit ? !(w->slope > 0) : !(w->slope < 0)))
		return NAN;
	now = w->mean + w->slope * w->lag;
	x = (limit - now) / w->slope;
	if (!(x > 0))
		return 0;
	return isfinite(x) ? x : NAN;
}

/*
 * Student's t that a statistic of df degrees of freedom passes by
 * chance once in a hundred times either way (two-sided, 99%): from its
 * table for up to 30, then the value at the low end of each band, which
 * is the stricter.
 */
static double
t_crit(uint32_t df)
{
	static const double t[31] = {
		0, 63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250,
		3.169, 3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861,
		2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756,
		2.750
	};

	if (df <= 30)
		return t[df];
	return df <= 40 ? 2.750 : df <= 60 ? 2.704 : df <= 120 ? 2.660 : 2.617;
}

/*
 * Increasing or decreasing when the change fitted across the window
 * (least-squares slope times span) is so far from 0 that chance would
 * put it there once in a hundred times (Student's t at 99%, n - 2
 * degrees of freedom: 9.9 standard errors for 4 samples, 3.2 for 12,
 * 2.6 for many), and the line explains at least TREND_MIN_FIT of the
 * values' variance -- it stands out of their wandering, which noise with
 * a memory makes look significant; with fewer than 3 samples, stable.
 * Neither test looks at the level, so x and c - x get mirrored verdicts,
 * and zero or below is no special case.
 */
enum trend
trend_of(const struct window *w)
{
	double c = fabs(w->change);

	if (w->n < 3 || c == 0 || c <= t_crit(w->n - 2) * w->change_se ||
	    !(w->fit >= TREND_MIN_FIT))
		return TREND_STABLE;
	return w->change > 0 ? TREND_INCREASING : TREND_DECREASING;
}

const char *
trend_name(enum trend t)
{
	static const char *const names[] = { "stable", "increasing", "decreasing" };

	return names[t];
}

/*
 * West's weighted update, the old weights first decayed by 2^(-dt/h):
 * the mean is normalised by the total weight, so a young series has the
 * plain mean of its few samples rather than a mean dragged to zero.
 */
void
ew_add(struct ewstats *e, double t, double v, double halflife)
{
	long double delta, decay;

	if (e->seen == 0) {
		e->w = 1;
		e->mean = v;
		e->m2 = 0;
	} else {
		decay = t > e->t ? exp2l(-(long double)(t - e->t) / halflife) : 1;
		e->w = e->w * decay + 1;
		e->m2 *= decay;
		delta = v - e->mean;
		e->mean += delta / e->w;
		e->m2 += delta * (v - e->mean);
	}
	e->t = t;
	e->seen++;
}

/*
 * How many long-run standard deviations v is from the baseline; 0 until
 * that means something: before EW_MIN_SEEN samples, while the weight of
 * the history is below EW_MIN_WEIGHT samples' (after a long silence the
 * old ones have decayed away), and when the variance is only rounding
 * (a constant series).
 */
double
ew_zscore(const struct ewstats *e, double v)
{
	long double var, z;

	if (e->seen < EW_MIN_SEEN || e->w < EW_MIN_WEIGHT)
		return 0;
	var = e->m2 / e->w;
	if (!(var > e->mean * e->mean * 1e-24L))
		return 0;
	z = (v - e->mean) / sqrtl(var);
	return isfinite((double)z) ? (double)z : 0;
}

/* The p-th percentile of n sorted values, by nearest rank: a value that occurred. */
double
percentile(double *sorted, uint32_t n, double p)
{
	double rank = ceil(p / 100 * n);
	uint32_t i = rank < 1 ? 0 : (uint32_t)rank - 1;

	return sorted[i < n ? i : n - 1];
}
