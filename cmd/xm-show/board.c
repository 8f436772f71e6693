/*
 * board.c: what xm-show knows of the stream: per series its latest
 * record (every column it carried), a ring of its latest values, its
 * severity and statistics when the stream carries them; the recent
 * alert events.  Each record costs a table lookup and a copy of its
 * fields: O(1), whatever the number of series.  With --forget, a series
 * quiet for longer than that is forgotten, judged by its host's clock
 * (common/host.c), in a look over the board made when the stream's time
 * has gone on so far that one may be due: never a look per record.
 */
#include <err.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "num.h"
#include "show.h"
#include "xm.h"

static const char *const fixed[COL_FIXED] = { "ts", "host", "metric", "value" };

/* A rule's text, kept once for all the alerts that name it. */
struct rule_text {
	struct table_item it;
	uint32_t refs;		/* the alerts that name it */
};

static const char *const known_names[K_N] = {
	"mean", "min", "max", "trend", "zscore", "rzscore", "severity", "event", "since", "alert_id",
	"rule", "n"
};

/*
 * For a stream that has not been through xm-alert, the status lights
 * come from xm-alert's own default rules (common/rule.c), those on the
 * value: one list of thresholds for both.  The board judges the latest
 * value alone, so a rule's for= and hysteresis= have nothing to hold
 * here.  Never anything of the machine xm-show runs on: load is judged
 * per CPU of the host sampled (load1_per_cpu), as its sampler counted
 * them.
 */
void
board_init(struct board *b, const struct show_opts *o)
{
	struct rule r;
	char why[256];
	size_t i;

	memset(b, 0, sizeof *b);
	b->o = o;
	b->newest = -INFINITY;
	b->oldest = INFINITY;
	b->sweep_at = INFINITY;
	hosts_init(&b->hosts);
	if (o->forget > 0)
		b->hosts.leap = o->forget;
	series_set_init(&b->series, o->max_series, NULL, NULL);
	table_init(&b->hdr_table);
	table_init(&b->rules);
	b->keep_alerts = o->listen != NULL ||
	    (o->format != NULL && o->format->alerts);
	for (i = 0; rule_defaults[i] != NULL && b->ndefaults < DEFAULTS_MAX; i++) {
		if (rule_parse(&r, rule_defaults[i], why, sizeof why) != 0)
			continue;
		if (strcmp(r.field, "value") != 0) {
			rule_free(&r);
			continue;
		}
		b->defaults = xm_reallocarray(b->defaults, b->ndefaults + 1, sizeof *b->defaults);
		b->defaults[b->ndefaults++] = r;
	}
	/* the header of bare records, there first, so that it is never one too many */
	board_header(b, fixed, COL_FIXED);
}

/* A series no longer on the board, and the rules' texts only it named. */
static void
drop(void *p, void *q)
{
	struct board *b = p;
	struct series *s = q;
	struct rule_text *t;
	uint32_t i;

	for (i = 0; i < s->nalerts; i++) {
		t = (struct rule_text *)s->alerts[i].rule;
		if (t != NULL && --t->refs == 0) {
			table_remove(&b->rules, &t->it);
			free(t);
		}
	}
	free(s->alerts);
	free(s->hist);
	free(s->rec);
	free(s);
}

void
board_free(struct board *b)
{
	size_t i, k;

	series_set_free(&b->series, drop, b);
	table_free(&b->rules);
	hosts_free(&b->hosts);
	for (i = 0; i < b->nhdr; i++) {
		for (k = 0; k < b->hdrs[i]->n; k++)
			free(b->hdrs[i]->names[k]);
		free(b->hdrs[i]->names);
		free(b->hdrs[i]->again);
		free(b->hdrs[i]->it.key);
		free(b->hdrs[i]);
	}
	for (i = 0; i < b->ndefaults; i++)
		rule_free(&b->defaults[i]);
	free(b->defaults);
	free(b->hdrs);
	table_free(&b->hdr_table);
}

/* Which of h's columns repeat an earlier one's name: found in a table, not compared in pairs. */
static void
header_again(struct header *h)
{
	struct table_item *items = xm_reallocarray(NULL, h->n + 1, sizeof *items);
	struct table seen;
	size_t k, len;
	uint64_t hash;

	h->again = xm_calloc(h->n + 1, 1);
	table_init(&seen);
	for (k = 0; k < h->n; k++) {
		len = strlen(h->names[k]);
		hash = table_hash(h->names[k], len);
		if (table_find(&seen, h->names[k], len, hash) != NULL) {
			h->again[k] = 1;
			continue;
		}
		items[k].key = h->names[k];
		items[k].len = (uint32_t)len;
		items[k].hash = hash;
		table_add(&seen, &items[k]);
	}
	table_free(&seen);
	free(items);
}

/*
 * The header of these names, one kept for each distinct list, found
 * through a table; NULL past HEADERS of them (with one warning).
 */
const struct header *
board_header(struct board *b, const char *const *names, size_t n)
{
	struct header *h;
	char *key;
	size_t i, k, len = 0;
	uint64_t hash;

	for (k = 0; k < n; k++)
		len += strlen(names[k]) + 1;
	key = xm_malloc(len + 1);
	for (len = 0, k = 0; k < n; k++) {
		memcpy(key + len, names[k], strlen(names[k]));
		len += strlen(names[k]);
		key[len++] = '\t';
	}
	hash = table_hash(key, len);
	if ((h = (struct header *)table_find(&b->hdr_table, key, len, hash)) != NULL ||
	    b->nhdr >= HEADERS) {
		if (h == NULL && !b->said_headers++)
			warnx("more than %d distinct headers: the columns of new ones are not read",
			    HEADERS);
		free(key);
		return h;
	}
	h = xm_calloc(1, sizeof *h);
	h->it.key = key;
	h->it.len = (uint32_t)len;
	h->it.hash = hash;
	h->n = n;
	h->names = xm_reallocarray(NULL, n + 1, sizeof *h->names);
	for (k = 0; k < n; k++)
		h->names[k] = xm_strdup(names[k]);
	header_again(h);
	for (i = 0; i < K_N; i++) {
		h->known[i] = -1;
		for (k = COL_FIXED; k < n; k++)
			if (strcmp(names[k], known_names[i]) == 0)
				h->known[i] = (int)k;
	}
	table_add(&b->hdr_table, &h->it);
	b->hdrs = xm_reallocarray(b->hdrs, b->nhdr + 1, sizeof *b->hdrs);
	b->hdrs[b->nhdr++] = h;
	return h;
}

/* The field of the series' latest record in the named column, or NULL. */
const char *
series_field(const struct series *s, const char *name)
{
	const char *p = s->rec, *f;
	size_t i;

	for (i = 0; i < s->hdr->n; i++) {
		if (p >= s->rec + s->reclen)
			return NULL;
		f = series_rec_field(s, i, &p);
		if (strcmp(s->hdr->names[i], name) == 0)
			return f;
	}
	return NULL;
}

/*
 * The window columns of the latest record: parsed here, when a panel
 * draws them, not for every record that goes by.
 */
void
series_window(const struct series *s, struct series_window *w)
{
	const int *k = s->hdr->known;
	const char *f[K_N] = { NULL }, *p = s->rec;
	size_t i;
	int j;

	for (i = 0; i < s->hdr->n && p < s->rec + s->reclen; i++) {
		for (j = K_MEAN; j <= K_RZSCORE; j++)
			if (k[j] == (int)i)
				f[j] = p;
		if (k[K_COUNT] == (int)i)
			f[K_COUNT] = p;
		p += strlen(p) + 1;
	}
	w->mean = w->min = w->max = w->zscore = w->rzscore = w->n = NAN;
	if (f[K_COUNT] != NULL)
		num_parse(f[K_COUNT], &w->n);
	if (f[K_MEAN] != NULL)
		num_parse(f[K_MEAN], &w->mean);
	if (f[K_MIN] != NULL)
		num_parse(f[K_MIN], &w->min);
	if (f[K_MAX] != NULL)
		num_parse(f[K_MAX], &w->max);
	if (f[K_ZSCORE] != NULL)
		num_parse(f[K_ZSCORE], &w->zscore);
	if (f[K_RZSCORE] != NULL)
		num_parse(f[K_RZSCORE], &w->rzscore);
	w->trend = 2;
	if (f[K_TREND] != NULL)
		w->trend = strcmp(f[K_TREND], "increasing") == 0 ? 1 :
		    strcmp(f[K_TREND], "decreasing") == 0 ? -1 :
		    strcmp(f[K_TREND], "stable") == 0 ? 0 : 2;
}

/* The cell back steps before the newest (0: the newest). */
double
series_hist(const struct series *s, uint32_t back)
{
	return s->hist[(s->nhist - 1 - back) % HIST];
}

/*
 * The cells that hold the newest n samples (NAN: all there are), the
 * newest of them holding fill; at most the cells kept.
 */
uint32_t
series_cells(const struct series *s, double n)
{
	uint32_t kept = s->nhist < HIST ? s->nhist : HIST;
	double need;

	if (isnan(n) || kept == 0)
		return kept;
	need = n <= s->fill ? 1 : 1 + ceil((n - s->fill) / s->step);
	return need < kept ? (uint32_t)need : kept;
}

/*
 * Cells of twice the samples: each two in a row made one, from the
 * newest back.  Called as a cell is to begin, so every cell is full.
 */
static void
ring_halve(struct series *s)
{
	double cell[HIST / 2 + 1];
	uint32_t kept = s->nhist < HIST ? s->nhist : HIST, m = 0, i;

	for (i = 0; i + 1 < kept; i += 2)
		cell[m++] = series_hist(s, i + 1) / 2 + series_hist(s, i) / 2;
	if (i < kept)
		cell[m++] = series_hist(s, i);	/* the oldest, alone */
	for (i = 0; i < m; i++)
		s->hist[i] = cell[m - 1 - i];
	s->nhist = m;
	s->step *= 2;
	s->fill = s->step;
}

/* Cells between two looks at xm-buffer's n: a look costs a number's parse. */
#define RING_LOOK 16

/*
 * One more sample.  n_text: xm-buffer's n of its record, or NULL.  Its
 * window grows by a sample at most a sample, so a look every RING_LOOK
 * cells, halving the ring when the window reaches RING_LOOK + 1 cells
 * short of it, keeps the whole window in the ring.
 */
static void
ring_push(struct series *s, double v, const char *n_text)
{
	double n, *c;

	if (s->nhist > 0 && s->fill < s->step) {
		c = &s->hist[(s->nhist - 1) % HIST];
		s->fill++;
		*c += (v / 2 - *c / 2) / s->fill * 2;	/* a running mean, by halves: no overflow */
		return;
	}
	if (n_text != NULL && s->nhist % RING_LOOK == 0 && s->nhist >= HIST - RING_LOOK - 1 &&
	    num_parse(n_text, &n) == 0 && n >= (double)(HIST - RING_LOOK - 1) * s->step &&
	    s->step < (1u << 30))
		ring_halve(s);
	/* cells as they are needed: a series of one sample (a run from cron) has four */
	if (s->nhist == s->histcap && s->histcap < HIST) {
		s->histcap = s->histcap == 0 ? 4 : 2 * s->histcap;
		s->hist = xm_reallocarray(s->hist, s->histcap, sizeof *s->hist);
	}
	s->hist[s->nhist++ % HIST] = v;
	s->fill = 1;
	if (s->nhist == 2 * HIST)
		s->nhist = HIST;
}

static int
wanted(const struct board *b, const struct record *rec)
{
	size_t i;

	if (b->o->host != NULL && fnmatch(b->o->host, rec->field[COL_HOST], 0) != 0)
		return 0;
	for (i = 0; i < b->o->nonly; i++)
		if (fnmatch(b->o->only[i], rec->field[COL_METRIC], 0) == 0)
			return 1;
	return b->o->nonly == 0;
}

/*
 * The record's fields into its series, each NUL-terminated as they came,
 * but the metric, empty: the series' key holds it (series_rec_field).
 */
static void
rec_copy(struct series *s, const struct record *rec)
{
	size_t i, o, n, m = rec->len[COL_METRIC];

	if (rec->line != NULL) {
		o = rec->linelen + 1 - m;
	} else {
		for (o = 0, i = 0; i < rec->nfield; i++)
			o += rec->len[i] + 1;
		o -= m;
	}
	if (o > s->reccap) {
		s->reccap = (uint32_t)o;
		s->rec = xm_reallocarray(s->rec, o, 1);
	}
	if (rec->line != NULL) {
		/* ts and host as they lie, then the rest past the metric */
		n = (size_t)(rec->field[COL_METRIC] - rec->field[0]);
		memcpy(s->rec, rec->field[0], n);
		s->rec[n] = '\0';
		memcpy(s->rec + n + 1, rec->field[COL_METRIC] + m + 1, o - n - 1);
	} else {
		for (o = 0, i = 0; i < rec->nfield; i++) {
			n = i == COL_METRIC ? 0 : rec->len[i];
			memcpy(s->rec + o, rec->field[i], n);
			s->rec[o + n] = '\0';
			o += n + 1;
		}
	}
	s->reclen = (uint32_t)o;
}

/*
 * The record's series, made if new (series_get) with the default rules
 * that match it; NULL if new past --max-series (counted), or, with *bad
 * 1, if its metric, new, breaks xm(7)'s rules.
 */
static struct series *
find(struct board *b, const struct record *rec, int *bad)
{
	struct series *s;
	enum series_found found;
	size_t i;

	s = (struct series *)series_get(&b->series, rec, sizeof *s, &found);
	*bad = found == SERIES_BAD;
	if (found == SERIES_FULL)
		series_refuse(&b->series, rec->lineno, "not shown");
	if (found != SERIES_NEW)
		return s;
	s->step = 1;
	for (i = 0; i < b->ndefaults; i++)
		if (rule_matches(&b->defaults[i], rec->field[COL_HOST], rec->field[COL_METRIC]))
			s->deflt |= 1u << i;
	return s;
}

/*
 * Forget the series quiet for longer than --forget, then the hosts
 * that are (none of whose series can be left), and say when to look
 * again: when the quietest left would pass the age, or a sixteenth of
 * it on, so that a look, O(series), comes at most sixteen times an age
 * of the stream's time.
 */
static void
forget(struct board *b)
{
	struct series *s;
	double age = b->o->forget, q, most = 0;
	size_t i;

	for (i = 0; i < b->series.n; ) {
		s = b->series.all[i];
		if ((q = hosts_quiet(&b->hosts, s->host, s->last)) <= age) {
			most = q > most ? q : most;
			i++;
			continue;
		}
		table_remove(&b->series.t, &s->id.it);
		drop(b, s);
		b->series.all[i] = b->series.all[--b->series.n];
	}
	hosts_forget(&b->hosts, age);
	b->swept = b->hosts.now;
	b->sweep_at = b->series.n == 0 ? INFINITY :
	    b->swept + (age - most > age / 16 ? age - most : age / 16);
}

/*
 * The clock of the series' host on at its record, and the look brought
 * forward if the series would be due before it.  A host is counted only
 * while it has a series: hosts are never more than series.
 */
static void
clock_series(struct board *b, struct series *s, double ts)
{
	double due;
	int fresh = s->host == NULL;

	if (fresh || ts > s->host->newest)
		s->host = hosts_see(&b->hosts, s->id.it.key, s->id.hostlen, ts);
	if (fresh || ts > s->last)
		s->last = ts;
	due = b->hosts.now + b->o->forget - hosts_quiet(&b->hosts, s->host, s->last);
	if (due < b->swept + b->o->forget / 16)
		due = b->swept + b->o->forget / 16;
	if (due < b->sweep_at)
		b->sweep_at = due;
}

/*
 * A record of no series on the board (left out, or past --max-series)
 * still moves its host's clock, if the host has a series: else a host
 * sending only new series to a full board would never let its old ones
 * go.
 */
static void
clock_host(struct board *b, const struct record *rec)
{
	const char *host = rec->field[COL_HOST];
	size_t len = rec->len[COL_HOST];

	if (b->o->forget > 0 && hosts_find(&b->hosts, host, len) != NULL)
		hosts_see(&b->hosts, host, len, rec->ts);
}

static double
number(const struct record *rec, int col)
{
	double v;

	if (col < 0 || (size_t)col >= rec->nfield || num_parse(rec->field[col], &v) != 0)
		return NAN;
	return v;
}

static void
event(struct board *b, const struct series *s, const char *ev)
{
	struct show_event *e = &b->ev[b->nev++ % EVENTS];
	size_t n = s->id.it.len < sizeof e->name - 1 ? s->id.it.len : sizeof e->name - 1;

	e->ts = s->ts;
	e->value = s->value;
	memcpy(e->name, s->id.it.key, n);
	e->name[n] = '\0';
	e->len = (uint32_t)n;
	e->hostlen = s->id.hostlen < n ? s->id.hostlen : (uint32_t)n;
	snprintf(e->event, sizeof e->event, "%s", ev);
	e->sev = s->sev;
}

/* The field in column col of rec, or NULL. */
static const char *
column(const struct record *rec, int col, size_t *len)
{
	if (col < 0 || (size_t)col >= rec->nfield)
		return NULL;
	*len = rec->len[col];
	return rec->field[col];
}

/*
 * The alert the record carries (xm(7): one a line), at severity sev,
 * found among its series' by alert_id: what -o prom writes of each.
 */
static void
alert_take(struct board *b, struct series *s, const struct header *h,
    const struct record *rec, int sev)
{
	struct alert_state *a;
	struct rule_text *t;
	const char *id, *rule;
	size_t idlen = 0, rulelen, i;
	uint64_t hash;

	if ((id = column(rec, h->known[K_ALERT_ID], &idlen)) == NULL || strcmp(id, "-") == 0) {
		id = "";
		idlen = 0;
	}
	if (idlen > 16)
		idlen = 16;
	for (i = 0; i < s->nalerts; i++) {
		a = &s->alerts[i];
		if (memcmp(a->id, id, idlen) == 0 && a->id[idlen] == '\0') {
			a->sev = sev;
			a->since = s->since;
			return;
		}
	}
	if (s->nalerts >= ALERTS_MAX)
		return;
	s->alerts = xm_reallocarray(s->alerts, s->nalerts + 1, sizeof *s->alerts);
	a = &s->alerts[s->nalerts++];
	memset(a, 0, sizeof *a);
	memcpy(a->id, id, idlen);
	a->sev = sev;
	a->since = s->since;
	if ((rule = column(rec, h->known[K_RULE], &rulelen)) != NULL && strcmp(rule, "-") != 0) {
		hash = table_hash(rule, rulelen);
		if ((t = (struct rule_text *)table_find(&b->rules, rule, rulelen, hash)) == NULL)
			t = table_insert(&b->rules, sizeof *t, rule, rulelen, hash);
		t->refs++;
		a->rule = &t->it;
	}
}

static int
take(struct board *b, const struct header *h, const struct record *rec)
{
	struct series *s;
	const int *k = h->known;
	size_t i;
	int sev, bad, j, fresh;

	if (!wanted(b, rec)) {
		if (metric_check(rec->field[COL_METRIC], rec->len[COL_METRIC]) != NULL)
			return -2;
		b->read++;
		clock_host(b, rec);
		return 0;
	}
	if ((s = find(b, rec, &bad)) == NULL) {
		if (bad)
			return -2;
		b->read++;
		clock_host(b, rec);
		return -1;
	}
	b->read++;
	b->records++;
	if (rec->ts > b->newest)
		b->newest = rec->ts;
	if (rec->ts < b->oldest)
		b->oldest = rec->ts;
	/* a record again, for another alert of its series (xm(7)): one sample */
	fresh = s->nhist == 0 || rec->ts != s->ts || rec->value != s->value;
	if (fresh)
		ring_push(s, rec->value, k[K_COUNT] >= 0 && (size_t)k[K_COUNT] < rec->nfield ?
		    rec->field[k[K_COUNT]] : NULL);
	s->ts = rec->ts;
	s->value = rec->value;
	rec_copy(s, rec);
	s->hdr = h;
	if (b->o->forget > 0)
		clock_series(b, s, rec->ts);
	s->from_stream = 0;
	s->since = NAN;
	sev = -1;
	/* "-", a series no rule covers, the most of them: no five compares to say so */
	if (k[K_SEVERITY] >= 0 && (size_t)k[K_SEVERITY] < rec->nfield &&
	    rec->field[k[K_SEVERITY]][0] != '-' &&
	    (sev = severity_parse(rec->field[k[K_SEVERITY]])) >= 0) {
		s->from_stream = 1;
		s->since = number(rec, k[K_SINCE]);
		if (b->keep_alerts)
			alert_take(b, s, h, rec, sev);
	} else if (s->deflt != 0) {
		/* each rule an alert of its own, as in xm-alert: the worst of them */
		for (sev = SEV_OK, i = 0; i < b->ndefaults; i++)
			if ((s->deflt & (1u << i)) && (j = rule_severity(&b->defaults[i], rec->value)) > sev)
				sev = j;
	}
	s->sev = sev;
	if (k[K_EVENT] >= 0 && (size_t)k[K_EVENT] < rec->nfield &&
	    strcmp(rec->field[k[K_EVENT]], "-") != 0)
		event(b, s, rec->field[k[K_EVENT]]);
	/* before the look for series to forget, which may take this one */
	if (fresh && b->each != NULL)
		b->each(b->each_arg, s);
	return 0;
}

/*
 * One record of the stream under header h; -1 if it was left out
 * (--max-series), -2 if its metric, new here, breaks xm(7)'s rules
 * (RECORD_METRIC_LATER: the caller says so).  Then, if the stream's time
 * has come to it, the look for series to forget.
 */
int
board_take(struct board *b, const struct header *h, const struct record *rec)
{
	int r = take(b, h, rec);

	if (b->hosts.now >= b->sweep_at)
		forget(b);
	return r;
}

static int
by_key(const void *p, const void *q)
{
	const struct series *a = *(struct series *const *)p, *b = *(struct series *const *)q;

	return series_cmp(&a->id, &b->id);
}

/* Every series, by host and metric: a stable order for every output. */
int
board_sorted(const struct board *b, struct series ***out)
{
	size_t i, n = b->series.n;

	*out = xm_reallocarray(NULL, n + 1, sizeof **out);
	for (i = 0; i < n; i++)
		(*out)[i] = b->series.all[i];
	qsort(*out, n, sizeof **out, by_key);
	return (int)n;
}

/* Read a record into the board: 0, or a RECORD_ kind the caller must see to. */
int
board_read(struct board *b, struct record_reader *r, const struct header **h, int strict)
{
	const char *const *names;
	struct record rec;
	size_t n;
	int k;

	for (;;) {
		k = record_read(r, &rec);
		if (k == RECORD_HEADER) {
			n = record_columns(r, &names);
			/* past HEADERS: read as bare records, the first four columns */
			if ((*h = board_header(b, names, n)) == NULL)
				*h = board_header(b, fixed, 4);
		} else if (k == RECORD_OK) {
			if (*h == NULL)
				*h = board_header(b, fixed, 4);
			k = board_take(b, *h, &rec);
			if (k != -2)
				return 0;
			record_metric_bad(r, &rec);
			b->skipped = record_skipped(r);
			if (strict)
				return RECORD_ERROR;
		} else if (k == RECORD_BAD) {
			b->skipped = record_skipped(r);
			if (strict)
				return RECORD_ERROR;
		} else if (k != RECORD_COMMENT) {
			return k;
		}
	}
}
