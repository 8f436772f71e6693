/*
 * json.c: the board as JSON, for jq and for programs: -o json writes an
 * object a series, a line each (JSON Lines); --listen serves the same
 * objects at /api/v1/series and the alerts at /api/v1/alerts, in
 * Prometheus's API's envelope.  Whatever bytes the stream held, what is
 * written is valid UTF-8 JSON: a byte that starts no character becomes
 * U+FFFD, a control character \u00XX.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "metric.h"
#include "num.h"
#include "show.h"
#include "text.h"
#include "xm.h"

/* The columns xm's programs write as words: strings, though one may look like a number. */
static const char *const words[] = { "severity", "event", "alert_id", "rule", "trend" };

/* An object's own keys: a column of one of these names goes under _NAME. */
static const char *const own[] = { "ts", "host", "metric", "labels", "value", "state", "alerts" };

/* s, n bytes, inside a JSON string's quotes; with label, a label value's \\, \" and \n undone. */
static void
chars(FILE *f, const char *s, size_t n, int label)
{
	size_t i = 0, len;
	long c;

	while (i < n) {
		c = text_utf8(s + i, n - i, &len);
		if (label && s[i] == '\\' && i + 1 < n) {
			c = s[i + 1] == 'n' ? '\n' : s[i + 1];
			len = 2;
		}
		if (c < 0)
			fputs("\xef\xbf\xbd", f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", (int)c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04lx", c);
		else
			fwrite(s + i, 1, len, f);
		i += len;
	}
}

static void
string(FILE *f, const char *s, size_t n)
{
	putc('"', f);
	chars(f, s, n, 0);
	putc('"', f);
}

/*
 * A number: as the stream wrote it where JSON spells it so (every digit
 * of a counter kept), else v as exactly as a double holds it.
 */
static void
number(FILE *f, const char *text, double v)
{
	char buf[NUM_MAX];

	if (text != NULL && num_is_json(text)) {
		fputs(text, f);
		return;
	}
	num_format_exact(buf, v);
	fputs(buf, f);
}

/* A field of a column: null for -, a number where it is one and the column not of words. */
static void
field(FILE *f, const char *name, const char *v)
{
	double d;

	if (strcmp(v, "-") == 0)
		fputs("null", f);
	else if (!xm_listed(name, words, sizeof words / sizeof *words) && num_parse(v, &d) == 0)
		number(f, v, d);
	else
		string(f, v, strlen(v));
}

/* A string, or null where there is none (NULL or empty). */
static void
string_or_null(FILE *f, const char *s, size_t n)
{
	if (s == NULL || n == 0)
		fputs("null", f);
	else
		string(f, s, n);
}

static void
severity(FILE *f, int sev)
{
	if (sev < 0 || sev >= SEV_N)
		fputs("null", f);
	else
		fprintf(f, "\"%s\"", severity_names[sev]);
}

static void
since(FILE *f, double t)
{
	if (isnan(t))
		fputs("null", f);
	else
		number(f, NULL, t);
}

/* "host":..,"metric":..,"labels":{..}: who the series is. */
static void
identity(FILE *f, const struct series *s)
{
	struct metric_label l;
	const char *m;
	size_t len, pos = 0;
	int first = 1;

	m = metric_of(s, &len);
	fputs("\"host\":", f);
	string(f, s->id.it.key, s->id.hostlen);
	fputs(",\"metric\":", f);
	string(f, m, metric_family_len(m, len));
	fputs(",\"labels\":{", f);
	while (metric_label_next(m, len, &pos, &l)) {
		if (!first)
			putc(',', f);
		first = 0;
		string(f, l.name, l.namelen);
		fputs(":\"", f);
		chars(f, l.value, l.valuelen, 1);
		putc('"', f);
	}
	putc('}', f);
}

/* Whether header h has a column of the name _name. */
static int
underscored(const struct header *h, const char *name)
{
	size_t k;

	for (k = COL_FIXED; k < h->n; k++)
		if (h->names[k][0] == '_' && strcmp(h->names[k] + 1, name) == 0)
			return 1;
	return 0;
}

/*
 * A series: who it is, its latest record's every column (ts and value
 * first), the state the board gives it and each alert the stream named.
 * A column named twice in one header: the first.  One named as a key of
 * the object's own: _NAME, or left out where a column of that name is
 * there too.
 */
static void
series_object(FILE *f, const struct series *s)
{
	const char *p = s->rec, *v, *name;
	const struct alert_state *a;
	size_t i;
	uint32_t j;
	int mine;

	putc('{', f);
	identity(f, s);
	for (i = 0; i < s->hdr->n && p < s->rec + s->reclen; i++) {
		name = s->hdr->names[i];
		v = series_rec_field(s, i, &p);
		if (i == COL_HOST || i == COL_METRIC || s->hdr->again[i])
			continue;
		mine = i >= COL_FIXED && xm_listed(name, own, sizeof own / sizeof *own);
		if (mine && underscored(s->hdr, name))
			continue;
		putc(',', f);
		if (mine) {
			fputs("\"_", f);
			chars(f, name, strlen(name), 0);
			putc('"', f);
		} else {
			string(f, name, strlen(name));
		}
		putc(':', f);
		if (i == COL_TS)
			number(f, v, s->ts);
		else if (i == COL_VALUE)
			number(f, v, s->value);
		else
			field(f, name, v);
	}
	fputs(",\"state\":", f);
	severity(f, s->sev);
	fputs(",\"alerts\":[", f);
	for (j = 0; j < s->nalerts; j++) {
		a = &s->alerts[j];
		fputs(j > 0 ? ",{\"alert_id\":" : "{\"alert_id\":", f);
		string_or_null(f, a->id, strlen(a->id));
		fputs(",\"rule\":", f);
		string_or_null(f, a->rule != NULL ? a->rule->key : NULL,
		    a->rule != NULL ? a->rule->len : 0);
		fputs(",\"severity\":", f);
		severity(f, a->sev);
		fputs(",\"since\":", f);
		since(f, a->since);
		putc('}', f);
	}
	fputs("]}", f);
}

/* An alert above ok: its series, its rule, its severity, since when, the series' value. */
static void
alert_object(FILE *f, const struct series *s, const struct alert_state *a)
{
	char buf[NUM_MAX];

	putc('{', f);
	identity(f, s);
	fputs(",\"severity\":", f);
	severity(f, a->sev);
	fputs(",\"rule\":", f);
	string_or_null(f, a->rule != NULL ? a->rule->key : NULL, a->rule != NULL ? a->rule->len : 0);
	fputs(",\"alert_id\":", f);
	string_or_null(f, a->id, strlen(a->id));
	fputs(",\"since\":", f);
	since(f, a->since);
	num_format_exact(buf, s->value);
	fprintf(f, ",\"value\":%s", buf);
	num_format_exact(buf, s->ts);
	fprintf(f, ",\"ts\":%s}", buf);
}

/* -o json: a line a series, in the board's order. */
int
json_write(const struct board *b, FILE *f)
{
	struct series **v;
	int n = board_sorted(b, &v), i;

	for (i = 0; i < n; i++) {
		series_object(f, v[i]);
		putc('\n', f);
	}
	free(v);
	return 0;
}

/* Whether a request's globs take series s: its host, and its metric by any match=. */
static int
asked(const struct http_ask *q, const struct series *s)
{
	char host[RECORD_HOST_MAX + 1];
	const char *m;
	size_t len, i;

	if (q->host != NULL) {
		memcpy(host, s->id.it.key, s->id.hostlen);
		host[s->id.hostlen] = '\0';
		if (fnmatch(q->host, host, 0) != 0)
			return 0;
	}
	if (q->nmatch == 0)
		return 1;
	m = metric_of(s, &len);
	for (i = 0; i < q->nmatch; i++)
		if (fnmatch(q->match[i], m, 0) == 0)
			return 1;
	return 0;
}

/*
 * /api/v1/series or /api/v1/alerts, as q asks: {"status":"success",
 * "data":[...]}, an element a line.
 */
void
json_serve(const struct board *b, FILE *f, const struct http_ask *q)
{
	struct series **v;
	uint32_t k;
	int n = board_sorted(b, &v), i, first = 1;

	fputs("{\"status\":\"success\",\"data\":[", f);
	for (i = 0; i < n; i++) {
		if (!asked(q, v[i]))
			continue;
		if (q->page == HTTP_SERIES) {
			fputs(first ? "\n" : ",\n", f);
			series_object(f, v[i]);
			first = 0;
			continue;
		}
		for (k = 0; k < v[i]->nalerts; k++) {
			if (v[i]->alerts[k].sev <= SEV_OK)
				continue;
			fputs(first ? "\n" : ",\n", f);
			alert_object(f, v[i], &v[i]->alerts[k]);
			first = 0;
		}
	}
	fputs(first ? "]}\n" : "\n]}\n", f);
	free(v);
}
