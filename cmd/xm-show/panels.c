/*
 * panels.c: the dashboard as a page: the header, then the system, disk,
 * alerts, trends and other panels.  The live screen and plain mode draw
 * the same page; a height cuts the long panels so the rest still fits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metric.h"
#include "num.h"
#include "show.h"
#include "widgets.h"
#include "xm.h"

/* Whether the series' family is name. */
static int
named(const struct series *s, const char *name)
{
	size_t len;
	const char *m = metric_of(s, &len);

	return metric_family_is(m, len, name);
}

static int
prefixed(const struct series *s, const char *prefix)
{
	size_t len;

	return strncmp(metric_of(s, &len), prefix, strlen(prefix)) == 0;
}

static int
same_host(const struct series *a, const struct series *b)
{
	return series_same_host(&a->id, &b->id);
}

/* The series of host's host named name, then labels (llen bytes); NULL if none. */
static struct series *
lookup_labels(const struct board *b, const struct series *host, const char *name,
    const char *labels, size_t llen)
{
	char key[4096];
	size_t hl = host->id.hostlen, nl = strlen(name), len = hl + 1 + nl + llen;

	if (len > sizeof key)
		return NULL;
	memcpy(key, host->id.it.key, hl + 1);
	memcpy(key + hl + 1, name, nl);
	memcpy(key + hl + 1 + nl, labels, llen);
	return (struct series *)table_find(&b->series.t, key, len, table_hash(key, len));
}

static struct series *
lookup(const struct board *b, const struct series *host, const char *metric)
{
	return lookup_labels(b, host, metric, "", 0);
}

/* The series named name beside s: of its host, with its labels (or none); NULL if none. */
static struct series *
sibling(const struct board *b, const struct series *s, const char *name)
{
	const char *m, *labels;
	size_t len, n;

	m = metric_of(s, &len);
	if ((labels = metric_labels(m, len, &n)) == NULL) {
		labels = "";
		n = 0;
	}
	return lookup_labels(b, s, name, labels, n);
}

/* The sum of the series (of one host) named so, whatever their labels. */
static double
total(struct series **v, int n, const char *name, int *found)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (named(v[i], name)) {
			sum += v[i]->value;
			(*found)++;
		}
	}
	return sum;
}

static void
percent_row(struct page *p, const struct glyphs *g, const char *label, const struct series *s)
{
	char buf[32];
	int w = p->width - 30;

	page_newline(p);
	page_printf(p, AT_NONE, " %-8s", label);
	draw_bar(p, g, sev_attr(s->sev < 0 ? 0 : s->sev), s->value, w < 10 ? 10 : w);
	fmt_number(buf, sizeof buf, 6, s->value);
	page_put(p, AT_NONE, " ");
	draw_right(p, AT_NONE, buf, 6);
	page_put(p, AT_NONE, "% ");
	draw_light(p, g, s->sev);
}

/* A series' severity; -1 for none, or no series. */
static int
sev_of(const struct series *s)
{
	return s != NULL ? s->sev : -1;
}

static int
worse(int a, int b)
{
	return a > b ? a : b;
}

/* Bytes in the order of memcmp, the shorter first where one begins the other. */
static int
bytes_order(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	if (c != 0)
		return c;
	return (na > nb) - (na < nb);
}

/* A number drawn in the colour of its severity where that is past ok. */
static int
value_attr(int sev)
{
	return sev > SEV_OK ? sev_attr(sev) : AT_NONE;
}

/*
 * Pressure: a bar each for cpu, memory and io, the share of the interval
 * some task stalled on it, coloured by the worse of its some and full
 * series; memory's and io's full share (every task stalled at once)
 * beside their bars where the page has room for it with bars of 8
 * cells.  No row for a host without pressure series.
 */
static void
pressure_row(const struct board *b, struct page *p, const struct glyphs *g,
    const struct series *host)
{
	static const struct { const char *label, *some, *full; } res[] = {
		{ "cpu", "pressure_cpu_some_percent", NULL },
		{ "mem", "pressure_memory_some_percent", "pressure_memory_full_percent" },
		{ "io", "pressure_io_some_percent", "pressure_io_full_percent" },
	};
	const struct series *some[3], *full[3];
	char buf[32];
	int i, found = 0, nfull = 0, w, sev;

	for (i = 0; i < 3; i++) {
		some[i] = lookup(b, host, res[i].some);
		full[i] = res[i].full != NULL ? lookup(b, host, res[i].full) : NULL;
		found += some[i] != NULL || full[i] != NULL;
		nfull += full[i] != NULL;
	}
	if (found == 0)
		return;
	/* " Pressure ", three of "cpu [bar]  25.5%" two apart, and " full  2.5%" each */
	w = (p->width - 53 - 12 * nfull) / 3;
	if (nfull == 0 || w < 8) {
		nfull = 0;
		w = (p->width - 53) / 3;
	}
	w = w < 4 ? 4 : w;
	page_newline(p);
	page_put(p, AT_NONE, " Pressure");
	for (i = 0; i < 3; i++) {
		sev = worse(sev_of(some[i]), sev_of(full[i]));
		page_printf(p, AT_NONE, "%s%-3s ", i > 0 ? "  " : " ", res[i].label);
		draw_bar(p, g, sev_attr(sev < 0 ? 0 : sev), some[i] != NULL ? some[i]->value : NAN, w);
		fmt_number(buf, sizeof buf, 5, some[i] != NULL ? some[i]->value : NAN);
		page_put(p, AT_NONE, " ");
		draw_right(p, value_attr(sev_of(some[i])), buf, 5);
		page_put(p, AT_NONE, "%");
		if (nfull > 0 && full[i] != NULL) {
			fmt_number(buf, sizeof buf, 5, full[i]->value);
			page_put(p, AT_DIM, " full ");
			draw_right(p, value_attr(full[i]->sev), buf, 5);
			page_put(p, AT_NONE, "%");
		}
	}
}

/*
 * The host's rate of a family: its unlabelled series, the host total
 * xm-sample writes, which counts each byte once (physical disks and
 * interfaces only); in a stream without it (an older sampler,
 * --synthetic), the sum of the labelled series, each device counted.
 */
static double
host_rate(const struct board *b, const struct series *host, struct series **v, int n,
    const char *name, int *found)
{
	const struct series *s;

	if ((s = lookup(b, host, name)) != NULL) {
		(*found)++;
		return s->value;
	}
	return total(v, n, name, found);
}

/* A row of two rates, each the host's; none if neither is there. */
static void
io_row(const struct board *bd, struct page *p, const struct series *host, struct series **v,
    int n, const char *fmt, const char *in, const char *out)
{
	char a[32], b[32];
	int found_in = 0, found_out = 0;
	double sum_in = host_rate(bd, host, v, n, in, &found_in);
	double sum_out = host_rate(bd, host, v, n, out, &found_out);

	if (found_in + found_out == 0)
		return;
	fmt_rate(a, sizeof a, found_in ? sum_in : NAN);
	fmt_rate(b, sizeof b, found_out ? sum_out : NAN);
	page_newline(p);
	page_printf(p, AT_NONE, fmt, a, b);
}

/* "1.2k pkt/s": a count a second in 12 columns at most, "-" where not known. */
static void
fmt_per_second(char *buf, size_t size, double v, const char *unit, int found)
{
	char n[32];

	fmt_number(n, sizeof n, 5, found ? v : NAN);
	snprintf(buf, size, found ? "%s %s" : "%s", n, unit);
}

/*
 * The network line: bytes, as the host's totals, and packets where the
 * stream has them; beneath, where an interface errs or drops, the
 * errors under the bytes and the drops under the packets, each way.
 */
static void
network_rows(const struct board *bd, struct page *p, const struct series *host,
    struct series **v, int n)
{
	static const char *const name[8] = {
		"network_receive_bytes_per_second", "network_transmit_bytes_per_second",
		"network_receive_packets_per_second", "network_transmit_packets_per_second",
		"network_receive_errors_per_second", "network_transmit_errors_per_second",
		"network_receive_drops_per_second", "network_transmit_drops_per_second",
	};
	static const char *const unit[8] = {
		NULL, NULL, "pkt/s", "pkt/s", "err/s", "err/s", "drop/s", "drop/s"
	};
	/* beneath receive: its errors, its drops; beneath transmit the same */
	static const int below[4] = { 4, 6, 5, 7 };
	static const int col[4] = { 18, 30, 54, 66 }, width[4] = { 11, 12, 11, 12 };
	char buf[8][32];
	double val[8];
	int found[8] = { 0 }, i, k, bad = 0;

	for (i = 0; i < 8; i++) {
		val[i] = host_rate(bd, host, v, n, name[i], &found[i]);
		if (i < 2)
			fmt_rate(buf[i], sizeof buf[i], found[i] ? val[i] : NAN);
		else
			fmt_per_second(buf[i], sizeof buf[i], val[i], unit[i], found[i]);
		bad |= i >= 4 && found[i] && val[i] != 0;
	}
	if (found[2] + found[3] == 0) {
		if (found[0] + found[1] > 0) {
			page_newline(p);
			page_printf(p, AT_NONE, " Network  receive %11s   transmit %11s", buf[0], buf[1]);
		}
	} else {
		page_newline(p);
		page_printf(p, AT_NONE, " Network  receive %11s %12s   transmit %11s %12s",
		    buf[0], buf[2], buf[1], buf[3]);
	}
	if (!bad)
		return;
	page_newline(p);
	for (i = 0; i < 4; i++) {
		k = below[i];
		page_pad(p, col[i]);
		draw_right(p, found[k] && val[k] != 0 ? AT_HIGH : AT_DIM, buf[k], width[i]);
	}
}

/*
 * The error signals, in the order the errors line lists them: what
 * loses work or data outright first, then what costs time.
 */
enum {
	SIG_OOM, SIG_READONLY, SIG_OVERFLOWS, SIG_RX_ERRORS, SIG_TX_ERRORS, SIG_RX_DROPS,
	SIG_TX_DROPS, SIG_RETRANSMITS, SIG_N
};

static const struct {
	const char *metric, *what, *label;	/* label: the one that names its device */
} signals[SIG_N] = {
	[SIG_OOM] = { "memory_oom_kills_per_second", "oom kills", NULL },
	[SIG_RX_ERRORS] = { "network_receive_errors_per_second", "rx errors", "device" },
	[SIG_TX_ERRORS] = { "network_transmit_errors_per_second", "tx errors", "device" },
	[SIG_RX_DROPS] = { "network_receive_drops_per_second", "rx drops", "device" },
	[SIG_TX_DROPS] = { "network_transmit_drops_per_second", "tx drops", "device" },
	[SIG_RETRANSMITS] = { "tcp_retransmits_per_second", "retransmits", NULL },
	[SIG_OVERFLOWS] = { "tcp_listen_overflows_per_second", "listen overflows", NULL },
	[SIG_READONLY] = { "disk_readonly", "read-only", "mountpoint" },
};

/* A signal that is not zero: its series, which of them, and what it names. */
struct signal {
	const struct series *s;
	int	 kind;
	const char *label;	/* from the stream; NULL: none */
	size_t	 len;
};

/* The interfaces' signals by interface, then errors before drops; the rest in their order. */
static int
by_signal(const void *p, const void *q)
{
	const struct signal *a = p, *b = q;
	int ga = a->kind >= SIG_RX_ERRORS && a->kind <= SIG_TX_DROPS ? SIG_RX_ERRORS : a->kind;
	int gb = b->kind >= SIG_RX_ERRORS && b->kind <= SIG_TX_DROPS ? SIG_RX_ERRORS : b->kind;
	int c;

	if (ga != gb)
		return ga - gb;
	if ((c = bytes_order(a->label ? a->label : "", a->label ? a->len : 0,
	    b->label ? b->label : "", b->label ? b->len : 0)) != 0)
		return c;
	return a->kind - b->kind;
}

/* Whether a signal of this kind names its device among sig. */
static int
labelled_too(const struct signal *sig, int k, int kind)
{
	int i;

	for (i = 0; i < k; i++)
		if (sig[i].kind == kind && sig[i].label != NULL)
			return 1;
	return 0;
}

/* The host's signals that are not zero, into sig; how many. */
static int
signals_of(struct series **v, int n, struct signal *sig)
{
	const char *m;
	size_t len;
	int i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < SIG_N && !named(v[i], signals[j].metric); j++)
			;
		if (j == SIG_N || v[i]->value == 0 || isnan(v[i]->value))
			continue;
		m = metric_of(v[i], &len);
		sig[k].s = v[i];
		sig[k].kind = j;
		sig[k].label = signals[j].label != NULL ?
		    metric_label_value(m, len, signals[j].label, &sig[k].len) : NULL;
		k++;
	}
	/* the host's sum over its interfaces says again what each of them says */
	for (i = j = 0; i < k; i++)
		if (sig[i].label != NULL || signals[sig[i].kind].label == NULL ||
		    !labelled_too(sig, k, sig[i].kind))
			sig[j++] = sig[i];
	k = j;
	qsort(sig, (size_t)k, sizeof *sig, by_signal);
	return k;
}

#define LABEL_MAX 24	/* columns of a device or mountpoint on the errors line */

/*
 * The errors line: each error signal of the host that is not zero, its
 * device or mountpoint and its value, " · " between; wrapped under
 * itself, on at most max_lines lines (0: all) and how many more.
 */
static void
errors_row(const struct board *b, struct page *p, const struct glyphs *g,
    const struct series *host, struct series **v, int n, int max_lines)
{
	struct signal *sig = xm_reallocarray(NULL, (size_t)n + 1, sizeof *sig);
	const struct series *pct;
	char val[64], num[32];
	int i, k = signals_of(v, n, sig), lines = 1, w, more, start = 1;
	int sepw = text_width(g->sep, strlen(g->sep));

	if (k > 0) {
		page_newline(p);
		page_put(p, AT_NONE, " Errors   ");
	}
	for (i = 0; i < k; i++) {
		val[0] = '\0';
		if (sig[i].kind != SIG_READONLY) {
			fmt_number(num, sizeof num, 6, sig[i].s->value);
			snprintf(val, sizeof val, " %s/s", num);
		}
		if (sig[i].kind == SIG_RETRANSMITS &&
		    (pct = lookup(b, host, "tcp_retransmit_percent")) != NULL) {
			fmt_number(num, sizeof num, 6, pct->value);
			snprintf(val + strlen(val), sizeof val - strlen(val), " (%s%%)", num);
		}
		w = (int)(strlen(signals[sig[i].kind].what) + strlen(val));
		if (sig[i].label != NULL)
			w += 1 + (text_width(sig[i].label, sig[i].len) < LABEL_MAX ?
			    text_width(sig[i].label, sig[i].len) : LABEL_MAX);
		/* on the last line, room for " · … and 12 more" after it, unless it is the last */
		more = lines == max_lines && i < k - 1 ? 16 : 0;
		if (!start && page_room(p) < sepw + w + more) {
			if (lines == max_lines) {
				page_put(p, AT_DIM, g->sep);
				page_printf(p, AT_DIM, "%s and %d more", g->more, k - i);
				break;
			}
			page_newline(p);
			page_pad(p, 10);
			lines++;
			start = 1;
		}
		if (!start)
			page_put(p, AT_DIM, g->sep);
		start = 0;
		if (sig[i].label != NULL) {
			page_safe(p, AT_NONE, sig[i].label, sig[i].len, LABEL_MAX);
			page_put(p, AT_NONE, " ");
		}
		page_put(p, AT_NONE, signals[sig[i].kind].what);
		page_put(p, sig[i].s->sev > SEV_OK ? sev_attr(sig[i].s->sev) : AT_HIGH, val);
	}
	free(sig);
}

/* A CPU's number, from its cpu="N" label; -1 for none. */
static long
cpu_number(const struct series *s)
{
	const char *m, *c;
	size_t len, n;
	char num[16], *end;
	long k;

	m = metric_of(s, &len);
	if ((c = metric_label_value(m, len, "cpu", &n)) == NULL || n == 0 || n >= sizeof num)
		return -1;
	memcpy(num, c, n);
	num[n] = '\0';
	k = strtol(num, &end, 10);
	return *end == '\0' && k >= 0 ? k : -1;
}

static int
by_cpu_number(const void *p, const void *q)
{
	long a = cpu_number(*(struct series *const *)p), b = cpu_number(*(struct series *const *)q);

	return (a > b) - (a < b);
}

/*
 * A bar for each CPU of the host (xm-sample --per-cpu's cpu="N"), in
 * their numbers' order, as many a line as the width holds at 40 columns
 * each.
 */
static void
cpu_rows(struct page *p, const struct glyphs *g, struct series **v, int n, int max)
{
	struct series **c = xm_reallocarray(NULL, (size_t)n + 1, sizeof *c);
	int i, k = 0, cols = p->width / 40 < 1 ? 1 : p->width / 40, w = p->width / cols - 18;
	int shown;
	char label[16], buf[32];

	for (i = 0; i < n; i++)
		if (named(v[i], "cpu_usage_percent") && cpu_number(v[i]) >= 0)
			c[k++] = v[i];
	qsort(c, (size_t)k, sizeof *c, by_cpu_number);
	/* max lines at most (0: all), the last saying how many more */
	shown = max <= 0 || (k + cols - 1) / cols <= max ? k : (max - 1) * cols;
	for (i = 0; i < shown; i++) {
		if (i % cols == 0)
			page_newline(p);
		else
			page_pad(p, (i % cols) * (p->width / cols));
		snprintf(label, sizeof label, "  %ld", cpu_number(c[i]));
		page_printf(p, AT_DIM, "%-7s", label);
		draw_bar(p, g, sev_attr(c[i]->sev < 0 ? 0 : c[i]->sev), c[i]->value, w < 8 ? 8 : w);
		fmt_number(buf, sizeof buf, 6, c[i]->value);
		page_put(p, AT_NONE, " ");
		draw_right(p, AT_NONE, buf, 6);
		page_put(p, AT_NONE, "%");
	}
	if (shown < k) {
		page_newline(p);
		page_printf(p, AT_DIM, " %s and %d more CPUs", g->more, k - shown);
	}
	free(c);
}

static void
system_panel(const struct board *b, struct page *p, const struct glyphs *g,
    struct series **v, int n, const struct series *host, int hosts, int max_errors,
    int max_cpus, const struct view *view)
{
	static const struct { const char *label, *metric; } pct[] = {
		{ "CPU", "cpu_usage_percent" },
		{ "Memory", "memory_usage_percent" },
		{ "Swap", "swap_usage_percent" },
	};
	struct series *s, *l5, *l15, *pc;
	char buf[32];
	size_t i;

	if (hosts > 1) {
		/* the host is the stream's text: through page_safe */
		draw_title_start(p, g, "System");
		page_safe(p, AT_TITLE, host->id.it.key, host->id.hostlen, 40);
		page_put(p, AT_TITLE, " ");
		draw_title_rule(p, g, 0);
	} else {
		draw_title(p, g, "System");
	}
	for (i = 0; i < sizeof pct / sizeof pct[0]; i++) {
		if ((s = lookup(b, host, pct[i].metric)) != NULL)
			percent_row(p, g, pct[i].label, s);
		if (i == 0 && view->per_cpu)
			cpu_rows(p, g, v, n, max_cpus);
	}
	pressure_row(b, p, g, host);
	if ((s = lookup(b, host, "load1")) != NULL) {
		l5 = lookup(b, host, "load5");
		l15 = lookup(b, host, "load15");
		pc = lookup(b, host, "load1_per_cpu");
		page_newline(p);
		page_put(p, AT_NONE, " Load     ");
		draw_number(p, AT_NONE, s->value, 6);
		draw_number(p, AT_NONE, l5 ? l5->value : NAN, 7);
		draw_number(p, AT_NONE, l15 ? l15->value : NAN, 7);
		page_put(p, AT_DIM, "  1/5/15 min  ");
		/*
		 * Judged per CPU of the host sampled, as xm-alert's rule on
		 * load1_per_cpu judged it (or the board's default of that
		 * rule); a rule of one's own on load1 too: the worse.
		 */
		if (pc != NULL) {
			fmt_number(buf, sizeof buf, 6, pc->value);
			page_printf(p, AT_NONE, "%s per CPU  ", buf);
		}
		draw_light(p, g, pc != NULL && pc->sev > s->sev ? pc->sev : s->sev);
	}
	network_rows(b, p, host, v, n);
	io_row(b, p, host, v, n, " Disk io  read    %11s   write    %11s",
	    "disk_read_bytes_per_second", "disk_write_bytes_per_second");
	errors_row(b, p, g, host, v, n, max_errors);
}

static int
fullest(const void *p, const void *q)
{
	const struct series *a = *(struct series *const *)p, *b = *(struct series *const *)q;

	return (a->value < b->value) - (a->value > b->value);
}

/* A week: a disk that fills later than that is not said to. */
#define FULL_SOON (7 * 86400.0)

/* When xm-buffer's line says a disk is full, in seconds from now, within a week; else NAN. */
static double
full_in(const struct series *s)
{
	const char *f = series_field(s, "eta_seconds");
	double eta;

	if (f == NULL || num_parse(f, &eta) != 0 || !(eta < FULL_SOON))
		return NAN;
	return eta;
}

/*
 * The space left on the disk of a disk_usage_percent series: the
 * disk_avail_bytes series of the same labels, df's Avail (what
 * unprivileged users can still write); NULL where the stream has none.
 */
static const struct series *
disk_avail(const struct board *b, const struct series *s)
{
	const char *m;
	size_t len, n;

	/* an unlabelled disk_usage_percent has no filesystem of its own to find */
	m = metric_of(s, &len);
	if (metric_labels(m, len, &n) == NULL)
		return NULL;
	return sibling(b, s, "disk_avail_bytes");
}

/* A row's first column: the series' host where there are several, and its label's value. */
static void
disk_name(struct page *p, const struct series *s, const char *label, int hosts, int col)
{
	const char *m, *name;
	size_t len, nlen;

	page_newline(p);
	page_put(p, AT_NONE, " ");
	m = metric_of(s, &len);
	if ((name = metric_label_value(m, len, label, &nlen)) == NULL) {
		name = m;
		nlen = len;
	}
	if (hosts > 1) {
		page_safe(p, AT_NONE, s->id.it.key, s->id.hostlen, 8);
		page_put(p, AT_DIM, ":");
	}
	page_safe(p, AT_NONE, name, nlen, col - 2 - (p->lines[p->nline - 1].width - 1));
	page_pad(p, col);
}

/* A filesystem's row: its bar and light, the space left, when it is full. */
static void
fs_row(const struct board *b, struct page *p, const struct glyphs *g, const struct series *d,
    int hosts, int col, int w, int after, int left)
{
	const struct series *avail;
	char buf[32], span[NUM_MAX];
	double eta;

	disk_name(p, d, "mountpoint", hosts, col);
	draw_bar(p, g, sev_attr(d->sev < 0 ? 0 : d->sev), d->value, w);
	fmt_number(buf, sizeof buf, 6, d->value);
	page_put(p, AT_NONE, " ");
	draw_right(p, AT_NONE, buf, 6);
	page_put(p, AT_NONE, "% ");
	draw_light(p, g, d->sev);
	if ((avail = disk_avail(b, d)) != NULL) {
		fmt_size(buf, sizeof buf, avail->value);
		page_pad(p, after);
		page_printf(p, AT_NONE, " %7s left", buf);
	}
	if (!isnan(eta = full_in(d))) {
		num_format_span(span, eta);
		page_pad(p, after + (left ? 14 : 0));
		page_printf(p, eta < 86400 ? AT_HIGH : AT_NONE, " full in %s", span);
	}
}

/* A disk's series, by the labels of one of them. */
enum { D_BUSY, D_READ, D_WRITE, D_QUEUE, D_N };

struct device {
	const struct series *s[D_N];	/* NULL: none in the stream, or none of this interval */
	const struct series *any;	/* one of them: its host and labels */
};

static const char *const device_names[D_N] = {
	"disk_busy_percent", "disk_read_await_seconds", "disk_write_await_seconds",
	"disk_queue_length"
};

/*
 * The series of the disk that any is of, each where it is of the newest
 * interval of them: xm-sample writes no await for an interval without a
 * read (or a write), nor a busy time or queue where a counter went back,
 * and the last one, older, is not news.
 */
static void
device_find(const struct board *b, const struct series *any, struct device *d)
{
	double newest = -INFINITY;
	int i;

	for (i = 0; i < D_N; i++) {
		d->s[i] = sibling(b, any, device_names[i]);
		if (d->s[i] != NULL && d->s[i]->ts > newest)
			newest = d->s[i]->ts;
	}
	for (i = 0; i < D_N; i++)
		if (d->s[i] != NULL && d->s[i]->ts < newest)
			d->s[i] = NULL;
	d->any = any;
}

static double
device_value(const struct device *d, int i)
{
	return d->s[i] != NULL ? d->s[i]->value : NAN;
}

/* By host, then by labels: the disks in their names' order, whichever series a row is made from. */
static int
by_device(const void *p, const void *q)
{
	const struct device *a = p, *b = q;
	const char *la, *lb;
	size_t ma, mb, na = 0, nb = 0;

	if (!series_same_host(&a->any->id, &b->any->id))
		return series_cmp(&a->any->id, &b->any->id);
	la = metric_of(a->any, &ma);
	lb = metric_of(b->any, &mb);
	la = metric_labels(la, ma, &na);
	lb = metric_labels(lb, mb, &nb);
	return bytes_order(la != NULL ? la : "", la != NULL ? na : 0, lb != NULL ? lb : "",
	    lb != NULL ? nb : 0);
}

static int
busiest(const void *p, const void *q)
{
	const struct device *a = p, *b = q;
	double va = device_value(a, D_BUSY), vb = device_value(b, D_BUSY);

	if (isnan(va) != isnan(vb))
		return isnan(va) - isnan(vb);
	if (va != vb && !isnan(va))
		return va < vb ? 1 : -1;
	return by_device(p, q);
}

/* The columns a device row takes after its bar. */
#define DEVICE_TAIL 46

/* A disk's row: a bar of its busy time, its read and write await, its queue. */
static void
device_row(struct page *p, const struct glyphs *g, const struct device *d, int hosts,
    int col, int w)
{
	char buf[32];
	int i, sev = -1;

	for (i = 0; i < D_N; i++)
		sev = worse(sev, sev_of(d->s[i]));
	disk_name(p, d->any, "device", hosts, col);
	draw_bar(p, g, sev_attr(sev < 0 ? 0 : sev), device_value(d, D_BUSY), w);
	fmt_number(buf, sizeof buf, 6, device_value(d, D_BUSY));
	page_put(p, AT_NONE, " ");
	draw_right(p, value_attr(sev_of(d->s[D_BUSY])), buf, 6);
	page_put(p, AT_NONE, "% busy  r ");
	fmt_wait(buf, sizeof buf, device_value(d, D_READ));
	draw_right(p, value_attr(sev_of(d->s[D_READ])), buf, 6);
	page_put(p, AT_NONE, "  w ");
	fmt_wait(buf, sizeof buf, device_value(d, D_WRITE));
	draw_right(p, value_attr(sev_of(d->s[D_WRITE])), buf, 6);
	page_put(p, AT_NONE, "  queue ");
	fmt_number(buf, sizeof buf, 5, device_value(d, D_QUEUE));
	draw_right(p, value_attr(sev_of(d->s[D_QUEUE])), buf, 5);
}

const char *const panel_names[PANEL_N] = {
	"Disks", "Disk devices", "Processes", "Alerts", "Trends", "Other series"
};

/* The rows of a panel that are shown: [first, last), and how many are above and below them. */
struct window {
	int	 first, last;
	int	 above;		/* a line says how many rows are above first */
};

/*
 * Of a panel's k rows, those max lines show (0: all), from the view's
 * offset, which is kept within them: a line says how many are above,
 * where some are, and one how many more are below.  Cut short, the rows
 * are first put in order, the most urgent first.
 */
static struct window
rows_window(struct view *view, int panel, void *rows, size_t size, int k, int max,
    int (*order)(const void *, const void *))
{
	struct window w = { 0, k, 0 };
	int off, hi, tell;

	if (max <= 0 || k <= max) {
		view->off[panel] = 0;
		return w;
	}
	if (order != NULL)
		qsort(rows, (size_t)k, size, order);
	view->cut |= 1u << panel;
	view->room[panel] = max;
	/* two lines or fewer: no line to spare for those above */
	tell = max >= 3;
	/* one line: a row, and no room to say how many more */
	hi = tell ? k - (max - 1) : max == 1 ? k - 1 : k - max;
	off = view->off[panel] > hi ? hi : view->off[panel] < 0 ? 0 : view->off[panel];
	view->off[panel] = off;
	w.first = off;
	w.above = tell && off > 0;
	w.last = off == hi ? k : max == 1 ? off + 1 : off + max - 1 - w.above;
	return w;
}

static void
rows_above(struct page *p, const struct glyphs *g, struct window w)
{
	if (w.above) {
		page_newline(p);
		page_printf(p, AT_DIM, " %s %d above", g->up, w.first);
	}
}

static void
rows_more(struct page *p, const struct glyphs *g, struct window w, int k)
{
	if (w.last < k) {
		page_newline(p);
		page_printf(p, AT_DIM, " %s and %d more", g->more, k - w.last);
	}
}

/* Whether s is the series a disk's row is made from: its busy time, or its queue where it has none. */
static int
device_key(const struct board *b, const struct series *s)
{
	if (named(s, device_names[D_BUSY]))
		return 1;
	return named(s, device_names[D_QUEUE]) && sibling(b, s, device_names[D_BUSY]) == NULL;
}

/*
 * A bar for each filesystem, the space left on it where the stream says,
 * and when it is full if that is within a week; then a bar for each
 * disk's busy time, with its await and queue.  When max cuts them short,
 * the fullest and the busiest, and how many more.
 */
static void
disk_rows(const struct board *b, struct page *p, const struct glyphs *g, struct series **v,
    int n, int hosts, int max, int max_dev, struct view *view)
{
	struct series **d = xm_reallocarray(NULL, (size_t)n + 1, sizeof *d);
	struct device *dev = xm_reallocarray(NULL, (size_t)n + 1, sizeof *dev);
	int i, k = 0, kd = 0, col = hosts > 1 ? 23 : 14, w = p->width - col - 20, soon = 0;
	int left = 0, after, res, wd;
	struct window win;

	for (i = 0; i < n; i++) {
		if (named(v[i], "disk_usage_percent")) {
			d[k++] = v[i];
			soon |= !isnan(full_in(v[i]));
			left |= disk_avail(b, v[i]) != NULL;
		} else if (device_key(b, v[i])) {
			device_find(b, v[i], &dev[kd++]);
		}
	}
	/*
	 * Room on every row for " 12.3 GB left " and " full in 6d23h" when
	 * one says it, and for a disk's await and queue: the bar gives way,
	 * the same width on every row.
	 */
	res = (soon ? 15 : 0) + (left ? 14 : 0);
	w = w - res < 10 ? 10 : w - res;
	wd = p->width - col - 2 - DEVICE_TAIL;
	wd = wd < 6 ? 6 : wd;
	if (k > 0 && kd > 0)
		w = wd = wd < w ? wd : w;
	/* where they start: past the widest light ("● emerg"), within the page */
	after = col + w + 20;
	if (after + res > p->width)
		after = p->width - res;
	if (k + kd > 0)
		draw_title(p, g, "Disks");
	win = rows_window(view, PANEL_DISKS, d, sizeof *d, k, max, fullest);
	rows_above(p, g, win);
	for (i = win.first; i < win.last; i++)
		fs_row(b, p, g, d[i], hosts, col, w, after, left);
	rows_more(p, g, win, k);
	qsort(dev, (size_t)kd, sizeof *dev, by_device);
	win = rows_window(view, PANEL_DEVICES, dev, sizeof *dev, kd, max_dev, busiest);
	rows_above(p, g, win);
	for (i = win.first; i < win.last; i++)
		device_row(p, g, &dev[i], hosts, col, wd);
	rows_more(p, g, win, kd);
	free(d);
	free(dev);
}

static int
by_alert(const void *p, const void *q)
{
	const struct series *a = *(struct series *const *)p, *b = *(struct series *const *)q;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (isnan(a->since) || isnan(b->since))	/* by the default thresholds: last */
		return isnan(a->since) - isnan(b->since);
	return (a->since > b->since) - (a->since < b->since);
}

static void
alerts_panel(const struct board *b, struct page *p, const struct glyphs *g,
    struct series **v, int n, int hosts, int max_active, int max_events, struct view *view)
{
	struct window win;
	struct series **act = xm_reallocarray(NULL, (size_t)n + 1, sizeof *act);
	const struct show_event *e;
	char d[32], ts[32];
	const char *id, *rule, *words;
	int i, k = 0, ruled = 0, name_w, hw, drawn;
	int ev_w = p->width - 40 > 60 ? 60 : p->width - 40, before_w;
	size_t j, shown;
	time_t t;
	struct tm tm;

	for (i = 0; i < n; i++)
		if (v[i]->sev > SEV_OK) {
			act[k++] = v[i];
			ruled |= (rule = series_field(v[i], "rule")) != NULL && strchr(rule, ' ') != NULL;
		}
	/* from 100 columns the alert_id, and the rule where there is one, have room */
	name_w = p->width - 34 - (p->width < 100 ? 0 : ruled ? 52 : 18);
	if (name_w > 60)
		name_w = 60;
	qsort(act, (size_t)k, sizeof *act, by_alert);
	draw_title(p, g, "Alerts");
	if (k == 0) {
		page_newline(p);
		page_put(p, AT_DIM, " no active alerts");
	}
	/* max_active rows, and the line that says how many more */
	win = rows_window(view, PANEL_ALERTS, act, sizeof *act, k,
	    max_active <= 0 ? 0 : max_active + 1, NULL);
	rows_above(p, g, win);
	for (i = win.first; i < win.last; i++) {
		page_newline(p);
		page_put(p, AT_NONE, " ");
		page_put(p, sev_attr(act[i]->sev), g->dot);
		page_printf(p, sev_attr(act[i]->sev), " %-5s ", sev_word(act[i]->sev));
		draw_series_name(p, act[i], hosts, name_w < 20 ? 20 : name_w);
		page_pad(p, name_w + 10);
		page_put(p, AT_NONE, " ");
		draw_number(p, AT_NONE, act[i]->value, 8);
		if (isfinite(act[i]->since)) {
			num_format_span(d, b->newest - act[i]->since);
			page_printf(p, AT_NONE, "  for %-7s", d);
		} else {
			page_put(p, AT_DIM, "  by default ");
		}
		/* the alert's rule, by its words after the metric glob the name shows */
		if ((rule = series_field(act[i], "rule")) != NULL &&
		    (words = strchr(rule, ' ')) != NULL && page_room(p) >= 12) {
			page_put(p, AT_NONE, "  ");
			page_safe(p, AT_DIM, words + 1, strlen(words + 1), 32);
		}
		if (p->width >= 100 && (id = series_field(act[i], "alert_id")) != NULL &&
		    strcmp(id, "-") != 0 && page_room(p) >= 18) {
			page_put(p, AT_DIM, "  ");
			page_safe(p, AT_DIM, id, strlen(id), 16);
		}
	}
	rows_more(p, g, win, k);
	free(act);
	shown = b->nev < EVENTS ? b->nev : EVENTS;
	for (j = drawn = 0; j < shown && (max_events == 0 || drawn < max_events); j++) {
		e = &b->ev[(b->nev - 1 - j) % EVENTS];
		if (e->hostlen < e->len &&
		    !view_match(view, e->name + e->hostlen + 1, e->len - e->hostlen - 1))
			continue;
		if (drawn++ == 0 && max_events == 0) {
			page_newline(p);
			page_put(p, AT_TITLE, " last events");
		}
		t = (time_t)(fabs(e->ts) < 1e15 ? floor(e->ts) : 0);
		if (fabs(e->ts) < 1e15 && localtime_r(&t, &tm) != NULL)
			strftime(ts, sizeof ts, "%H:%M:%S", &tm);
		else
			snprintf(ts, sizeof ts, "-");
		page_newline(p);
		page_printf(p, AT_NONE, " %s ", ts);
		page_safe(p, sev_attr(e->sev), e->event, strlen(e->event), 11);
		page_pad(p, 22);
		page_put(p, sev_attr(e->sev), sev_word(e->sev));
		page_pad(p, 28);
		/* the metric, and the host where there are several or the name was cut in it */
		hw = 0;
		if (hosts > 1 || e->hostlen == e->len) {
			before_w = p->lines[p->nline - 1].width;
			page_safe(p, AT_NONE, e->name, e->hostlen, 12);
			page_put(p, AT_DIM, ":");
			hw = p->lines[p->nline - 1].width - before_w;
		}
		if (e->hostlen < e->len)
			draw_metric(p, AT_NONE, e->name + e->hostlen + 1, e->len - e->hostlen - 1,
			    ev_w - hw);
		page_pad(p, 29 + ev_w);
		page_put(p, AT_NONE, " ");
		draw_number(p, AT_NONE, e->value, 8);
	}
}

/* The name column of the trends: what the numbers, arrow, sparkline and zscore leave. */
static int
trend_name_width(const struct page *p)
{
	int spark = p->width > 80 ? (p->width - 80) / 2 + 10 : 10, w = p->width - 44 - spark;

	return w > 48 ? 48 : w < 12 ? 12 : w;
}

/* A robust z-score past this is marked: a value far out of its window, not noise. */
#define RZ_ANOMALY 6

/* One series: value, mean, min, max, trend arrow, sparkline, and its rzscore or zscore. */
static void
trend_row(struct page *p, const struct glyphs *g, const struct series *s, int hosts)
{
	struct series_window w;
	double mean, lo, hi, v;
	uint32_t n = s->nhist < HIST ? s->nhist : HIST, i;
	int name_w = trend_name_width(p), spark_w;
	char z[32];

	series_window(s, &w);
	mean = w.mean;
	lo = w.min;
	hi = w.max;
	if (name_w < 12)
		name_w = 12;
	if (isnan(mean)) {
		/* no xm-buffer upstream: over the values kept here */
		mean = 0;
		lo = INFINITY;
		hi = -INFINITY;
		for (i = 0; i < n; i++) {
			v = series_hist(s, i);
			mean += (v - mean) / (i + 1);	/* no sum to overflow */
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	page_newline(p);
	page_put(p, AT_NONE, " ");
	draw_series_name(p, s, hosts, name_w - 1);
	page_pad(p, name_w + 1);
	draw_number(p, sev_attr(s->sev < 0 ? 0 : s->sev), s->value, 7);
	page_put(p, AT_NONE, " ");
	draw_number(p, AT_NONE, mean, 7);
	page_put(p, AT_NONE, " ");
	draw_number(p, AT_NONE, lo, 7);
	page_put(p, AT_NONE, " ");
	draw_number(p, AT_NONE, hi, 7);
	page_put(p, AT_NONE, " ");
	page_put(p, AT_NONE, w.trend == 1 ? g->up : w.trend == -1 ? g->down :
	    w.trend == 0 ? g->level : " ");
	page_put(p, AT_NONE, " ");
	spark_w = page_room(p) - 8;
	draw_spark(p, g, s, w.n, spark_w);
	/* the robust score where xm-buffer gave one: a spike drags neither its median nor its MAD */
	if (isfinite(w.rzscore) && w.rzscore != 0) {
		page_pad(p, p->width - 7);
		snprintf(z, sizeof z, "r%+.1f", w.rzscore);
		draw_right(p, fabs(w.rzscore) > RZ_ANOMALY ? AT_HIGH : AT_DIM, z, 7);
	} else if (isfinite(w.zscore) && w.zscore != 0) {
		page_pad(p, p->width - 7);
		snprintf(z, sizeof z, "z%+.1f", w.zscore);
		draw_right(p, fabs(w.zscore) >= 3 ? AT_HIGH : AT_DIM, z, 7);
	}
}

static int
system_series(const struct series *s)
{
	static const char *const prefixes[] = {
		"cpu_", "memory_", "swap_", "load", "disk_", "network_", "process_", "pressure_",
		"cgroup_", "file_handles_", "processes_", "forks_", "context_switches_",
		"interrupts_", "tcp_", "udp_", "temperature_", NULL
	};
	int i;

	for (i = 0; prefixes[i] != NULL; i++)
		if (prefixed(s, prefixes[i]))
			return 1;
	return 0;
}

/*
 * The processes panel: a row a process of each host's newest set (one
 * that has exited, or left xm-sample --top's lists, is off it at the
 * next set, however long its series is kept), from the series of its
 * memory and those beside it with the same labels and the same time.
 */
enum { P_CPU, P_MEM, P_READ, P_WRITE, P_N };

static const char *const proc_names[P_N] = {
	"process_cpu_percent", "process_resident_memory_bytes",
	"process_read_bytes_per_second", "process_write_bytes_per_second"
};

struct proc_row {
	const struct series *s[P_N];	/* NULL: none of the newest set */
};

/* Whether s is one process's (xm-sample's process_* with a pid): a row of the processes panel. */
static int
process_series(const struct series *s)
{
	const char *m;
	size_t len, n;

	if (!prefixed(s, "process_"))
		return 0;
	m = metric_of(s, &len);
	return metric_label_value(m, len, "pid", &n) != NULL;
}

/* Whether s is of its host's newest set. */
static int
current(const struct board *b, const struct series *s)
{
	return s->ts >= (s->host != NULL ? s->host->newest : b->newest);
}

/* Whether s is the series a process's row is made from. */
static int
proc_key(const struct board *b, const struct series *s)
{
	return named(s, proc_names[P_MEM]) && current(b, s);
}

static void
proc_find(const struct board *b, const struct series *mem, struct proc_row *r)
{
	int i;

	for (i = 0; i < P_N; i++) {
		r->s[i] = i == P_MEM ? mem : sibling(b, mem, proc_names[i]);
		if (r->s[i] != NULL && r->s[i]->ts != mem->ts)
			r->s[i] = NULL;
	}
}

static double
proc_value(const struct proc_row *r, int i)
{
	return r->s[i] != NULL ? r->s[i]->value : NAN;
}

/* A row's figure for an order: CPU, memory, or storage read and written. */
static double
proc_key_value(const struct proc_row *r, int sort)
{
	switch (sort) {
	case SORT_MEM:
		return proc_value(r, P_MEM);
	case SORT_IO:
		return proc_value(r, P_READ) + proc_value(r, P_WRITE);
	default:
		return proc_value(r, P_CPU);
	}
}

/* qsort_r's order of rows: the largest of the chosen figure first, then of memory, then by name. */
static int
by_figure(const void *p, const void *q, void *arg)
{
	const struct proc_row *a = p, *b = q;
	int sort = *(const int *)arg, k, key[2] = { sort, SORT_MEM };
	double va, vb;

	for (k = 0; k < 2; k++) {
		va = proc_key_value(a, key[k]);
		vb = proc_key_value(b, key[k]);
		if (isnan(va) != isnan(vb))
			return isnan(va) - isnan(vb);
		if (va != vb && !isnan(va))
			return va < vb ? 1 : -1;
	}
	return series_cmp(&a->s[P_MEM]->id, &b->s[P_MEM]->id);
}

static void
proc_row(struct page *p, const struct glyphs *g, const struct proc_row *r, int hosts)
{
	const struct series *mem = r->s[P_MEM];
	const char *m, *pid, *comm;
	size_t len, npid = 0, ncomm = 0;
	char buf[32];
	int i, col;

	m = metric_of(mem, &len);
	if ((pid = metric_label_value(m, len, "pid", &npid)) == NULL)
		pid = "";
	if ((comm = metric_label_value(m, len, "comm", &ncomm)) == NULL)
		comm = "";
	page_newline(p);
	page_pad(p, 8 - (int)(npid < 7 ? npid : 7));
	page_safe(p, AT_NONE, pid, npid, 7);
	page_put(p, AT_NONE, " ");
	if (hosts > 1) {
		page_safe(p, AT_NONE, mem->id.it.key, mem->id.hostlen, 8);
		page_put(p, AT_DIM, ":");
	}
	col = hosts > 1 ? 34 : 25;
	page_safe(p, AT_NONE, comm, ncomm, col - 1 - p->lines[p->nline - 1].width);
	page_pad(p, col);
	fmt_number(buf, sizeof buf, 6, proc_value(r, P_CPU));
	draw_right(p, value_attr(sev_of(r->s[P_CPU])), buf, 6);
	page_put(p, AT_NONE, "  ");
	fmt_size(buf, sizeof buf, proc_value(r, P_MEM));
	draw_right(p, value_attr(sev_of(mem)), buf, 8);
	for (i = P_READ; i <= P_WRITE; i++) {
		page_put(p, AT_NONE, "  ");
		fmt_rate(buf, sizeof buf, proc_value(r, i));
		draw_right(p, value_attr(sev_of(r->s[i])), buf, 10);
	}
	/* the rest of the width: a bar of its CPU, a CPU's worth full */
	if (page_room(p) >= 14 && isfinite(proc_value(r, P_CPU))) {
		page_put(p, AT_NONE, "  ");
		draw_bar(p, g, value_attr(sev_of(r->s[P_CPU])), proc_value(r, P_CPU),
		    page_room(p) - 2);
	}
}

/* A row a process, in the order chosen; max cuts them short (0: all). */
static void
processes_panel(const struct board *b, struct page *p, const struct glyphs *g,
    struct series **v, int n, int hosts, int max, struct view *view)
{
	struct window win;
	int sort = view->sort;
	static const char *const titles[] = { "Processes by CPU", "Processes by memory",
	    "Processes by I/O" };
	struct proc_row *r = xm_reallocarray(NULL, (size_t)n + 1, sizeof *r);
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (proc_key(b, v[i]))
			proc_find(b, v[i], &r[k++]);
	if (k > 0) {
		draw_title(p, g, titles[sort]);
		page_newline(p);
		page_put(p, AT_DIM, hosts > 1 ? "     PID HOST:NAME" : "     PID NAME");
		page_pad(p, hosts > 1 ? 36 : 27);
		page_put(p, AT_DIM, "CPU%       MEM      READ/s     WRITE/s");
		qsort_r(r, (size_t)k, sizeof *r, by_figure, &sort);
		win = rows_window(view, PANEL_PROCS, r, sizeof *r, k, max, NULL);
		rows_above(p, g, win);
		for (i = win.first; i < win.last; i++)
			proc_row(p, g, &r[i], hosts);
		rows_more(p, g, win, k);
	}
	free(r);
}

/* The trends panel's order: the headline series first, then by name. */
static int
rank(const struct series *s)
{
	static const char *const first[] = {
		"cpu_usage_percent", "memory_usage_percent", "swap_usage_percent", "load1",
		"disk_usage_percent", "network_receive_bytes_per_second",
		"network_transmit_bytes_per_second", "disk_read_bytes_per_second",
		"disk_write_bytes_per_second", NULL
	};
	int i;

	for (i = 0; first[i] != NULL; i++)
		if (named(s, first[i]))
			return i;
	return i;
}

static int
by_rank(const void *p, const void *q)
{
	const struct series *a = *(struct series *const *)p, *b = *(struct series *const *)q;
	int ra = rank(a), rb = rank(b);

	if (ra != rb)
		return ra - rb;
	return series_cmp(&a->id, &b->id);
}

/* A panel of series a row each, its title naming the columns. */
static void
list_panel(struct page *p, const struct glyphs *g, int panel, struct series **v, int n,
    int hosts, int max, struct view *view)
{
	struct series_window w;
	struct window win;
	int i, col = trend_name_width(p) + 1, apart = 0;

	if (n == 0)
		return;
	/*
	 * An arrow of xm-buffer's window beside a sparkline that cannot be
	 * of it (a stream without n): the title says so.
	 */
	for (i = 0; i < n && (max <= 0 || i < max); i++) {
		series_window(v[i], &w);
		apart |= w.trend != 2 && isnan(w.n);
	}
	draw_title_start(p, g, panel_names[panel]);
	draw_title_rule(p, g, col);
	page_put(p, AT_TITLE, "  value    mean     min     max ");
	if (apart) {
		page_put(p, AT_TITLE, g->rule);
		page_put(p, AT_TITLE, " sparkline: newest ");
	}
	draw_title_rule(p, g, 0);
	win = rows_window(view, panel, v, sizeof *v, n, max, NULL);
	rows_above(p, g, win);
	for (i = win.first; i < win.last; i++)
		trend_row(p, g, v[i], hosts);
	rows_more(p, g, win, n);
}

static void
header(const struct board *b, struct page *p, struct series **v, int n, int hosts, double rps)
{
	int count[SEV_N] = { 0 }, i, shown = 0;
	char ts[64];
	time_t t;
	struct tm tm;

	for (i = 0; i < n; i++)
		if (v[i]->sev > SEV_OK)
			count[v[i]->sev]++;
	page_newline(p);
	page_put(p, AT_TITLE, "xm ");
	if (hosts == 1)
		page_safe(p, AT_TITLE, v[0]->id.it.key, v[0]->id.hostlen, 24);
	else if (hosts > 1)
		page_printf(p, AT_TITLE, "%d hosts", hosts);
	ts[0] = '\0';
	if (fabs(b->newest) < 1e15) {
		t = (time_t)floor(b->newest);
		if (localtime_r(&t, &tm) != NULL)
			strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S %Z", &tm);
	}
	page_printf(p, AT_NONE, "  %s  %.4g rec/s  ", ts[0] ? ts : "no data", rps);
	for (i = SEV_EMERGENCY; i > SEV_OK; i--) {
		if (count[i] == 0)
			continue;
		page_printf(p, sev_attr(i), "%s%d %s", shown++ ? " " : "", count[i], sev_word(i));
	}
	if (shown == 0)
		page_put(p, AT_OK, "no alerts");
	if (b->skipped > 0)
		page_printf(p, AT_HIGH, "  %zu skipped", b->skipped);
	if (b->series.refused > 0)
		page_printf(p, AT_HIGH, "  %zu left out", b->series.refused);
}

/*
 * The whole dashboard.  height 0: every line; else the page is cut to
 * fit, the trends and other panels giving way first.
 */
void
panels_draw(const struct board *b, struct page *p, int height, double rps, struct view *view)
{
	const struct glyphs *g = glyphs_for(p->ascii);
	struct series **v, **sys, **other;
	struct page part[PART_N];
	int n = board_sorted(b, &v), i, hosts = 0, nsys = 0, nother = 0, left, k, used;
	int max_disks = 0, max_dev = 0, max_active = 0, max_events = 0, max_sys = 0, max_other = 0;
	int max_proc = 0, on[PART_N] = { 0 };
	size_t before, len;
	const char *m;

	if (view->filter[0] != '\0') {
		for (i = k = 0; i < n; i++) {
			m = metric_of(v[i], &len);
			if (view_match(view, m, len))
				v[k++] = v[i];
		}
		n = k;
	}
	for (i = 0; i < view->nparts; i++)
		on[view->parts[i]] = 1;
	/* each panel on a page of its own, put together in the order chosen at the end */
	for (i = 0; i < PART_N; i++)
		page_init(&part[i], p->width, p->ascii);

	for (i = 0; i < n; i++)
		if (i == 0 || !same_host(v[i], v[i - 1]))
			hosts++;
	sys = xm_reallocarray(NULL, (size_t)n + 1, sizeof *sys);
	other = xm_reallocarray(NULL, (size_t)n + 1, sizeof *other);
	for (i = 0; i < n; i++) {
		if (process_series(v[i]))
			continue;	/* the processes panel's */
		if (system_series(v[i]))
			sys[nsys++] = v[i];
		else
			other[nother++] = v[i];
	}
	nsys = on[PART_TRENDS] ? nsys : 0;
	nother = on[PART_OTHER] ? nother : 0;
	qsort(sys, (size_t)nsys, sizeof *sys, by_rank);
	header(b, p, v, n, hosts, rps);
	for (i = 0; on[PART_SYSTEM] && i < n; i = k) {
		/* one host's series, together in v: what its panel reads */
		for (k = i + 1; k < n && same_host(v[k], v[i]); k++)
			;
		before = part[PART_SYSTEM].nline;
		system_panel(b, &part[PART_SYSTEM], g, v + i, k - i, v[i], hosts,
		    height > 0 && height < 40 ? 2 : 0,
		    height > 0 ? (height / 4 < 2 ? 2 : height / 4) : 0, view);
		/* a host with none of the system series: no panel */
		if (part[PART_SYSTEM].nline == before + 1)
			part[PART_SYSTEM].nline--;
		if (height > 0 && (int)(p->nline + part[PART_SYSTEM].nline) > height / 2)
			break;
	}
	used = (int)(p->nline + part[PART_SYSTEM].nline);
	if (height > 0) {
		/*
		 * Room, below the system panels as drawn, for the trends (their
		 * title and three rows) and the other series (two): the alerts
		 * panel gives way first, then the disks' rows.
		 */
		int fixed, nact = 0, ndisk = 0, ndev = 0, nproc = 0;
		int nev = b->nev < EVENTS ? (int)b->nev : EVENTS;

		for (i = 0; i < n; i++) {
			nact += v[i]->sev > SEV_OK;
			ndisk += on[PART_DISKS] && named(v[i], "disk_usage_percent");
			ndev += on[PART_DISKS] && device_key(b, v[i]);
			nproc += on[PART_PROCS] && proc_key(b, v[i]);
		}
		max_disks = max_dev = height >= 40 ? 8 : 3;
		max_proc = height >= 40 ? 10 : 4;
		max_active = height >= 40 ? 8 : 3;
		max_events = height >= 40 ? 6 : 2;
		for (;;) {
			fixed = used + (ndisk + ndev > 0) +
			    (ndisk < max_disks ? ndisk : max_disks) +
			    (ndev < max_dev ? ndev : max_dev) +
			    (nproc > 0 ? 2 + (nproc < max_proc ? nproc : max_proc) : 0) +
			    (on[PART_ALERTS] ? 2 + (nact < max_active ? nact : max_active + 1) +
			    (nev < max_events ? nev : max_events) : 0);
			if (height - fixed >= (nsys ? 4 : 0) + (nother ? 2 : 0))
				break;
			if (max_events > 0)
				max_events--;
			else if (max_proc > 3)
				max_proc--;
			else if (max_active > 1)
				max_active--;
			else if (max_dev > 2)
				max_dev--;
			else if (max_disks > 2)
				max_disks--;
			else
				break;
		}
		if (max_events == 0)
			max_events = -1;	/* none, and no title for none */
	}
	view->cut = 0;
	if (on[PART_DISKS])
		disk_rows(b, &part[PART_DISKS], g, v, n, hosts, max_disks, max_dev, view);
	if (on[PART_PROCS])
		processes_panel(b, &part[PART_PROCS], g, v, n, hosts, max_proc, view);
	if (on[PART_ALERTS])
		alerts_panel(b, &part[PART_ALERTS], g, v, n, hosts, max_active, max_events, view);
	if (height > 0) {
		/*
		 * The lines left, each panel's title aside: the user's own
		 * series first, up to half of them; the trends the rest, one
		 * line of it naming the columns.
		 */
		left = height - used - (int)(part[PART_DISKS].nline + part[PART_PROCS].nline +
		    part[PART_ALERTS].nline) - (nsys > 0) - (nother > 0);
		k = left / 2;
		max_other = nother == 0 ? 0 : k < 1 ? 1 : k > nother ? nother : k;
		max_sys = left - max_other;
		if (max_sys < 2)
			max_sys = 2;
	}
	list_panel(&part[PART_TRENDS], g, PANEL_TRENDS, sys, nsys, hosts, max_sys, view);
	list_panel(&part[PART_OTHER], g, PANEL_OTHER, other, nother, hosts, max_other, view);
	for (i = 0; i < view->nparts; i++)
		page_append(p, &part[view->parts[i]]);
	if (height > 0 && (int)p->nline > height)
		p->nline = (size_t)height;
	for (i = 0; i < PART_N; i++)
		page_free(&part[i]);
	free(sys);
	free(other);
	free(v);
}

/* The keys of the live screen, a page of their own. */
void
panels_help(struct page *p)
{
	static const char *const lines[] = {
		"Keys of xm-show",
		"",
		"  P        processes by CPU (the default)",
		"  M        processes by memory",
		"  I        processes by storage I/O",
		"  p space  pause the screen; the stream is still read",
		"  j k      a panel cut short: a row down, up (and the arrows)",
		"  PgDn PgUp  a page down, up;  Home End  its first, its last",
		"  Tab      the next panel cut short",
		"  1        a bar for each CPU too, where the stream has them (--per-cpu)",
		"  /        only the series whose name holds a text, or a glob matches",
		"  Esc      every series again",
		"  Ctrl-L   draw the screen anew",
		"  ? h      this page; any key goes back",
		"  q        quit",
		NULL
	};
	int i;

	for (i = 0; lines[i] != NULL; i++) {
		page_newline(p);
		page_put(p, i == 0 ? AT_TITLE : AT_NONE, lines[i]);
	}
}
