/*
 * output.c: the outputs other than the live screen, a row each of
 * formats: the panels as plain text, the Prometheus text
 * exposition format, and the latest record of every series as a CSV or
 * TSV table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "num.h"
#include "show.h"
#include "text.h"
#include "xm.h"

static int
text_write(const struct board *b, FILE *f)
{
	struct page p;
	struct view v = b->o->view;
	double span = b->newest - b->oldest;

	page_init(&p, b->o->width, b->o->ascii);
	panels_draw(b, &p, 0, span > 0 ? (double)b->records / span : 0, &v);
	page_write(&p, f);
	page_free(&p);
	return 0;
}

/* The name of the series' family: the metric up to its labels. */
static size_t
family(const struct series *s, const char **name)
{
	size_t len;

	*name = metric_of(s, &len);
	return metric_family_len(*name, len);
}

static int
by_family(const void *p, const void *q)
{
	const struct series *a = *(struct series *const *)p, *b = *(struct series *const *)q;
	const char *na, *nb;
	size_t la = family(a, &na), lb = family(b, &nb);
	int c = memcmp(na, nb, la < lb ? la : lb);

	if (c != 0 || la != lb)
		return c != 0 ? c : la < lb ? -1 : 1;
	return series_cmp(&a->id, &b->id);
}

/*
 * Bytes as they may stand in the exposition format, which is UTF-8:
 * what is not valid UTF-8 becomes U+FFFD; with esc, a label value's
 * backslash, quote and newline are escaped too.
 */
static void
utf8_out(FILE *f, const char *s, size_t n, int esc)
{
	size_t i = 0, len;

	while (i < n) {
		if (text_utf8(s + i, n - i, &len) < 0) {
			fputs("\xef\xbf\xbd", f);
		} else if (esc && (s[i] == '\\' || s[i] == '"')) {
			fprintf(f, "\\%c", s[i]);
		} else if (esc && s[i] == '\n') {
			fputs("\\n", f);
		} else {
			fwrite(s + i, 1, len, f);
		}
		i += len;
	}
}

static void
prom_name(FILE *f, const char *prefix, const char *name, size_t len)
{
	fprintf(f, "%s%.*s", prefix, (int)len, name);
}

/*
 * The name xm gives its label base beside series s's own labels: base,
 * xm_base or exported_base, the first the metric does not use itself,
 * so that the metric's labels keep their names and join with its own
 * family; NULL if it uses all three.
 */
static const char *
xm_label(char *buf, size_t size, const struct series *s, const char *base)
{
	static const char *const forms[] = { "%s", "xm_%s", "exported_%s" };
	const char *m;
	size_t i, len, n;

	m = metric_of(s, &len);
	for (i = 0; i < 3; i++) {
		snprintf(buf, size, forms[i], base);
		if (metric_label_value(m, len, buf, &n) == NULL)
			return buf;
	}
	return NULL;
}

/* name="value", the value escaped, after a comma unless first. */
static void
label_out(FILE *f, int *first, const char *name, const char *v, size_t n)
{
	fprintf(f, "%s%s=\"", *first ? "" : ",", name);
	utf8_out(f, v, n, 1);
	putc('"', f);
	*first = 0;
}

/* The metric's own labels as they are, their braces aside, after a comma unless first. */
static void
own_out(FILE *f, int first, const struct series *s)
{
	const char *m, *labels;
	size_t len, n;

	m = metric_of(s, &len);
	if ((labels = metric_labels(m, len, &n)) == NULL)
		return;
	if (!first)
		putc(',', f);
	utf8_out(f, labels + 1, n - 2, 0);
}

/*
 * {host="...",the metric's own labels}: the host under the first of
 * host, xm_host, exported_host the metric does not use itself.
 */
static void
prom_labels(FILE *f, const struct series *s)
{
	const char *host;
	char buf[32];
	int first = 1;

	putc('{', f);
	if ((host = xm_label(buf, sizeof buf, s, "host")) != NULL)
		label_out(f, &first, host, s->id.it.key, s->id.hostlen);
	own_out(f, first, s);
	putc('}', f);
}

/*
 * An alert's labels: the host, the metric's name and the rule as xm's
 * labels host, metric and rule (each giving way as host does above),
 * then the metric's own labels as they are, so that PromQL joins them
 * with the metric's family: on(host, mountpoint).
 */
static void
alert_labels(FILE *f, const struct series *s, const struct alert_state *a)
{
	const char *name, *fam;
	char buf[32];
	size_t famlen = family(s, &fam);
	int first = 1;

	putc('{', f);
	if ((name = xm_label(buf, sizeof buf, s, "host")) != NULL)
		label_out(f, &first, name, s->id.it.key, s->id.hostlen);
	if ((name = xm_label(buf, sizeof buf, s, "metric")) != NULL)
		label_out(f, &first, name, fam, famlen);
	if (a->rule != NULL && (name = xm_label(buf, sizeof buf, s, "rule")) != NULL)
		label_out(f, &first, name, a->rule->key, a->rule->len);
	own_out(f, first, s);
	putc('}', f);
}

/*
 * The exporter's own families, after the stream's: what an exporter is
 * expected to say of itself.  Their names are fixed, whatever --prefix;
 * a family of the stream of the same name wins, as with alert_severity.
 */
static const char *const self_names[] = {
	"xm_build_info", "xm_records_read_total", "xm_records_skipped_total",
	"xm_records_dropped_total", "xm_series", "xm_last_record_timestamp_seconds",
	"xm_scrape_duration_seconds"
};

enum { SELF_N = sizeof self_names / sizeof self_names[0] };

/* Which of self_names the family pre+name would be: a bit each. */
static unsigned
self_clash(const char *pre, const char *name, size_t len)
{
	size_t pl = strlen(pre), i;
	unsigned bits = 0;

	for (i = 0; i < SELF_N; i++)
		if (strlen(self_names[i]) == pl + len && memcmp(self_names[i], pre, pl) == 0 &&
		    memcmp(self_names[i] + pl, name, len) == 0)
			bits |= 1u << i;
	return bits;
}

/* The stream's families and the alert state; *taken: the self names they use. */
static void
prom_families(const struct board *b, FILE *f, unsigned *taken)
{
	static const char *const sev_names[SEV_N] = {
		"ok", "info", "warning", "critical", "emergency"
	};
	const char *pre = b->o->prefix, *name, *prev = NULL;
	struct series **v;
	size_t len, prevlen = 0;
	int n = board_sorted(b, &v), i, any = 0, clash = 0, count[SEV_N] = { 0 };
	uint32_t k;

	*taken = 0;
	qsort(v, (size_t)n, sizeof *v, by_family);
	for (i = 0; i < n; i++) {
		len = family(v[i], &name);
		/* the stream's own families of these names win: then no alert state is written */
		if (metric_family_is(name, len, "alert_severity") ||
		    metric_family_is(name, len, "alerts_active"))
			clash = 1;
		if (prev == NULL || len != prevlen || memcmp(name, prev, len) != 0) {
			*taken |= self_clash(pre, name, len);
			fputs("# HELP ", f);
			prom_name(f, pre, name, len);
			fprintf(f, " %.*s: the latest sample from xm.\n", (int)len, name);
			fputs("# TYPE ", f);
			prom_name(f, pre, name, len);
			fputs(len > 6 && metric_family_ends(name, len, "_total") ?
			    " counter\n" : " gauge\n", f);
			prev = name;
			prevlen = len;
		}
		prom_name(f, pre, name, len);
		prom_labels(f, v[i]);
		putc(' ', f);
		/* the value as the stream wrote it: a finite decimal, which the format takes */
		fputs(series_field(v[i], "value"), f);
		putc('\n', f);
		if (v[i]->nalerts > 0)
			any = 1;
	}
	if (any && !clash) {
		*taken |= self_clash(pre, "alert_severity", 14) | self_clash(pre, "alerts_active", 13);
		fprintf(f, "# HELP %salert_severity The state of each alert of xm-alert, a series "
		    "under a rule: 0 ok, 1 info, 2 warning, 3 critical, 4 emergency.\n", pre);
		fprintf(f, "# TYPE %salert_severity gauge\n", pre);
		for (i = 0; i < n; i++) {
			for (k = 0; k < v[i]->nalerts; k++) {
				count[v[i]->alerts[k].sev]++;
				fprintf(f, "%salert_severity", pre);
				alert_labels(f, v[i], &v[i]->alerts[k]);
				fprintf(f, " %d\n", v[i]->alerts[k].sev);
			}
		}
		fprintf(f, "# HELP %salerts_active The alerts of xm-alert at each alert level.\n",
		    pre);
		fprintf(f, "# TYPE %salerts_active gauge\n", pre);
		for (i = SEV_INFO; i < SEV_N; i++)
			fprintf(f, "%salerts_active{severity=\"%s\"} %d\n", pre, sev_names[i],
			    count[i]);
	}
	free(v);
}

static int
prom_write(const struct board *b, FILE *f)
{
	unsigned taken;

	prom_families(b, f, &taken);
	return 0;
}

static void
self_family(FILE *f, unsigned taken, int i, const char *type, const char *help)
{
	if (taken & (1u << i))
		return;
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", self_names[i], help, self_names[i], type);
}

static void
self_sample(FILE *f, unsigned taken, int i, double v)
{
	char num[NUM_MAX];

	if (taken & (1u << i))
		return;
	num_format_exact(num, v);
	fprintf(f, "%s %s\n", self_names[i], num);
}

/*
 * What --listen serves: the exposition of -o prom, then the exporter's
 * own families.  started: when the request came, CLOCK_MONOTONIC.
 */
void
prom_serve(const struct board *b, FILE *f, double started)
{
	unsigned taken;

	prom_families(b, f, &taken);
	self_family(f, taken, 0, "gauge", "Always 1: the version of xm-show serving.");
	if (!(taken & 1u))
		fprintf(f, "xm_build_info{version=\"%s\"} 1\n", XM_VERSION);
	self_family(f, taken, 1, "counter", "Records read from the stream.");
	self_sample(f, taken, 1, (double)b->read);
	self_family(f, taken, 2, "counter", "Malformed lines skipped.");
	self_sample(f, taken, 2, (double)b->skipped);
	self_family(f, taken, 3, "counter", "Records of new series left out (--max-series).");
	self_sample(f, taken, 3, (double)b->series.refused);
	self_family(f, taken, 4, "gauge", "Series on the board.");
	self_sample(f, taken, 4, (double)b->series.n);
	if (b->records > 0) {
		self_family(f, taken, 5, "gauge",
		    "The newest ts of the stream: how stale the board is.");
		self_sample(f, taken, 5, b->newest);
	}
	self_family(f, taken, 6, "gauge", "Seconds spent building this response.");
	self_sample(f, taken, 6, xm_monotonic() - started);
}

/*
 * Every column any series carried, in the order first seen, each name
 * once: names[i], found by its name in seen as items[i].
 */
struct columns {
	const char **names;
	size_t	 n;
	struct table_item *items;
	struct table seen;
};

static void
columns_init(struct columns *c, const struct board *b)
{
	static const char *const fixed[] = { "ts", "host", "metric", "value" };
	size_t i, k, total = 0;
	const char *name;
	uint64_t hash;

	for (i = 0; i < b->nhdr; i++)
		total += b->hdrs[i]->n;
	c->items = xm_reallocarray(NULL, total + 1, sizeof *c->items);
	c->names = xm_reallocarray(NULL, total + 4, sizeof *c->names);
	c->n = 0;
	table_init(&c->seen);
	for (i = 0; i < b->nhdr; i++) {
		for (k = 0; k < b->hdrs[i]->n; k++) {
			name = b->hdrs[i]->names[k];
			hash = table_hash(name, strlen(name));
			if (table_find(&c->seen, name, strlen(name), hash) != NULL)
				continue;
			c->items[c->n].key = (char *)name;
			c->items[c->n].len = (uint32_t)strlen(name);
			c->items[c->n].hash = hash;
			table_add(&c->seen, &c->items[c->n]);
			c->names[c->n++] = name;
		}
	}
	if (c->n == 0) {
		memcpy(c->names, fixed, sizeof fixed);
		c->n = 4;
	}
}

static void
columns_free(struct columns *c)
{
	table_free(&c->seen);
	free(c->items);
	free(c->names);
}

/*
 * Series s's fields in the table's columns, NULL where it has none: a
 * walk through its record, each name found in the table, so that a
 * table costs its size, not its columns squared a series.  A name twice
 * in one header: the first.
 */
static void
columns_of(const struct columns *c, const struct series *s, const char **field)
{
	const struct table_item *it;
	const char *p = s->rec, *name, *f;
	size_t i, len;

	memset(field, 0, c->n * sizeof *field);
	for (i = 0; i < s->hdr->n && p < s->rec + s->reclen; i++) {
		name = s->hdr->names[i];
		len = strlen(name);
		f = series_rec_field(s, i, &p);
		it = table_find(&c->seen, name, len, table_hash(name, len));
		if (it != NULL && field[it - c->items] == NULL)
			field[it - c->items] = f;
	}
}

static int
table_write(const struct board *b, FILE *f, int csv)
{
	struct record_writer w;
	struct columns c;
	struct series **v;
	const char **field;
	size_t k;
	int n = board_sorted(b, &v), i;

	columns_init(&c, b);
	field = xm_reallocarray(NULL, c.n, sizeof *field);
	record_writer_init(&w, f, csv ? RECORD_CSV : 0);
	record_put_header(&w, c.names, c.n);
	for (i = 0; i < n; i++) {
		columns_of(&c, v[i], field);
		for (k = 0; k < c.n; k++)
			record_put_str(&w, field[k] != NULL ? field[k] : "");
		record_end(&w);
	}
	free(field);
	free(v);
	columns_free(&c);
	return 0;
}

static int
csv_write(const struct board *b, FILE *f)
{
	return table_write(b, f, 1);
}

static int
tsv_write(const struct board *b, FILE *f)
{
	return table_write(b, f, 0);
}

/*
 * Bytes into InfluxDB's line protocol, as both InfluxDB 1.x and
 * VictoriaMetrics read them back: a byte of special escaped; what is
 * not valid UTF-8 U+FFFD; a line feed the two characters \n; a
 * backslash as it is, but where one of them would read it as an escape
 * (last, or before a backslash or a byte escaped), U+FFFD.  With label,
 * a label value's own escapes (xm(7)) are undone first.
 */
static void
influx_out(FILE *f, const char *s, size_t n, const char *special, int label)
{
	char d[METRIC_MAX];
	size_t i, m = 0, len;

	for (i = 0; i < n && m < sizeof d; i++) {
		if (label && s[i] == '\\' && i + 1 < n && s[++i] == 'n')
			d[m++] = '\n';
		else
			d[m++] = s[i];
	}
	for (i = 0; i < m; i += len) {
		if (text_utf8(d + i, m - i, &len) < 0) {
			fputs("\xef\xbf\xbd", f);
		} else if (d[i] == '\n') {
			fputs("\\n", f);
		} else if (d[i] == '\\') {
			if (i + 1 < m && d[i + 1] != '\\' && d[i + 1] != '\n' &&
			    strchr(special, d[i + 1]) == NULL)
				putc('\\', f);
			else
				fputs("\xef\xbf\xbd", f);
		} else {
			if (strchr(special, d[i]) != NULL)
				putc('\\', f);
			fwrite(d + i, 1, len, f);
		}
	}
}

/* A tag's or the field's key: time, which InfluxDB refuses as either, as xm_time. */
static void
influx_key(FILE *f, const char *s, size_t n)
{
	if (n == 4 && memcmp(s, "time", 4) == 0)
		fputs("xm_time", f);
	else
		influx_out(f, s, n, ",= ", 0);
}

/*
 * ts, digits and an optional fraction (xm(7)), as the nanoseconds of
 * the line protocol: the digits moved, no arithmetic to round them.
 */
static void
influx_ts(FILE *f, const char *ts)
{
	const char *point = strchr(ts, '.');
	size_t whole = point != NULL ? (size_t)(point - ts) : strlen(ts), frac = 0, skip;
	char ns[10] = "000000000";

	if (point != NULL) {
		frac = strlen(point + 1) < 9 ? strlen(point + 1) : 9;
		memcpy(ns, point + 1, frac);
	}
	for (skip = 0; skip < whole && ts[skip] == '0'; skip++)
		;
	if (skip == whole) {
		for (skip = 0; skip < 8 && ns[skip] == '0'; skip++)
			;
		fputs(ns + skip, f);
		return;
	}
	fwrite(ts + skip, 1, whole - skip, f);
	fputs(ns, f);
}

/*
 * -o influx, a line a sample as it comes: measurement --prefix (its _
 * aside; xm by default), the host and the metric's labels as tags, the
 * metric's name as the one field, so that VictoriaMetrics names the
 * series prefix_name as -o prom does, and InfluxDB reads it as
 * SELECT name FROM xm; the record's own ts.  A series' record again
 * for another alert (xm(7)), of the same ts and value, is not a sample.
 */
static void
influx_record(const struct board *b, const struct series *s, FILE *f)
{
	struct metric_label l;
	const char *pre = b->o->prefix, *m, *host, *value;
	size_t pl = strlen(pre), len, pos = 0, col;
	char buf[32], num[NUM_MAX];

	if (pl > 0 && pre[pl - 1] == '_')
		pl--;
	if (pl == 0)
		fputs("xm", f);
	else
		influx_out(f, pre, pl, ", ", 0);
	if ((host = xm_label(buf, sizeof buf, s, "host")) != NULL) {
		fprintf(f, ",%s=", host);
		influx_out(f, s->id.it.key, s->id.hostlen, ",= ", 0);
	}
	m = metric_of(s, &len);
	while (metric_label_next(m, len, &pos, &l)) {
		if (l.valuelen == 0)
			continue;	/* a tag has a value, or is not */
		putc(',', f);
		influx_key(f, l.name, l.namelen);
		putc('=', f);
		influx_out(f, l.value, l.valuelen, ",= ", 1);
	}
	putc(' ', f);
	influx_key(f, m, metric_family_len(m, len));
	putc('=', f);
	for (value = s->rec, col = 0; col < COL_VALUE; col++)
		value += strlen(value) + 1;
	if (num_is_json(value)) {
		fputs(value, f);
	} else {
		num_format_exact(num, s->value);
		fputs(num, f);
	}
	putc(' ', f);
	influx_ts(f, s->rec);
}

/* Every sample went out as it came: nothing is left to write at the end. */
static int
influx_write(const struct board *b, FILE *f)
{
	(void)b;
	(void)f;
	return 0;
}

static const struct show_format formats[] = {
	{ "text", text_write, NULL, 0, 0, 0 },
	{ "prom", prom_write, NULL, 1, 0, 0 },
	{ "json", json_write, NULL, 1, 0, 0 },
	{ "influx", influx_write, influx_record, 0, 0, 0 },
	{ "csv", csv_write, NULL, 0, 1, 1 },
	{ "tsv", tsv_write, NULL, 0, 1, 0 },
};

/* The output called name; NULL if there is none. */
const struct show_format *
show_format_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}
