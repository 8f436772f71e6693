/*
 * save.c: xm-buffer's state file, an xm stream itself, so grep and awk
 * read it:
 *
 *	#xm-buffer state 2
 *	#ts  host  metric  value  weight  baseline  m2  seen  last_baseline  last_z  period
 *	#host  HOST  NEWEST  QUIET
 *	a line for each host of the series, in the order of their names: its
 *	newest ts, and how long it had been quiet by the stream's time
 *	(host.h); a file of version 1 has none, and its hosts are taken as
 *	heard from at their series' newest samples
 *	one record per sample held, oldest first, a series at a time; the
 *	extra columns are "-" but on a series' newest sample, where they
 *	carry its baseline and whether an --every line is still to come
 *	#kept  FIELD...
 *	after it, what --every and --summary kept of its record from the
 *	value on, as many fields as it had, if they kept anything
 *	#season  PERIOD  BUCKETS  BUCKET  AT  SEASONS  W  MEAN  M2  N  CMEAN  CM2
 *	then, under --season, a line for each time of season it has had
 *	samples at (season.h)
 *	#end  SERIES  SAMPLES
 *
 * Values are written with 17 digits, so they come back exactly.  A file
 * without the first line or the last, or with anything malformed, is
 * not loaded at all.  Its samples are not held to this machine's clock
 * (RECORD_SAVED): they were when they came, and a series whose newest
 * lies ahead of its next record by more than a window starts afresh.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "num.h"
#include "xm.h"

#define STATE_VERSION "#xm-buffer state 2"
/* The version before, without #host lines, which is still read. */
#define STATE_VERSION_1 "#xm-buffer state 1"

static const char *const header[] = {
	"ts", "host", "metric", "value", "weight", "baseline", "m2", "seen",
	"last_baseline", "last_z", "period"
};

enum { S_WEIGHT = 4, S_BASELINE, S_M2, S_SEEN, S_LAST_BASELINE, S_LAST_Z, S_PERIOD, S_NCOL };

static const char *const comments[] = { "#kept", "#host", "#season", NULL };

const struct state_grammar buffer_grammar = {
	STATE_VERSION, STATE_VERSION_1, header, S_NCOL, comments, 2
};

/* The baseline's sums are long doubles: 21 digits bring them back exactly. */
static void
put_long(struct record_writer *w, long double v)
{
	char buf[40];

	record_put(w, buf, (size_t)snprintf(buf, sizeof buf, "%.21Lg", v));
}

static void
put_season(struct record_writer *w, const struct season_shape *sh, const struct season *se)
{
	const struct season_bucket *k;
	char buf[32];
	uint32_t i;

	for (i = 0; i < sh->n; i++) {
		k = &se->b[i];
		if (k->at == INT64_MIN)
			continue;
		record_put(w, "#season", 7);
		state_put_exact(w, sh->period);
		record_put(w, buf, (size_t)snprintf(buf, sizeof buf, "%u", sh->n));
		record_put(w, buf, (size_t)snprintf(buf, sizeof buf, "%u", i));
		record_put(w, buf, (size_t)snprintf(buf, sizeof buf, "%lld", (long long)k->at));
		record_put(w, buf, (size_t)snprintf(buf, sizeof buf, "%u", k->seasons));
		state_put_exact(w, k->w);
		state_put_exact(w, k->mean);
		state_put_exact(w, k->m2);
		state_put_exact(w, k->n);
		state_put_exact(w, k->cmean);
		state_put_exact(w, k->cm2);
		record_end(w);
	}
}

static int
by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(struct host *const *)a, y = (uintptr_t)*(struct host *const *)b;

	return (x > y) - (x < y);
}

static int
by_name(const void *a, const void *b)
{
	const struct host *x = *(struct host *const *)a, *y = *(struct host *const *)b;
	int c = memcmp(x->it.key, y->it.key, x->it.len < y->it.len ? x->it.len : y->it.len);

	return c != 0 ? c : (x->it.len > y->it.len) - (x->it.len < y->it.len);
}

/* A #host line for each host of the series, in the order of their names. */
static void
put_hosts(struct record_writer *w, const struct buffer *b)
{
	struct host **h = xm_reallocarray(NULL, b->series.n + 1, sizeof *h);
	size_t i, n = 0;

	for (i = 0; i < b->series.n; i++)
		h[i] = buffer_nth(b, i)->host;
	qsort(h, b->series.n, sizeof *h, by_address);
	for (i = 0; i < b->series.n; i++)
		if (n == 0 || h[i] != h[n - 1])
			h[n++] = h[i];
	qsort(h, n, sizeof *h, by_name);
	for (i = 0; i < n; i++) {
		record_put(w, "#host", 5);
		record_put(w, h[i]->it.key, h[i]->it.len);
		state_put_exact(w, h[i]->newest);
		state_put_exact(w, b->hosts.now - h[i]->progress);
		record_end(w);
	}
	free(h);
}

int
buffer_save(struct buffer *b, FILE *f)
{
	struct record_writer w;
	struct series *s;
	char buf[NUM_MAX];
	size_t k, total = 0, i;
	uint32_t j;

	state_put_begin(&w, f, &buffer_grammar);
	put_hosts(&w, b);
	for (k = 0; k < b->series.n; k++) {
		s = buffer_nth(b, k);
		for (j = 0; j < s->ring.len; j++) {
			record_put_ts(&w, s->base + ring_t(&s->ring, j) / 1000.0);
			record_put(&w, s->id.it.key, s->id.hostlen);
			record_put(&w, series_metric(&s->id), series_metric_len(&s->id));
			state_put_exact(&w, ring_v(&s->ring, j));
			if (j + 1 < s->ring.len) {
				for (i = S_WEIGHT; i < S_NCOL; i++)
					record_put(&w, "-", 1);
			} else {
				put_long(&w, s->ew.w);
				put_long(&w, s->ew.mean);
				put_long(&w, s->ew.m2);
				record_put(&w, buf, num_format(buf, (double)s->ew.seen));
				state_put_exact(&w, s->last_baseline);
				state_put_exact(&w, s->last_z);
				if (s->pending)
					record_put(&w, buf, (size_t)snprintf(buf, sizeof buf, "%lld",
					    (long long)s->period));
				else
					record_put(&w, "-", 1);
			}
			record_end(&w);
			total++;
		}
		if (s->last.n > 0) {
			record_put(&w, "#kept", 5);
			tail_put(&w, &s->last, SIZE_MAX);
			record_end(&w);
		}
		if (b->o->seasonal && s->season.b != NULL)
			put_season(&w, &b->o->season, &s->season);
	}
	state_put_end(f, &buffer_grammar, (size_t[]){ b->series.n, total });
	return ferror(f) ? -1 : 0;
}

static int
field_num(const struct record *rec, int i, double *v)
{
	return num_parse(rec->field[i], v);
}

/*
 * The baseline's sum of squares as saved: a long double, which values
 * within a double's range can take past it (1e200 and -1e200 make 2e400).
 */
static int
field_squares(const struct record *rec, int i, long double *v)
{
	char *end;

	if (rec->field[i][0] == '\0')
		return -1;
	*v = strtold(rec->field[i], &end);
	return *end != '\0' || !isfinite(*v) ? -1 : 0;
}

/*
 * The newest sample's extra columns: baseline, and what was kept.  A
 * line still to come under --every is dropped by a run without it; its
 * period is the newest sample's under this run's --every.
 */
static int
restore(struct buffer *b, struct series *s, const struct record *rec)
{
	double w, mean, seen;
	long double m2;
	long long p;
	char *end;

	if (field_num(rec, S_WEIGHT, &w) || field_num(rec, S_BASELINE, &mean) ||
	    field_squares(rec, S_M2, &m2) || field_num(rec, S_SEEN, &seen) ||
	    field_num(rec, S_LAST_BASELINE, &s->last_baseline) ||
	    field_num(rec, S_LAST_Z, &s->last_z) || !(w > 0) || seen < 1 || seen > 1e18)
		return -1;
	/* Checked as numbers above; read again at full width. */
	s->ew.w = strtold(rec->field[S_WEIGHT], NULL);
	s->ew.mean = strtold(rec->field[S_BASELINE], NULL);
	s->ew.m2 = m2;
	s->ew.seen = (uint64_t)seen;
	s->ew.t = rec->ts;
	if (strcmp(rec->field[S_PERIOD], "-") != 0) {
		errno = 0;
		p = strtoll(rec->field[S_PERIOD], &end, 10);
		if (*end != '\0' || errno != 0 || p < 0)
			return -1;
		if (b->o->every > 0 && buffer_period(b, rec->ts, &s->period) == 0) {
			buffer_pend(b, s, s->period);
			if (s->period > b->period)
				b->period = s->period;
		}
	}
	return 0;
}

/*
 * The #kept line: the fields, from the value on, of the record s last
 * had (--summary's the value alone); -1 past KEPT_MAX.
 */
static int
restore_kept(struct buffer *b, struct series *s, const struct record *rec)
{
	size_t n = b->o->summary ? 2 : rec->nfield;

	if (tail_size(rec->len + 1, n - 1) > KEPT_MAX)
		return -1;
	tail_keep(&s->last, rec->field + 1, rec->len + 1, n - 1, KEPT_MAX);
	return 0;
}

/*
 * A #host line, before the samples: the host as the run that saved it
 * left it; -1 if it makes no sense or names a host twice.  Past
 * --max-series hosts, passed over.
 */
static int
restore_host(struct buffer *b, const struct record *rec)
{
	double newest, quiet;

	if (rec->nfield != 4 || rec->len[1] == 0 || num_parse(rec->field[2], &newest) != 0 ||
	    num_parse(rec->field[3], &quiet) != 0 || newest < 0 || quiet < 0 ||
	    hosts_find(&b->hosts, rec->field[1], rec->len[1]) != NULL)
		return -1;
	if (b->hosts.t.n < b->o->max_series)
		hosts_set(&b->hosts, rec->field[1], rec->len[1], newest, quiet);
	return 0;
}

/*
 * The hosts no #host line gave (a file of version 1): each as if heard
 * from at its series' newest sample, quiet for no time.  No time passes
 * while a state loads.
 */
static void
attach_hosts(struct buffer *b)
{
	struct series *s;
	struct host *o;
	double last;
	size_t i;

	for (i = 0; i < b->series.n; i++) {
		s = buffer_nth(b, i);
		if (s->host != NULL)
			continue;
		last = s->base + s->newest / 1000.0;
		if ((o = hosts_find(&b->hosts, s->id.it.key, s->id.hostlen)) == NULL)
			o = hosts_see(&b->hosts, s->id.it.key, s->id.hostlen, last);
		else if (last > o->newest)
			o->newest = last;
		s->host = o;
	}
}

/*
 * A #season line of series s: 1 if taken, 0 if it was kept under
 * another --season (or this run has none), -1 if it makes no sense.
 */
static int
restore_season(struct buffer *b, struct series *s, const struct record *rec)
{
	const struct season_shape *sh = &b->o->season;
	struct season_bucket k;
	double v[11];
	size_t i;

	if (rec->nfield != 12)
		return -1;
	for (i = 0; i < 11; i++)
		if (num_parse(rec->field[i + 1], &v[i]) != 0)
			return -1;
	/*
	 * Counts whole and in range; the season of a time below 2^53 s; the
	 * weights, means and squares within what season_step makes of values
	 * within SEASON_VALUE_MAX, so that no sum of a file taken overflows.
	 */
	if (v[1] < 2 || v[1] > SEASON_BUCKETS_MAX || v[1] != floor(v[1]) || v[2] < 0 ||
	    v[2] >= v[1] || v[2] != floor(v[2]) || v[3] < 0 || v[3] > 9007199254740992.0 ||
	    v[3] != floor(v[3]) || v[4] < 0 || v[4] > 4e9 || v[4] != floor(v[4]) ||
	    !(v[5] >= 0 && v[5] <= 1e18) || !(fabs(v[6]) <= SEASON_VALUE_MAX) ||
	    !(v[7] >= 0 && v[7] <= 1e250) || !(v[8] >= 0 && v[8] <= 1e18) ||
	    !(fabs(v[9]) <= SEASON_VALUE_MAX) || !(v[10] >= 0 && v[10] <= 1e250))
		return -1;
	if (!b->o->seasonal || v[0] != sh->period || (uint32_t)v[1] != sh->n)
		return 0;
	k.at = (int64_t)v[3];
	k.seasons = (uint32_t)v[4];
	k.w = v[5];
	k.mean = v[6];
	k.m2 = v[7];
	k.n = v[8];
	k.cmean = v[9];
	k.cm2 = v[10];
	if (s != NULL)
		*season_bucket(&s->season, sh, (uint32_t)v[2]) = k;
	return 1;
}

/*
 * Load a state file through the record reader, as if its samples came
 * in again under this run's -s and -w.  NULL, or why the file cannot be
 * trusted (damaged, truncated, of another version): the buffer is then
 * left empty.
 */
const char *
buffer_load(struct buffer *b, struct state_reader *sr)
{
	struct record rec;
	struct series *s = NULL;
	size_t other = 0;
	const char *why;
	enum state_line k;
	enum series_found found;
	int newest = 0, tail = 0, taken;

	b->loading = 1;
	while ((k = state_read(sr, &rec)) != STATE_DONE) {
		why = sr->why;
		if (k == STATE_BAD)
			goto bad;
		if (k == STATE_COMMENT && strcmp(rec.field[0], "#kept") == 0) {
			why = "a #kept line not after a series' newest sample, or longer than a "
			    "series keeps";
			if (!newest || rec.nfield < 2 || (s != NULL && restore_kept(b, s, &rec) == -1))
				goto bad;
			newest = 0;
			continue;
		}
		if (k == STATE_COMMENT && strcmp(rec.field[0], "#host") == 0) {
			why = "a #host line that makes no sense, names a host twice, or comes after "
			    "a sample";
			if (sr->count[1] > 0 || restore_host(b, &rec) == -1)
				goto bad;
			continue;
		}
		newest = 0;
		if (k == STATE_COMMENT) {
			why = "a #season line that makes no sense, or not after a series";
			if (!tail || (taken = restore_season(b, s, &rec)) < 0)
				goto bad;
			other += taken == 0;
			continue;
		}
		tail = 0;
		s = (struct series *)series_get(&b->series, &rec, sizeof *s, &found);
		sr->count[1]++;
		/* a series' newest sample, and only that, carries its baseline */
		newest = strcmp(rec.field[S_WEIGHT], "-") != 0;
		tail = newest;
		sr->count[0] += newest;
		if (s == NULL)
			continue;
		if (s->host == NULL)
			s->host = hosts_find(&b->hosts, rec.field[COL_HOST], rec.len[COL_HOST]);
		if (buffer_add(b, s, rec.ts, rec.value) != 0) {
			why = "samples out of order";
			goto bad;
		}
		if (strcmp(rec.field[S_WEIGHT], "-") != 0 && restore(b, s, &rec) == -1) {
			why = "a baseline that makes no sense";
			goto bad;
		}
	}
	b->loading = 0;
	attach_hosts(b);
	if (other > 0)
		warnx("%s: its times of season were kept under another --season, or this run "
		    "has none: they start afresh", sr->path);
	return NULL;
bad:
	buffer_free(b);
	buffer_init(b, b->o);
	return why;
}
