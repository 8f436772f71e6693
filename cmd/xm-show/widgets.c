/* widgets.c: what the panels draw with: numbers, bars, lights, sparklines, titles, names. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "show.h"
#include "widgets.h"

static const struct glyphs unicode = {
	"\u2588", "\u2591", "\u25cf", "\u2191", "\u2193", "\u2192", "\u2500", "\u2026", " \u00b7 ",
	{ "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" },
	{ "\u2591", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589" }
};

static const struct glyphs ascii = {
	"#", ".", "*", "^", "v", "-", "-", "~", ", ",
	{ "_", ".", "-", ":", "=", "+", "*", "#" },
	{ ".", ".", ".", ".", "#", "#", "#", "#" }
};

static const char *const sev_short[SEV_N] = { "ok", "info", "warn", "crit", "emerg" };

/* The glyphs a page draws with: Unicode's blocks and arrows, or ASCII alone. */
const struct glyphs *
glyphs_for(int ascii_only)
{
	return ascii_only ? &ascii : &unicode;
}

/* The attribute of a severity; dim for none. */
int
sev_attr(int sev)
{
	return sev < 0 ? AT_DIM : AT_OK + sev;
}

/* A severity in a word of five letters at most; "-" for none. */
const char *
sev_word(int sev)
{
	return sev >= 0 ? sev_short[sev] : "-";
}

/* An exponent form, short: "1.2e-9", "1e300". */
static void
exp_form(char *buf, size_t size, int prec, double v)
{
	char tmp[64], *e, *d;

	snprintf(tmp, sizeof tmp, "%.*e", prec, v);
	e = strchr(tmp, 'e');
	/* 1.50e3: the mantissa's trailing zeros go */
	for (d = e; prec > 0 && (d[-1] == '0' || d[-1] == '.'); d--)
		if (d[-1] == '.') {
			d--;
			break;
		}
	memmove(d, e, strlen(e) + 1);
	e = d;
	d = e + 1;
	if (*d == '+')
		memmove(d, d + 1, strlen(d));
	else if (*d == '-')
		d++;
	while (*d == '0' && d[1] != '\0')
		memmove(d, d + 1, strlen(d));
	snprintf(buf, size, "%s", tmp);
}

/*
 * A number in at most w columns: plain while it fits, SI prefixes from
 * 10000 on, an exponent for the huge and the tiny; never wider.
 */
void
fmt_number(char *buf, size_t size, int w, double v)
{
	static const char si[] = "kMGTPEZY";
	double a = fabs(v), s = v;
	int prec, k = -1;

	if (isnan(v)) {
		snprintf(buf, size, "-");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
		return;
	}
	if (a >= 1e-4 || v == 0) {
		for (prec = 4; prec >= 1; prec--) {
			snprintf(buf, size, "%.*g", prec, v);
			if ((int)strlen(buf) <= w && strchr(buf, 'e') == NULL)
				return;
		}
	}
	while (fabs(s) >= 9999.5 && k < 7) {
		s /= 1000;
		k++;
	}
	if (k >= 0 && fabs(s) < 9999.5) {
		for (prec = 4; prec >= 1; prec--) {
			snprintf(buf, size, "%.*g%c", prec, s, si[k]);
			if ((int)strlen(buf) <= w && strchr(buf, 'e') == NULL)
				return;
		}
	}
	for (prec = 3; prec >= 0; prec--) {
		exp_form(buf, size, prec, v);
		if ((int)strlen(buf) <= w)
			return;
	}
	/* only the tiny get here, in a narrow column: as good as nothing */
	snprintf(buf, size, "%s", v < 0 ? "-0" : "0");
}

void
draw_right(struct page *p, int attr, const char *s, int w)
{
	int n = text_width(s, strlen(s));

	while (n++ < w)
		page_put(p, AT_NONE, " ");
	page_put(p, attr, s);
}

void
draw_number(struct page *p, int attr, double v, int w)
{
	char buf[64];

	fmt_number(buf, sizeof buf, w, v);
	draw_right(p, attr, buf, w);
}

/* "1.23 MB/s": bytes a second as a person reads them. */
void
fmt_rate(char *buf, size_t size, double v)
{
	static const char *const unit[] = { "B/s", "kB/s", "MB/s", "GB/s", "TB/s" };
	int k = 0;

	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return;
	}
	while (fabs(v) >= 1000 && k < 4) {
		v /= 1000;
		k++;
	}
	snprintf(buf, size, k == 0 ? "%.0f %s" : "%.3g %s", v, unit[k]);
}

/* "12.3 GB": bytes as a person reads them, in SI units as the rates; at most 7 columns. */
void
fmt_size(char *buf, size_t size, double v)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
	int k = 0;

	if (!isfinite(v) || v < 0) {
		snprintf(buf, size, "-");
		return;
	}
	if (v >= 999.5e24) {
		exp_form(buf, size - 2, 0, v);	/* "2e308": no disk yet */
		strcat(buf, " B");
		return;
	}
	/* 999.5 and on would round to "1e+03" */
	while (v >= 999.5 && k < 8) {
		v /= 1000;
		k++;
	}
	snprintf(buf, size, k == 0 || v >= 99.95 ? "%.0f %s" : v >= 9.995 ? "%.1f %s" : "%.2f %s",
	    v, unit[k]);
}

/* "2.5ms", "1.2s": a wait in seconds as iostat's await reads, in 6 columns at most. */
void
fmt_wait(char *buf, size_t size, double v)
{
	char n[32];

	if (!isfinite(v) || v < 0) {
		snprintf(buf, size, "-");
		return;
	}
	/* "1000ms" at most; a second and more in five, so that "1e300s" is not "0s" */
	fmt_number(n, sizeof n, v < 1 ? 4 : 5, v < 1 ? v * 1000 : v);
	snprintf(buf, size, "%s%s", n, v < 1 ? "ms" : "s");
}

/* A panel's title line: "── name ", then the rule up to column col (0: the edge). */
void
draw_title_start(struct page *p, const struct glyphs *g, const char *name)
{
	page_newline(p);
	page_put(p, AT_TITLE, g->rule);
	page_put(p, AT_TITLE, g->rule);
	page_put(p, AT_TITLE, " ");
	page_put(p, AT_TITLE, name);
	page_put(p, AT_TITLE, " ");
}

void
draw_title_rule(struct page *p, const struct glyphs *g, int col)
{
	while (page_room(p) > 0 && (col == 0 || p->lines[p->nline - 1].width < col))
		page_put(p, AT_TITLE, g->rule);
}

void
draw_title(struct page *p, const struct glyphs *g, const char *name)
{
	draw_title_start(p, g, name);
	draw_title_rule(p, g, 0);
}

/* [#####.....]: pct of w cells, in eighths where the glyphs allow. */
void
draw_bar(struct page *p, const struct glyphs *g, int attr, double pct, int w)
{
	double cells = isfinite(pct) ? pct / 100 * w : 0;
	int i, eighths;

	if (cells < 0)
		cells = 0;
	if (cells > w)
		cells = w;
	page_put(p, AT_DIM, "[");
	for (i = 0; i < w; i++) {
		if (i + 1 <= cells) {
			page_put(p, attr, g->full);
		} else if (i < cells) {
			eighths = (int)((cells - i) * 8);
			page_put(p, eighths ? attr : AT_DIM, g->part[eighths]);
		} else {
			page_put(p, AT_DIM, g->empty);
		}
	}
	page_put(p, AT_DIM, "]");
}

void
draw_light(struct page *p, const struct glyphs *g, int sev)
{
	page_put(p, sev_attr(sev), g->dot);
	page_put(p, AT_NONE, " ");
	page_put(p, sev_attr(sev), sev_word(sev));
}

/*
 * The sparkline, from the lowest of its cells to the highest: the
 * samples of xm-buffer's window, as its n counts them, the span the
 * trend arrow beside it is of (NAN where the stream has no n: the
 * newest samples, as many as fit).  A window of more samples than w
 * columns is drawn in w groups of them, each its mean.
 */
void
draw_spark(struct page *p, const struct glyphs *g, const struct series *s, double n, int w)
{
	double val[HIST], lo = INFINITY, hi = -INFINITY, v, sum, x, wt;
	uint32_t k, m, i, c, a, z;
	int q;

	if (w <= 0)
		return;
	k = series_cells(s, n);
	if (isnan(n) && k > (uint32_t)w)
		k = (uint32_t)w;
	m = k < (uint32_t)w ? k : (uint32_t)w;
	for (i = 0; i < m; i++) {
		/* group i: cells a to z - 1 of the k, oldest first; each weighs its samples */
		a = (uint32_t)((uint64_t)i * k / m);
		z = (uint32_t)((uint64_t)(i + 1) * k / m);
		for (v = 0, sum = 0, c = a; c < z; c++) {
			x = series_hist(s, k - 1 - c);
			wt = c == k - 1 ? s->fill : s->step;
			sum += wt;
			v += (x / 2 - v / 2) * 2 * wt / sum;	/* a running mean, by halves */
		}
		val[i] = v;
		if (isfinite(v)) {
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	for (i = 0; i < m; i++) {
		v = val[i];
		/* halves: hi - lo may overflow where hi / 2 - lo / 2 cannot */
		q = !isfinite(v) || hi <= lo ? 0 :
		    (int)((v / 2 - lo / 2) / (hi / 2 - lo / 2) * 7.999);
		page_put(p, AT_NONE, g->spark[q < 0 ? 0 : q > 7 ? 7 : q]);
	}
}

/*
 * A shorter name for a metric that does not fit: the usual words
 * abbreviated ("net_rx_B/s") and the labels by their values only
 * ("{eth0}").  Into out; its length.
 */
static size_t
shorten(const char *m, size_t len, char *out, size_t size)
{
	static const char *const words[][2] = {
		{ "network_", "net_" }, { "receive_", "rx_" }, { "transmit_", "tx_" },
		{ "_bytes_per_second", "_B/s" }, { "_per_second", "/s" }, { "_bytes", "_B" },
		{ "memory_", "mem_" }, { "_percent", "%" }, { "_seconds", "_s" },
	};
	size_t i = 0, o = 0, k, n;
	int in_value = 0;

	while (i < len && o + 20 < size) {
		if (m[i] == '{' || in_value || m[i] == ',' || m[i] == '}') {
			/* in the labels: keep the values, their quotes and names dropped */
			if (in_value) {
				if (m[i] == '\\' && i + 1 < len) {
					out[o++] = m[i++];
					out[o++] = m[i++];
					continue;
				}
				if (m[i] == '"')
					in_value = 0;
				else
					out[o++] = m[i];
				i++;
				continue;
			}
			out[o++] = m[i] == '}' ? '}' : m[i] == '{' ? '{' : ',';
			i++;
			while (i < len && m[i] != '=' && m[i] != '}')
				i++;
			if (i < len && m[i] == '=') {
				i += 2;		/* =" */
				in_value = 1;
			}
			continue;
		}
		for (k = 0; k < sizeof words / sizeof words[0]; k++) {
			n = strlen(words[k][0]);
			if (i + n <= len && memcmp(m + i, words[k][0], n) == 0)
				break;
		}
		if (k < sizeof words / sizeof words[0]) {
			memcpy(out + o, words[k][1], strlen(words[k][1]));
			o += strlen(words[k][1]);
			i += n;
		} else {
			out[o++] = m[i++];
		}
	}
	return o;
}

/*
 * A metric in w columns: when it does not fit, shortened; when that
 * does not fit, its name gives way before its labels, which tell series
 * of one family apart, and from the middle.
 */
void
draw_metric(struct page *p, int attr, const char *m, size_t len, int w)
{
	char buf[1100];
	const char *brace;
	size_t flen;
	int lw;

	if (text_width(m, len) > w && len < 1024) {
		len = shorten(m, len, buf, sizeof buf);
		m = buf;
	}
	brace = memchr(m, '{', len);
	flen = brace ? (size_t)(brace - m) : len;
	lw = brace ? text_width(brace, len - flen) : 0;
	if (brace == NULL || text_width(m, len) <= w || lw > w - 8) {
		page_safe_mid(p, attr, m, len, w);
		return;
	}
	page_safe_mid(p, attr, m, flen, w - lw);
	page_safe(p, attr, brace, len - flen, lw);
}

void
draw_series_name(struct page *p, const struct series *s, int hosts, int w)
{
	const char *m;
	size_t len;
	int hw;

	if (hosts > 1) {
		hw = text_width(s->id.it.key, s->id.hostlen);
		if (hw > w / 3)
			hw = w / 3;
		page_safe(p, AT_NONE, s->id.it.key, s->id.hostlen, hw);
		page_put(p, AT_DIM, ":");
		w -= hw + 1;
	}
	m = metric_of(s, &len);
	draw_metric(p, AT_NONE, m, len, w);
}
