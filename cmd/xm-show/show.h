/* show.h: xm-show's parts: options, what it knows of each series, pages, outputs. */
#ifndef SHOW_H
#define SHOW_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "record.h"
#include "rule.h"
#include "series.h"
#include "table.h"

#define HIST	256	/* cells of values kept per series for its sparkline */
#define EVENTS	64	/* recent alert events kept */
#define HEADERS	4096	/* distinct headers kept: the columns of more are not read */
#define DEFAULTS_MAX 32	/* default rules a series can match: a bit each */

/* The orders of the processes panel, as top's and htop's keys choose them. */
enum { SORT_CPU, SORT_MEM, SORT_IO };

/* The panels that a short screen cuts, and that scroll. */
enum { PANEL_DISKS, PANEL_DEVICES, PANEL_PROCS, PANEL_ALERTS, PANEL_TRENDS, PANEL_OTHER, PANEL_N };

/* The parts of the page --panels chooses and orders, by the names it takes. */
enum { PART_SYSTEM, PART_DISKS, PART_PROCS, PART_ALERTS, PART_TRENDS, PART_OTHER, PART_N };

/*
 * What the person at the live screen chose, from --panels and the
 * config file first (view.c); plain text draws it too.  A panel cut
 * short shows its rows from off on: drawing keeps off within the rows
 * there are, and says which panels it cut.
 */
struct view {
	int	 parts[PART_N];	/* PART_* in the order drawn */
	int	 nparts;
	int	 sort;		/* SORT_*: the processes panel's order */
	int	 per_cpu;	/* a bar for each CPU too (top's 1) */
	char	 filter[64];	/* only the series whose name holds it, or a glob matches; "": all */
	int	 focus;		/* PANEL_*: the one the scrolling keys move */
	int	 off[PANEL_N];	/* its first row shown */
	int	 room[PANEL_N];	/* rows it had at the last draw: a page */
	unsigned cut;		/* bits of PANEL_*: those with rows not shown */
};

extern const char *const panel_names[PANEL_N];

void	 view_init(struct view *);
int	 view_parts(struct view *, const char *, char *, size_t);
void	 view_config(struct view *, const char *);
int	 view_match(const struct view *, const char *, size_t);

struct show_opts {
	double	 refresh;	/* seconds between redraws */
	int	 ascii;		/* no Unicode */
	int	 color;
	int	 follow;	/* plain: again every refresh */
	int	 once;
	int	 width;		/* plain text: columns */
	const struct show_format *format;	/* NULL: the live screen */
	const char *out;	/* -O */
	const char *prefix;	/* -o prom: of every name */
	const char *host;	/* --host glob */
	const char *listen;	/* --listen ADDR:PORT */
	const char *web_config;	/* --web-config FILE */
	int	 serve_only;	/* --listen, and nothing to write */
	char	**only;		/* --only globs */
	size_t	 nonly;
	int	 csv;
	int	 strict;
	size_t	 max_series;
	double	 forget;	/* --forget: seconds quiet before a series goes; 0: never */
	int	 history;	/* --history: the alert log summed up */
	double	 flap;		/* --flap: seconds from a resolution to a firing that is a flap */
	struct view view;	/* the panels as they first show: --panels, the config file */
};

/* The columns of a header this program reads; -1 where absent. */
enum known {
	K_MEAN, K_MIN, K_MAX, K_TREND, K_ZSCORE, K_RZSCORE, K_SEVERITY, K_EVENT, K_SINCE, K_ALERT_ID,
	K_RULE, K_COUNT, K_N
};

/* A header seen: its column names, found by their text. */
struct header {
	struct table_item it;	/* key: the names, TAB between */
	char	**names;
	size_t	 n;
	unsigned char *again;	/* again[k]: names[k] is an earlier column's too */
	int	 known[K_N];
};

/* An alert of a series, as the stream named it: for -o prom, -o json and the serving. */
struct alert_state {
	char	 id[17];	/* alert_id, cut to 16 bytes; "" where the stream has none */
	int	 sev;
	double	 since;		/* when its severity began, as the stream says; NAN: not said */
	const struct table_item *rule;	/* its text, kept once a board; NULL: none */
};

#define ALERTS_MAX 64	/* alerts kept a series: more rules than that are one too many */

struct series {
	struct series_id id;
	struct host *host;	/* its host's clock (--forget); NULL: none kept */
	double	 last;		/* its newest ts (--forget): a late record is no news */
	uint32_t reclen, reccap;
	double	 ts, value;
	const struct header *hdr;	/* names of the latest record's fields */
	char	*rec;		/* its fields, each NUL-terminated, the metric empty: it is in id */
	/*
	 * A ring of the latest values for the sparkline, a cell each,
	 * allocated as they come, HIST at most; once xm-buffer's window
	 * (its n) outgrows the ring, each cell the mean of step samples in
	 * a row, step doubled as needed, so that the sparkline draws the
	 * window the trend arrow is of.
	 */
	double	*hist;
	uint32_t histcap;	/* cells allocated */
	uint32_t nhist;		/* cells ever begun */
	uint32_t step;		/* samples a cell: 1, 2, 4, ... */
	uint32_t fill;		/* samples in the newest cell */
	int	 sev;		/* severity: from the stream, else the default rules; -1: none */
	int	 from_stream;	/* sev came from xm-alert's column */
	uint32_t deflt;		/* the default rules that match it, a bit each, chosen once */
	double	 since;		/* when sev began, if the stream says */
	struct alert_state *alerts;	/* each alert the stream named, when they are written */
	uint32_t nalerts;
};

/* The series' metric, its host aside, and its length. */
static inline const char *
metric_of(const struct series *s, size_t *len)
{
	*len = series_metric_len(&s->id);
	return series_metric(&s->id);
}

/*
 * The field at *p, of column i, of series s's latest record, *p moved on
 * to the next: the metric from its key, where the record keeps none, so
 * that a name is kept once.
 */
static inline const char *
series_rec_field(const struct series *s, size_t i, const char **p)
{
	const char *f = *p;

	*p += strlen(f) + 1;
	return i == COL_METRIC ? series_metric(&s->id) : f;
}

/* xm-buffer's columns of a series' latest record, read when drawn. */
struct series_window {
	int	 trend;		/* -1 decreasing, 0 stable, 1 increasing, 2: not known */
	double	 n;		/* the samples in xm-buffer's window; NAN: not known */
	double	 zscore, rzscore;	/* NAN: not known */
	double	 mean, min, max;	/* NAN when not there */
};

struct show_event {
	double	 ts, value;
	char	 name[160];	/* host TAB metric, cut short */
	uint32_t len, hostlen;	/* of name, and of the host in it */
	char	 event[16];
	int	 sev;
};

/* What xm-show knows: every series, the recent events, the counts. */
struct board {
	const struct show_opts *o;
	struct series_set series;	/* in no order: forgetting one moves the last */
	struct header **hdrs;
	size_t	 nhdr;
	struct table hdr_table;
	int	 said_headers;
	struct show_event ev[EVENTS];
	size_t	 nev;		/* ever seen */
	struct rule *defaults;	/* xm-alert's on the value, where the stream has no severity */
	int	 keep_alerts;	/* each series' alerts apart: -o prom and /metrics write them */
	struct table rules;	/* the rules' texts the alerts name, each once (struct rule_text) */
	size_t	 ndefaults;
	double	 newest, oldest;	/* record time */
	size_t	 read;		/* well-formed records read, shown or not */
	size_t	 records;
	/* each new sample of a series on the board, as it is taken; NULL: none */
	void	 (*each)(void *, const struct series *);
	void	*each_arg;
	size_t	 skipped;	/* malformed lines, as the reader counts them */
	double	 rate;		/* records a second, as the caller measures it */
	struct hosts hosts;	/* each host's clock: how long a series has been quiet */
	double	 sweep_at;	/* the stream's time at which a series may be due to go */
	double	 swept;		/* the stream's time of the last look */
};

void	 board_init(struct board *, const struct show_opts *);
void	 board_free(struct board *);
const struct header *board_header(struct board *, const char *const *, size_t);
int	 board_take(struct board *, const struct header *, const struct record *);
int	 board_read(struct board *, struct record_reader *, const struct header **, int);
const char *series_field(const struct series *, const char *);
double	 series_hist(const struct series *, uint32_t);
uint32_t series_cells(const struct series *, double);
void	 series_window(const struct series *, struct series_window *);
int	 board_sorted(const struct board *, struct series ***);

/* A page: lines of text, each in pieces of one attribute, for the screen or for plain text. */
enum attr {
	AT_NONE, AT_OK, AT_INFO, AT_WARNING, AT_CRITICAL, AT_EMERGENCY, AT_TITLE, AT_DIM, AT_HIGH, AT_N
};

struct piece {
	uint8_t	 attr;
	uint32_t off, len;	/* in the page's text */
};

struct line {
	uint32_t first, npiece;	/* its pieces */
	int	 width;		/* in columns so far */
};

struct page {
	int	 width;
	int	 ascii;
	char	*text;
	size_t	 len, cap;
	struct piece *pieces;
	size_t	 npiece, piececap;
	struct line *lines;
	size_t	 nline, linecap;
};

void	 page_init(struct page *, int, int);
void	 page_free(struct page *);
void	 page_clear(struct page *);
void	 page_append(struct page *, const struct page *);
void	 page_newline(struct page *);
void	 page_put(struct page *, int, const char *);
void	 page_putn(struct page *, int, const char *, size_t);
void	 page_safe(struct page *, int, const char *, size_t, int);
void	 page_safe_mid(struct page *, int, const char *, size_t, int);
void	 page_pad(struct page *, int);
void	 page_printf(struct page *, int, const char *, ...) __attribute__((format(printf, 3, 4)));
int	 page_room(const struct page *);
void	 page_write(const struct page *, FILE *);
int	 text_width(const char *, size_t);

/* The panels, into a page; height limits the lines (0: none). */
void	 panels_draw(const struct board *, struct page *, int, double, struct view *);
void	 panels_help(struct page *);

/* The outputs that are not the live screen: a row of the table each. */
struct show_format {
	const char *name;
	int	 (*write)(const struct board *, FILE *);
	/* a line of each sample as it comes, of the series it went to; NULL: none */
	void	 (*each)(const struct board *, const struct series *, FILE *);
	int	 alerts;	/* writes each alert of a series apart */
	int	 table;		/* a table of the columns: --history writes one too */
	int	 csv;		/* its table is CSV */
};

const struct show_format *show_format_find(const char *);

void	 prom_serve(const struct board *, FILE *, double);

struct http_ask;

int	 json_write(const struct board *, FILE *);
void	 json_serve(const struct board *, FILE *, const struct http_ask *);

#endif
