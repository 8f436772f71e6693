/*
 * history.c: xm-show --history: an alert log (xm-alert -e, or all of
 * xm-alert's output) summed up per alert, that is per series and rule,
 * as its alert_id names them: how often it fired, how long it held in
 * all and at most, how long it took to resolve, how often it flapped,
 * and where it stands.  Record time throughout; the log's newest time is
 * "now" for an alert still active.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "history.h"
#include "num.h"
#include "record.h"
#include "rule.h"
#include "show.h"
#include "table.h"
#include "xm.h"

struct episode_sums {
	struct table_item it;	/* key: alert_id */
	char	*series;	/* host TAB metric */
	size_t	 hostlen, serieslen;
	char	*rule;		/* as the log names it; "-" if it does not */
	size_t	 rulelen;
	uint32_t fired, flaps, resolved;
	double	 total, longest, to_resolve;
	double	 open;		/* when the alert in hand began; NAN: none */
	int	 open_fired;	/* its firing is in the log */
	double	 last_resolved;	/* NAN: not yet */
	int	 sev;
};

struct history {
	const struct show_opts *o;
	struct series_set alerts;	/* struct episode_sums, keyed by alert_id */
	double	 first, last;	/* record time of the log */
	int	 col[4];	/* event, severity, alert_id, rule; -1: not in the header */
	int	 headed;	/* a header named the columns */
};

/* The ith alert of the log. */
static struct episode_sums *
nth(const struct history *h, size_t i)
{
	return h->alerts.all[i];
}

enum { H_EVENT, H_SEVERITY, H_ALERT_ID, H_RULE };
static const char *const wanted[] = { "event", "severity", "alert_id", "rule" };

/* The line's alert; a new one with add, NULL past --max-series; else NULL if new. */
static struct episode_sums *
find(struct history *h, const struct record *rec, int add)
{
	const char *id = rec->field[h->col[H_ALERT_ID]], *key;
	size_t len = rec->len[h->col[H_ALERT_ID]];
	uint64_t hash = table_hash(id, len);
	struct episode_sums *e;

	if ((e = (struct episode_sums *)table_find(&h->alerts.t, id, len, hash)) != NULL || !add)
		return e;
	if ((e = series_add(&h->alerts, sizeof *e, id, len, hash)) == NULL) {
		h->alerts.refused++;
		return NULL;
	}
	key = record_series_key(rec, &h->alerts.key, &h->alerts.keycap, &e->serieslen);
	e->series = xm_malloc(e->serieslen + 1);
	memcpy(e->series, key, e->serieslen);
	e->series[e->serieslen] = '\0';
	e->hostlen = rec->len[COL_HOST];
	if (h->col[H_RULE] >= 0 && (size_t)h->col[H_RULE] < rec->nfield) {
		e->rulelen = rec->len[h->col[H_RULE]];
		e->rule = xm_malloc(e->rulelen + 1);
		memcpy(e->rule, rec->field[h->col[H_RULE]], e->rulelen + 1);
	} else {
		e->rulelen = 1;
		e->rule = xm_strdup("-");
	}
	e->open = NAN;
	e->last_resolved = NAN;
	return e;
}

static void
drop(void *unused, void *p)
{
	struct episode_sums *e = p;

	(void)unused;
	free(e->series);
	free(e->rule);
	free(e);
}

static void
close_episode(struct episode_sums *e, double ts, int resolved)
{
	double d = ts > e->open ? ts - e->open : 0;	/* a log out of order costs no time */

	e->total += d;
	if (d > e->longest)
		e->longest = d;
	if (resolved && e->open_fired) {
		e->to_resolve += d;
		e->resolved++;
	}
	e->open = NAN;
}

/*
 * One line of the log: an event moves its alert's sums on.  An alert is
 * kept from its first event or severity above ok: before, a line of it
 * changes nothing the report shows, and costs no memory nor a place
 * under --max-series.
 */
static void
take(struct history *h, const struct record *rec)
{
	const char *ev = rec->field[h->col[H_EVENT]];
	struct episode_sums *e;
	double ts = rec->ts;
	int sev = severity_parse(rec->field[h->col[H_SEVERITY]]);

	if (isnan(h->first) || ts < h->first)
		h->first = ts;
	if (isnan(h->last) || ts > h->last)
		h->last = ts;
	if (strcmp(rec->field[h->col[H_ALERT_ID]], "-") == 0)
		return;
	if ((e = find(h, rec, strcmp(ev, "-") != 0 || sev > SEV_OK)) == NULL)
		return;
	e->sev = sev;
	if (strcmp(ev, "firing") == 0) {
		if (!isnan(e->open))
			close_episode(e, ts, 0);
		e->fired++;
		if (!isnan(e->last_resolved) && ts - e->last_resolved <= h->o->flap)
			e->flaps++;
		e->open = ts;
		e->open_fired = 1;
	} else if (strcmp(ev, "resolved") == 0 || strcmp(ev, "stale") == 0) {
		/* an alert active before the log began counts from its first line */
		if (isnan(e->open)) {
			e->open = ts;
			e->open_fired = 0;
		}
		close_episode(e, ts, 1);
		e->last_resolved = ts;
	} else if (isnan(e->open) && e->sev > SEV_OK) {
		e->open = ts;
		e->open_fired = 0;
	}
}

/*
 * The columns of a line of a log written with -H: xm-alert's five last,
 * or, in a log of a version before the rule column, its four last (its
 * last field then an alert_id, which no rule's text can be).
 */
static void
headless(struct history *h, const struct record *rec)
{
	size_t n = rec->nfield, i;
	int old;

	if (n < COL_FIXED + 4)
		return;
	old = n == COL_FIXED + 4;
	if (!old && rec->len[n - 1] == 16) {
		for (i = 0; i < 16 && strchr("0123456789abcdef", rec->field[n - 1][i]) != NULL; i++)
			;
		old = i == 16;
	}
	h->col[H_SEVERITY] = (int)n - 5 + old;
	h->col[H_EVENT] = (int)n - 4 + old;
	h->col[H_ALERT_ID] = (int)n - 2 + old;
	h->col[H_RULE] = old ? -1 : (int)n - 1;
}

static int
by_time_in_alert(const void *a, const void *b)
{
	const struct episode_sums *x = *(void *const *)a, *y = *(void *const *)b;
	int c;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	if (x->fired != y->fired)
		return x->fired < y->fired ? 1 : -1;
	if ((c = strcmp(x->series, y->series)) != 0)
		return c;
	return strcmp(x->it.key, y->it.key);
}

/* A record time as a UTC date, or "-". */
static const char *
date(char buf[32], double ts)
{
	time_t t;
	struct tm tm;

	if (isnan(ts) || ts < 0 || ts > 253402300799.0)
		return "-";
	t = (time_t)ts;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static void
put_table(struct history *h, struct record_writer *w)
{
	static const char *const names[] = {
		"host", "metric", "alert_id", "fired", "in_alert_seconds", "longest_seconds",
		"mean_to_resolve_seconds", "flaps", "state", "rule"
	};
	struct episode_sums *e;
	size_t i;

	record_put_header(w, names, sizeof names / sizeof names[0]);
	for (i = 0; i < h->alerts.n; i++) {
		e = nth(h, i);
		record_put(w, e->series, e->hostlen);
		record_put(w, e->series + e->hostlen + 1, e->serieslen - e->hostlen - 1);
		record_put(w, e->it.key, e->it.len);
		record_put_number(w, e->fired);
		record_put_number(w, e->total);
		record_put_number(w, e->longest);
		if (e->resolved > 0)
			record_put_number(w, e->to_resolve / e->resolved);
		else
			record_put(w, "-", 1);
		record_put_number(w, e->flaps);
		record_put_str(w, e->sev < 0 ? "-" : severity_names[e->sev]);
		record_put(w, e->rule, e->rulelen);
		record_end(w);
	}
}

/*
 * For a person: through a page, as the dashboard's plain text, so that
 * no byte of the log reaches a terminal as a control; the rule by its
 * words after the metric glob, which the series already shows.
 */
static void
put_text(struct history *h, FILE *f)
{
	char a[NUM_MAX], b[NUM_MAX], c[NUM_MAX], t0[32], t1[32];
	struct episode_sums *e;
	struct page p;
	const char *words;
	uint32_t fired = 0;
	size_t i;

	page_init(&p, 1000, h->o->ascii);
	for (i = 0; i < h->alerts.n; i++)
		fired += nth(h, i)->fired;
	page_newline(&p);
	if (h->alerts.n == 0) {
		/* a quiet log is an answer too: one line, of its span */
		if (isnan(h->first))
			page_put(&p, AT_NONE, "Alert history: no records, no alerts in the log");
		else
			page_printf(&p, AT_NONE, "Alert history %s to %s UTC: no alerts in the log",
			    date(t0, h->first), date(t1, h->last));
		page_write(&p, f);
		page_free(&p);
		return;
	}
	page_printf(&p, AT_NONE, "Alert history %s to %s UTC: %zu alert%s, fired %u time%s",
	    date(t0, h->first), date(t1, h->last), h->alerts.n, h->alerts.n == 1 ? "" : "s", fired,
	    fired == 1 ? "" : "s");
	page_newline(&p);
	page_printf(&p, AT_NONE, "%5s %9s %9s %10s %5s  %-9s  %s", "fired", "in alert",
	    "longest", "to resolve", "flaps", "state", "series [rule] (alert_id)");
	for (i = 0; i < h->alerts.n; i++) {
		e = nth(h, i);
		num_format_span(a, e->total);
		num_format_span(b, e->longest);
		if (e->resolved > 0)
			num_format_span(c, e->to_resolve / e->resolved);
		else
			strcpy(c, "-");
		page_newline(&p);
		page_printf(&p, AT_NONE, "%5u %9s %9s %10s %5u  %-9s  ", e->fired, a, b, c,
		    e->flaps, e->sev < 0 ? "-" : severity_names[e->sev]);
		page_safe(&p, AT_NONE, e->series, e->hostlen, 200);
		page_put(&p, AT_NONE, " ");
		page_safe(&p, AT_NONE, e->series + e->hostlen + 1, e->serieslen - e->hostlen - 1, 300);
		if ((words = memchr(e->rule, ' ', e->rulelen)) != NULL) {
			page_put(&p, AT_NONE, " [");
			page_safe(&p, AT_NONE, words + 1, e->rulelen - (size_t)(words + 1 - e->rule), 300);
			page_put(&p, AT_NONE, "]");
		}
		page_put(&p, AT_NONE, " (");
		page_safe(&p, AT_NONE, e->it.key, e->it.len, 16);
		page_put(&p, AT_NONE, ")");
	}
	page_write(&p, f);
	page_free(&p);
}

int
history_run(const struct show_opts *o)
{
	struct record_reader *r = record_reader_new(STDIN_FILENO, o->csv ? RECORD_CSV : 0);
	struct record_writer w;
	struct history h;
	struct record rec;
	size_t i;
	int k, c, status, wrong = 0;

	memset(&h, 0, sizeof h);
	h.o = o;
	h.first = h.last = NAN;
	series_set_init(&h.alerts, o->max_series, NULL, NULL);
	for (c = 0; c < 4; c++)
		h.col[c] = -1;
	while ((k = record_read(r, &rec)) != RECORD_EOF) {
		if (k == RECORD_HEADER) {
			for (c = 0; c < 4; c++)
				h.col[c] = record_column(r, wanted[c]);
			/* names by position ("5", "6", ...: xm(7)) are no header's */
			h.headed = record_column(r, "5") < 0;
		} else if (k == RECORD_OK) {
			/* a log written with -H: xm-alert's columns are its last five */
			if (!h.headed)
				headless(&h, &rec);
			if (h.col[H_EVENT] < 0 || h.col[H_SEVERITY] < 0 || h.col[H_ALERT_ID] < 0) {
				warnx("line %zu: no event, severity and alert_id columns: "
				    "not xm-alert's output", rec.lineno);
				wrong = 1;
				break;
			}
			take(&h, &rec);
		} else if (k == RECORD_BAD && o->strict) {
			break;
		} else if (k == RECORD_ERROR) {
			break;
		}
	}
	for (i = 0; i < h.alerts.n; i++)
		if (!isnan(nth(&h, i)->open))
			close_episode(nth(&h, i), h.last, 0);
	if (h.alerts.n > 0)
		qsort(h.alerts.all, h.alerts.n, sizeof *h.alerts.all, by_time_in_alert);
	record_writer_init(&w, stdout, o->format != NULL && o->format->csv ? RECORD_CSV : 0);
	if (wrong)
		;	/* no report of what is no alert log */
	else if (o->format != NULL && o->format->table)
		put_table(&h, &w);
	else
		put_text(&h, stdout);
	record_flush(&w);
	status = wrong ? XM_EXIT_FAIL : record_reader_end(r);
	if (h.alerts.refused > 0) {
		warnx("%zu record%s of new alerts not shown (--max-series %zu)", h.alerts.refused,
		    h.alerts.refused == 1 ? "" : "s", o->max_series);
		status = XM_EXIT_FAIL;
	}
	record_reader_free(r);
	series_set_free(&h.alerts, drop, NULL);
	return status;
}
