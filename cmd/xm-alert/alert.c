/* alert.c: each series' alert state, and the changes that are events. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "metric.h"
#include "num.h"
#include "xm.h"

const char *const event_names[EV_N] = {
	"-", "firing", "escalated", "deescalated", "resolved", "repeated", "stale"
};

static void made(void *, struct series_id *, const struct record *);

void
alerts_init(struct alerts *a, const struct alert_opts *o)
{
	memset(a, 0, sizeof *a);
	a->o = o;
	a->stale_due = INFINITY;
	a->forget_due = -INFINITY;
	a->nrules = a->rulecap = o->nrules;
	a->rules = xm_reallocarray(NULL, o->nrules + 1, sizeof *a->rules);
	memcpy(a->rules, o->rules, o->nrules * sizeof *a->rules);
	series_set_init(&a->series, o->max_series, made, a);
	hosts_init(&a->hosts);
	/* a clock that leaps past the forget age was set: it moves no other host (xm(7)) */
	if (o->forget > 0)
		a->hosts.leap = o->forget;
}

void
alerts_retired_free(struct alerts *a)
{
	size_t i;

	for (i = 0; i < a->nretired; i++) {
		tail_free(&a->retired[i]->kept);
		free(a->retired[i]->ours);
		free(a->retired[i]);
	}
	free(a->retired);
	a->retired = NULL;
	a->nretired = 0;
}

/* An alert freed, the key with the first of its series. */
static void
drop(void *unused, void *p)
{
	struct series *s = p;

	(void)unused;
	tail_free(&s->kept);
	free(s->ours);
	free(s);
}

void
alerts_free(struct alerts *a)
{
	size_t i;

	free(a->active);
	alerts_pending_free(a);
	series_set_free(&a->series, drop, NULL);
	hosts_free(&a->hosts);
	alerts_retired_free(a);
	for (i = a->o->nrules; i < a->nrules; i++)
		rule_free(&a->rules[i]);
	free(a->rules);
}

/* A notification to keep: cmd the command's id, vars (len bytes) copied. */
void
alerts_pending_add(struct alerts *a, const char *cmd, uint32_t tries, const char *vars, size_t len)
{
	struct pending *p;

	if (a->npending == a->pendingcap) {
		a->pendingcap = a->pendingcap ? 2 * a->pendingcap : 16;
		a->pending = xm_reallocarray(a->pending, a->pendingcap, sizeof *a->pending);
	}
	p = &a->pending[a->npending++];
	snprintf(p->cmd, sizeof p->cmd, "%s", cmd);
	p->tries = tries;
	p->vars = xm_malloc(len + 1);
	memcpy(p->vars, vars, len);
	p->varslen = len;
}

void
alerts_pending_free(struct alerts *a)
{
	size_t i;

	for (i = 0; i < a->npending; i++)
		free(a->pending[i].vars);
	free(a->pending);
	a->pending = NULL;
	a->npending = a->pendingcap = 0;
}

/*
 * The index of the rule written so, parsed and added if it is not yet
 * one of ours: a state file's series keep the rule they were saved
 * under.  -1 if the text is no rule.
 */
int
alerts_adopt(struct alerts *a, const char *text)
{
	char why[256];
	size_t i;

	for (i = 0; i < a->nrules; i++)
		if (strcmp(a->rules[i].text, text) == 0)
			return (int)i;
	if (a->nrules == a->rulecap) {
		a->rulecap = 2 * a->rulecap + 4;
		a->rules = xm_reallocarray(a->rules, a->rulecap, sizeof *a->rules);
	}
	if (rule_parse(&a->rules[a->nrules], text, why, sizeof why) != 0)
		return -1;
	return (int)a->nrules++;
}

/*
 * The alert_id: FNV-1a of host, metric and the rule as written, so the
 * same on every run and every machine.
 */
void
alerts_make_id(struct series *s, const char *rule)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;
	size_t i;

	for (i = 0; i < s->id.it.len; i++)
		h = (h ^ (unsigned char)s->id.it.key[i]) * 0x100000001b3ULL;
	h = (h ^ 0) * 0x100000001b3ULL;
	for (p = rule; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	snprintf(s->alert_id, sizeof s->alert_id, "%016llx", (unsigned long long)h);
	free(s->ours);		/* made again, with this rule's text */
	s->ours = NULL;
	s->ourslen = 0;
}

/*
 * The series whose first alert is head under the rule of this index
 * too: head itself if it has no rule yet, else a new alert after the
 * last.
 */
struct series *
alerts_add(struct alerts *a, struct series *head, int rule)
{
	struct series *s = head, *t;

	if (head->rule >= 0) {
		/* the key is the head's, freed with it: one copy a series however many rules */
		s = xm_calloc(1, sizeof *s);
		s->id = head->id;
		s->host = head->host;
		s->since = NAN;
		s->extra = 1;
		for (t = head; t->next != NULL; t = t->next)
			;
		t->next = s;
		series_push(&a->series, s);
	}
	s->rule = rule;
	alerts_make_id(s, a->rules[rule].text);
	return s;
}

/*
 * A series new here (series_get), first seen at its record's ts: an
 * alert for each rule that matches it, chosen once and for all.  Apart
 * from the lookup, which every record makes.
 */
static void
made(void *p, struct series_id *id, const struct record *rec)
{
	struct alerts *a = p;
	struct series *s = (struct series *)id;
	size_t i, hlen = id->hostlen;
	double ts = rec->ts;
	int match;

	/* a host new here joins at the stream's time, whatever its clock */
	if ((s->host = hosts_find(&a->hosts, s->id.it.key, hlen)) == NULL)
		s->host = hosts_see(&a->hosts, s->id.it.key, hlen, ts);
	s->seen = ts;
	s->since = NAN;
	s->rule = -1;
	strcpy(s->alert_id, "-");
	for (i = 0; i < a->o->nrules; i++) {
		/* host and metric apart, NUL-terminated, for the globs */
		s->id.it.key[hlen] = '\0';
		match = rule_matches(&a->rules[i], s->id.it.key, series_metric(&s->id));
		s->id.it.key[hlen] = '\t';
		if (match)
			alerts_add(a, s, (int)i);
	}
}

/* How long alert s has been quiet: by its host's clock, then by the stream's (xm(7)). */
static double
quiet(const struct alerts *a, const struct series *s)
{
	return hosts_quiet(&a->hosts, s->host, s->last_ts);
}

/* Put s at severity sev from ts on, in the active list or out of it. */
void
alerts_set(struct alerts *a, struct series *s, int sev, double ts)
{
	struct series *last;

	if (s->sev == SEV_OK && sev != SEV_OK) {
		s->fired = ts;
		if (a->nactive == a->activecap) {
			a->activecap = a->activecap ? 2 * a->activecap : 16;
			a->active = xm_reallocarray(a->active, a->activecap, sizeof *a->active);
		}
		a->active[a->nactive++] = s;
		s->active = a->nactive;
	} else if (s->sev != SEV_OK && sev == SEV_OK) {
		last = a->active[--a->nactive];
		a->active[s->active - 1] = last;
		last->active = s->active;
		s->active = 0;
	}
	s->prev = s->sev;
	s->sev = (uint8_t)sev;
	s->since = ts;
	s->announced = ts;
	if (sev != SEV_OK && a->o->stale > 0 &&
	    a->hosts.now + a->o->stale - quiet(a, s) < a->stale_due)
		a->stale_due = a->hosts.now + a->o->stale - quiet(a, s);
}

/*
 * A sample of the tested value v at ts: the event it makes, if any.
 * Up only after for= samples (or seconds) in a row at the new level or
 * above, to the highest level that has held that long, as Prometheus's
 * for: and Nagios's soft states hold; down only to the highest level
 * the value is not clear of by the hysteresis margin.  NAN is no value
 * (a column's "-"): clear of every level, at once.
 */
enum event
alerts_step(struct alerts *a, struct series *s, double ts, double v)
{
	const struct rule *r = &a->rules[s->rule];
	int raw = isnan(v) ? SEV_OK : rule_severity(r, v), l, to = s->sev;
	enum event ev;

	s->last_ts = ts;
	if (!isnan(v))
		s->last_value = v;
	if (isnan(s->since))
		s->since = ts;
	if (raw != SEV_OK)
		s->side = (int8_t)range_side(&r->level[raw], v);
	for (l = SEV_INFO; l < SEV_N; l++) {
		if (raw < l)
			s->cnt[l] = 0;
		else if (s->cnt[l]++ == 0)
			s->start[l] = ts;
	}
	if (raw > s->sev) {
		for (l = raw; l > s->sev; l--) {
			if (r->for_s > 0 ? ts - s->start[l] >= r->for_s : s->cnt[l] >= r->for_n) {
				to = l;
				break;
			}
		}
	} else if (raw < s->sev) {
		for (to = s->sev; to > SEV_OK; to--)
			if (!isnan(v) && r->level_text[to] != NULL &&
			    !range_clear(&r->level[to], v, r->hysteresis, s->side))
				break;
	}
	if (to != s->sev) {
		ev = s->sev == SEV_OK ? EV_FIRING : to == SEV_OK ? EV_RESOLVED :
		    to > s->sev ? EV_ESCALATED : EV_DEESCALATED;
		alerts_set(a, s, to, ts);
		return ev;
	}
	if (s->sev != SEV_OK && r->repeat > 0 && ts - s->announced >= r->repeat) {
		s->prev = s->sev;
		s->announced = ts;
		return EV_REPEATED;
	}
	return EV_NONE;
}

/*
 * The window of a series (its first alert head): how far a record may
 * lie behind the series' newest and be only out of order, refused; a
 * record farther behind starts the series afresh (alerts_restart).  It
 * is the longest for= duration of its rules, WINDOW_MIN at least:
 * refusing records for longer than a hold would lose more than starting
 * the hold again does.
 */
double
alerts_window(const struct alerts *a, const struct series *head)
{
	const struct series *s;
	double w = WINDOW_MIN;

	for (s = head; s != NULL; s = s->next)
		if (s->rule >= 0 && a->rules[s->rule].for_s > w)
			w = a->rules[s->rule].for_s;
	return w;
}

/*
 * The series (its first alert head) goes back to ts, from a newest
 * sample that lay ahead of it by more than its window (a clock wrong
 * and then set right): each alert keeps its severity, so none fires or
 * resolves twice, but its holds start again and its times come back to
 * ts at the latest.  If it set its host's clock so far on, that clock
 * comes back with it, or the host's other series would seem quiet for
 * as long.  1 if it had an alert state to lose, worth saying.
 */
int
alerts_restart(struct series *head, double ts)
{
	struct series *s;
	int had = 0;

	/* only the series that set its host's clock so far on sets it back */
	if (head->seen >= head->host->newest && head->host->newest > ts)
		head->host->newest = ts;
	for (s = head; s != NULL; s = s->next) {
		if (s->rule < 0 || isnan(s->since))
			continue;
		had = 1;
		memset(s->cnt, 0, sizeof s->cnt);
		s->last_ts = ts;
		if (s->since > ts)
			s->since = ts;
		if (s->fired > ts)
			s->fired = ts;
		if (s->announced > ts)
			s->announced = ts;
	}
	head->seen = ts;
	return had;
}

/*
 * --stale: the active series quiet for that long (by their hosts'
 * clocks and the stream's time, so that no host's clock moves another's)
 * resolve, at the time they went quiet plus --stale by their own host's
 * clock: at most max of them into out, for the caller to set to ok.
 * Cheap until the earliest could be due.
 */
size_t
alerts_stale(struct alerts *a, struct change *out, size_t max)
{
	struct series *s;
	double due = INFINITY, q, now = a->hosts.now;
	size_t i, n = 0;

	if (a->o->stale <= 0 || now < a->stale_due)
		return 0;
	for (i = a->nactive; i-- > 0 && n < max;) {
		s = a->active[i];
		if ((q = quiet(a, s)) < a->o->stale) {
			if (now + a->o->stale - q < due)
				due = now + a->o->stale - q;
			continue;
		}
		out[n].s = s;
		out[n].ev = EV_STALE;
		out[n].ts = s->last_ts + a->o->stale;
		out[n].value = s->last_value;
		out[n].reason = "stale";
		n++;
	}
	a->stale_due = n == max ? now : due;
	return n;
}

/*
 * --forget: the series quiet for longer than that before the stream's
 * time last went on (by step) go, from memory and so from the state
 * file, and their hosts with them: a pause of the whole stream (a
 * machine asleep, cron runs hours apart) makes quiet only the series
 * that do not come back after it, not those whose records of the same
 * moment have yet to be read.  Each active alert of a series that goes
 * resolves first, as "forgotten", at the series' last record plus the
 * age by its host's clock, told to resolved(arg, change).  How many
 * series went.  A scan of every series: at most once each sixteenth of
 * the age by the stream's time, or at the next step for one that the
 * step alone held back.
 */
size_t
alerts_forget(struct alerts *a, double step, void (*resolved)(void *, const struct change *),
    void *arg)
{
	struct series *s, *al;
	struct change c;
	double age = a->o->forget, now = a->hosts.now, due = INFINITY, q;
	size_t i, k, n = 0;

	if (age <= 0 || now < a->forget_due)
		return 0;
	for (i = 0; i < a->series.n; i++) {
		s = alerts_nth(a, i);
		if (s->extra)
			continue;
		if ((q = hosts_quiet(&a->hosts, s->host, s->seen)) <= age + step) {
			if (now + age - q < due)
				due = now + age - q;
			continue;
		}
		for (al = s; al != NULL; al = al->next) {
			if (al->sev == SEV_OK)
				continue;
			c.s = al;
			c.ev = EV_RESOLVED;
			c.ts = s->seen + age;
			c.value = al->last_value;
			c.reason = "forgotten";
			alerts_set(a, al, SEV_OK, c.ts);
			memset(al->cnt, 0, sizeof al->cnt);
			resolved(arg, &c);
		}
		for (al = s; al != NULL; al = al->next)
			al->gone = 1;
		table_remove(&a->series.t, &s->id.it);
		n++;
	}
	for (i = k = 0; i < a->series.n; i++) {
		if (alerts_nth(a, i)->gone)
			drop(NULL, alerts_nth(a, i));
		else
			a->series.all[k++] = a->series.all[i];
	}
	a->series.n = k;
	if (n > 0)
		hosts_forget(&a->hosts, age + step);	/* a host that goes has no series left */
	/* one held back only by the step goes at the next, whatever its size */
	a->forget_due = due <= now ? now : due > now + age / 16 ? due : now + age / 16;
	return n;
}

/* A tested value as text: "-" for none. */
size_t
alerts_value_text(char buf[NUM_MAX], double v)
{
	if (!isnan(v))
		return num_format(buf, v);
	buf[0] = '-';
	buf[1] = '\0';
	return 1;
}

/* XM_MESSAGE: a sentence for a person. */
void
alerts_message(const struct alerts *a, const struct change *c, char *buf, size_t size)
{
	const struct series *s = c->s;
	const struct rule *r = &a->rules[s->rule];
	char v[NUM_MAX], d[NUM_MAX], age[NUM_MAX];
	const char *metric = series_metric(&s->id);
	int mlen = (int)series_metric_len(&s->id), hlen = (int)s->id.hostlen;
	static const char *const keys[SEV_N] = { "", "info", "warn", "crit", "emerg" };

	alerts_value_text(v, c->value);
	num_format_span(age, a->o->forget);
	switch (c->ev) {
	case EV_RESOLVED:
	case EV_STALE:
		num_format_span(d, c->ts - s->fired);
		if (c->reason != NULL && strcmp(c->reason, "stale") == 0)
			snprintf(buf, size, "%.*s on %.*s: no data for %gs, resolved as stale after %s",
			    mlen, metric, hlen, s->id.it.key, a->o->stale, d);
		else if (c->reason != NULL && strcmp(c->reason, "forgotten") == 0)
			snprintf(buf, size, "%.*s on %.*s: no data for %s, forgotten: resolved after %s",
			    mlen, metric, hlen, s->id.it.key, age, d);
		else if (c->reason != NULL && strcmp(c->reason, "manual") == 0)
			snprintf(buf, size, "%.*s on %.*s: resolved by hand after %s",
			    mlen, metric, hlen, s->id.it.key, d);
		else if (c->reason != NULL)
			snprintf(buf, size, "%.*s on %.*s: resolved after %s: its rule changed",
			    mlen, metric, hlen, s->id.it.key, d);
		else if (isnan(c->value))
			snprintf(buf, size, "%.*s on %.*s: resolved after %s, %s has no value",
			    mlen, metric, hlen, s->id.it.key, d, r->field);
		else
			snprintf(buf, size, "%.*s on %.*s: resolved after %s, %s %s",
			    mlen, metric, hlen, s->id.it.key, d, r->field, v);
		break;
	default:
		snprintf(buf, size, "%.*s on %.*s: %s, %s %s (%s %s)", mlen, metric, hlen,
		    s->id.it.key, severity_names[s->sev], r->field, v, keys[s->sev],
		    r->level_text[s->sev] ? r->level_text[s->sev] : "-");
		break;
	}
}
