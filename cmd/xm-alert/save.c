/*
 * save.c: xm-alert's state file, an xm stream itself:
 *
 *	#xm-alert state 1
 *	#ts  host  metric  value  severity  since  fired  announced  counts  rule
 *	#host  HOST  NEWEST  QUIET
 *	a line per host of the series saved: its newest ts, by its own
 *	clock, and how long it had been quiet by the stream's time (xm(7));
 *	a file without them has each host heard from at its newest series
 *	a record per alert (a series under a rule that matches it): its
 *	newest sample's time and tested value, its
 *	severity and since when, when its alert began and was last told,
 *	its samples in a row at each level above ok ("N@TS" four times, by
 *	commas) and the side of its range the last alerting sample was on
 *	("/1" above, "/-1" below, "/0" neither), and the rule
 *	#kept  FIELD...
 *	after an active alert, its last record from the value on
 *	#pending  TRIES  COMMAND-ID  XM_NAME=value...
 *	a notification not yet delivered: the tries of it that failed,
 *	its command's id (callback_cmd_id), the event's variables
 *	#end  ALERTS
 *
 * A file without the first line or the last, or with anything malformed,
 * is not loaded at all.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "callback.h"
#include "num.h"
#include "xm.h"

#define STATE_VERSION "#xm-alert state 1"

static const char *const header[] = {
	"ts", "host", "metric", "value", "severity", "since", "fired", "announced", "counts", "rule"
};

enum { S_SEVERITY = 4, S_SINCE, S_FIRED, S_ANNOUNCED, S_COUNTS, S_RULE, S_NCOL };

static const char *const comments[] = { "#pending", "#host", "#kept", NULL };

const struct state_grammar alerts_grammar = {
	STATE_VERSION, NULL, header, S_NCOL, comments, 1
};

struct seen_host {
	struct host *h;
	size_t	 first;		/* the first alert of it in the list */
};

static int
by_host(const void *p, const void *q)
{
	const struct seen_host *a = p, *b = q;

	if (a->h != b->h)
		return (uintptr_t)a->h < (uintptr_t)b->h ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

static int
by_first(const void *p, const void *q)
{
	const struct seen_host *a = p, *b = q;

	return (a->first > b->first) - (a->first < b->first);
}

/* Whether alert s goes into the file. */
static int
saved(const struct series *s)
{
	return s->rule >= 0 && !isnan(s->since);
}

/* The #host lines: each host of an alert saved, once, in the order of their series. */
static void
save_hosts(struct alerts *a, struct record_writer *w)
{
	struct seen_host *v = xm_reallocarray(NULL, a->series.n + 1, sizeof *v);
	size_t k, n = 0, u = 0;

	for (k = 0; k < a->series.n; k++)
		if (saved(alerts_nth(a, k))) {
			v[n].h = alerts_nth(a, k)->host;
			v[n++].first = k;
		}
	qsort(v, n, sizeof *v, by_host);
	for (k = 0; k < n; k++)
		if (k == 0 || v[k].h != v[k - 1].h)
			v[u++] = v[k];
	qsort(v, u, sizeof *v, by_first);
	for (k = 0; k < u; k++) {
		record_put(w, "#host", 5);
		record_put(w, v[k].h->it.key, v[k].h->it.len);
		state_put_exact_ts(w, v[k].h->newest);
		state_put_exact(w, a->hosts.now - v[k].h->progress);
		record_end(w);
	}
	free(v);
}

/* The #pending lines. */
static void
save_pending(const struct alerts *a, struct record_writer *w)
{
	const struct pending *p;
	const char *v;
	size_t k;

	for (k = 0; k < a->npending; k++) {
		p = &a->pending[k];
		record_put(w, "#pending", 8);
		record_put_u64(w, p->tries);
		record_put_str(w, p->cmd);
		for (v = p->vars; v < p->vars + p->varslen; v += strlen(v) + 1)
			record_put_str(w, v);
		record_end(w);
	}
}

int
alerts_save(struct alerts *a, FILE *f)
{
	struct record_writer w;
	struct series *s;
	char buf[160];
	size_t k, n = 0, len;
	int l;

	state_put_begin(&w, f, &alerts_grammar);
	save_hosts(a, &w);
	for (k = 0; k < a->series.n; k++) {
		s = alerts_nth(a, k);
		if (!saved(s))
			continue;
		state_put_exact_ts(&w, s->last_ts);
		record_put(&w, s->id.it.key, s->id.hostlen);
		record_put(&w, series_metric(&s->id), series_metric_len(&s->id));
		state_put_exact(&w, s->last_value);
		record_put_str(&w, severity_names[s->sev]);
		state_put_exact(&w, s->since);
		state_put_exact(&w, s->sev != SEV_OK ? s->fired : 0);
		state_put_exact(&w, s->announced);
		for (len = 0, l = SEV_INFO; l < SEV_N; l++)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lu@%.17g",
			    l > SEV_INFO ? "," : "", (unsigned long)s->cnt[l], s->cnt[l] ? s->start[l] : 0);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "/%d", s->side);
		record_put(&w, buf, len);
		record_put_str(&w, a->rules[s->rule].text);
		record_end(&w);
		n++;
		if (s->sev == SEV_OK || s->kept.n == 0)
			continue;
		record_put(&w, "#kept", 5);
		tail_put(&w, &s->kept, SIZE_MAX);
		record_end(&w);
	}
	save_pending(a, &w);
	state_put_end(f, &alerts_grammar, &n);
	return ferror(f) ? -1 : 0;
}

static int
num(const struct record *rec, int i, double *v)
{
	return num_parse(rec->field[i], v) != 0 && num_parse_ts(rec->field[i], v) != 0;
}

/*
 * One series' line; -1 if it makes no sense.  A series retired from its
 * rule stays out of the active list: it is only there to be resolved.
 */
static int
restore(struct alerts *a, struct series *s, const struct record *rec, int retired)
{
	const struct rule *r = &a->rules[s->rule];
	const char *p = rec->field[S_COUNTS];
	double since, fired, announced, start;
	unsigned long cnt;
	int l, sev, used, side = 2;

	if ((sev = severity_parse(rec->field[S_SEVERITY])) < 0 || num(rec, S_SINCE, &since) ||
	    num(rec, S_FIRED, &fired) || num(rec, S_ANNOUNCED, &announced) ||
	    !isfinite(since) || !isfinite(fired) || !isfinite(announced))
		return -1;
	for (l = SEV_INFO; l < SEV_N; l++) {
		if (sscanf(p, "%lu@%lf%n", &cnt, &start, &used) != 2 || cnt > UINT32_MAX ||
		    !isfinite(start))
			return -1;
		s->cnt[l] = (uint32_t)cnt;
		s->start[l] = start;
		p += used;
		if (l + 1 < SEV_N ? *p != ',' : *p != '\0' && *p != '/')
			return -1;
		if (*p++ == '/' && (sscanf(p, "%d%n", &side, &used) != 1 || side < -1 ||
		    side > 1 || p[used] != '\0'))
			return -1;
	}
	s->last_ts = rec->ts;
	s->last_value = rec->value;
	s->sev = SEV_OK;
	if (sev != SEV_OK && !retired)
		alerts_set(a, s, sev, since);
	s->sev = (uint8_t)sev;
	s->fired = fired;
	s->prev = s->sev;
	s->since = since;
	s->announced = announced;
	/*
	 * The side of the range the alert came from, as saved; from a file
	 * without it, the last value's if it still alerts, else the bound it
	 * hovers within the margin of.
	 */
	if (side != 2)
		s->side = (int8_t)side;
	else if (sev != SEV_OK && r->level_text[sev] != NULL) {
		if (range_alerts(&r->level[sev], s->last_value))
			s->side = (int8_t)range_side(&r->level[sev], s->last_value);
		else
			s->side = s->last_value > r->level[sev].hi - r->hysteresis ? 1 : -1;
	}
	return 0;
}

/* A series of the file that must be resolved, its rule being no longer the one in force. */
static struct series *
retire(struct alerts *a, const struct record *rec)
{
	struct series *s;
	const char *key;
	size_t len;
	int rule;

	if ((rule = alerts_adopt(a, rec->field[S_RULE])) < 0)
		return NULL;
	key = record_series_key(rec, &a->series.key, &a->series.keycap, &len);
	s = xm_calloc(1, sizeof *s + len + 1);
	s->id.it.key = memcpy(s + 1, key, len);
	s->id.it.len = (uint32_t)len;
	s->id.hostlen = (uint32_t)rec->len[COL_HOST];
	s->rule = rule;
	alerts_make_id(s, a->rules[rule].text);
	a->retired = xm_reallocarray(a->retired, a->nretired + 1, sizeof *a->retired);
	a->retired[a->nretired++] = s;
	return s;
}

/* A #host line: a host's newest ts, and how long it had been quiet. */
static int
host(struct alerts *a, const struct record *rec)
{
	double newest, q;

	if (rec->nfield != 4 || rec->len[1] == 0 || num(rec, 2, &newest) || num(rec, 3, &q) ||
	    !isfinite(newest) || !isfinite(q) || q < 0 || hosts_find(&a->hosts, rec->field[1],
	    rec->len[1]) != NULL)
		return -1;
	hosts_set(&a->hosts, rec->field[1], rec->len[1], newest, q);
	return 0;
}

/* A #pending line: a notification not yet delivered. */
static int
pending(struct alerts *a, const struct record *rec)
{
	unsigned long long tries;
	char *vars;
	size_t i, len = 0, o = 0;

	if (rec->nfield < 4 || num_parse_count(rec->field[1], CALLBACK_TRIES - 1, &tries) != 0 ||
	    rec->len[2] != 16 || strspn(rec->field[2], "0123456789abcdef") != 16)
		return -1;
	for (i = 3; i < rec->nfield; i++) {
		if (strncmp(rec->field[i], "XM_", 3) != 0 || strchr(rec->field[i], '=') == NULL)
			return -1;
		len += rec->len[i] + 1;
	}
	vars = xm_malloc(len);
	for (i = 3; i < rec->nfield; i++) {
		memcpy(vars + o, rec->field[i], rec->len[i] + 1);
		o += rec->len[i] + 1;
	}
	alerts_pending_add(a, rec->field[2], (uint32_t)tries, vars, len);
	free(vars);
	return 0;
}

/*
 * A series' line at ts: the newest of the series, and of its host where
 * no #host line said more (a file from before them): each host heard
 * from when the file was saved.
 */
static void
saw(struct series *head, double ts)
{
	if (ts > head->seen)
		head->seen = ts;
	if (ts > head->host->newest)
		head->host->newest = ts;
}

/*
 * Load a state file.  Each series goes under the rule this run chooses
 * for it; if that is not the rule it was saved under it starts afresh
 * (counted in *changed), and if it was active it is kept aside in
 * a->retired, for the caller to resolve.  With adopt (--list, --resolve:
 * runs that check nothing), each keeps the rule it was saved under.
 * NULL, or why the file cannot be trusted.
 */
const char *
alerts_load(struct alerts *a, struct state_reader *sr, int adopt, size_t *changed)
{
	struct record rec;
	struct series *s = NULL, *head;
	const char *why;
	enum state_line k;
	enum series_found found;
	int last = 0, retired, rule;

	/* --max-series holds for new series, not for those saved */
	a->series.max = SIZE_MAX;
	while ((k = state_read(sr, &rec)) != STATE_DONE) {
		why = sr->why;
		if (k == STATE_BAD)
			goto bad;
		if (k == STATE_COMMENT && strcmp(rec.field[0], "#pending") == 0) {
			why = "a #pending line that makes no sense";
			if (pending(a, &rec) == -1)
				goto bad;
			last = 0;
			continue;
		}
		if (k == STATE_COMMENT && strcmp(rec.field[0], "#host") == 0) {
			why = "a #host line that makes no sense";
			if (host(a, &rec) == -1)
				goto bad;
			last = 0;
			continue;
		}
		if (k == STATE_COMMENT) {
			why = "a #kept line not after an active series";
			if (!last || rec.nfield < 2)
				goto bad;
			if (s != NULL)
				tail_keep(&s->kept, rec.field + 1, rec.len + 1, rec.nfield - 1, KEPT_MAX);
			last = 0;
			continue;
		}
		sr->count[0]++;
		last = strcmp(rec.field[S_SEVERITY], "ok") != 0;
		retired = 0;
		/* the series' alert under the rule it was saved under */
		head = (struct series *)series_get(&a->series, &rec, sizeof *head, &found);
		if (head != NULL)
			saw(head, rec.ts);
		for (s = head; s != NULL && (s->rule < 0 ||
		    strcmp(a->rules[s->rule].text, rec.field[S_RULE]) != 0); s = s->next)
			;
		if (s != NULL && !isnan(s->since)) {
			why = "an alert twice";
			goto bad;
		}
		if (head != NULL && s == NULL) {
			if (adopt) {
				why = "a rule that does not parse";
				if ((rule = alerts_adopt(a, rec.field[S_RULE])) < 0)
					goto bad;
				s = alerts_add(a, head, rule);
			} else {
				(*changed)++;
				s = last ? retire(a, &rec) : NULL;
				retired = 1;
			}
		}
		if (s != NULL && restore(a, s, &rec, retired) == -1) {
			why = "a line that makes no sense";
			goto bad;
		}
	}
	a->series.max = a->o->max_series;
	a->stale_due = -INFINITY;
	return NULL;
bad:
	alerts_free(a);
	alerts_init(a, a->o);
	*changed = 0;
	return why;
}
