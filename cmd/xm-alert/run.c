/* run.c: read the stream, step each series' alert, say what changed. */
#include <err.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "num.h"
#include "run.h"
#include "sig.h"
#include "xm.h"

static const char *const our_columns[] = { "severity", "event", "since", "alert_id", "rule" };

#define NOURS	(sizeof our_columns / sizeof our_columns[0])

static void
put_header(struct run *x)
{
	const char *const *in;
	const char **names;
	size_t n;

	x->headed = 1;
	if (!x->a.o->header || x->a.o->check)
		return;
	n = record_columns(x->r, &in);
	names = xm_reallocarray(NULL, n + NOURS, sizeof *names);
	memcpy(names, in, n * sizeof *names);
	memcpy(names + n, our_columns, sizeof our_columns);
	record_put_header(&x->w, names, n + NOURS);
	free(names);
}

/* The header of --list and --resolve, which read no stream. */
static void
put_fixed_header(struct run *x)
{
	static const char *const names[] = {
		"ts", "host", "metric", "value", "severity", "event", "since", "alert_id", "rule"
	};

	if (x->a.o->header)
		record_put_header(&x->w, names, sizeof names / sizeof names[0]);
	x->headed = 1;
}

static void
headed(struct run *x)
{
	if (!x->headed)
		put_header(x);
}

/* Where each rule's field is in the header now in force. */
static void
find_columns(struct run *x)
{
	size_t i;

	for (i = 0; i < x->a.o->nrules; i++) {
		x->col[i] = record_column(x->r, x->a.rules[i].field);
		x->said[i] = 0;
	}
}

/*
 * The columns xm-alert adds, TAB between, and their length: made again
 * only when they change, which is seldom.
 */
static const char *
ours(struct run *x, struct series *s, enum event ev, size_t *len)
{
	const char *text;
	char *p;

	if (s == NULL || s->rule < 0) {
		*len = 9;
		return "-\t-\t-\t-\t-";
	}
	if (s->ourslen == 0 || s->ours_sev != s->sev || s->ours_ev != ev ||
	    memcmp(&s->ours_since, &s->since, sizeof s->since) != 0) {
		text = x->a.rules[s->rule].text;
		if (s->ours == NULL)
			s->ours = xm_malloc(64 + NUM_MAX + strlen(text));
		p = stpcpy(s->ours, severity_names[s->sev]);
		*p++ = '\t';
		p = stpcpy(p, event_names[ev]);
		*p++ = '\t';
		p += num_format_ts(p, s->since);
		*p++ = '\t';
		p = stpcpy(p, s->alert_id);
		*p++ = '\t';
		p = stpcpy(p, text);
		s->ourslen = (uint32_t)(p - s->ours);
		s->ours_sev = s->sev;
		s->ours_ev = (uint8_t)ev;
		s->ours_since = s->since;
	}
	*len = s->ourslen;
	return s->ours;
}

static void
put_ours(struct run *x, struct series *s, enum event ev)
{
	const char *t;
	size_t len;

	t = ours(x, s, ev, &len);
	record_put_joined(&x->w, t, len, NOURS);
}

static void
setvar(char **v, size_t *n, const char *name, const char *val, size_t len)
{
	size_t nl = strlen(name);

	v[*n] = xm_malloc(nl + len + 2);
	memcpy(v[*n], name, nl);
	v[*n][nl] = '=';
	memcpy(v[*n] + nl + 1, val, len);
	v[*n][nl + 1 + len] = '\0';
	(*n)++;
}

/* The event to the callbacks, the stream's text only in the environment. */
static void
notify(struct run *x, const struct change *c)
{
	const struct series *s = c->s;
	const struct rule *r = &x->a.rules[s->rule];
	char *v[16], msg[1024], num[NUM_MAX];
	size_t n = 0, i;

	if (x->a.o->nexec == 0)
		return;
	setvar(v, &n, "XM_EVENT", event_names[c->ev], strlen(event_names[c->ev]));
	setvar(v, &n, "XM_SEVERITY", severity_names[s->sev], strlen(severity_names[s->sev]));
	setvar(v, &n, "XM_PREVIOUS", severity_names[s->prev], strlen(severity_names[s->prev]));
	setvar(v, &n, "XM_HOST", s->id.it.key, s->id.hostlen);
	setvar(v, &n, "XM_METRIC", series_metric(&s->id), series_metric_len(&s->id));
	setvar(v, &n, "XM_VALUE", num, alerts_value_text(num, c->value));
	setvar(v, &n, "XM_FIELD", r->field, strlen(r->field));
	setvar(v, &n, "XM_RULE", r->text, strlen(r->text));
	setvar(v, &n, "XM_SINCE", num, num_format_ts(num, s->since));
	setvar(v, &n, "XM_TS", num, num_format_ts(num, c->ts));
	setvar(v, &n, "XM_FIRED", num, num_format_ts(num, s->fired));
	setvar(v, &n, "XM_ALERT_ID", s->alert_id, 16);
	alerts_message(&x->a, c, msg, sizeof msg);
	setvar(v, &n, "XM_MESSAGE", msg, strlen(msg));
	setvar(v, &n, "XM_REASON", c->reason ? c->reason : "value",
	    strlen(c->reason ? c->reason : "value"));
	if (callback_event(&x->cb, v, n, x->sigfd) != 0)
		x->ending = 1;
	for (i = 0; i < n; i++)
		free(v[i]);
}

/* An event of a series with no record in hand: its last one, with the event's time. */
static void
put_change(struct run *x, const struct change *c)
{
	struct series *s = c->s;
	char buf[NUM_MAX];

	if (!x->a.o->check) {
		headed(x);
		record_put(&x->w, buf, num_format_ts(buf, c->ts));
		record_put(&x->w, s->id.it.key, s->id.hostlen);
		record_put(&x->w, series_metric(&s->id), series_metric_len(&s->id));
		if (s->kept.n == 0)
			record_put_number(&x->w, s->last_value);
		tail_put(&x->w, &s->kept, SIZE_MAX);
		put_ours(x, s, c->ev);
		record_end(&x->w);
	}
	notify(x, c);
}

/* --stale: the active series quiet too long by the stream's time now. */
static void
stale(struct run *x)
{
	struct change c[64];
	size_t n, i;

	do {
		n = alerts_stale(&x->a, c, sizeof c / sizeof c[0]);
		for (i = 0; i < n; i++) {
			alerts_set(&x->a, c[i].s, SEV_OK, c[i].ts);
			memset(c[i].s->cnt, 0, sizeof c[i].s->cnt);
			put_change(x, &c[i]);
		}
	} while (n == sizeof c / sizeof c[0]);
}

/*
 * The alerts of the state file whose rule is no longer theirs resolve,
 * at ts: a rule changed is no reason to leave one hanging, or to lose
 * its resolution.
 */
static void
retire(struct run *x, double ts)
{
	struct change c;
	size_t i;

	for (i = 0; i < x->a.nretired; i++) {
		c.s = x->a.retired[i];
		c.ev = EV_RESOLVED;
		c.ts = ts > c.s->last_ts ? ts : c.s->last_ts;
		c.value = c.s->last_value;
		c.reason = "rule changed";
		c.s->prev = c.s->sev;
		c.s->sev = SEV_OK;
		c.s->since = c.ts;
		put_change(x, &c);
	}
	alerts_retired_free(&x->a);
}

/*
 * The value the record holds for alert s's rule into s->v (NAN for
 * "-"), s->tested 1; s->tested 0 if the record has no such column;
 * -1 (said) if the record is bad for it.
 */
static int
value(struct run *x, struct series *s, const struct record *rec)
{
	const struct rule *r = &x->a.rules[s->rule];
	char q[XM_QUOTE_MAX], q2[XM_QUOTE_MAX];
	int col = x->col[s->rule];

	s->tested = 0;
	s->ev = EV_NONE;
	if ((size_t)s->rule < x->a.o->nrules)
		x->matched[s->rule] = 1;
	if (col == COL_VALUE) {
		s->v = rec->value;
	} else if (col < 0 || (size_t)col >= rec->nfield) {
		/* the default rules on xm-buffer's columns hold where the stream has them */
		if (x->quiet[s->rule])
			return 0;
		if (!x->said[s->rule]++)
			warnx("line %zu: no column \"%s\" for rule \"%s\"", rec->lineno,
			    xm_quote(q, r->field, strlen(r->field)),
			    xm_quote(q2, r->text, strlen(r->text)));
		x->skipped_check++;
		return 0;
	} else if (rec->len[col] == 1 && rec->field[col][0] == '-') {
		s->v = NAN;	/* no value (xm(7)): clear of every level */
	} else if (num_parse(rec->field[col], &s->v) != 0) {
		record_bad(x->r, rec->lineno, "%s \"%s\" is not a number",
		    r->field, xm_quote(q, rec->field[col], rec->len[col]));
		return -1;
	}
	if (rec->ts < s->last_ts) {
		record_bad(x->r, rec->lineno,
		    "ts \"%s\" is older than the newest sample of its series",
		    xm_quote(q, rec->field[COL_TS], rec->len[COL_TS]));
		return -1;
	}
	s->tested = 1;
	return 0;
}

static void
forgotten(void *x, const struct change *c)
{
	put_change(x, c);
}

/*
 * The record's host's clock goes on, and with it perhaps the stream's
 * time: then what has been quiet for long enough by it is stale, or
 * forgotten.  The host of a series not kept (past --max-series) keeps
 * its clock too, so that time goes on for the series kept even when only
 * new ones come, but no more such hosts than --max-series.
 */
static void
tick(struct run *x, const struct series *s, const struct record *rec)
{
	struct alerts *a = &x->a;
	double before;

	/* a sample set's records after its first move nothing */
	if (s != NULL && rec->ts == s->host->newest)
		return;
	before = a->hosts.now;
	if (s != NULL)
		hosts_step(&a->hosts, s->host, rec->ts);
	else if (a->hosts.t.n < a->o->max_series ||
	    hosts_find(&a->hosts, rec->field[COL_HOST], rec->len[COL_HOST]) != NULL)
		hosts_see(&a->hosts, rec->field[COL_HOST], rec->len[COL_HOST], rec->ts);
	else
		return;
	if (a->hosts.now > before) {
		stale(x);
		alerts_forget(a, a->hosts.now - before, forgotten, x);
	}
}

/*
 * A record behind the newest of its series by more than the series'
 * window: a clock that was wrong and is now right.  The series starts
 * afresh from it, said once: the records after it are in order.
 */
static void
restart(struct run *x, struct series *s, const struct record *rec)
{
	char q[XM_QUOTE_MAX], behind[NUM_MAX], window[NUM_MAX];

	num_format_span(behind, s->seen - rec->ts);
	num_format_span(window, alerts_window(&x->a, s));
	if (alerts_restart(s, rec->ts))
		warnx("line %zu: ts \"%s\" is %s behind the newest sample of its series, "
		    "more than its window of %s: the series starts afresh", rec->lineno,
		    xm_quote(q, rec->field[COL_TS], rec->len[COL_TS]), behind, window);
}

static void
put_alert(struct run *x, const struct record *rec, struct series *s, enum event ev)
{
	const char *t;
	size_t len;

	headed(x);
	t = ours(x, s, ev, &len);
	record_put_line(&x->w, rec, t, len, NOURS);
}

/*
 * A record: each of its series' alerts stepped, the record written
 * with the columns of its leading alert (the worst, the first of
 * equals), after a line for each other alert that has an event on it:
 * the last line of a record always says how its series stands.
 */
static int
take(struct run *x, const struct record *rec)
{
	struct alerts *a = &x->a;
	struct series *s, *al, *lead = NULL;
	struct change c;
	enum series_found found;

	/* first, so that a record whose metric is bad has no effect at all */
	s = (struct series *)series_get(&a->series, rec, sizeof *s, &found);
	if (found == SERIES_BAD) {
		record_metric_bad(x->r, rec);
		return -1;
	}
	if (a->nretired > 0)
		retire(x, rec->ts);
	/*
	 * Seen before the clock goes on, so that its own record keeps it from
	 * being forgotten: a record that moves the stream's time is its host's
	 * newest, so its series is not quiet at all.
	 */
	if (s != NULL) {
		if (rec->ts > s->seen)
			s->seen = rec->ts;
		else if (rec->ts < s->seen && s->seen - rec->ts > alerts_window(a, s))
			restart(x, s, rec);
	}
	tick(x, s, rec);
	/* a slot that forgetting freed; the metric was checked above */
	if (s == NULL && a->series.t.n < a->o->max_series)
		s = (struct series *)series_get(&a->series, rec, sizeof *s, &found);
	if (s == NULL) {
		series_refuse(&a->series, rec->lineno, "not checked");
	} else if (s->rule >= 0) {
		for (al = s; al != NULL; al = al->next)
			if (value(x, al, rec) == -1)
				return -1;
		for (al = s; al != NULL; al = al->next) {
			if (al->tested) {
				al->ev = (uint8_t)alerts_step(a, al, rec->ts, al->v);
				if (al->sev != SEV_OK)
					tail_keep(&al->kept, rec->field + COL_VALUE,
					    rec->len + COL_VALUE, rec->nfield - COL_VALUE, KEPT_MAX);
				if (al->ev != EV_NONE) {
					c.s = al;
					c.ev = al->ev;
					c.ts = rec->ts;
					c.value = al->v;
					c.reason = NULL;
					notify(x, &c);
				}
			}
			if ((al->tested || !isnan(al->since)) && (lead == NULL || al->sev > lead->sev))
				lead = al;
		}
	}
	if (a->o->check)
		return 0;
	if (lead != NULL)
		for (al = s; al != NULL; al = al->next)
			if (al->ev != EV_NONE && al != lead)
				put_alert(x, rec, al, (enum event)al->ev);
	if (!a->o->events || (lead != NULL && lead->ev != EV_NONE))
		put_alert(x, rec, lead, lead != NULL ? (enum event)lead->ev : EV_NONE);
	return 0;
}

/*
 * The rules given (not the defaults, which are for whatever a stream
 * holds) that no record's series matched: a forgotten {*} or a typo
 * would otherwise watch nothing in silence.  At most max into v; how
 * many in all.
 */
size_t
unmatched_rules(const struct run *x, const char **v, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < x->a.o->nrules; i++) {
		if (x->matched[i] || x->quiet[i])
			continue;
		if (n < max)
			v[n] = x->a.o->rules[i].text;
		n++;
	}
	return n;
}

static const char *
load(void *p, struct state_reader *sr)
{
	struct run *x = p;

	return alerts_load(&x->a, sr, x->adopt, &x->changed);
}

/* 0, or -2 (said) if the file can be neither read nor set aside. */
static int
load_state(struct run *x, int adopt)
{
	int k;

	x->adopt = adopt;
	if ((k = state_load(&x->st, &alerts_grammar, load, x)) != 0)
		x->status = XM_EXIT_FAIL;
	if (x->changed > 0)
		warnx("%s: %zu alert%s under rules that changed start%s afresh", x->st.path,
		    x->changed, x->changed == 1 ? "" : "s", x->changed == 1 ? "s" : "");
	return k == -1 ? -2 : 0;
}

/*
 * The notifications the state file has pending go to their commands, if
 * this run has any -x (else they stay for a run that has); one for a
 * command not given is dropped, and said.
 */
static void
restore_pending(struct run *x)
{
	struct alerts *a = &x->a;
	const struct pending *p;
	size_t i, c, dropped = 0;

	if (x->cb.ncmd == 0 || a->npending == 0)
		return;
	for (i = 0; i < a->npending; i++) {
		p = &a->pending[i];
		for (c = 0; c < x->cb.ncmd && strcmp(x->cb.cmd_id[c], p->cmd) != 0; c++)
			;
		if (c < x->cb.ncmd)
			callback_restore(&x->cb, c, p->tries, p->vars, p->varslen);
		else
			dropped++;
	}
	alerts_pending_free(a);
	if (dropped > 0) {
		warnx("%s: %zu notification%s for a command not given (-x) dropped", x->st.path,
		    dropped, dropped == 1 ? "" : "s");
		x->status = XM_EXIT_FAIL;
	}
	callback_tend(&x->cb);
}

/*
 * The notifications not yet delivered at the end: kept in the state
 * file, after those of commands this run did not have, for the next run;
 * lost without one.  Either, or one given up, makes the status 1.
 */
static void
undelivered(struct run *x)
{
	const struct callback_job *j;
	size_t i, n = x->cb.len;

	if (n > 0 && x->a.o->state != NULL)
		warnx("%s: %zu notification%s not yet delivered, kept for the next run", x->st.path,
		    n, n == 1 ? "" : "s");
	else if (n > 0)
		warnx("%zu notification%s not delivered: no --state to keep %s for a later run", n,
		    n == 1 ? "" : "s", n == 1 ? "it" : "them");
	if (n > 0 || x->cb.given_up > 0)
		x->status = XM_EXIT_FAIL;
	for (i = 0; i < n && x->a.o->state != NULL; i++) {
		j = &x->cb.q[i];
		alerts_pending_add(&x->a, x->cb.cmd_id[j->cmd], j->tries, j->vars, j->varslen);
	}
}

static int
save(void *p, FILE *f)
{
	struct run *x = p;

	return alerts_save(&x->a, f);
}

static void
save_state(struct run *x)
{
	if (state_save(&x->st, save, x) == 0)
		return;
	x->status = XM_EXIT_FAIL;
	x->unsaved = 1;
}

/*
 * Signals, the state locked and loaded; -1 if told to go while waiting
 * for the lock, -2 if it cannot be had.  A run that reads no stream
 * (adopt: --list, --resolve) takes the state as it was saved and does
 * not wait for a run that holds it.
 */
static int
begin(struct run *x, const struct alert_opts *o, int adopt)
{
	size_t i;
	int k;

	memset(x, 0, sizeof *x);
	alerts_init(&x->a, o);
	record_writer_init(&x->w, stdout, (o->csv ? RECORD_CSV : 0) | RECORD_INTERRUPTIBLE |
	    RECORD_BATCH);
	callback_init(&x->cb, o->exec, o->nexec, o->exec_timeout);
	x->col = xm_calloc(o->nrules + 1, sizeof *x->col);
	x->said = xm_calloc(o->nrules + 1, sizeof *x->said);
	x->quiet = xm_calloc(o->nrules + 1, sizeof *x->quiet);
	x->matched = xm_calloc(o->nrules + 1, sizeof *x->matched);
	for (i = 0; i < o->nrules; i++)
		for (k = 0; rule_defaults[k] != NULL; k++)
			x->quiet[i] |= strcmp(o->rules[i].text, rule_defaults[k]) == 0;
	x->sigfd = sig_open(SIGCHLD);
	sig_watch(x->sigfd, SIGALRM);
	sig_pipe(o->state != NULL);
	if (o->state != NULL) {
		sig_let(1);
		k = state_lock(&x->st, o->state, adopt ? 0 : o->wait);
		sig_let(0);
		if (k < 0)
			return k;
		return load_state(x, adopt);
	}
	return 0;
}

static void
end(struct run *x)
{
	record_flush(&x->w);
	if (x->a.o->state != NULL)
		state_unlock(&x->st);
	callback_free(&x->cb);
	alerts_free(&x->a);
	free(x->col);
	free(x->said);
	free(x->quiet);
	free(x->matched);
	close(x->sigfd);
}

/*
 * Wait for the callbacks, save: what every way out does.  What is
 * written goes out first: the callbacks may take a while.
 */
static void
finish(struct run *x)
{
	record_flush(&x->w);
	sig_flush(stdout);
	callback_drain(&x->cb, x->sigfd);
	undelivered(x);
	if (x->a.o->state != NULL)
		save_state(x);
}

/* The exit status of a run that could not begin. */
static int
not_begun(struct run *x, int k)
{
	end(x);
	if (k == -1 && !x->a.o->check)
		return XM_EXIT_OK;
	if (x->a.o->check) {
		printf("XM UNKNOWN - the state file cannot be used\n");
		return 3;
	}
	return XM_EXIT_FAIL;
}

/*
 * The rules given that no series matched, once each at the end of
 * input: said, not failed, as the data may yet come (a disk not yet
 * mounted, a process not yet started).
 */
static void
say_unmatched(const struct run *x)
{
	const char **v;
	char q[XM_QUOTE_MAX];
	size_t i, n;

	/* no series at all: no input to judge the rules by */
	if (x->broken || x->closed || x->a.series.n == 0)
		return;
	v = xm_reallocarray(NULL, x->a.o->nrules + 1, sizeof *v);
	n = unmatched_rules(x, v, x->a.o->nrules);
	for (i = 0; i < n; i++)
		warnx("rule \"%s\" matched no series", xm_quote(q, v[i], strlen(v[i])));
	free(v);
}

int
alert_run(const struct alert_opts *o)
{
	struct run x;
	struct record rec;
	int k, sig;

	if ((k = begin(&x, o, 0)) < 0)
		return not_begun(&x, k);
	restore_pending(&x);
	x.r = record_reader_new(STDIN_FILENO, (o->csv ? RECORD_CSV : 0) | RECORD_METRIC_LATER);
	record_reader_flush(x.r, stdout);
	record_reader_batch(x.r, &x.w);
	record_reader_signal(x.r, x.sigfd);
	find_columns(&x);

	for (;;) {
		k = record_read(x.r, &rec);
		if (k == RECORD_EOF)
			break;
		if (k == RECORD_ERROR) {
			x.status = XM_EXIT_FAIL;
			x.broken = 1;
			break;
		}
		if (k == RECORD_CLOSED) {
			/* the reader left: end as at the end of input, the callbacks run and the state saved */
			xm_stdout_gone();
			x.closed = 1;
			break;
		}
		if (k == RECORD_SIGNAL) {
			sig = sig_take(x.sigfd);
			if (sig == SIGCHLD || sig == SIGALRM || sig == 0) {
				callback_tend(&x.cb);
				continue;
			}
			break;
		}
		if (k == RECORD_HEADER) {
			find_columns(&x);
			put_header(&x);
			continue;
		}
		if (k == RECORD_COMMENT) {
			if (!o->check && !o->events) {
				headed(&x);
				record_put_fields(&x.w, &rec);
				record_end(&x.w);
			}
			continue;
		}
		if ((k == RECORD_BAD || take(&x, &rec) == -1) && o->strict)
			break;
		if (x.ending)
			break;
	}
	if (x.a.nretired > 0)
		retire(&x, -INFINITY);
	if (record_stream_end(&x.w, x.closed))
		headed(&x);
	finish(&x);
	if (o->check) {
		if (x.unsaved) {
			printf("XM UNKNOWN - the state file could not be saved\n");
			x.status = 3;
		} else {
			x.status = check_report(&x);
		}
	} else {
		if (record_reader_end(x.r) != 0)
			x.status = XM_EXIT_FAIL;
		if (series_say_refused(&x.a.series, "not checked") > 0)
			x.status = XM_EXIT_FAIL;
	}
	say_unmatched(&x);
	record_reader_close(x.r, x.closed);
	end(&x);
	return x.status;
}

static int
by_severity(const void *p, const void *q)
{
	const struct series *a = *(struct series *const *)p, *b = *(struct series *const *)q;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	return (a->since > b->since) - (a->since < b->since);
}

/* --list: the active alerts in the state file, worst first, then oldest. */
int
alert_list(const struct alert_opts *o)
{
	struct run x;
	struct series **v;
	size_t i, n;
	int k;

	if ((k = begin(&x, o, 1)) < 0)
		return not_begun(&x, k);
	n = x.a.nactive;
	v = xm_reallocarray(NULL, n + 1, sizeof *v);
	if (n > 0) {
		/* no active alert may mean no array at all */
		memcpy(v, x.a.active, n * sizeof *v);
		qsort(v, n, sizeof *v, by_severity);
	}
	put_fixed_header(&x);
	for (i = 0; i < n; i++) {
		record_put_ts(&x.w, v[i]->last_ts);
		record_put(&x.w, v[i]->id.it.key, v[i]->id.hostlen);
		record_put(&x.w, series_metric(&v[i]->id),
		    series_metric_len(&v[i]->id));
		record_put_number(&x.w, v[i]->last_value);
		put_ours(&x, v[i], EV_NONE);
		record_end(&x.w);
	}
	free(v);
	end(&x);
	return x.status;
}

/*
 * --resolve: one alert resolved by hand, now by the clock (or at its
 * last sample, if the clock is behind the stream), and saved so.
 */
int
alert_resolve(const struct alert_opts *o, const char *id)
{
	struct run x;
	struct change c;
	struct timespec t;
	size_t i;
	int k;

	if ((k = begin(&x, o, 1)) < 0)
		return not_begun(&x, k);
	for (i = 0; i < x.a.nactive; i++)
		if (strcmp(x.a.active[i]->alert_id, id) == 0)
			break;
	if (i == x.a.nactive) {
		char q[XM_QUOTE_MAX];

		warnx("no active alert \"%s\"%s%s", xm_quote(q, id, strlen(id)),
		    o->state ? " in " : "", o->state ? o->state : "");
		end(&x);
		return XM_EXIT_FAIL;
	}
	restore_pending(&x);
	clock_gettime(CLOCK_REALTIME, &t);
	c.s = x.a.active[i];
	c.ev = EV_RESOLVED;
	c.ts = (double)t.tv_sec + floor(t.tv_nsec / 1e6) / 1e3;
	if (c.ts < c.s->last_ts)
		c.ts = c.s->last_ts;
	c.value = c.s->last_value;
	c.reason = "manual";
	alerts_set(&x.a, c.s, SEV_OK, c.ts);
	memset(c.s->cnt, 0, sizeof c.s->cnt);
	put_fixed_header(&x);
	c.s->kept.n = 0;		/* the fixed columns only */
	put_change(&x, &c);
	finish(&x);
	end(&x);
	return x.status;
}
