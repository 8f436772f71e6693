/*
 * check.c: --check, xm-alert as a Nagios/Icinga plugin: one status line
 * with performance data, and the exit status the Monitoring Plugins'
 * guidelines give: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "num.h"
#include "run.h"
#include "text.h"
#include "xm.h"

enum { NAGIOS_OK, NAGIOS_WARNING, NAGIOS_CRITICAL, NAGIOS_UNKNOWN };

static const char *const nagios_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Emergency is critical to Nagios; info is no reason to page anyone. */
static int
nagios_status(int sev)
{
	return sev >= SEV_CRITICAL ? NAGIOS_CRITICAL : sev == SEV_WARNING ? NAGIOS_WARNING :
	    NAGIOS_OK;
}

/*
 * What the check says of an alert: its severity, or its latest value's
 * level if that is higher.  Holding a level for= samples before it
 * counts is Nagios's own work (max_check_attempts, soft and hard
 * states), as it is for every check_* plugin; a margin of hysteresis
 * still holds an alert that has not cleared.  A series the input of
 * this run did not test (the state file's alone) has its severity.
 */
static int
level(const struct alerts *a, const struct series *s)
{
	int now = !s->tested || isnan(s->v) ? SEV_OK : rule_severity(&a->rules[s->rule], s->v);

	return now > s->sev ? now : s->sev;
}

struct checked {
	const struct series *s;
	int	 sev;		/* level() */
};

static int
worst_first(const void *p, const void *q)
{
	const struct checked *a = p, *b = q;

	return (a->sev < b->sev) - (a->sev > b->sev);
}

/*
 * Text from the stream, as it may stand in the status line: a character
 * in bad (ASCII), a control character (C0, C1, DEL, a bidirectional
 * override: text.h) or a byte that is not UTF-8 becomes "_", so nothing
 * raw reaches a terminal or a web page; a TAB (between host and
 * metric) becomes ':'.  With unescape, a label value's \\, \" and \n
 * are what they stand for first.
 */
static void
put_text(const char *p, const char *end, const char *bad, int unescape)
{
	size_t len;
	long c;

	for (; p < end; p += len) {
		if (unescape && *p == '\\' && p + 1 < end) {
			c = p[1] == 'n' ? '\n' : p[1];
			len = 2;
		} else {
			c = text_utf8(p, (size_t)(end - p), &len);
		}
		if (c == '\t')
			putchar(':');
		else if (text_control(c) || (c < 0x80 && strchr(bad, (int)c) != NULL))
			putchar('_');
		else if (len == 2 && unescape && *p == '\\')
			putchar((int)c);
		else
			fwrite(p, 1, len, stdout);
	}
}

/* A series' name, the host first when there are several, with ':' between. */
static void
put_series(const struct series *s, int hosts, const char *bad)
{
	put_text(hosts ? s->id.it.key : series_metric(&s->id), s->id.it.key + s->id.it.len, bad, 0);
}

/*
 * A label as the guidelines allow it: no "=" and no "'", which would end
 * it; so a series' labels by their values, as xm-show names them:
 * 'disk_usage_percent{/}', 'web1:process_cpu_percent{1234,sshd}'.
 */
static void
put_label(const struct series *s, int hosts)
{
	const char *m = series_metric(&s->id);
	size_t len = series_metric_len(&s->id), pos = 0, fam = metric_family_len(m, len);
	struct metric_label l;

	putchar('\'');
	if (hosts)
		put_text(s->id.it.key, m, "='", 0);
	put_text(m, m + fam, "='", 0);
	while (metric_label_next(m, len, &pos, &l)) {
		putchar(l.name == m + fam + 1 ? '{' : ',');
		put_text(l.value, l.value + l.valuelen, "='", 1);
	}
	if (pos > 0)
		putchar('}');
	putchar('\'');
}

/* In the text: no "|", which would start the perfdata. */
static void
put_name(const struct series *s, int hosts)
{
	put_series(s, hosts, "|");
}

/* Whether the metric's name, its labels aside, ends so. */
static int
ends_with(const struct series *s, const char *suffix)
{
	return metric_family_ends(series_metric(&s->id), series_metric_len(&s->id), suffix);
}

/*
 * A number as the guidelines want it in perfdata: plain decimal, no
 * exponent, which graphing add-ons do not all read.
 */
static void
perf_number(char *buf, size_t size, double v)
{
	size_t n;

	num_format(buf, v);
	if (strpbrk(buf, "eE") == NULL)
		return;
	n = (size_t)snprintf(buf, size, "%.*f", fabs(v) >= 1 ? 0 :
	    (int)fmin(330, 9 - floor(log10(fabs(v)))), v);
	while (n > 1 && strchr(buf, '.') != NULL && (buf[n - 1] == '0' || buf[n - 1] == '.'))
		buf[--n] = '\0';
}

/* 'label'=value[UOM];warn;crit;min;max */
static void
put_perf(const struct alerts *a, const struct series *s, int hosts)
{
	const struct rule *r = &a->rules[s->rule];
	char v[400];
	int pct = ends_with(s, "_percent");

	putchar(' ');
	put_label(s, hosts);
	perf_number(v, sizeof v, s->last_value);
	printf("=%s%s;%s;%s;%s;%s", v, pct ? "%" : ends_with(s, "_seconds") ? "s" :
	    ends_with(s, "_bytes") ? "B" : "",
	    r->level_text[SEV_WARNING] ? r->level_text[SEV_WARNING] : "",
	    r->level_text[SEV_CRITICAL] ? r->level_text[SEV_CRITICAL] : "",
	    pct ? "0" : "", pct ? "100" : "");
}

/* The rules given that matched no series, in the text: "|" would start the perfdata. */
static void
put_unmatched(const struct run *x)
{
	const char *v[3];
	size_t i, n = unmatched_rules(x, v, 3);
	const char *p;

	for (i = 0; i < n && i < 3; i++) {
		if (i == 0)
			printf("; no series for rule%s \"", n > 1 ? "s" : "");
		else
			printf(", \"");
		for (p = v[i]; *p != '\0'; p++)
			putchar(*p == '|' || *p == '"' ? '_' : *p);
		putchar('"');
	}
	if (n > 3)
		printf(" and %zu more", n - 3);
}

/* The status line; its exit status. */
int
check_report(struct run *x)
{
	static const char *const keys[SEV_N] = { "", "info", "warn", "crit", "emerg" };
	struct alerts *a = &x->a;
	struct checked *v;
	struct series *s, *t, *u;
	size_t i, n = 0, shown, series;
	int status = NAGIOS_OK, hosts = 0;
	char num[NUM_MAX];

	v = xm_reallocarray(NULL, a->series.n + 1, sizeof *v);
	/*
	 * A label once: a series' first alert on its value with data gives
	 * its perfdata, in the unit its name says; one on another column
	 * (rzscore, eta_seconds) gives none.
	 */
	for (series = 0, i = 0; i < a->series.n; i++) {
		if (alerts_nth(a, i)->extra)
			continue;
		for (s = alerts_nth(a, i); s != NULL && (s->rule < 0 || isnan(s->since) ||
		    strcmp(a->rules[s->rule].field, "value") != 0); s = s->next)
			;
		for (t = alerts_nth(a, i); t != NULL; t = t->next)
			t->perf = t == s;
		for (u = alerts_nth(a, i); u != NULL && (u->rule < 0 || isnan(u->since)); u = u->next)
			;
		series += u != NULL;
	}
	for (i = 0; i < a->series.n; i++) {
		if (alerts_nth(a, i)->rule < 0 || isnan(alerts_nth(a, i)->since))
			continue;
		v[n].s = alerts_nth(a, i);
		v[n++].sev = level(a, alerts_nth(a, i));
		hosts |= !series_same_host(&alerts_nth(a, i)->id, &v[0].s->id);
	}
	if (record_skipped(x->r) > 0 || x->broken) {
		printf("XM UNKNOWN - %zu record%s of the input could not be read\n",
		    record_skipped(x->r), record_skipped(x->r) == 1 ? "" : "s");
		free(v);
		return NAGIOS_UNKNOWN;
	}
	if (n == 0) {
		printf("XM UNKNOWN - no data for any rule");
		put_unmatched(x);
		putchar('\n');
		free(v);
		return NAGIOS_UNKNOWN;
	}
	qsort(v, n, sizeof *v, worst_first);
	status = nagios_status(v[0].sev);
	printf("XM %s - ", nagios_names[status]);
	for (i = 0; i < n && v[i].sev >= SEV_WARNING; i++)
		;
	for (shown = 0; shown < i && shown < 5; shown++) {
		s = (struct series *)v[shown].s;
		printf("%s", shown ? ", " : "");
		put_name(s, hosts);
		num_format(num, !s->tested || isnan(s->v) ? s->last_value : s->v);
		if (strcmp(a->rules[s->rule].field, "value") != 0)
			printf(" %s", a->rules[s->rule].field);
		printf(" %s (%s %s)", num, keys[v[shown].sev],
		    a->rules[s->rule].level_text[v[shown].sev]);
	}
	if (shown == 0)
		printf("%zu series within thresholds", series);
	else if (i > shown)
		printf(" and %zu more", i - shown);
	put_unmatched(x);
	printf(" |");
	for (i = 0; i < n; i++)
		if (v[i].s->perf)
			put_perf(a, v[i].s, hosts);
	putchar('\n');
	free(v);
	return status;
}
