/* buffer.c: a window per series, and the columns that say how a sample compares. */
#include <float.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "metric.h"
#include "num.h"
#include "xm.h"

const char *const column_names[C_NCOL] = {
	"n", "mean", "min", "max", "stddev", "slope", "trend", "baseline", "zscore", "rzscore",
	"eta_seconds"
};

/* Times are kept as 32-bit milliseconds after a base that moves up before they overflow. */
#define REBASE_AT 2147483648.0

/*
 * What a metric's line is timed to reach: the first --limit whose glob
 * matches the metric, else 100 for a percentage; NAN: nothing.
 */
static double
limit_of(const struct buffer_opts *o, const char *metric)
{
	size_t i;

	for (i = 0; i < o->nlimit; i++)
		if (fnmatch(o->limit[i].glob, metric, 0) == 0)
			return o->limit[i].value;
	if (metric_family_ends(metric, strlen(metric), "_percent"))
		return 100;
	return NAN;
}

/* A series new here (series_get): its window empty. */
static void
made(void *p, struct series_id *id, const struct record *rec)
{
	struct buffer *b = p;
	struct series *s = (struct series *)id;

	(void)rec;
	s->period = INT64_MIN;
	s->limit = limit_of(b->o, series_metric(&s->id));
	ring_init(&s->ring, b->o->size, !b->o->summary);
	order_init(&s->order);
	s->last_sz = NAN;
}

void
buffer_init(struct buffer *b, const struct buffer_opts *o)
{
	int i;

	memset(b, 0, sizeof *b);
	b->o = o;
	series_set_init(&b->series, o->max_series, made, b);
	hosts_init(&b->hosts);
	b->hosts.leap = o->forget;
	/* no pass yet: the first time the stream's time moves may bring one */
	b->since = SIZE_MAX / 2;
	b->forget_due = o->forget / 16;
	b->window_ms = (uint32_t)llround(o->window * 1000);
	b->every_ms = o->every > 0 ? llround(o->every * 1000) : 1;
	b->need_ew = o->state != NULL;
	for (i = 0; i < o->ncols; i++) {
		b->need_ew |= o->cols[i] == C_BASELINE || o->cols[i] == C_ZSCORE;
		b->need_fit |= o->cols[i] == C_STDDEV || o->cols[i] == C_SLOPE ||
		    o->cols[i] == C_TREND || o->cols[i] == C_ETA;
		b->need_order |= o->cols[i] == C_RZSCORE && !o->summary;
	}
	b->need_fit |= o->nforecast > 0;
	b->period = INT64_MIN;
	record_writer_init(&b->w, stdout, (o->csv ? RECORD_CSV : 0) | RECORD_INTERRUPTIBLE |
	    RECORD_BATCH);
}

static void
drop(void *unused, void *p)
{
	struct series *s = p;

	(void)unused;
	ring_free(&s->ring);
	order_free(&s->order);
	season_free(&s->season);
	tail_free(&s->last);
	free(s);
}

void
buffer_free(struct buffer *b)
{
	free(b->pend);
	free(b->scratch);
	series_set_free(&b->series, drop, NULL);
	hosts_free(&b->hosts);
}

/*
 * Count the record on its host's clock (xm(7), "Time in the stream").
 * A host whose newest ts lies ahead of this machine's clock by more
 * than RECORD_AHEAD, and ahead of this record by more than a window,
 * has a clock no live stream gives (a state kept while a clock ran
 * wild): it starts afresh here, as a host first heard from, or its
 * series would seem quiet for as long as it is wrong.  Only then is
 * the clock read.
 */
void
buffer_host(struct buffer *b, struct series *s, const struct record *rec)
{
	struct host *o = s->host;

	if (o == NULL)
		o = s->host = hosts_see(&b->hosts, rec->field[COL_HOST], rec->len[COL_HOST], rec->ts);
	else
		hosts_step(&b->hosts, o, rec->ts);
	if (o->newest - rec->ts > b->o->window && o->newest > xm_realtime() + RECORD_AHEAD) {
		o->newest = rec->ts;
		o->progress = b->hosts.now;
	}
}

/*
 * Start s afresh, as if new: its window, baseline and times of season
 * hold samples stamped by a clock its host has since left.
 */
void
buffer_afresh(struct buffer *b, struct series *s)
{
	ring_free(&s->ring);
	ring_init(&s->ring, b->o->size, !b->o->summary);
	order_free(&s->order);
	order_init(&s->order);
	season_free(&s->season);
	memset(&s->ws, 0, sizeof s->ws);
	memset(&s->ew, 0, sizeof s->ew);
	s->newest = 0;
	s->last_sz = NAN;
}

static void
drop_oldest(const struct buffer *b, struct series *s)
{
	uint32_t t = ring_t(&s->ring, 0);
	double v = ring_v(&s->ring, 0);

	ring_pop(&s->ring);
	wstats_remove(&s->ws, &s->ring, t, v);
	if (b->need_order)
		order_remove(&s->order, v);
}

/*
 * Add the sample (ts, v) to its series: drop what falls out of the
 * window, by age or by count, then take it in, and note the baseline
 * and z-score it had before.  Taking nothing, -1 for a sample older
 * than the series' newest, BUFFER_BEHIND for one older by more than a
 * window (buffer_afresh).
 */
int
buffer_add(struct buffer *b, struct series *s, double ts, double v)
{
	double off;
	uint32_t t, delta;

	if (s->ring.len == 0)
		s->base = ts;
	off = nearbyint((ts - s->base) * 1000);
	if (off < (double)s->newest)
		return (double)s->newest - off > b->window_ms ? BUFFER_BEHIND : -1;
	while (s->ring.len > 0 && off - ring_t(&s->ring, 0) > b->window_ms)
		drop_oldest(b, s);
	if (s->ring.len == 0) {
		/* a silence longer than the window: the times start afresh */
		s->base = ts;
		s->newest = 0;
		off = 0;
	}
	if (off >= REBASE_AT) {
		delta = s->ring.len > 0 ? ring_t(&s->ring, 0) : s->newest;
		ring_rebase(&s->ring, delta);
		wstats_shift(&s->ws, delta);
		s->base += delta / 1000.0;
		s->newest -= delta;
		off -= delta;
	}
	if (s->ring.len == s->ring.cap)
		drop_oldest(b, s);
	t = (uint32_t)off;
	ring_push(&s->ring, t, v);
	wstats_add(&s->ws, t, v);
	if (b->need_order)
		order_insert(&s->order, v);
	s->newest = t;
	if (b->need_ew) {
		s->last_baseline = s->ew.seen ? (double)s->ew.mean : v;
		s->last_z = ew_zscore(&s->ew, v);
		ew_add(&s->ew, ts, v, b->o->halflife);
	}
	/* a state file's samples again: their seasons come from its #season lines */
	if (b->o->seasonal && !b->loading)
		s->last_sz = season_step(&s->season, &b->o->season, ts, v);
	return 0;
}

/* Fields of a record a series keeps for its line: --summary's the value alone. */
static size_t
kept_fields(const struct buffer *b, const struct record *rec)
{
	return b->o->summary ? COL_VALUE + 1 : rec->nfield;
}

/* The bytes buffer_keep would keep of rec: past KEPT_MAX, the record is refused. */
size_t
buffer_kept_size(const struct buffer *b, const struct record *rec)
{
	return tail_size(rec->len + COL_VALUE, kept_fields(b, rec) - COL_VALUE);
}

/* Keep the record's value and what follows it, for a line printed later. */
void
buffer_keep(struct buffer *b, struct series *s, const struct record *rec)
{
	tail_keep(&s->last, rec->field + COL_VALUE, rec->len + COL_VALUE,
	    kept_fields(b, rec) - COL_VALUE, KEPT_MAX);
}

/* The kept fields, at most upto of them; the newest value if none were kept. */
static void
put_kept(struct buffer *b, const struct series *s, uint32_t upto)
{
	if (s->last.n == 0)
		record_put_number(&b->w, ring_v(&s->ring, s->ring.len - 1));
	tail_put(&b->w, &s->last, upto);
}

/* The window's statistics: from the running sums, or for extreme magnitudes by a scan. */
static void
window_of(const struct series *s, double lo, double hi, struct window *w)
{
	double span = (s->newest - ring_t(&s->ring, 0)) / 1000.0;

	if (wstats_extreme(lo, hi))
		wstats_scan(&s->ring, span, w);
	else
		wstats_get(&s->ws, s->newest, span, w);
}

/*
 * (value - median) / (1.4826 MAD) over the window, the newest value in
 * it: a spike drags neither.  With MAD 0 (most of the window one value)
 * the mean absolute deviation from the median stands in, times 1.2533;
 * 0 when that is 0 too, and while the window holds fewer than 10.
 */
static double
rzscore(struct series *s)
{
	const struct ring *r = &s->ring;
	long double z;
	double m, d, v = ring_v(r, r->len - 1);

	if (r->len < RZ_MIN)
		return 0;
	m = order_median(&s->order);
	if ((d = order_mad(&s->order, m)) > 0) {
		z = ((long double)v - m) / (1.4826L * d);
	} else {
		if ((d = order_meanad(&s->order, m)) == 0)
			return 0;
		z = ((long double)v - m) / (1.253314L * d);
	}
	return z > DBL_MAX ? DBL_MAX : z < -DBL_MAX ? -DBL_MAX : (double)z;
}

/* A number, or "-" for none (NAN). */
static void
put_or_none(struct record_writer *w, double v)
{
	if (isnan(v))
		record_put(w, "-", 1);
	else
		record_put_number(w, v);
}

static void
put_columns(struct buffer *b, struct series *s)
{
	const struct buffer_opts *o = b->o;
	struct window w;
	int i;

	if (b->need_fit)
		window_of(s, ring_min(&s->ring), ring_max(&s->ring), &w);
	for (i = 0; i < o->ncols; i++) {
		switch (o->cols[i]) {
		case C_N:
			record_put_number(&b->w, s->ring.len);
			break;
		case C_MEAN:
			record_put_number(&b->w, b->need_fit ? w.mean : wstats_mean(&s->ws));
			break;
		case C_MIN:
			record_put_kept(&b->w, ring_min(&s->ring), &s->min_text);
			break;
		case C_MAX:
			record_put_kept(&b->w, ring_max(&s->ring), &s->max_text);
			break;
		case C_STDDEV:
			record_put_number(&b->w, w.stddev);
			break;
		case C_SLOPE:
			record_put_number(&b->w, w.slope);
			break;
		case C_TREND:
			record_put_str(&b->w, trend_name(trend_of(&w)));
			break;
		case C_BASELINE:
			record_put_number(&b->w, s->last_baseline);
			break;
		case C_ZSCORE:
			record_put_number(&b->w, s->last_z);
			break;
		case C_RZSCORE:
			record_put_number(&b->w, rzscore(s));
			break;
		case C_ETA:
			put_or_none(&b->w, window_eta(&w, ring_v(&s->ring, s->ring.len - 1), s->limit,
			    s->ring.len >= o->size ? 0 : o->window / 4));
			break;
		case C_NCOL:
			break;
		}
	}
	for (i = 0; i < o->nforecast; i++)
		put_or_none(&b->w, window_forecast(&w, o->forecast[i]));
	if (o->seasonal)
		put_or_none(&b->w, s->last_sz);
}

/* The record as it came, then the columns asked for. */
void
buffer_put(struct buffer *b, struct series *s, const struct record *rec)
{
	record_put_fields(&b->w, rec);
	put_columns(b, s);
	record_end(&b->w);
}

static void
put_key(struct buffer *b, const struct series *s)
{
	record_put(&b->w, s->id.it.key, s->id.hostlen);
	record_put(&b->w, series_metric(&s->id), series_metric_len(&s->id));
}

static int
by_period(const void *a, const void *b)
{
	const struct series *x = *(struct series *const *)a, *y = *(struct series *const *)b;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	return (x->pendseq > y->pendseq) - (x->pendseq < y->pendseq);
}

/*
 * --every: the period of ts, counted in whole milliseconds as the
 * windows count time, so that 0.3 is in the period 0.3 of --every 0.1
 * whatever binary fractions make of it; -1 past 2^53 ms.
 */
int
buffer_period(const struct buffer *b, double ts, int64_t *p)
{
	double ms = nearbyint(ts * 1000);

	if (!(ms < 9007199254740992.0))
		return -1;
	*p = (int64_t)ms / b->every_ms;
	return 0;
}

/* --every: the line of s's period, stamped with its start, carrying its last sample. */
void
buffer_put_line(struct buffer *b, struct series *s)
{
	record_put_ts(&b->w, (double)(s->period * b->every_ms) / 1000);
	put_key(b, s);
	put_kept(b, s, UINT32_MAX);
	put_columns(b, s);
	record_end(&b->w);
}

/*
 * --every: the pending lines in the order of their periods (a late
 * sample may have opened an older one), then of their coming.
 */
static void
sort_pending(struct buffer *b)
{
	size_t i;

	for (i = 1; i < b->npend; i++) {
		if (b->pend[i]->period != b->pend[0]->period) {
			qsort(b->pend, b->npend, sizeof *b->pend, by_period);
			break;
		}
	}
}

/* --every: the lines of the series whose periods are before period p, in order. */
void
buffer_put_pending(struct buffer *b, int64_t p)
{
	struct series *s;
	size_t i, o = 0;

	sort_pending(b);
	for (i = 0; i < b->npend; i++) {
		s = b->pend[i];
		if (s->period >= p) {
			b->pend[o++] = s;
			continue;
		}
		buffer_put_line(b, s);
		s->pending = 0;
	}
	b->npend = o;
}

/* --every: s has a line waiting for the end of period p. */
void
buffer_pend(struct buffer *b, struct series *s, int64_t p)
{
	s->period = p;
	if (s->pending)
		return;
	s->pending = 1;
	s->pendseq = b->pendseq++;
	if (b->npend == b->pendcap) {
		b->pendcap = b->pendcap ? 2 * b->pendcap : 64;
		b->pend = xm_reallocarray(b->pend, b->pendcap, sizeof *b->pend);
	}
	b->pend[b->npend++] = s;
}

/* The time of the newest sample of s. */
static double
series_last(const struct series *s)
{
	return s->base + s->newest / 1000.0;
}

/* --every: the lines of the series gone out first if put, then not to come. */
static void
unpend_gone(struct buffer *b, int put)
{
	struct series *s;
	size_t i, o = 0;

	if (put)
		sort_pending(b);
	for (i = 0; i < b->npend; i++) {
		s = b->pend[i];
		if (!s->gone) {
			b->pend[o++] = s;
			continue;
		}
		if (put)
			buffer_put_line(b, s);
		s->pending = 0;
	}
	b->npend = o;
}

/*
 * Forget the series quiet for longer than --forget (xm(7), "Time in the
 * stream"), then the hosts as quiet, which have none left: a host's
 * series are quiet at least as long as it.  A forgotten series' --every
 * line still to come, or its --summary line, goes out first if put.  How
 * many series went.
 */
static void put_summary(struct buffer *, struct series *);

size_t
buffer_forget(struct buffer *b, int put)
{
	struct series *s;
	size_t i, o = 0, gone = 0;

	for (i = 0; i < b->series.n; i++) {
		s = buffer_nth(b, i);
		s->gone = hosts_quiet(&b->hosts, s->host, series_last(s)) > b->o->forget;
		gone += s->gone;
	}
	if (gone > 0) {
		unpend_gone(b, put);
		for (i = 0; i < b->series.n; i++) {
			s = buffer_nth(b, i);
			if (!s->gone) {
				b->series.all[o++] = s;
				continue;
			}
			if (put && b->o->summary)
				put_summary(b, s);
			table_remove(&b->series.t, &s->id.it);
			drop(NULL, s);
		}
		b->series.n = o;
	}
	hosts_forget(&b->hosts, b->o->forget);
	b->forgot_at = b->hosts.now;
	b->forget_due = b->forgot_at + b->o->forget / 16;
	b->since = 0;
	return gone;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * --summary: a line per series, in the order they first came: the
 * newest sample, the window's statistics, exact percentiles by nearest
 * rank, the trend, and the times the window spans.
 */
static void
put_summary(struct buffer *b, struct series *s)
{
	static const double ps[] = { 50, 90, 95, 99 };
	struct window w;
	uint32_t i, n = s->ring.len;
	size_t j;

	if (n > b->scratchcap) {
		b->scratchcap = n;
		b->scratch = xm_reallocarray(b->scratch, n, sizeof *b->scratch);
	}
	for (i = 0; i < n; i++)
		b->scratch[i] = ring_v(&s->ring, i);
	qsort(b->scratch, n, sizeof *b->scratch, by_value);
	window_of(s, b->scratch[0], b->scratch[n - 1], &w);
	record_put_ts(&b->w, series_last(s));
	put_key(b, s);
	put_kept(b, s, 1);
	record_put_number(&b->w, n);
	record_put_number(&b->w, w.mean);
	record_put_number(&b->w, b->scratch[0]);
	record_put_number(&b->w, b->scratch[n - 1]);
	record_put_number(&b->w, w.stddev);
	for (j = 0; j < sizeof ps / sizeof ps[0]; j++)
		record_put_number(&b->w, percentile(b->scratch, n, ps[j]));
	record_put_str(&b->w, trend_name(trend_of(&w)));
	record_put_ts(&b->w, s->base + ring_t(&s->ring, 0) / 1000.0);
	record_put_ts(&b->w, series_last(s));
	record_end(&b->w);
}

void
buffer_put_summary(struct buffer *b)
{
	size_t k;

	for (k = 0; k < b->series.n; k++)
		put_summary(b, buffer_nth(b, k));
}
