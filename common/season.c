/*
 * season.c: where a value stands against the same time of the seasons
 * before (of the days before, for --season 1d): a nightly backup's load
 * is no anomaly when every night has it.
 *
 * A season is period seconds, counted from the epoch; it is cut into n
 * buckets of equal width.  Each bucket keeps two sets of weighted sums
 * (weight, mean, sum of squared deviations): the seasons before, and
 * the samples of the season in hand, which are folded into the first
 * when the bucket's next season begins, the older seasons weighing half
 * as much every SEASON_HALFLIFE seasons.  A sample is scored against the
 * seasons before alone, so a long anomaly does not excuse itself.
 * O(1) a sample; 64 bytes a bucket.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "season.h"
#include "xm.h"

/*
 * PERIOD or PERIOD/WIDTH, durations as num_parse_seconds reads them
 * (1d, 7d/1h); a period of 2 s at least, 2 to SEASON_BUCKETS_MAX
 * buckets, the width dividing the period; 96 buckets unless given.  -1
 * if the text is no such thing.
 */
int
season_shape_parse(struct season_shape *s, const char *text)
{
	const char *slash = strchr(text, '/');
	char period[64];
	double n;

	if ((slash ? (size_t)(slash - text) : strlen(text)) >= sizeof period)
		return -1;
	snprintf(period, sizeof period, "%.*s", slash ? (int)(slash - text) : (int)strlen(text), text);
	if (num_parse_seconds(period, &s->period) != 0 || !(s->period >= 2) || s->period > 1e9)
		return -1;
	if (slash == NULL) {
		s->n = 96;
		s->width = s->period / 96;
		return 0;
	}
	if (num_parse_seconds(slash + 1, &s->width) != 0 || !(s->width > 0))
		return -1;
	n = s->period / s->width;
	if (n < 2 || n > SEASON_BUCKETS_MAX || fabs(n - nearbyint(n)) > 1e-9 * n)
		return -1;
	s->n = (uint32_t)nearbyint(n);
	s->width = s->period / s->n;
	return 0;
}

/*
 * The season in hand joins the seasons before, gap seasons after it.
 * Seasons more than 60 half-lives before weigh nothing (their weight
 * would underflow): the season in hand is then all there is.
 */
static void
fold(struct season_bucket *b, int64_t gap)
{
	double dp, dc, wp, wc, w, delta;

	if (gap > 60 * SEASON_HALFLIFE) {
		b->w = b->mean = b->m2 = 0;
		b->seasons = 0;
		gap = 1;
	}
	dp = exp2(-(double)gap / SEASON_HALFLIFE);
	dc = exp2(-(double)(gap - 1) / SEASON_HALFLIFE);
	wp = b->w * dp;
	wc = b->n * dc;
	w = wp + wc;
	if (b->n > 0 && w > 0) {
		delta = b->cmean - b->mean;
		b->mean += delta * (wc / w);
		b->m2 = b->m2 * dp + b->cm2 * dc + delta * delta * (wp * wc / w);
		b->w = w;
		b->seasons++;
	}
	b->n = b->cmean = b->cm2 = 0;
}

/* Bucket k (below sh->n) of se, the buckets made at the first. */
struct season_bucket *
season_bucket(struct season *se, const struct season_shape *sh, uint32_t k)
{
	uint32_t i;

	if (se->b == NULL) {
		se->b = xm_calloc(sh->n, sizeof *se->b);
		for (i = 0; i < sh->n; i++)
			se->b[i].at = INT64_MIN;
	}
	return &se->b[k];
}

/*
 * The sample (ts, v): how many standard deviations of the seasons before
 * it is from their mean at this time of season, then taken in.  NAN
 * until the bucket has samples of SEASON_MIN seasons before this one,
 * and for a time past 2^53 s or a value past SEASON_VALUE_MAX, which are
 * not taken; 0 when their variance is only rounding (the same value
 * every season).
 */
double
season_step(struct season *se, const struct season_shape *sh, double ts, double v)
{
	struct season_bucket *b;
	double fl = floor(ts / sh->period), z = NAN, var, d;
	int64_t at;
	uint32_t k;

	/*
	 * A time past 2^53 s has no time of season to speak of; a value past
	 * SEASON_VALUE_MAX would overflow the squares.  Neither is taken.
	 */
	if (!(ts >= 0 && ts < 9007199254740992.0) || !(fabs(v) <= SEASON_VALUE_MAX))
		return NAN;
	at = (int64_t)fl;
	k = (uint32_t)((ts - fl * sh->period) / sh->width);
	b = season_bucket(se, sh, k < sh->n ? k : sh->n - 1);
	if (b->at != at) {
		if (b->at != INT64_MIN && at > b->at)
			fold(b, at - b->at);
		b->at = at;
	}
	if (b->seasons >= SEASON_MIN && b->w > 0) {
		var = b->m2 / b->w;
		z = var > b->mean * b->mean * 1e-24 ? (v - b->mean) / sqrt(var) : 0;
		if (!isfinite(z))
			z = z > 0 ? DBL_MAX : -DBL_MAX;
	}
	b->n++;
	d = v - b->cmean;
	b->cmean += d / b->n;
	b->cm2 += d * (v - b->cmean);
	return z;
}

void
season_free(struct season *se)
{
	free(se->b);
	se->b = NULL;
}
